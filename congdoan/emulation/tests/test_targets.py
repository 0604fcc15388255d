"""Targets: new-member targets are members' MemberTarget (one source of truth) and their
achieved value is the members' own admitted figure; care indicators come from the care
figures; typed-in indicators sum what the subtree's units typed; blocs sum their units."""

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.emulation import blocs, indicators, targets
from congdoan.emulation.models import Target
from congdoan.members.figures import member_figures
from congdoan.members.models import MemberTarget

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def admit(unit: Any, n: int, day: datetime.date, prefix: str = "Người") -> None:
    for i in range(n):
        make_member(unit, f"{prefix} Số {unit.code}{i}", admit_on=day)


def test_the_registry_has_the_built_in_indicators() -> None:
    assert {"members_admitted", "people_supported", "support_vnd", "funds_raised_vnd"} <= set(
        indicators.registry
    )


def test_new_member_targets_are_members_own(tree: Tree, cast: Cast) -> None:
    admit(tree.X1, 5, D(2021, 3, 1))
    admit(tree.X2, 2, D(2021, 5, 1))
    admit(tree.X2, 1, D(2020, 5, 1), "Cũ")
    ref = targets.indicator_ref(tree.X1, "members_admitted")
    targets.target_set(actor=cast.x_officer, unit=tree.X1, year=2021, ref=ref, value=4)
    targets.target_set(actor=cast.x_officer, unit=tree.X2, year=2021, ref=ref, value=4)
    targets.target_set(actor=cast.province_officer, unit=tree.X, year=2021, ref=ref, value=10)
    assert MemberTarget.objects.get(unit=tree.X1, year=2021).new_members == 4
    assert not Target.objects.exists()
    assert AuditEvent.objects.filter(action="target.set").count() == 3
    # The members' own figure for the year, and ours, agree.
    assert member_figures(tree.X, D(2021, 12, 31), {})["new_members_year"] == 7
    [row] = targets.target_rows(tree.X, 2021)
    assert (row["achieved"], row["target"], row["percent"], row["phrase"]) == (
        7,
        10,
        70,
        "reached 70%",
    )
    [x1] = targets.target_rows(tree.X1, 2021)
    assert (x1["achieved"], x1["phrase"]) == (5, "exceeded by 25%")
    # A target is assigned from above: X's officer cannot set X's own, X1's chair not X1's.
    with pytest.raises(Http404):
        targets.target_set(actor=cast.x_officer, unit=tree.X, year=2021, ref=ref, value=1)
    with pytest.raises(Http404):
        targets.target_set(actor=cast.chair, unit=tree.X1, year=2021, ref=ref, value=1)
    with pytest.raises(ServiceError, match="cannot be negative"):
        targets.target_set(actor=None, unit=tree.X1, year=2021, ref=ref, value=-1)
    with pytest.raises(ServiceError, match="must be a whole number"):
        targets.target_set(actor=None, unit=tree.X1, year=2021, ref=ref, value=2.5)


def test_the_current_year_reads_the_tallies(tree: Tree) -> None:
    from congdoan.members.services import today

    year = today().year
    admit(tree.Y1, 3, D(year, 1, 1))
    ref = targets.indicator_ref(tree.Y, "members_admitted")
    targets.target_set(actor=None, unit=tree.Y, year=year, ref=ref, value=2)
    [row] = targets.target_rows(tree.Y, year)
    assert (row["achieved"], row["phrase"]) == (3, "exceeded by 50%")


def test_typed_in_indicators_and_bloc_totals(tree: Tree, cast: Cast) -> None:
    agreements = targets.indicator_create(
        actor=cast.province_officer,
        owner=tree.P,
        key="thoa_uoc",
        name="Thỏa ước ký mới",
        measure="bản",
    )
    with pytest.raises(ServiceError, match="The key “thoa_uoc” is already used"):
        targets.indicator_create(actor=None, owner=tree.P, key="thoa_uoc", name="x")
    ref = targets.indicator_ref(tree.X1, f"i{agreements.pk}")
    assert ref.label == "Thỏa ước ký mới" and not ref.computed
    with pytest.raises(ServiceError, match="Choose an indicator from the list"):
        targets.indicator_ref(tree.Q1, f"i{agreements.pk}")  # defined by P, not above Q1
    targets.target_set(actor=None, unit=tree.X, year=2021, ref=ref, value=4)
    targets.target_set(actor=None, unit=tree.Y, year=2021, ref=ref, value=2)
    targets.achievement_set(actor=cast.chair, unit=tree.X1, year=2021, ref=ref, value=2)
    targets.achievement_set(actor=None, unit=tree.X1T, year=2021, ref=ref, value=1)
    targets.achievement_set(actor=None, unit=tree.X2, year=2021, ref=ref, value=2)
    targets.achievement_set(actor=None, unit=tree.Y1, year=2021, ref=ref, value=2, note="xong")
    targets.achievement_set(actor=None, unit=tree.Y1, year=2022, ref=ref, value=9)
    with pytest.raises(Http404):
        targets.achievement_set(actor=cast.chair, unit=tree.X2, year=2021, ref=ref, value=1)
    members_ref = targets.indicator_ref(tree.X1, "members_admitted")
    with pytest.raises(ServiceError, match="is counted by the system"):
        targets.achievement_set(actor=None, unit=tree.X1, year=2021, ref=members_ref, value=3)
    [x] = targets.target_rows(tree.X, 2021)
    assert (x["achieved"], x["target"], x["phrase"]) == (5, 4, "exceeded by 25%")
    assert targets.achieved_many([tree.X1, tree.X2, tree.Y], 2021, ref) == {
        tree.X1.pk: 3,
        tree.X2.pk: 2,
        tree.Y.pk: 2,
    }
    bloc = blocs.bloc_create(
        actor=None,
        owner=tree.P,
        year=2021,
        name="Khối huyện",
        units=[tree.X, tree.Y],
        leader=tree.X,
    )
    [total] = targets.bloc_target_rows(bloc)
    assert (total["achieved"], total["target"], total["phrase"]) == (7, 6, "exceeded by 16%")
    assert [(u["unit"].code, u["achieved"], u["target"]) for u in total["units"]] == [
        ("X", 5, 4),
        ("Y", 2, 2),
    ]


def test_care_indicators_come_from_the_care_figures(tree: Tree) -> None:
    """Real paid support in 2025 (the care figures' own data set): X's subtree paid 5 acts
    to 4 people, 7,000,000 đồng in all; unpaid, reversed, out-of-period and out-of-subtree
    rows do not count."""
    from congdoan.care.tests.test_figures import make_data

    make_data(tree)
    people = targets.indicator_ref(tree.X, "people_supported")
    money = targets.indicator_ref(tree.X, "support_vnd")
    assert people.computed and money.computed
    targets.target_set(actor=None, unit=tree.X, year=2025, ref=people, value=5)
    targets.target_set(actor=None, unit=tree.X, year=2025, ref=money, value=5_000_000)
    targets.target_set(actor=None, unit=tree.X1, year=2025, ref=money, value=5_000_000)
    rows = {r["key"]: r for r in targets.target_rows(tree.X, 2025)}
    assert (rows["people_supported"]["achieved"], rows["people_supported"]["phrase"]) == (
        4,
        "reached 80%",
    )
    assert (rows["support_vnd"]["achieved"], rows["support_vnd"]["phrase"]) == (
        7_000_000,
        "exceeded by 40%",
    )
    # X1 alone: the Tết gift (500,000 cash + 300,000 in kind) and a worker's Covid support
    # (1,500,000 cash + a 200,000 voucher).
    [x1] = targets.target_rows(tree.X1, 2025)
    assert (x1["achieved"], x1["percent"], x1["phrase"]) == (2_500_000, 50, "reached 50%")
    # Money raised for the funds: X's units' donations less their reversals in 2025.
    raised = targets.indicator_ref(tree.X, "funds_raised_vnd")
    targets.target_set(actor=None, unit=tree.X, year=2025, ref=raised, value=10_000_000)
    row = {r["key"]: r for r in targets.target_rows(tree.X, 2025)}["funds_raised_vnd"]
    assert (row["achieved"], row["phrase"]) == (7_900_000, "reached 79%")
    # Nothing paid in 2024 in X's subtree but a 9-đồng row on 31/12/2024.
    assert targets.achieved_many([tree.X, tree.Y], 2024, money) == {tree.X.pk: 9, tree.Y.pk: 0}


def test_the_targets_page_and_grid(tree: Tree, cast: Cast) -> None:
    admit(tree.X1, 3, D(2021, 3, 1))
    x = login(cast.x_officer)
    page = x.get(reverse("emulation_targets", args=[tree.X1.pk]), {"year": 2021})
    assert "Assign a target" in page.content.decode()
    x.post(
        reverse("emulation_targets", args=[tree.X1.pk]) + "?year=2021",
        {"action": "target", "t-indicator": "members_admitted", "t-value": "2"},
    )
    assert MemberTarget.objects.get(unit=tree.X1, year=2021).new_members == 2
    bad = x.post(
        reverse("emulation_targets", args=[tree.X1.pk]) + "?year=2021",
        {"action": "target", "t-indicator": "members_admitted", "t-value": "-4"},
    )
    assert "The value cannot be negative." in bad.content.decode()
    shown = x.get(reverse("emulation_targets", args=[tree.X1.pk]), {"year": 2021}).content.decode()
    assert "exceeded by 50%" in shown
    # The grassroots chair reads its targets but cannot assign them.
    chair = login(cast.chair)
    assert (
        "Assign a target"
        not in chair.get(reverse("emulation_targets", args=[tree.X1.pk])).content.decode()
    )
    assert (
        chair.post(
            reverse("emulation_targets", args=[tree.X1.pk]),
            {"action": "target", "t-indicator": "members_admitted", "t-value": "9"},
        ).status_code
        == 404
    )
    grid = reverse("targets_grid", args=[tree.X.pk])
    response = x.post(
        grid + "?indicator=members_admitted&year=2021",
        {f"u{tree.X2.pk}": "1.000", f"u{tree.X3.pk}": "abc"},
    )
    assert "The value must be a whole number." in response.content.decode()
    assert not MemberTarget.objects.filter(unit=tree.X2).exists()  # all or nothing
    x.post(
        grid + "?indicator=members_admitted&year=2021",
        {f"u{tree.X2.pk}": "1.000", f"u{tree.X3.pk}": "5"},
    )
    assert dict(
        MemberTarget.objects.filter(year=2021).values_list("unit__code", "new_members")
    ) == {"X1": 2, "X2": 1000, "X3": 5}
    body = x.get(grid, {"indicator": "members_admitted", "year": 2021}).content.decode()
    assert "exceeded by 50%" in body and "1.007" in body
    assert login(cast.viewer).post(grid, {f"u{tree.X2.pk}": "1"}).status_code == 404


def test_the_targets_page_does_not_query_per_row(
    tree: Tree, cast: Cast, django_assert_num_queries: Any
) -> None:
    ind = targets.indicator_create(actor=None, owner=tree.P, key="k", name="K")
    ref = targets.indicator_ref(tree.X, f"i{ind.pk}")
    for unit in (tree.X1, tree.X2, tree.X3):
        targets.target_set(actor=None, unit=unit, year=2021, ref=ref, value=3)
        targets.achievement_set(actor=None, unit=unit, year=2021, ref=ref, value=1)
    client = login(cast.x_officer)
    url = reverse("targets_grid", args=[tree.X.pk])
    args = {"indicator": f"i{ind.pk}", "year": 2021}
    assert client.get(url, args).status_code == 200
    # session, user, roles, unit, the indicators (choices, then the one chosen), children,
    # targets (members' and others), achievements: the same for 3 units or 300
    with django_assert_num_queries(10):
        client.get(url, args)
