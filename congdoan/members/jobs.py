"""The member jobs the worker runs: checking an uploaded roster, and importing it."""

from functools import partial
from typing import Any

from congdoan.core import jobs, uploads
from congdoan.core.models import Job

from . import roster_io
from .models import RosterUpload


def _plan(
    upload: RosterUpload, user: Any, job: Job, progress: jobs.Progress
) -> roster_io.ImportPlan:
    return roster_io.plan_import(
        user=user, name=upload.file_name, content=bytes(upload.content), root=upload.unit,
        sheet=upload.sheet or None, mapping=upload.mapping or None, progress=progress,
        keep_rows=False,
    )  # fmt: skip


def _import(
    upload: RosterUpload, user: Any, job: Job, progress: jobs.Progress
) -> roster_io.ImportPlan:
    """Read and write a chunk at a time, in one transaction: everything, or nothing."""
    return roster_io.import_file(
        user=user, name=upload.file_name, content=bytes(upload.content), root=upload.unit,
        file_hash=upload.sha256, sheet=upload.sheet or None, mapping=upload.mapping or None,
        progress=progress,
    )  # fmt: skip


check_roster = partial(uploads.check, model=RosterUpload, plan=_plan, empty=roster_io.ImportPlan)
import_roster = partial(uploads.apply, model=RosterUpload, run=_import)

jobs.register("members.check", check_roster)
jobs.register("members.import", import_roster)
