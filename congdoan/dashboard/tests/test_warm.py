"""`manage.py warm_figures`: the top units' dashboard figures are counted ahead of the first
visit and kept."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congdoan.conftest import Tree
from congdoan.dashboard.figures import dashboard_figures
from congdoan.org.models import FiguresCache


def _warm(*args: str) -> str:
    out = io.StringIO()
    call_command("warm_figures", *args, stdout=out)
    return out.getvalue()


def _keys() -> set[str]:
    return set(FiguresCache.objects.values_list("key", flat=True))


def test_the_central_and_provincial_figures_are_kept(tree: Tree) -> None:
    assert _keys() == set()
    assert _warm().startswith("Figures of 3 units computed and kept in ")
    kept = {":".join(key.split(":")[:2]) for key in _keys()}  # area:unit
    for unit in (tree.C, tree.P, tree.Q):
        assert f"care:{unit.pk}" in kept and f"members:{unit.pk}" in kept
    assert not any(key.split(":")[1] == str(tree.X.pk) for key in _keys())
    # The first visit now reads what was kept: it counts nothing and stores nothing.
    before = FiguresCache.objects.count()
    with CaptureQueriesContext(connection) as queries:
        figures = dashboard_figures(tree.P)
    assert FiguresCache.objects.count() == before
    assert not [q for q in queries.captured_queries if "INSERT" in q["sql"] or "UPDATE" in q["sql"]]
    assert figures["unit"]["code"] == tree.P.code


def test_other_levels_and_a_past_year(tree: Tree) -> None:
    assert _warm("--levels", "upper", "--year", "2024").startswith("Figures of 3 units ")
    for unit in (tree.X, tree.Y, tree.Z):
        assert any(key.startswith(f"care:{unit.pk}:2024-01-01:") for key in _keys())


@pytest.mark.django_db
def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(CommandError, match="Unknown level"):
        _warm("--levels", "province,district")
