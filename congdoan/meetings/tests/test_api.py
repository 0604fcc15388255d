"""The meetings API: a unit's meetings and inspections, one of each; 404 outside the reach."""

import datetime
from typing import Any

from django.test import Client

from congdoan.conftest import Cast, Tree
from congdoan.core.tokens import api_token_create
from congdoan.meetings import inspections, services
from congdoan.meetings.inspections import InspectionData
from congdoan.meetings.services import GuestLine

from .helpers import data, decision

D = datetime.date


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_endpoints_are_these() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert {p for p in schema["paths"] if p.startswith("/api/v1/meetings")} == {
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/inspections",
        "/api/v1/meetings/inspections/{inspection_id}",
    }


def test_meetings_of_a_unit_and_one_meeting(tree: Tree, cast: Cast) -> None:
    given = decision(tree.X, "9/QĐ", awards=[tree.X1])
    one = services.meeting_create(
        actor=None,
        unit=tree.X,
        data=data(
            parts=["launch"],
            start_time=datetime.time(8),
            guests=[GuestLine("Trần Khách", "Chủ tịch")],
            agenda=["Báo cáo"],
            represented=["X1"],
            decision_ids=[given.pk],
            congress_term="2023-2028",
        ),
    )
    services.meeting_create(
        actor=None, unit=tree.X1, data=data(kind="other", title="Họp X1", date=D(2024, 3, 1))
    )
    client = api(cast.x_officer)
    body = client.get("/api/v1/meetings", {"unit": "X"}).json()
    assert (body["unit"], body["count"]) == ("X", 2)
    assert body["items"][0] == {
        "id": one.pk,
        "unit_code": "X",
        "kind": "year_review",
        "parts": ["launch"],
        "title": "Hội nghị tổng kết năm 2024",
        "date": "2025-01-15",
        "start_time": "08:00:00",
        "end_date": None,
        "end_time": None,
        "place": "",
        "status": "scheduled",
    }
    assert client.get("/api/v1/meetings", {"unit": "X", "year": 2024}).json()["count"] == 1
    assert client.get("/api/v1/meetings", {"unit": "X", "kind": "other"}).json()["count"] == 1
    assert client.get("/api/v1/meetings", {"unit": "X", "kind": "party"}).status_code == 422
    detail = client.get(f"/api/v1/meetings/{one.pk}").json()
    assert (
        detail["guests"],
        detail["agenda"],
        detail["units_represented"],
        detail["decisions"],
        detail["congress_term"],
    ) == (
        [{"name": "Trần Khách", "title": "Chủ tịch", "organisation": ""}],
        ["Báo cáo"],
        ["X1"],
        ["9/QĐ"],
        "2023-2028",
    )
    outsider = api(cast.y_officer)
    assert outsider.get(f"/api/v1/meetings/{one.pk}").status_code == 404
    assert outsider.get("/api/v1/meetings", {"unit": "X"}).status_code == 404


def test_inspections_of_a_unit(tree: Tree, cast: Cast) -> None:
    plan = inspections.plan_create(actor=None, unit=tree.X, year=2024, name="KH 2024")
    one = inspections.inspection_create(
        actor=None,
        plan=plan,
        data=InspectionData(
            start_date=D(2024, 5, 10), subjects=["finance", "charter"], inspected_unit="X1"
        ),
    )
    client = api(cast.x_officer)
    body = client.get("/api/v1/meetings/inspections", {"unit": "X", "year": 2024}).json()
    assert (body["unit"], body["count"]) == ("X", 1)
    assert body["items"][0] | {} == {
        "id": one.pk,
        "unit_code": "X",
        "plan": "KH 2024",
        "year": 2024,
        "mode": "inspection",
        "inspected_unit": "X1",
        "employer_name": "",
        "employer_tax_code": "",
        "subjects": ["charter", "finance"],
        "start_date": "2024-05-10",
        "end_date": None,
        "state": "planned",
        "done_on": None,
        "followed_up_on": None,
        "closed_on": None,
        "findings": "",
        "recommendations": "",
    }
    assert client.get(f"/api/v1/meetings/inspections/{one.pk}").json()["plan"] == "KH 2024"
    outsider = api(cast.y_officer)
    assert outsider.get(f"/api/v1/meetings/inspections/{one.pk}").status_code == 404
    assert outsider.get("/api/v1/meetings/inspections", {"unit": "X"}).status_code == 404
    assert api(cast.chair).get(f"/api/v1/meetings/inspections/{one.pk}").status_code == 404
