"""The reports pages: the home page, a unit's page (pinned query counts), downloads, the
template page, and every id URL answering 404 outside the user's reach."""

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from congdoan.conftest import Cast, Tree
from congdoan.core.admin_docx import document_text
from congdoan.reports.models import ReportLock, ReportTemplate

from .conftest import Year
from .outside_reports import outside_ids

D = datetime.date


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_lists_the_user_s_units_and_finds_others(
    year: Year, django_assert_num_queries: Any
) -> None:
    client = login(year.cast.x_officer)
    client.get("/reports/")  # warm the session
    with django_assert_num_queries(4):
        body = client.get("/reports/?year=2024&half=1").content.decode()
    assert "Unit X" in body and f"/reports/unit/{year.tree.X.pk}/?year=2024&amp;half=1" in body
    found = client.get("/reports/", {"q": "unit x1", "year": "2024"}).content.decode()
    assert f"/reports/unit/{year.tree.X1.pk}/" in found
    outside = client.get("/reports/", {"q": "unit q1"}).content.decode()
    assert "Unit Q1" not in outside and "No unit you can see matches." in outside


def test_a_unit_s_page(year: Year, django_assert_num_queries: Any) -> None:
    ReportLock.objects.create(
        unit=year.tree.X,
        start=D(2023, 1, 1),
        end=D(2023, 12, 31),
        snapshot={},
        locked_by=year.cast.x_officer,
    )
    client = login(year.cast.x_officer)
    client.get("/reports/")
    with django_assert_num_queries(8):
        body = client.get(f"/reports/unit/{year.tree.X.pk}/?year=2023").content.decode()
    assert "The figures of this period were locked on" in body
    assert "What changed since locking" in body
    body = client.get(
        f"/reports/unit/{year.tree.X.pk}/?start=01/03/2024&end=09/03/2024"
    ).content.decode()
    assert "from 01/03/2024 to 09/03/2024" in body and "Lock the figures" in body
    wrong = client.get(f"/reports/unit/{year.tree.X.pk}/?start=09/03/2024&end=01/03/2024")
    assert "The end of the period is before its start." in wrong.content.decode()
    # A viewer reads, but is not offered the lock.
    viewer = login(year.cast.viewer).get(f"/reports/unit/{year.tree.X.pk}/?year=2024")
    assert "Lock the figures" not in viewer.content.decode()


def test_downloads(year: Year) -> None:
    client = login(year.cast.viewer)
    url = f"/reports/unit/{year.tree.X.pk}/download/"
    docx = client.get(url, {"format": "docx", "year": "2024"})
    assert docx["Content-Disposition"] == 'attachment; filename="bao-cao-X-2024.docx"'
    assert "BÁO CÁO" in document_text(docx.content)
    pdf = client.get(url, {"format": "pdf", "year": "2024", "half": "2"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="bao-cao-X-2024-6-thang-cuoi.pdf"'
    xlsx = client.get(url, {"format": "xlsx", "start": "01/01/2024", "end": "31/03/2024"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="thong-ke-X-20240101-20240331.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Tổ chức, đoàn viên"
    assert client.get(url, {"format": "odt"}).status_code == 404


def test_template_page(year: Year) -> None:
    client = login(year.cast.x_officer)
    url = f"/reports/unit/{year.tree.X.pk}/template/"
    assert "The reports of this unit use the default template." in client.get(url).content.decode()
    default = client.get("/reports/template/default/")
    assert "{{ body }}" in document_text(default.content)
    blank = io.BytesIO()
    Document().save(blank)
    blank.seek(0)
    blank.name = "trong.docx"
    refused = client.post(url, {"file": blank})
    assert (
        "The template lacks the placeholder {{ issuer }}, {{ number }}" in refused.content.decode()
    )
    assert not ReportTemplate.objects.exists()
    ok = client.post(url, {"file": io.BytesIO(default.content)}, follow=False)
    assert ok.status_code == 302
    assert ReportTemplate.objects.get().unit == year.tree.X
    assert "the template of Unit X" in client.get(url).content.decode()
    assert client.get(f"{url}download/").content == default.content
    # A viewer sees which template applies, and cannot upload.
    viewer = login(year.cast.viewer)
    assert "Upload" not in viewer.get(url).content.decode()
    assert viewer.post(url, {"file": io.BytesIO(default.content)}).status_code == 404
    assert viewer.post(f"{url}remove/").status_code == 404
    assert client.post(f"{url}remove/").status_code == 302
    assert not ReportTemplate.objects.filter(is_active=True).exists()


@pytest.mark.parametrize("who", ["province_admin", "x_officer", "viewer", "chair", "nobody"])
def test_outside_ids_answer_404(tree: Tree, cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    client = login(user)
    urls = [reverse(name, kwargs={"pk": pk(user)}) for name, pk in outside_ids(tree, cast).items()]
    before = list(ReportLock.objects.values_list("pk", "unlocked_at", "unlock_reason"))
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"reason": "x", "note": "x"})
            assert response.status_code in ({404, 405} if method == "get" else {404}), (url, method)
            assert b"Unit Q1" not in response.content
    assert list(ReportLock.objects.values_list("pk", "unlocked_at", "unlock_reason")) == before
    assert not ReportTemplate.objects.exists()
