"""The member jobs the worker runs: checking an uploaded roster, and importing it."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core import jobs
from congdoan.core.errors import ServiceError
from congdoan.core.models import Job

from . import roster_io
from .models import RosterUpload, UploadStatus


def _upload(job: Job) -> tuple[RosterUpload, Any]:
    upload = RosterUpload.objects.select_related("unit").get(pk=job.params["upload"])
    user = get_user_model().objects.filter(pk=job.created_by_id or 0).first()
    return upload, user


def _plan(upload: RosterUpload, user: Any, progress: jobs.Progress) -> roster_io.ImportPlan:
    try:
        return roster_io.plan_import(
            user=user, name=upload.file_name, content=bytes(upload.content), root=upload.unit,
            sheet=upload.sheet or None, mapping=upload.mapping or None, progress=progress,
        )  # fmt: skip
    except ServiceError as exc:
        plan = roster_io.ImportPlan()
        plan.problems.append(roster_io.RowProblem(0, "", " ".join(exc.messages)))
        return plan


def _counts(plan: roster_io.ImportPlan) -> dict[str, int]:
    return {a: plan.count(a) for a in ("create", "update", "transfer", "unchanged")}


def check_roster(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Read the upload and record what importing it would do (writes no member)."""
    upload, user = _upload(job)
    plan = _plan(upload, user, progress)
    counts = _counts(plan)
    RosterUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.CHECKED, counts=counts,
        problems=[[p.row, p.column, p.message] for p in plan.problems],
        columns=[list(c) for c in plan.columns],
    )  # fmt: skip
    progress(len(plan.rows), len(plan.rows), _("Checked"))
    return {"counts": counts, "problems": len(plan.problems)}


def import_roster(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Import the upload in one transaction: everything, or nothing (the job fails)."""
    upload, user = _upload(job)
    if upload.status == UploadStatus.APPLIED:
        return {"counts": upload.counts}
    plan = _plan(upload, user, progress)
    if not plan.ok:
        RosterUpload.objects.filter(pk=upload.pk).update(
            problems=[[p.row, p.column, p.message] for p in plan.problems]
        )
        raise ServiceError(_("The file has errors; nothing was imported."))
    progress(0, len(plan.rows), _("Writing"))
    try:
        counts = roster_io.apply_import(user=user, plan=plan, file_name=upload.file_name,
                                        file_hash=upload.sha256)  # fmt: skip
    except roster_io.ImportFailed as exc:
        RosterUpload.objects.filter(pk=upload.pk).update(
            problems=[[p.row, p.column, p.message] for p in exc.problems]
        )
        raise
    RosterUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.APPLIED, counts=counts, problems=[], applied_at=timezone.now()
    )
    progress(len(plan.rows), len(plan.rows), _("Imported"))
    return {"counts": counts}


jobs.register("members.check", check_roster)
jobs.register("members.import", import_roster)
