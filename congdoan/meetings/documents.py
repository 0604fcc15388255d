"""Papers of a meeting (reports, resolutions, minutes, photos): checked by their content, never
their name, stored under a random name in MEDIA_ROOT (outside the web root, no URL serves it),
streamed only through an access-checked view.

The checks and the response are care's (`congdoan.care.documents`: `clean_name`, `sniff`,
`document_response`), which work on any record with `file`, `content_type` and
`original_name`; meetings also take Word and Excel files, recognised by the parts inside them.
"""

import datetime
import hashlib
import io
import secrets
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from congdoan.care.documents import ACCEPTED as CARE_ACCEPTED
from congdoan.care.documents import clean_name, document_response, sniff
from congdoan.core.audit import audit_record
from congdoan.core.errors import ServiceError
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.access import AnyUser

from .models import Meeting, MeetingDocument

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = {**CARE_ACCEPTED, DOCX: ".docx", XLSX: ".xlsx"}


def sniff_office(data: bytes) -> str | None:
    """A Word (.docx) or Excel (.xlsx) file, told by the main part inside its zip."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def read_checked(upload: Any, name: str) -> tuple[bytes, str]:
    limit = settings.CONGDOAN_MAX_DOCUMENT_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": name, "limit": f"{limit / 1024 / 1024:g}"},
            field="file",
        )
    if not data:
        raise ServiceError(_("%(name)s is empty.") % {"name": name}, field="file")
    content_type = sniff(data[:16]) or sniff_office(data)
    if content_type is None:
        raise ServiceError(
            _(
                "%(name)s is not a PDF, Word (.docx) or Excel (.xlsx) document or a photo (JPEG, "
                "PNG, WebP); only these are accepted."
            )
            % {"name": name},
            field="file",
        )
    return data, content_type


def document_for_view(user: AnyUser, pk: int) -> MeetingDocument:
    document = (
        MeetingDocument.objects.select_related("meeting", "meeting__unit").filter(pk=pk).first()
    )
    if document is None or not access.can_see_from_below(user, document.meeting.unit):
        raise Http404
    return document


def document_for_write(user: AnyUser, pk: int) -> MeetingDocument:
    document = document_for_view(user, pk)
    if not access.can_write(user, document.meeting.unit):
        raise Http404
    return document


@transaction.atomic
def document_add(
    *, actor: Any, meeting: Meeting, upload: Any, name: str, caption: str = ""
) -> MeetingDocument:
    name = clean_name(name)
    data, content_type = read_checked(upload, name)
    day: datetime.date = today()
    stored = default_storage.save(
        f"meetings/{day:%Y}/{day:%m}/{secrets.token_hex(16)}{ACCEPTED[content_type]}",
        ContentFile(data),
    )
    try:
        document = MeetingDocument.objects.create(
            meeting=meeting,
            file=stored,
            original_name=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            caption=(caption or "").strip()[:255],
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="meeting.document_add",
            target=meeting,
            unit_id=meeting.unit_id,
            summary=f"{name} ({document.caption})" if document.caption else name,
        )
    except Exception:
        default_storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: MeetingDocument) -> None:
    meeting = document.meeting
    stored = document.file.name
    document.delete()
    audit_record(
        actor=actor,
        action="meeting.document_delete",
        target=meeting,
        unit_id=meeting.unit_id,
        summary=document.original_name,
    )
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))


def response(document: MeetingDocument) -> FileResponse:
    """PDFs and office files downloaded, photos shown inline (care's response)."""
    answer = document_response(document)  # type: ignore[arg-type]
    if document.content_type in (DOCX, XLSX):
        answer["Content-Disposition"] = answer["Content-Disposition"].replace(
            "inline", "attachment"
        )
    return answer
