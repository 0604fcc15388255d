"""The figures: the `initiatives` section of `stats`, a programme's progress by unit, the
indicator emulation targets use, and the panels of the unit and member pages."""

import datetime

from django.test import Client
from django.urls import reverse

from congdoan.emulation import indicators
from congdoan.initiatives import queries, services
from congdoan.initiatives.queries import initiatives_section
from congdoan.org import hooks

from .setup import Setup, record, scene

D = datetime.date
__all__ = ["scene"]


def _several(s: Setup) -> None:
    """X1: 3 (one recognised, one not), X2: 1, Y1: 1, X itself: 1; one outside the period."""
    a = record(s, title="A", submitted_on=D(2024, 2, 1), value_vnd=10_000_000)
    b = record(s, title="B", submitted_on=D(2024, 3, 1), value_vnd=5_000_000)
    record(s, title="C", submitted_on=D(2024, 11, 30), value_vnd=0)
    record(s, unit=s.tree.X2, authors=[(s.minh, None)], title="D", submitted_on=D(2024, 5, 1),
           value_vnd=1_000_000)  # fmt: skip
    record(s, unit=s.tree.Y1, authors=[(s.nam, None)], title="E", submitted_on=D(2024, 6, 1),
           value_vnd=2_000_000)  # fmt: skip
    record(s, unit=s.tree.X, authors=[(s.lan, None)], title="F", submitted_on=D(2024, 7, 1),
           value_vnd=3_000_000)  # fmt: skip
    record(s, title="G", submitted_on=D(2025, 2, 1), value_vnd=7_000_000)  # next year
    services.initiative_decide(actor=None, initiative=a, recognised=True,
                               decided_on=D(2024, 3, 1), decision_ref="1/QĐ")  # fmt: skip
    services.initiative_decide(actor=None, initiative=b, recognised=False,
                               decided_on=D(2025, 1, 10), comment="Chưa hiệu quả")  # fmt: skip
    services.initiative_portal(actor=None, initiative=a, uploaded=True, uploaded_on=D(2024, 4, 1))


def test_stats_section(scene: Setup, django_assert_num_queries: object) -> None:
    s = scene
    _several(s)
    assert hooks.stats_sections["initiatives"] is initiatives_section
    # Two for the figures, three to find P's subtree as it stood at the end of 2024.
    with django_assert_num_queries(5):  # type: ignore[operator]
        p = initiatives_section(s.tree.P, D(2024, 1, 1), D(2024, 12, 31))
    assert p == {
        "from": "2024-01-01", "to": "2024-12-31", "submitted": 6, "recognised": 1, "target": 10,
        "target_pct": 60, "target_phrase": "reached 60%", "not_recognised": 0, "on_portal": 1,
        "value_vnd": 21_000_000, "recognised_value_vnd": 10_000_000,
    }  # fmt: skip
    x = initiatives_section(s.tree.X, D(2024, 1, 1), D(2025, 12, 31))
    assert (x["submitted"], x["recognised"], x["not_recognised"], x["target"]) == (6, 1, 1, 6)
    assert x["target_phrase"] == "reached 100%"
    x1 = initiatives_section(s.tree.X1, D(2024, 1, 1), D(2024, 12, 31))
    got = (x1["submitted"], x1["target"], x1["target_pct"], x1["target_phrase"])
    assert got == (3, 0, None, "")
    # a period outside every programme has no target
    assert initiatives_section(s.tree.P, D(2023, 1, 1), D(2023, 12, 31))["target"] == 0
    record(s, unit=s.tree.Y1, authors=[(s.nam, None)], title="H", submitted_on=D(2024, 8, 1))
    record(s, unit=s.tree.Y1, authors=[(s.nam, None)], title="I", submitted_on=D(2024, 9, 1))
    y = initiatives_section(s.tree.Y, D(2024, 1, 1), D(2024, 12, 31))
    assert (y["submitted"], y["target"], y["target_phrase"]) == (3, 4, "reached 75%")
    services.targets_set(actor=None, programme=s.programme, targets={s.tree.Y.pk: 2})
    y = initiatives_section(s.tree.Y, D(2024, 1, 1), D(2024, 12, 31))
    assert (y["target_pct"], y["target_phrase"]) == (150, "exceeded by 50%")


def test_indicator_is_registered(scene: Setup) -> None:
    s = scene
    _several(s)
    indicator = indicators.registry["initiatives"]
    assert indicator.compute is not None
    assert indicator.compute(s.tree.P, D(2024, 1, 1), D(2024, 12, 31)) == 6
    assert indicator.compute(s.tree.X1, D(2024, 1, 1), D(2025, 12, 31)) == 4
    assert indicator.compute(s.tree.Q, D(2024, 1, 1), D(2025, 12, 31)) == 0


def test_progress_by_unit(scene: Setup, django_assert_num_queries: object) -> None:
    s = scene
    _several(s)
    with django_assert_num_queries(3):  # type: ignore[operator]
        rows = queries.progress(s.programme, s.tree.P)
    got = [(r.unit.code, r.submitted, r.recognised, r.not_recognised, r.value_vnd, r.target,
            r.phrase) for r in rows]  # fmt: skip
    assert got == [
        ("P", 7, 1, 1, 28_000_000, 10, "reached 70%"),
        ("X", 6, 1, 1, 26_000_000, 6, "reached 100%"),
        ("Y", 1, 0, 0, 2_000_000, 4, "reached 25%"),
        ("Z", 0, 0, 0, 0, 0, ""),
    ]
    rows = queries.progress(s.programme, s.tree.X)
    assert [(r.unit.code, r.submitted, r.is_total) for r in rows] == [
        ("X", 6, True),
        ("X1", 4, False),
        ("X2", 1, False),
        ("X3", 0, False),
        ("X", 1, False),
    ]


def test_unit_and_member_panels(scene: Setup, django_assert_max_num_queries: object) -> None:
    s = scene
    _several(s)
    client = Client()
    client.force_login(s.cast.province_officer)
    body = client.get(reverse("unit_detail", args=[s.tree.X.pk])).content.decode()
    assert "1 triệu sáng kiến" in body and "Initiatives" in body
    body = client.get(reverse("member_detail", args=[s.hoa.pk])).content.decode()
    for title in ("A", "B", "C", "G"):
        assert f">{title}</a>" in body
    assert ">D</a>" not in body
    # the panels themselves: two queries and one
    from django.test import RequestFactory

    from congdoan.initiatives.panels import member_panel, unit_panel

    request = RequestFactory().get("/")
    request.user = s.cast.superuser
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        html = unit_panel(request, s.tree.Q1)
    assert html == ""
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        assert member_panel(request, s.outsider) == ""
