"""The `meetings` and `inspections` sections of stats, upcoming meetings and the unit panel."""

import datetime
import json

from django.core.management import call_command
from django.test import Client

from congdoan.conftest import Cast, Tree
from congdoan.meetings import inspections, queries, services
from congdoan.meetings.figures import inspections_section, meetings_section
from congdoan.meetings.inspections import InspectionData
from congdoan.members import services as member_services
from congdoan.org import hooks

from .helpers import data

D = datetime.date


def _meetings(tree: Tree) -> None:
    services.meeting_create(
        actor=None, unit=tree.P, data=data(title="Tổng kết 2024", date=D(2025, 1, 15))
    )
    services.meeting_create(
        actor=None,
        unit=tree.X,
        data=data(kind="mid_term_review", title="Sơ kết giữa nhiệm kỳ", date=D(2025, 1, 14)),
    )
    for day in (3, 4):
        services.meeting_create(
            actor=None,
            unit=tree.P,
            data=data(kind="working_session", title=f"Làm việc {day}", date=D(2025, 3, day)),
        )
    cancelled = services.meeting_create(
        actor=None, unit=tree.Y, data=data(kind="congress", title="Đại hội", date=D(2025, 5, 1))
    )
    services.meeting_cancel(actor=None, meeting=cancelled, date=D(2025, 4, 1), reason="Hoãn")
    services.meeting_create(actor=None, unit=tree.Q, data=data(date=D(2025, 1, 20)))
    services.meeting_create(
        actor=None, unit=tree.P, data=data(kind="plenary", title="Năm trước", date=D(2024, 12, 28))
    )


def test_meetings_section(tree: Tree) -> None:
    _meetings(tree)
    section = meetings_section(tree.P, D(2025, 1, 1), D(2025, 12, 31))
    assert section == {
        "from": "2025-01-01",
        "to": "2025-12-31",
        "count": 4,
        "by_kind": {
            "year_review": 1,
            "half_year_review": 0,
            "mid_term_review": 1,
            "launch": 0,
            "plenary": 0,
            "congress": 0,
            "working_session": 2,
            "other": 0,
        },
        "working_sessions": 2,
        "conferences_count": 2,
        "conferences": [
            {
                "date": "2025-01-14",
                "kind": "mid_term_review",
                "title": "Sơ kết giữa nhiệm kỳ",
                "unit": "X",
            },
            {"date": "2025-01-15", "kind": "year_review", "title": "Tổng kết 2024", "unit": "P"},
        ],
    }
    assert meetings_section(tree.X, D(2025, 1, 1), D(2025, 12, 31))["count"] == 1
    assert hooks.stats_sections["meetings"] is meetings_section


def test_inspections_section(tree: Tree) -> None:
    plan = inspections.plan_create(actor=None, unit=tree.P, year=2025, name="KH 2025")
    x_plan = inspections.plan_create(actor=None, unit=tree.X, year=2025, name="KH X")
    for p, kwargs in [
        (
            plan,
            {
                "inspected_unit": "X",
                "subjects": ["charter", "finance"],
                "state": "followed_up",
                "done_on": D(2025, 3, 2),
                "recommendations": "R",
                "followed_up_on": D(2025, 6, 1),
            },
        ),
        (
            plan,
            {
                "employer_name": "Công ty A",
                "subjects": ["labour_law", "social_insurance"],
                "state": "done",
                "done_on": D(2025, 4, 2),
                "recommendations": "R",
            },
        ),
        (plan, {"employer_name": "Công ty B", "subjects": ["union_law"]}),
        (
            x_plan,
            {
                "inspected_unit": "X1",
                "subjects": ["finance"],
                "state": "closed",
                "done_on": D(2025, 3, 2),
                "closed_on": D(2025, 3, 20),
            },
        ),
    ]:
        inspections.inspection_create(
            actor=None, plan=p, data=InspectionData(start_date=D(2025, 3, 1), **kwargs)
        )  # type: ignore[arg-type]
    assert inspections_section(tree.P, D(2025, 1, 1), D(2025, 12, 31)) == {
        "from": "2025-01-01",
        "to": "2025-12-31",
        "plans": 2,
        "planned": 4,
        "done": 3,
        "of_units": 2,
        "of_employers": 2,
        "with_recommendations": 2,
        "followed_up": 1,
        "closed": 1,
        "by_subject": {
            "charter": 1,
            "finance": 2,
            "labour_law": 1,
            "union_law": 1,
            "social_insurance": 1,
        },
    }
    assert inspections_section(tree.X, D(2025, 1, 1), D(2025, 6, 30))["planned"] == 1
    assert inspections_section(tree.P, D(2024, 1, 1), D(2024, 12, 31))["planned"] == 0


def test_stats_prints_the_sections(tree: Tree, capsys: object) -> None:
    _meetings(tree)
    call_command("stats", "--unit", "P", "--as-of", "2025-12-31", "--format", "json")
    out = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert out["meetings"]["count"] == 4
    assert out["inspections"]["planned"] == 0


def test_upcoming_meetings_the_user_can_see(tree: Tree, cast: Cast, monkeypatch: object) -> None:
    monkeypatch.setattr(member_services, "today", lambda: D(2025, 1, 15))  # type: ignore[attr-defined]
    monkeypatch.setattr(queries, "today", lambda: D(2025, 1, 15))  # type: ignore[attr-defined]
    _meetings(tree)
    seen = [(m.unit.code, m.title) for m in queries.upcoming(cast.x_officer)]
    # P's meetings are seen from below; Y's congress was cancelled; Q is elsewhere.
    assert seen == [("P", "Tổng kết 2024"), ("P", "Làm việc 3"), ("P", "Làm việc 4")]
    assert [m.title for m in queries.upcoming(cast.y_officer, limit=1)] == ["Tổng kết 2024"]
    assert queries.upcoming(cast.nobody) == []


def test_the_unit_panel(tree: Tree, cast: Cast, monkeypatch: object) -> None:
    from congdoan.meetings import panels

    monkeypatch.setattr(panels, "today", lambda: D(2025, 1, 15))  # type: ignore[attr-defined]
    _meetings(tree)
    client = Client()
    client.force_login(cast.province_officer)
    html = client.get(f"/units/{tree.P.pk}/").content.decode()
    assert "Làm việc 3" in html and "Năm trước" in html
    client.force_login(cast.viewer)
    html = client.get(f"/units/{tree.Z.pk}/").content.decode()
    assert "meetings/units" not in html
