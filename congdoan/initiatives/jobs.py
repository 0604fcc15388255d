"""The initiatives jobs the worker runs: checking an uploaded list, and importing it."""

from functools import partial
from typing import Any

from congdoan.core import jobs, uploads
from congdoan.core.models import Job

from . import lists
from .models import InitiativeUpload


def _plan(upload: InitiativeUpload, user: Any, job: Job,
          progress: jobs.Progress) -> lists.InitiativePlan:  # fmt: skip
    return lists.plan_upload(user=user, upload=upload, progress=progress)


def _import(upload: InitiativeUpload, user: Any, job: Job,
            progress: jobs.Progress) -> lists.InitiativePlan:  # fmt: skip
    """One transaction: everything, or nothing."""
    return lists.import_upload(user=user, upload=upload, progress=progress)


check_list = partial(uploads.check, model=InitiativeUpload, plan=_plan,
                     empty=lists.InitiativePlan)  # fmt: skip
import_list = partial(uploads.apply, model=InitiativeUpload, run=_import)

jobs.register("initiatives.list_check", check_list)
jobs.register("initiatives.list_import", import_list)
