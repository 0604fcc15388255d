"""Papers of a meeting (reports, resolutions, minutes, photos): checked by their content, never
their name, stored under a random name in MEDIA_ROOT (outside the web root, no URL serves it),
streamed only through an access-checked view.

The checks, storing and the response are `congdoan.core.files`'; meetings take Word and Excel
files besides photos and PDFs.
"""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from congdoan.core import files
from congdoan.core.audit import audit_record, audited
from congdoan.org import access
from congdoan.org.access import AnyUser

from .models import Meeting, MeetingDocument

ACCEPTED = files.PAPERS


def read_checked(upload: Any, name: str) -> tuple[bytes, str]:
    return files.read_checked(
        upload,
        name,
        ACCEPTED,
        _(
            "%(name)s is not a PDF, Word (.docx) or Excel (.xlsx) document or a photo (JPEG, "
            "PNG, WebP); only these are accepted."
        ),
    )


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


@audited
def document_add(
    *, actor: Any, meeting: Meeting, upload: Any, name: str, caption: str = ""
) -> MeetingDocument:
    name = files.clean_name(name)
    data, content_type = read_checked(upload, name)
    stored, sha256 = files.store("meetings", data, ACCEPTED[content_type])
    try:
        document = MeetingDocument.objects.create(
            meeting=meeting,
            file=stored,
            original_name=name,
            content_type=content_type,
            size=len(data),
            sha256=sha256,
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


@audited
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
    """Photos shown inline, PDFs and office files downloaded."""
    return files.file_response(document)
