"""The member jobs the worker runs: checking an uploaded roster, and importing it."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core import jobs
from congdoan.core.errors import ServiceError
from congdoan.core.models import Job, UploadStatus

from . import roster_io
from .models import RosterUpload


def _upload(job: Job) -> tuple[RosterUpload, Any]:
    upload = RosterUpload.objects.select_related("unit").get(pk=job.params["upload"])
    user = get_user_model().objects.filter(pk=job.created_by_id or 0).first()
    return upload, user


def _problems(problems: list[roster_io.RowProblem]) -> list[list[Any]]:
    return [[p.row, p.column, p.message] for p in problems]


def check_roster(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Read the upload and record what importing it would do (writes no member)."""
    upload, user = _upload(job)
    try:
        plan = roster_io.plan_import(
            user=user, name=upload.file_name, content=bytes(upload.content), root=upload.unit,
            sheet=upload.sheet or None, mapping=upload.mapping or None, progress=progress,
            keep_rows=False,
        )  # fmt: skip
    except ServiceError as exc:  # the file cannot be read at all
        plan = roster_io.ImportPlan()
        plan.problems.append(roster_io.RowProblem(0, "", " ".join(exc.messages)))
    RosterUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.CHECKED, counts=plan.counts, problems=_problems(plan.problems),
        columns=[list(c) for c in plan.columns],
    )  # fmt: skip
    progress(plan.total, plan.total, _("Checked"))
    return {"counts": plan.counts, "problems": len(plan.problems)}


def import_roster(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Import the upload in one transaction, reading and writing a chunk at a time:
    everything, or nothing (the job fails and the problems are shown)."""
    upload, user = _upload(job)
    if upload.status == UploadStatus.APPLIED:
        return {"counts": upload.counts}
    try:
        plan = roster_io.import_file(
            user=user, name=upload.file_name, content=bytes(upload.content), root=upload.unit,
            file_hash=upload.sha256, sheet=upload.sheet or None,
            mapping=upload.mapping or None, progress=progress,
        )  # fmt: skip
    except roster_io.ImportFailed as exc:
        RosterUpload.objects.filter(pk=upload.pk).update(problems=_problems(exc.problems))
        raise ServiceError(_("The file has errors; nothing was imported.")) from exc
    RosterUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.APPLIED, counts=plan.counts, problems=[], applied_at=timezone.now()
    )
    progress(plan.total, plan.total, _("Imported"))
    return {"counts": plan.counts}


jobs.register("members.check", check_roster)
jobs.register("members.import", import_roster)
