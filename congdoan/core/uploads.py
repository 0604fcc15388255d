"""An uploaded spreadsheet (a roster, a support or initiative list): keeping it
(`upload_create`, audited: the file holds personal data), and its two jobs, checking it and
importing it. Each app says how to plan and how to import its kind of file; this records on
the upload what the check found, the problems that stopped an import, or that it was applied.

A plan has `counts`, `problems` (each with `row`, `column`, `message`), `columns` (the header
cells and what each is read as) and `total` (rows read). An import that finds problems raises
a ServiceError carrying them as `problems`, having written nothing.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record, audited
from .errors import ServiceError
from .jobs import Progress
from .models import Job, Upload, UploadStatus

Plan = Any
Run = Callable[[Any, Any, Job, Progress], Plan]  # (upload, user, job, progress) -> plan
U = TypeVar("U", bound=Upload)


@audited
def upload_create(*, actor: Any, model: type[U], file_name: str, content: bytes,
                  **fields: Any) -> U:  # fmt: skip
    """Keep an uploaded file for its check and import (`fields`: the unit, the programme). The
    trail records who uploaded which file: it holds the personal data of everyone listed."""
    stored: U = model._default_manager.create(
        file_name=file_name[:255], content=content, sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None, **fields,
    )  # fmt: skip
    audit_record(actor=actor, action="upload.create", target=stored,
                 unit_id=getattr(stored, "unit_id", None),
                 changes={"file": [None, stored.file_name], "bytes": [None, len(content)]},
                 summary=stored.file_name)  # fmt: skip
    return stored


def _parts(job: Job, model: type[Upload]) -> tuple[Any, Any]:
    upload = model._default_manager.get(pk=job.params["upload"])
    user = get_user_model().objects.filter(pk=job.created_by_id or 0).first()
    return upload, user


def problem_rows(problems: Iterable[Any]) -> list[list[Any]]:
    return [[p.row, p.column, p.message] for p in problems]


def check(job: Job, progress: Progress, *, model: type[Upload], plan: Run,
          empty: Callable[[], Plan]) -> dict[str, Any]:  # fmt: skip
    """Plan the upload (writing nothing) and record what importing it would do. A file that
    cannot be read at all is one problem, at row 0."""
    upload, user = _parts(job, model)
    try:
        found = plan(upload, user, job, progress)
        problems = problem_rows(found.problems)
    except ServiceError as exc:
        found = empty()
        problems = [[0, "", " ".join(exc.messages)]]
    model._default_manager.filter(pk=upload.pk).update(
        status=UploadStatus.CHECKED, counts=found.counts, problems=problems,
        columns=[list(c) for c in found.columns],
    )  # fmt: skip
    progress(found.total, found.total, _("Checked"))
    return {"counts": found.counts, "problems": len(problems)}


def apply(job: Job, progress: Progress, *, model: type[Upload], run: Run) -> dict[str, Any]:
    """Import the upload (all or nothing) and record that it was applied, or the problems
    that stopped it (the job then fails)."""
    upload, user = _parts(job, model)
    if upload.status == UploadStatus.APPLIED:
        return {"counts": upload.counts}
    try:
        done = run(upload, user, job, progress)
    except ServiceError as exc:
        if not hasattr(exc, "problems"):
            raise
        model._default_manager.filter(pk=upload.pk).update(problems=problem_rows(exc.problems))
        raise ServiceError(_("The file has errors; nothing was imported.")) from exc
    model._default_manager.filter(pk=upload.pk).update(
        status=UploadStatus.APPLIED, counts=done.counts, problems=[], applied_at=timezone.now()
    )
    progress(done.total, done.total, _("Imported"))
    return {"counts": done.counts}
