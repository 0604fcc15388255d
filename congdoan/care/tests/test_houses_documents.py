"""Photos and documents of a house case: accepted by their content only, stored under a random
name outside the web root, served through the access check with safe headers."""

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from congdoan.care import documents
from congdoan.care.models import CareDocument
from congdoan.care.tests.test_houses import Setup, approved, propose, shelter
from congdoan.core import files
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent

__all__ = ["shelter"]  # the fixture, imported for these tests

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "care"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("nha moi.jpg", JPEG, "image/jpeg"),
        ("ảnh bàn giao.PNG", PNG, "image/png"),
        ("anh.webp", WEBP, "image/webp"),
        ("Quyết định 15.pdf", PDF, "application/pdf"),
        ("no-extension", PNG, "image/png"),  # the content decides, not the name
    ],
)
def test_photos_and_pdfs_are_kept_and_served(
    shelter: Setup, name: str, content: bytes, content_type: str
) -> None:
    s = shelter
    case = propose(s)
    client = login(s.cast.chair)
    response = client.post(
        reverse("house_document_add", args=[case.pk]),
        {
            "file": SimpleUploadedFile(name, content, content_type="text/html"),
            "caption": "Mặt trước",
        },
    )
    assert response.status_code == 302
    doc = CareDocument.objects.get()
    assert (doc.house, doc.original_name, doc.content_type, doc.size, doc.caption) == (
        case,
        name,
        content_type,
        len(content),
        "Mặt trước",
    )
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    assert doc.uploaded_by == s.cast.chair
    # A random name under MEDIA_ROOT, nothing of the original name in it.
    stored = Path(doc.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes() == content
    assert stored.name[: -len(stored.suffix)].isalnum() and len(stored.stem) == 32
    assert stored.suffix == documents.ACCEPTED[content_type]
    assert "nha" not in doc.file.name and "Quy" not in doc.file.name
    served = login(s.cast.viewer).get(reverse("care_document", args=[doc.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content  # type: ignore[attr-defined]
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    disposition = served["Content-Disposition"]
    if content_type == "application/pdf":
        assert disposition.startswith("attachment;")
    else:
        assert disposition.startswith("inline;")
    page = client.get(reverse("house_detail", args=[case.pk])).content.decode()
    assert reverse("care_document", args=[doc.pk]) in page
    assert (
        AuditEvent.objects.filter(action="house.document_add", target_id=str(case.pk)).count() == 1
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", b"<html><script>alert(1)</script></html>"),  # a web page renamed .jpg
        ("setup.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a program renamed .png
        ("bao-cao.pdf", b"Just some text, not a PDF"),
        ("anh.gif", b"GIF89a" + b"\x00" * 32),  # a photo, but not one of the kinds kept
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("rong.jpg", b""),
    ],
)
def test_other_content_is_refused(shelter: Setup, name: str, content: bytes) -> None:
    s = shelter
    case = propose(s)
    before = stored_files()
    response = login(s.cast.chair).post(
        reverse("house_document_add", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="image/jpeg")},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "is not a photo (JPEG, PNG, WebP) or a PDF document; only these are accepted." in body
        or "The submitted file is empty." in body
    )
    assert CareDocument.objects.count() == 0
    assert stored_files() == before
    assert AuditEvent.objects.filter(action="house.document_add").count() == 0


def test_too_large_is_refused(shelter: Setup, settings: Any) -> None:
    settings.CONGDOAN_MAX_DOCUMENT_BYTES = 1024 * 1024
    s = shelter
    case = propose(s)
    before = stored_files()
    big = JPEG + b"\x00" * (1024 * 1024)
    response = login(s.cast.chair).post(
        reverse("house_document_add", args=[case.pk]),
        {"file": SimpleUploadedFile("to.jpg", big, content_type="image/jpeg")},
    )
    assert "to.jpg is larger than 1 MB." in response.content.decode()
    assert CareDocument.objects.count() == 0
    assert stored_files() == before
    with pytest.raises(ServiceError, match="larger than 1 MB"):
        documents.document_add(actor=None, house=case, upload=io.BytesIO(big), name="to.jpg")
    assert CareDocument.objects.count() == 0


def test_names_are_cleaned() -> None:
    assert files.clean_name("../../etc/passwd") == "passwd"
    assert files.clean_name("C:\\Users\\a\\ảnh.jpg") == "ảnh.jpg"
    assert files.clean_name("a\x00b\r\n.jpg") == "ab.jpg"
    assert files.clean_name("") == "tai-lieu"


def test_documents_outside_the_reach_answer_404(
    shelter: Setup, django_capture_on_commit_callbacks: Any
) -> None:
    s = shelter
    case = approved(s)
    doc = documents.document_add(
        actor=s.cast.chair, house=case, upload=io.BytesIO(PNG), name="a.png"
    )
    stored = doc.file.name
    for who in (s.cast.y_officer, s.cast.nobody):
        client = login(who)
        assert client.get(reverse("care_document", args=[doc.pk])).status_code == 404
        assert client.post(reverse("care_document_delete", args=[doc.pk])).status_code == 404
        assert (
            client.post(
                reverse("house_document_add", args=[case.pk]),
                {"file": SimpleUploadedFile("b.png", PNG)},
            ).status_code
            == 404
        )
    viewer = login(s.cast.viewer)
    assert viewer.get(reverse("care_document", args=[doc.pk])).status_code == 200
    assert viewer.post(reverse("care_document_delete", args=[doc.pk])).status_code == 404
    assert viewer.get(reverse("care_document_delete", args=[doc.pk])).status_code == 405
    assert CareDocument.objects.count() == 1
    assert default_storage.exists(stored)
    chair = login(s.cast.chair)
    assert chair.get(reverse("care_document_delete", args=[doc.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = chair.post(reverse("care_document_delete", args=[doc.pk]))
    assert response["Location"] == reverse("house_detail", args=[case.pk])
    assert CareDocument.objects.count() == 0
    assert not default_storage.exists(stored)
    assert list(
        AuditEvent.objects.filter(target_id=str(case.pk), action__startswith="house.document")
        .order_by("id")
        .values_list("action", "summary")
    ) == [("house.document_add", "a.png"), ("house.document_delete", "a.png")]
    assert login(s.cast.chair).get(reverse("care_document", args=[doc.pk])).status_code == 404


def test_a_missing_file_answers_404(shelter: Setup) -> None:
    s = shelter
    case = propose(s)
    doc = documents.document_add(actor=None, house=case, upload=io.BytesIO(PDF), name="a.pdf")
    default_storage.delete(doc.file.name)
    assert login(s.cast.chair).get(reverse("care_document", args=[doc.pk])).status_code == 404


def test_no_url_serves_the_stored_files(shelter: Setup) -> None:
    s = shelter
    case = propose(s)
    doc = documents.document_add(actor=None, house=case, upload=io.BytesIO(PNG), name="a.png")
    client = login(s.cast.superuser)
    for prefix in ("/", "/media/", "/static/", "/files/"):
        assert client.get(prefix + doc.file.name).status_code == 404
