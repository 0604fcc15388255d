"""The stable command-line interfaces: `units` and `stats` print JSON with fixed keys."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congdoan.conftest import Tree
from congdoan.org import services

D = __import__("datetime").date


def run(*args: str) -> Any:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


ORG_KEYS = ("unit", "as_of", "child_units", "grassroots_units", "workforce")


def org_part(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: figures[k] for k in ORG_KEYS}


def test_units_of_a_subtree(tree: Tree) -> None:
    rows = run("units", "--under", "X", "--format", "json")
    assert rows == [
        {
            "code": "X",
            "name": "Unit X",
            "level": "upper",
            "kind": "district_federation",
            "parent_code": "P",
            "status": "active",
        },
        {
            "code": "X1",
            "name": "Unit X1",
            "level": "grassroots",
            "kind": "enterprise",
            "parent_code": "X",
            "status": "active",
        },
        {
            "code": "X1T",
            "name": "Unit X1T",
            "level": "subunit",
            "kind": "group",
            "parent_code": "X1",
            "status": "active",
        },
        {
            "code": "X2",
            "name": "Unit X2",
            "level": "grassroots",
            "kind": "enterprise",
            "parent_code": "X",
            "status": "active",
        },
        {
            "code": "X3",
            "name": "Unit X3",
            "level": "grassroots",
            "kind": "agency",
            "parent_code": "X",
            "status": "active",
        },
    ]
    assert len(run("units", "--format", "json")) == 13  # type: ignore[arg-type]


def test_stats_now_and_as_of(tree: Tree) -> None:
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2025, 7, 1), decision_ref="1"
    )
    assert org_part(run("stats", "--unit", "X", "--as-of", "2024-12-31", "--format", "json")) == {
        "unit": "X",
        "as_of": "2024-12-31",
        "child_units": 3,
        "grassroots_units": 3,
        "workforce": 157,
    }
    now = org_part(run("stats", "--unit", "X", "--format", "json"))
    assert now == {
        "unit": "X",
        "as_of": services.today().isoformat(),
        "child_units": 2,
        "grassroots_units": 2,
        "workforce": 57,
    }


def test_stats_bad_input(tree: Tree) -> None:
    with pytest.raises(CommandError, match="No unit with code NOPE"):
        run("stats", "--unit", "NOPE")
    with pytest.raises(CommandError, match="is not a date"):
        run("stats", "--unit", "X", "--as-of", "31-31-2020")


def test_stats_period_from(tree: Tree) -> None:
    """`--from` opens the period of the sections higher layers add (care, ...): by default 1
    January of the as-of year; the figures on the as-of date keep their meaning."""
    plain = run("stats", "--unit", "X", "--as-of", "2024-12-31", "--format", "json")
    dated = run(
        "stats", "--unit", "X", "--as-of", "2024-12-31", "--from", "2024-07-01", "--format", "json"
    )
    assert org_part(dated) == org_part(plain)
    assert (plain["care"]["from"], plain["care"]["to"]) == ("2024-01-01", "2024-12-31")
    assert (dated["care"]["from"], dated["care"]["to"]) == ("2024-07-01", "2024-12-31")
    assert dated["care"]["people_supported"] == 0
    assert dated["care"]["by_programme"] == []
    same_day = run("stats", "--unit", "X", "--as-of", "2024-03-05", "--from", "05/03/2024")
    assert (same_day["care"]["from"], same_day["care"]["to"]) == ("2024-03-05", "2024-03-05")
    now = run("stats", "--unit", "X")
    assert now["care"]["from"] == services.today().replace(month=1, day=1).isoformat()


def test_stats_period_bad_input(tree: Tree) -> None:
    with pytest.raises(CommandError, match="--from 2025-01-01 is after the as-of date 2024-12-31"):
        run("stats", "--unit", "X", "--as-of", "2024-12-31", "--from", "2025-01-01")
    with pytest.raises(CommandError, match="is not a date"):
        run("stats", "--unit", "X", "--from", "2024-13-01")
