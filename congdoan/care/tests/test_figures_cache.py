"""Care figures are cached per unit and period until a care write in the unit's province, or
a change of the tree, makes them stale."""

import datetime
from typing import Any

import pytest

from congdoan.care import funds
from congdoan.care.figures import care_figures, care_figures_cached
from congdoan.care.models import EntryKind, Fund
from congdoan.conftest import Tree
from congdoan.org import services
from congdoan.org.models import FiguresCache

from .test_figures import END, START, Data, make_data

D = datetime.date


@pytest.fixture
def data(tree: Tree) -> Data:
    return make_data(tree)


def donate(fund_name: str, unit: Any, amount: int) -> None:
    funds.entry_record(
        actor=None,
        fund=Fund.objects.get(name=fund_name),
        kind=EntryKind.DONATION,
        amount_vnd=amount,
        date=D(2025, 3, 1),
        source_unit=unit,
    )


def test_a_second_read_comes_from_the_cache_in_three_queries(
    tree: Tree, data: Data, django_assert_num_queries: Any
) -> None:
    first = care_figures_cached(tree.P, START, END)
    assert first == care_figures(tree.P, START, END)
    with django_assert_num_queries(3):  # the tree's stamp, care's stamps, the stored figures
        assert care_figures_cached(tree.P, START, END) == first
    assert FiguresCache.objects.filter(key__startswith=f"care:{tree.P.pk}:").count() == 1


def test_a_care_write_makes_the_figures_of_its_province_stale(
    tree: Tree, data: Data, django_assert_num_queries: Any
) -> None:
    before = care_figures_cached(tree.P, START, END)["donations_vnd"]
    care_figures_cached(tree.Q, START, END)
    donate("Quỹ xã hội", tree.X1, 5_000)
    assert care_figures_cached(tree.P, START, END)["donations_vnd"] == before + 5_000
    assert (
        care_figures_cached(tree.X, START, END)["donations_vnd"]
        == (care_figures(tree.X, START, END)["donations_vnd"])
    )
    # Province Q was not touched: its figures still come from the cache.
    with django_assert_num_queries(3):
        care_figures_cached(tree.Q, START, END)


def test_the_whole_country_is_stale_after_any_care_write(tree: Tree, data: Data) -> None:
    before = care_figures_cached(tree.C, START, END)["donations_vnd"]
    donate("Quỹ xã hội", tree.Y1, 7_000)
    assert care_figures_cached(tree.C, START, END)["donations_vnd"] == before + 7_000


def test_a_move_makes_every_subtree_stale(tree: Tree, data: Data) -> None:
    x_before = care_figures_cached(tree.X, START, END)
    y_before = care_figures_cached(tree.Y, START, END)
    assert x_before["support_acts"] > 0
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2025, 6, 1), decision_ref="1"
    )
    tree.refresh()
    assert care_figures_cached(tree.X, START, END) == care_figures(tree.X, START, END)
    assert care_figures_cached(tree.Y, START, END) == care_figures(tree.Y, START, END)
    assert care_figures_cached(tree.Y, START, END) != y_before


def test_a_past_year_is_counted_with_the_tree_as_it_stood(tree: Tree, data: Data) -> None:
    """X1 moves to Y in 2026: X's 2025 figures still count X1's support, Y's do not."""
    x_2025 = care_figures(tree.X, START, END)
    y_2025 = care_figures(tree.Y, START, END)
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2026, 1, 1), decision_ref="2"
    )
    tree.refresh()
    assert care_figures(tree.X, START, END) == x_2025
    assert care_figures(tree.Y, START, END) == y_2025
    assert care_figures_cached(tree.X, START, END) == x_2025
