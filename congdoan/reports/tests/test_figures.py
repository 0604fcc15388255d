"""Gathering a report's figures: exact values for a subtree and period, the previous period,
provisional periods, the sub-units' rows, and a JSON-able result."""

import datetime
import json

from django.utils import translation

from congdoan.reports import figures
from congdoan.reports.periods import custom, make

from .conftest import Year

D = datetime.date


def test_a_year_of_a_district(year: Year) -> None:
    d = figures.collect(year.tree.X, D(2024, 1, 1), D(2024, 12, 31))
    assert json.loads(json.dumps(d)) == d
    assert d["unit"] == {
        "id": year.tree.X.pk,
        "code": "X",
        "name": "Unit X",
        "short_name": "Unit X",
        "kind": "district_federation",
        "level": "upper",
        "superior": "Unit P",
        "superior_kind": "provincial_federation",
        "province": "Unit P",
    }
    assert d["period"] == {
        "kind": "year",
        "from": "2024-01-01",
        "to": "2024-12-31",
        "year": 2024,
        "half": None,
    }
    assert (d["as_of"], d["provisional"]) == ("2024-12-31", False)
    org = d["org"]
    assert (org["grassroots_units"], org["members"], org["female_members"]) == (3, 3, 2)
    assert (org["party_members"], org["new_members_year"], org["workforce"]) == (1, 1, 157)
    care = d["sections"]["care"]
    assert (care["people_supported"], care["support_acts"], care["support_vnd"]) == (
        2,
        2,
        2_500_000,
    )
    assert [p["name"] for p in care["by_programme"]] == ["Tết Sum vầy 2024"]
    assert set(d["sections"]) >= {"care", "emulation", "grading", "initiatives", "awards"}
    # The same period a year earlier: Minh was not a member yet, nothing was paid.
    prev = d["previous"]
    assert (prev["as_of"], prev["org"]["members"]) == ("2023-12-31", 2)
    assert prev["sections"]["care"]["support_acts"] == 0


def test_the_whole_province_counts_once(year: Year) -> None:
    d = figures.collect_period(year.tree.P, make(2024))
    assert (d["org"]["members"], d["sections"]["care"]["people_supported"]) == (3, 2)
    assert d["unit"]["superior"] == "Unit C"


def test_a_period_not_ended_is_provisional_and_counted_to_today(year: Year) -> None:
    today = datetime.date.today()
    d = figures.collect_period(year.tree.X, make(today.year))
    assert d["provisional"] is True
    assert d["as_of"] == today.isoformat()
    assert d["previous"]["as_of"] == D(today.year - 1, 12, 31).isoformat()


def test_halves_and_ranges_compare_with_the_same_period_a_year_before(year: Year) -> None:
    d = figures.collect_period(year.tree.X, make(2024, 1))
    assert (d["period"]["kind"], d["as_of"], d["previous"]["as_of"]) == (
        "half",
        "2024-06-30",
        "2023-06-30",
    )
    d = figures.collect(year.tree.X, D(2024, 1, 20), D(2024, 1, 20))
    assert (d["period"]["kind"], d["sections"]["care"]["support_vnd"]) == ("custom", 1_000_000)
    assert d["previous"]["period"]["from"] == "2023-01-20"
    assert custom(D(2024, 7, 1), D(2024, 12, 31)) == make(2024, 2)


def test_strings_are_stored_in_vietnamese_whatever_the_language(year: Year) -> None:
    with translation.override("en"):
        d = figures.collect_period(year.tree.X, make(2024))
    assert translation.get_language() == "en"
    assert d["unit"]["name"] == "Unit X"


def test_each_direct_sub_unit_with_the_same_figures(year: Year) -> None:
    rows = figures.child_figures(year.tree.X, make(2024))
    assert [
        (r["code"], r["org"]["members"], r["sections"]["care"]["support_vnd"]) for r in rows
    ] == [
        ("X1", 2, 2_500_000),
        ("X2", 1, 0),
        ("X3", 0, 0),
    ]
