"""Photos and papers attached to a house case: checked by their content (never their name),
stored under a random name with Django's default storage in MEDIA_ROOT (outside the web root,
no URL serves it), and streamed only through an access-checked view.
"""

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core import files
from congdoan.core.audit import audit_record, audited
from congdoan.org import access
from congdoan.org.access import AnyUser

from .models import CareDocument, HouseCase

ACCEPTED = files.PHOTOS_AND_PDF


def read_checked(upload: Any, name: str) -> tuple[bytes, str]:
    """The upload's bytes and content type, or a ServiceError saying why it is refused."""
    return files.read_checked(
        upload,
        name,
        ACCEPTED,
        _("%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document; only these are accepted."),
    )


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


@audited
def document_add(
    *, actor: Any, house: HouseCase, upload: Any, name: str, caption: str = ""
) -> CareDocument:
    """Attach a photo (JPEG, PNG, WebP) or a PDF to a house case."""
    name = files.clean_name(name)
    data, content_type = read_checked(upload, name)
    stored, sha256 = files.store("care", data, ACCEPTED[content_type])
    try:
        document = CareDocument.objects.create(
            house=house, file=stored, original_name=name, content_type=content_type,
            size=len(data), sha256=sha256,
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


@audited
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
