"""Photos and papers attached to a house case: checked by their content (never their name),
stored under a random name with Django's default storage in MEDIA_ROOT (outside the web root,
no URL serves it), and streamed only through an access-checked view.
"""

import datetime
import hashlib
import os
import secrets
import unicodedata
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record
from congdoan.core.errors import ServiceError
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.access import AnyUser

from .models import CareDocument, HouseCase

# The kinds of file accepted, by their first bytes, with the extension they are stored under.
PDF = "application/pdf"
ACCEPTED = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    PDF: ".pdf",
}


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, if it is one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def clean_name(name: str) -> str:
    """The file's own name, kept to show and to download under: no folders, no control
    characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[-255:] or "tai-lieu"


def read_checked(upload: Any, name: str) -> tuple[bytes, str]:
    """The upload's bytes and content type, or a ServiceError saying why it is refused."""
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
    content_type = sniff(data[:16])
    if content_type is None:
        raise ServiceError(
            _("%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document; only these are "
              "accepted.") % {"name": name},
            field="file",
        )  # fmt: skip
    return data, content_type


def document_for_view(user: AnyUser, pk: int) -> CareDocument:
    document = CareDocument.objects.select_related("house", "house__unit").filter(pk=pk).first()
    if document is None or not access.can_see(user, document.house.unit):
        raise Http404
    return document


def document_for_write(user: AnyUser, pk: int) -> CareDocument:
    document = document_for_view(user, pk)
    if not access.can_write(user, document.house.unit):
        raise Http404
    return document


@transaction.atomic
def document_add(
    *, actor: Any, house: HouseCase, upload: Any, name: str, caption: str = ""
) -> CareDocument:
    """Attach a photo (JPEG, PNG, WebP) or a PDF to a house case."""
    name = clean_name(name)
    data, content_type = read_checked(upload, name)
    day: datetime.date = today()
    stored = default_storage.save(
        f"care/{day:%Y}/{day:%m}/{secrets.token_hex(16)}{ACCEPTED[content_type]}",
        ContentFile(data),
    )
    try:
        document = CareDocument.objects.create(
            house=house, file=stored, original_name=name, content_type=content_type,
            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            caption=(caption or "").strip()[:255],
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        audit_record(
            actor=actor, action="house.document_add", target=house, unit_id=house.unit_id,
            summary=f"{name} ({document.caption})" if document.caption else name,
        )  # fmt: skip
    except Exception:
        default_storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: CareDocument) -> None:
    """Remove a document; its file goes once the removal is committed."""
    house = document.house
    stored = document.file.name
    document.delete()
    audit_record(
        actor=actor, action="house.document_delete", target=house, unit_id=house.unit_id,
        summary=document.original_name,
    )  # fmt: skip
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))


def document_response(document: CareDocument) -> FileResponse:
    """The file itself: PDFs downloaded, images shown inline; the browser may not guess
    another type, and the file may not run anything."""
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=document.content_type == PDF,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response
