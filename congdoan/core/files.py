"""Uploaded papers (photos, PDFs, office documents): checked by their content, never their
name, stored under a random name in MEDIA_ROOT (outside the web root, no URL serves it), and
streamed only through an access-checked view. Care's house documents and meetings' papers use
these; each app keeps its own model, access rules and audit.
"""

import datetime
import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .errors import ServiceError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
# The kinds of file accepted, with the extension they are stored under.
PHOTOS_AND_PDF = {**IMAGES, PDF: ".pdf"}
PAPERS = {**PHOTOS_AND_PDF, DOCX: ".docx", XLSX: ".xlsx"}


def sniff(data: bytes) -> str | None:
    """The content type of a file from its bytes: JPEG, PNG, WebP and PDF by their first
    bytes, Word and Excel by the main part inside their zip."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
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


def clean_name(name: str) -> str:
    """The file's own name, kept to show and to download under: no folders, no control
    characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[-255:] or "tai-lieu"


def read_checked(
    upload: Any, name: str, accepted: dict[str, str], refusal: str
) -> tuple[bytes, str]:
    """The upload's bytes and content type, or a ServiceError saying why it is refused: too
    large, empty, or not one of `accepted` (`refusal` names what is, with `%(name)s`)."""
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
    content_type = sniff(data)
    if content_type not in accepted:
        raise ServiceError(refusal % {"name": name}, field="file")
    return data, content_type


def store(area: str, data: bytes, extension: str) -> tuple[str, str]:
    """Save the bytes under a random name in `area`/year/month; the stored name and the
    file's SHA-256."""
    day = datetime.date.today()
    stored = default_storage.save(
        f"{area}/{day:%Y}/{day:%m}/{secrets.token_hex(16)}{extension}", ContentFile(data)
    )
    return stored, hashlib.sha256(data).hexdigest()


class StoredFile(Protocol):
    file: Any
    content_type: str
    original_name: str


def file_response(document: StoredFile) -> FileResponse:
    """The file itself: photos shown inline, everything else downloaded; the browser may not
    guess another type, and the file may not run anything."""
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=document.content_type not in IMAGES,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response
