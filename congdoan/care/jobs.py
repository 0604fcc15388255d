"""The care jobs the worker runs: checking an uploaded support list, and importing it."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core import jobs
from congdoan.core.errors import ServiceError
from congdoan.core.models import Job, UploadStatus
from congdoan.members.roster_io import ImportFailed, RowProblem

from . import support_import
from .models import SupportStatus, SupportUpload


def _upload(job: Job) -> tuple[SupportUpload, Any]:
    upload = SupportUpload.objects.select_related("programme", "programme__unit", "unit").get(
        pk=job.params["upload"]
    )
    user = get_user_model().objects.filter(pk=job.created_by_id or 0).first()
    return upload, user


def _problems(problems: list[RowProblem]) -> list[list[Any]]:
    return [[p.row, p.column, p.message] for p in problems]


def check_supports(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Read the list and record what importing it would do (writes no support)."""
    upload, user = _upload(job)
    try:
        plan = support_import.plan_upload(user=user, upload=upload, progress=progress)
    except ServiceError as exc:  # the file cannot be read at all
        plan = support_import.SupportPlan()
        plan.problems.append(RowProblem(0, "", " ".join(exc.messages)))
    SupportUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.CHECKED, counts=plan.counts, problems=_problems(plan.problems),
        columns=[list(c) for c in plan.columns],
    )  # fmt: skip
    progress(plan.read, plan.read, _("Checked"))
    return {"counts": plan.counts, "problems": len(plan.problems)}


def import_supports(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Import the list in one transaction: everything, or nothing (the job fails and the
    problems are shown)."""
    upload, user = _upload(job)
    if upload.status == UploadStatus.APPLIED:
        return {"counts": upload.counts}
    status = job.params.get("status") or SupportStatus.PROPOSED
    try:
        plan = support_import.import_upload(
            user=user, upload=upload, status=status, progress=progress
        )
    except ImportFailed as exc:
        SupportUpload.objects.filter(pk=upload.pk).update(problems=_problems(exc.problems))
        raise ServiceError(_("The file has errors; nothing was imported.")) from exc
    SupportUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.APPLIED, counts=plan.counts, problems=[], applied_at=timezone.now()
    )
    progress(plan.read, plan.read, _("Imported"))
    return {"counts": plan.counts}


jobs.register("care.support_check", check_supports)
jobs.register("care.support_import", import_supports)
