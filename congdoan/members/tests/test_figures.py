"""Member figures: exact values as of dates, and the maintained tallies always equal a recount
and the history, whatever sequence of changes came before."""

import datetime
import random

import pytest

from congdoan.conftest import Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.members import services, tally
from congdoan.members.figures import member_figures
from congdoan.members.models import EventKind, Member, MemberStatus, SubtreeTally, YearTally
from congdoan.org import queries
from congdoan.org import services as org_services
from congdoan.org.models import Unit

D = datetime.date
TODAY = services.today()
KEYS = (
    "members",
    "female_members",
    "party_members",
    "kinh_members",
    "minority_members",
    "age_under_30",
    "age_30_45",
    "age_over_45",
    "new_members_year",
    "left_members_year",
    "transferred_in_year",
    "transferred_out_year",
)


def fig(unit: Unit, day: datetime.date = TODAY) -> dict:  # type: ignore[type-arg]
    return queries.unit_figures(unit, day)


def test_figures_as_of_dates(tree: Tree) -> None:
    a = make_member(
        tree.X1, "Nguyễn Thị An", birth=D(1990, 5, 1), admit_on=D(2015, 3, 1), party=True
    )
    make_member(
        tree.X1,
        "Trần Văn Bình",
        sex="male",
        birth=D(1970, 1, 1),
        admit_on=D(2010, 1, 1),
        ethnicity="07",
    )
    c = make_member(tree.X2, "Lê Thị Chi", birth=D(2000, 2, 2), admit_on=D(2020, 6, 1))
    make_member(tree.Y1, "Phạm Văn Dũng", sex="male", admit_on=None)
    services.member_leave(actor=None, member=a, kind=EventKind.SUSPENDED, date=D(2021, 7, 1))
    t = services.transfer_request(actor=None, member=c, to_unit=tree.Y1, date=D(2022, 2, 1))
    services.transfer_decide(actor=None, transfer=t, accept=True)

    f2020 = fig(tree.X, D(2020, 12, 31))
    assert {k: f2020[k] for k in KEYS} == {
        "members": 3,
        "female_members": 2,
        "party_members": 1,
        "kinh_members": 2,
        "minority_members": 1,
        "age_under_30": 1,
        "age_30_45": 1,
        "age_over_45": 1,
        "new_members_year": 1,
        "left_members_year": 0,
        "transferred_in_year": 0,
        "transferred_out_year": 0,
    }
    f2022 = fig(tree.X, D(2022, 12, 31))
    assert (f2022["members"], f2022["transferred_out_year"]) == (1, 1)
    assert fig(tree.Y, D(2022, 12, 31))["transferred_in_year"] == 1
    assert fig(tree.P, D(2022, 12, 31))["transferred_in_year"] == 0  # inside the province
    assert fig(tree.X, D(2021, 12, 31))["left_members_year"] == 1
    now = fig(tree.P)
    assert (now["members"], now["workers_not_members"], now["female_members"]) == (2, 1, 1)
    assert now["unionised_pct"] == round(100 * 2 / 207, 1)


def test_new_members_against_the_target(tree: Tree) -> None:
    services.target_set(actor=None, unit=tree.X, year=2020, new_members=4)
    for i in range(5):
        make_member(tree.X1, f"Người Số {i}", admit_on=D(2020, 3, i + 1))
    f = fig(tree.X, D(2020, 12, 31))
    assert (f["new_members_year"], f["new_members_target"], f["new_members_target_pct"]) == (
        5,
        4,
        125.0,
    )


def test_stats_command_keys(tree: Tree) -> None:
    import io
    import json

    from django.core.management import call_command

    make_member(tree.X1, "Nguyễn Thị An", admit_on=D(2015, 3, 1))
    out = io.StringIO()
    call_command("stats", "--unit", "X", "--as-of", "2020-12-31", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    for key in (
        "unit",
        "as_of",
        "grassroots_units",
        "members",
        "female_members",
        "party_members",
        "new_members_year",
        "left_members_year",
        "workforce",
    ):
        assert key in data
    assert (data["members"], data["female_members"]) == (1, 1)


def tallies() -> tuple[list[tuple[int, int, int, int, int, int, dict]], list[tuple]]:  # type: ignore[type-arg]
    rows = sorted(
        (
            t.unit_id,
            t.members,
            t.female,
            t.party,
            t.minority,
            t.workers,
            {k: v for k, v in t.birth_years.items() if v},
        )
        for t in SubtreeTally.objects.all()
        if t.members or t.workers
    )
    years = sorted(
        (y.unit_id, y.year, y.admitted, y.left, y.transferred_in, y.transferred_out)
        for y in YearTally.objects.all()
        if y.admitted or y.left or y.transferred_in or y.transferred_out
    )
    return rows, years


@pytest.mark.parametrize("seed", range(6))
def test_tallies_always_equal_a_recount_and_the_history(tree: Tree, seed: int) -> None:
    """Random admissions, departures, re-admissions, transfers, corrections, unit moves and
    merges: the maintained tallies equal a recount from scratch, and today's figures from the
    tallies equal those counted from the membership history."""
    rnd = random.Random(seed)
    grassroots = [tree.X1, tree.X2, tree.X3, tree.Y1, tree.Y2]
    people: list[Member] = []
    for i in range(25):
        unit = rnd.choice(grassroots)
        admit = None if rnd.random() < 0.2 else D(rnd.randint(2005, 2020), 1 + i % 12, 1 + i)
        people.append(
            make_member(
                unit,
                f"Người Thứ {i}",
                sex=rnd.choice(["male", "female"]),
                birth=D(rnd.randint(1962, 1985), 3, 3),
                admit_on=admit,
                ethnicity=rnd.choice(["01", "01", "02", "07"]),
                party=rnd.random() < 0.3,
            )
        )
    day = D(2021, 1, 1)
    done: list[str] = []
    for _step in range(40):
        m = Member.objects.get(pk=rnd.choice(people).pk)
        day += datetime.timedelta(days=rnd.randint(1, 40))
        op = rnd.choice(["leave", "admit", "transfer", "update", "move", "merge"])
        try:
            if op == "leave":
                services.member_leave(
                    actor=None,
                    member=m,
                    kind=rnd.choice([EventKind.SUSPENDED, EventKind.WITHDRAWN]),
                    date=day,
                )
            elif op == "admit":
                services.member_admit(actor=None, member=m, date=day)
            elif op == "transfer":
                target = rnd.choice(
                    [u for u in Unit.objects.filter(level="grassroots", status="active")]
                )
                t = services.transfer_request(actor=None, member=m, to_unit=target, date=day)
                services.transfer_decide(actor=None, transfer=t, accept=rnd.random() < 0.8)
            elif op == "update":
                data = services.PersonData(
                    full_name=m.full_name,
                    birth_date=D(rnd.randint(1962, 2001), 5, 5),
                    sex=rnd.choice(["male", "female"]),
                    ethnicity=rnd.choice(["01", "09"]),
                    party_member=rnd.random() < 0.5,
                    joined_on=m.joined_on,
                )
                services.member_update(actor=None, member=m, data=data)
            elif op == "move":
                unit = Unit.objects.get(pk=rnd.choice([tree.X1.pk, tree.Y1.pk, tree.X.pk]))
                parent = rnd.choice([tree.X, tree.Y, tree.Z, tree.Q])
                org_services.unit_move(
                    actor=None, unit=unit, new_parent=parent, effective_on=day, decision_ref="1"
                )
            else:
                source = Unit.objects.get(pk=rnd.choice([tree.X3.pk, tree.Y2.pk]))
                org_services.unit_merge(
                    actor=None,
                    sources=[source],
                    target=Unit.objects.get(pk=tree.X2.pk),
                    effective_on=day,
                    decision_ref="2",
                )
            done.append(op)
        except ServiceError:
            pass
    assert len(done) >= 15 and len(set(done)) >= 4, done
    maintained = tallies()
    tally.recount()
    assert tallies() == maintained
    for unit in Unit.objects.all():
        now = queries.unit_figures(unit, TODAY)
        history = member_figures(unit, TODAY, now, from_history=True)
        for key in KEYS:
            assert now[key] == history[key], (unit.code, key)
    active = Member.objects.filter(status=MemberStatus.ACTIVE).count()
    assert fig(tree.C)["members"] == active


def test_recount_command_rebuilds_lost_tallies(tree: Tree) -> None:
    import io

    from django.core.management import call_command

    make_member(tree.X1, "Nguyễn Thị An")
    make_member(tree.Y1, "Trần Văn Bình", sex="male", admit_on=None)
    before = tallies()
    SubtreeTally.objects.all().delete()
    assert fig(tree.P)["members"] == 0
    out = io.StringIO()
    call_command("recount_members", stdout=out)
    assert tallies() == before and fig(tree.P)["members"] == 1
    assert out.getvalue().startswith("Recounted the member figures of")
