"""The reports API: figures, the report as a file, locks; 404 outside the caller's reach."""

import datetime
from typing import Any

from django.test import Client

from congdoan.core.admin_docx import document_text
from congdoan.core.tokens import api_token_create
from congdoan.reports import services
from congdoan.reports.models import ReportLock
from congdoan.reports.periods import make

from .conftest import Year


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_report_endpoints_are_these() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert {p for p in schema["paths"] if p.startswith("/api/v1/reports")} == {
        "/api/v1/reports/figures",
        "/api/v1/reports/report",
        "/api/v1/reports/locks",
        "/api/v1/reports/locks/{lock_id}",
    }


def test_figures_and_files(year: Year) -> None:
    client = api(year.cast.x_officer)
    body = client.get("/api/v1/reports/figures", {"unit": "X", "year": 2024}).json()
    assert (body["org"]["members"], body["sections"]["care"]["support_vnd"], body["lock"]) == (
        3,
        2_500_000,
        None,
    )
    ranged = client.get(
        "/api/v1/reports/figures", {"unit": "X", "from": "2024-01-20", "to": "2024-01-20"}
    ).json()
    assert ranged["sections"]["care"]["support_vnd"] == 1_000_000
    docx = client.get("/api/v1/reports/report", {"unit": "X", "year": 2024, "format": "docx"})
    assert docx.status_code == 200
    assert "BÁO CÁO" in document_text(docx.content)
    pdf = client.get(
        "/api/v1/reports/report", {"unit": "X", "year": 2024, "half": 1, "format": "pdf"}
    )
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.get(
            "/api/v1/reports/report", {"unit": "X", "year": 2024, "format": "odt"}
        ).status_code
        == 422
    )
    assert client.get("/api/v1/reports/figures", {"unit": "X"}).status_code == 422
    assert (
        client.get("/api/v1/reports/figures", {"unit": "X", "year": 2024, "half": 3}).status_code
        == 422
    )


def test_locks(year: Year) -> None:
    client = api(year.cast.x_officer)
    created = client.post(
        "/api/v1/reports/locks",
        {"unit": "X", "year": 2024, "note": "API"},
        content_type="application/json",
    )
    assert created.status_code == 201
    lock = ReportLock.objects.get()
    assert created.json()["id"] == lock.pk and created.json()["active"] is True
    again = client.post(
        "/api/v1/reports/locks", {"unit": "X", "year": 2024}, content_type="application/json"
    )
    assert again.status_code == 409
    listed = client.get("/api/v1/reports/locks", {"unit": "X"}).json()
    assert [(x["id"], x["start"], x["end"], x["locked_by"]) for x in listed] == [
        (lock.pk, "2024-01-01", "2024-12-31", "dave"),
    ]
    detail = client.get(f"/api/v1/reports/locks/{lock.pk}").json()
    assert detail["snapshot"]["org"]["members"] == 3
    figures = client.get("/api/v1/reports/figures", {"unit": "X", "year": 2024}).json()
    assert figures["lock"]["id"] == lock.pk
    # A viewer reads but cannot lock.
    viewer = api(year.cast.viewer)
    assert viewer.get(f"/api/v1/reports/locks/{lock.pk}").status_code == 200
    assert (
        viewer.post(
            "/api/v1/reports/locks", {"unit": "X", "year": 2023}, content_type="application/json"
        ).status_code
        == 404
    )


def test_outside_answers_404(year: Year) -> None:
    q_lock = services.lock_create(actor=None, unit=year.tree.Q1, period=make(2024))
    client = api(year.cast.province_officer)
    for path, params in (
        ("/api/v1/reports/figures", {"unit": "Q1", "year": 2024}),
        ("/api/v1/reports/report", {"unit": "Q1", "year": 2024}),
        ("/api/v1/reports/locks", {"unit": "Q1"}),
        (f"/api/v1/reports/locks/{q_lock.pk}", {}),
        ("/api/v1/reports/figures", {"unit": "NOPE", "year": 2024}),
    ):
        response = client.get(path, params)
        assert response.status_code == 404, path
        assert b"Unit Q1" not in response.content
    post = client.post(
        "/api/v1/reports/locks", {"unit": "Q1", "year": 2023}, content_type="application/json"
    )
    assert post.status_code == 404
    assert ReportLock.objects.count() == 1
    assert datetime.date(2024, 1, 1) == q_lock.start
