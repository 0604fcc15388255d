"""The house grant API: a subtree's cases with their totals, one case, scoped like the pages."""

import datetime
import io
from typing import Any

from django.test import Client

from congdoan.care import documents, houses
from congdoan.care.tests.test_houses import MILLION, Setup, approved, propose, shelter
from congdoan.core.tokens import api_token_create

D = datetime.date
__all__ = ["shelter"]  # the fixture, imported for these tests


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_house_endpoints_are_these() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert {p for p in schema["paths"] if p.startswith("/api/v1/care/houses")} == {
        "/api/v1/care/houses",
        "/api/v1/care/houses/{house_id}",
    }


def test_a_subtree_s_cases_with_totals(shelter: Setup) -> None:
    s = shelter
    one = approved(s)
    houses.house_contribution_add(
        actor=None, case=one, amount_vnd=20 * MILLION, date=D(2024, 3, 20), fund=s.p_fund
    )
    propose(s, kind="repair", amount_vnd=30 * MILLION, proposed_on=D(2023, 5, 1), to_fund=None)
    propose(s, actor=None, unit=s.tree.Y1, member=s.lan, to_fund=None)
    client = api(s.cast.x_officer)
    body = client.get("/api/v1/care/houses", {"unit": "X"}).json()
    assert (body["unit"], body["count"], body["amount_vnd"]) == ("X", 2, 90 * MILLION)
    assert body["by_status"][:2] == [
        {"status": "proposed", "count": 1, "amount_vnd": 30 * MILLION},
        {"status": "approved", "count": 1, "amount_vnd": 60 * MILLION},
    ]
    assert [i["proposed_on"] for i in body["items"]] == ["2024-03-01", "2023-05-01"]
    first = body["items"][0]
    assert first == {
        "id": one.pk,
        "unit_code": "X1",
        "member_id": s.hoa.pk,
        "member_name": "Nguyễn Thị Hoa",
        "kind": "build",
        "status": "approved",
        "amount_vnd": 60 * MILLION,
        "contributed_vnd": 20 * MILLION,
        "to_fund": "Quỹ Mái ấm Công đoàn tỉnh P",
        "proposed_on": "2024-03-01",
        "approved_on": "2024-03-15",
        "started_on": None,
        "handed_over_on": None,
        "decision_ref": "15/QĐ-LĐLĐ",
    }
    assert client.get("/api/v1/care/houses", {"unit": "X", "status": "approved"}).json()[
        "items"
    ] == [first]
    assert client.get("/api/v1/care/houses", {"unit": "X", "year": 2023}).json()["count"] == 1
    assert client.get("/api/v1/care/houses", {"unit": "X", "year": 2019}).json()["items"] == []
    assert client.get("/api/v1/care/houses", {"unit": "X", "status": "nope"}).status_code == 422
    # Outside the reach, or unknown: 404; a visible unit with nothing: 200.
    assert client.get("/api/v1/care/houses", {"unit": "Y"}).status_code == 404
    assert client.get("/api/v1/care/houses", {"unit": "NOPE"}).status_code == 404
    empty = client.get("/api/v1/care/houses", {"unit": "X3"})
    assert (empty.status_code, empty.json()["items"], empty.json()["count"]) == (200, [], 0)
    everything = api(s.cast.province_officer).get("/api/v1/care/houses", {"unit": "P"}).json()
    assert everything["count"] == 3
    assert Client().get("/api/v1/care/houses", {"unit": "X"}).status_code == 401


def test_one_case(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    houses.house_contribution_add(
        actor=None, case=case, amount_vnd=20 * MILLION, date=D(2024, 3, 20), fund=s.p_fund
    )
    houses.house_contribution_add(
        actor=None, case=case, amount_vnd=5 * MILLION, date=D(2024, 3, 21), sponsor="Công ty A"
    )
    doc = documents.document_add(
        actor=None,
        house=case,
        upload=io.BytesIO(b"%PDF-1.4 x"),
        name="qd.pdf",
        caption="Quyết định",
    )
    body = api(s.cast.chair).get(f"/api/v1/care/houses/{case.pk}").json()
    assert body["contributed_vnd"] == 25 * MILLION
    assert body["circumstances"] == "Nhà tạm, dột nát"
    assert body["contributions"] == [
        {
            "date": "2024-03-20",
            "fund": "Quỹ Mái ấm Công đoàn tỉnh P",
            "sponsor": "",
            "amount_vnd": 20 * MILLION,
            "returned": False,
        },
        {
            "date": "2024-03-21",
            "fund": None,
            "sponsor": "Công ty A",
            "amount_vnd": 5 * MILLION,
            "returned": False,
        },
    ]
    assert body["documents"] == [
        {
            "id": doc.pk,
            "name": "qd.pdf",
            "content_type": "application/pdf",
            "size": 10,
            "sha256": doc.sha256,
            "caption": "Quyết định",
        },
    ]
    houses.house_cancel(actor=None, case=case, date=D(2024, 4, 1), reason="x")
    body = api(s.cast.chair).get(f"/api/v1/care/houses/{case.pk}").json()
    assert (body["status"], body["contributed_vnd"]) == ("cancelled", 5 * MILLION)
    assert [c["returned"] for c in body["contributions"]] == [True, False]
    assert api(s.cast.y_officer).get(f"/api/v1/care/houses/{case.pk}").status_code == 404
    assert api(s.cast.nobody).get(f"/api/v1/care/houses/{case.pk}").status_code == 404
    assert api(s.cast.chair).get("/api/v1/care/houses/999999").status_code == 404
