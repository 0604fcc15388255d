"""The care jobs the worker runs: checking an uploaded support list, and importing it."""

from functools import partial
from typing import Any

from congdoan.core import jobs, uploads
from congdoan.core.models import Job

from . import support_import
from .models import SupportStatus, SupportUpload


def _plan(
    upload: SupportUpload, user: Any, job: Job, progress: jobs.Progress
) -> support_import.SupportPlan:
    return support_import.plan_upload(user=user, upload=upload, progress=progress)


def _import(
    upload: SupportUpload, user: Any, job: Job, progress: jobs.Progress
) -> support_import.SupportPlan:
    """One transaction: everything, or nothing. The cases are recorded in the status the
    user chose when starting the import (kept in the job's parameters)."""
    status = job.params.get("status") or SupportStatus.PROPOSED
    return support_import.import_upload(user=user, upload=upload, status=status,
                                        progress=progress)  # fmt: skip


check_supports = partial(
    uploads.check, model=SupportUpload, plan=_plan, empty=support_import.SupportPlan
)
import_supports = partial(uploads.apply, model=SupportUpload, run=_import)

jobs.register("care.support_check", check_supports)
jobs.register("care.support_import", import_supports)
