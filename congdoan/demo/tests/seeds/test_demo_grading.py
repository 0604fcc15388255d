"""The demo's year-end grading: seed 002's province graded its 76 CĐCS for 2021, and the
province of Lạng Sơn graded the 124 CĐCS of seed 001's district for 2020 (the first seven by
code HTXSNV, for the awards demo). Totals and grades come from the recorded scores."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command


def grading(code: str, as_of: str) -> Any:
    out = io.StringIO()
    call_command("stats", "--unit", code, "--as-of", as_of, "--format", "json", stdout=out)
    return json.loads(out.getvalue())["grading"]


@pytest.mark.django_db
def test_seed_002_province_graded_for_2021(demo: Any) -> None:
    section = grading("NT", "2021-12-31")
    ranked = section.pop("blocs")
    assert section == {
        "year": 2021,
        "grades": {"HTXSNV": 16, "HTTNV": 41, "HTNV": 15, "KHTNV": 4},
        "strong": 57,
        "graded": 76,
        "not_graded": 0,
    }
    # Ranked inside the ten blocs of the emulation demo, in their order (số 1 ... số 10).
    assert [(b["bloc"], len(b["units"])) for b in ranked] == [
        (f"Cụm thi đua số {n}", 6) for n in range(1, 11)
    ]
    assert ranked[0]["units"] == [
        {"code": "NT-003", "rank": 1, "points": 98.0, "grade": "HTXSNV"},
        {"code": "NT-002", "rank": 2, "points": 90.5, "grade": "HTXSNV"},
        {"code": "NT-004", "rank": 3, "points": 82.5, "grade": "HTTNV"},
        {"code": "NT-005", "rank": 4, "points": 78.0, "grade": "HTTNV"},
        {"code": "NT-001", "rank": 4, "points": 78.0, "grade": "HTTNV"},
        {"code": "NT-006", "rank": 6, "points": 52.0, "grade": "HTNV"},
    ]


@pytest.mark.django_db
def test_seed_001_district_graded_for_2020_in_the_tree_of_then(demo: Any) -> None:
    expected = {
        "year": 2020,
        "grades": {"HTXSNV": 22, "HTTNV": 73, "HTNV": 29, "KHTNV": 0},
        "strong": 95,
        "graded": 124,
        "not_graded": 0,
        "blocs": [],  # the district's unions are in no bloc
    }
    assert grading("LS-MS", "2020-12-31") == expected
    assert grading("LS", "2020-12-31") == expected


@pytest.mark.django_db
def test_the_first_seven_ls_ms_unions_are_htxsnv(demo: Any) -> None:
    from congdoan.grading.grades import grades_of
    from congdoan.org.models import Unit

    units = list(Unit.objects.filter(code__startswith="LS-MS-").order_by("code")[:8])
    assert grades_of([u.pk for u in units], 2020) == {
        **{u.pk: "HTXSNV" for u in units[:7]},
        units[7].pk: "HTTNV",
    }


@pytest.mark.django_db
def test_the_demo_scores_are_ones_the_services_accept(demo: Any) -> None:
    from django.db.models import Count, F, Sum

    from congdoan.grading.models import Assessment, Score, Scorecard

    cards = Scorecard.objects.annotate(t=Sum("criteria__max_tenths"), n=Count("criteria"))
    assert sorted(cards.values_list("owner__code", "year", "status", "t", "n")) == [
        ("LS", 2020, "published", 1000, 13),
        ("NT", 2021, "published", 1000, 13),
    ]
    assert Assessment.objects.filter(status="approved", is_demo=True).count() == 200
    # every approved score within its maximum, every adjustment explained
    assert not Score.objects.filter(approved_tenths__gt=F("criterion__max_tenths")).exists()
    adjusted = Score.objects.exclude(approved_tenths=F("self_tenths"))
    assert (
        adjusted.count() == 13 + 23
    )  # every sixth NT union, every fifth LS-MS one after the seventh
    assert not adjusted.filter(comment="").exists()
    capped = Assessment.objects.get(unit__code="NT-017", year=2021)
    assert (capped.approved_total_tenths, capped.score_grade, capped.grade, capped.cap) == (
        770, "HTTNV", "HTNV", "HTNV",
    )  # fmt: skip
