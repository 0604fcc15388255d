"""A small synthetic federation has exactly the structure `manage.py synth` promises."""

import datetime
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from congdoan.demo.synthetic import FederationExists, Shape, synth_federation
from congdoan.members import tally
from congdoan.members.models import (
    CardSequence,
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    SubtreeTally,
    YearTally,
)
from congdoan.members.services import ancestors_for, card_number_valid
from congdoan.org.models import Level, Unit
from congdoan.org.queries import unit_figures

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
MEMBERS, UNITS = 300, 40


@pytest.fixture
def root() -> Unit:
    # Small chunks so the chunked path (several batches) is exercised too.
    return synth_federation(members=MEMBERS, units=UNITS, seed=7, chunk=70)


def _tallies() -> list[tuple[Any, ...]]:
    rows = SubtreeTally.objects.order_by("unit_id").values_list(
        "unit_id", "members", "female", "party", "minority", "workers", "birth_years"
    )
    return list(rows)


def _year_tallies() -> list[tuple[Any, ...]]:
    return list(
        YearTally.objects.order_by("unit_id", "year").values_list(
            "unit_id", "year", "admitted", "left"
        )
    )


def test_shape(root: Unit) -> None:
    shape = Shape.for_units(UNITS)
    units = Unit.objects.filter(path__startswith=root.path)
    levels = Counter(units.values_list("level", flat=True))
    assert levels == {
        Level.CENTRAL: 1,
        Level.PROVINCE: shape.provinces,
        Level.UPPER: shape.uppers,
        Level.GRASSROOTS: shape.grassroots,
        Level.SUBUNIT: shape.subunits,
    }
    assert sum(levels.values()) == UNITS
    assert set(units.values_list("depth", flat=True)) == {0, 1, 2, 3, 4}
    for unit in units.exclude(pk=root.pk).select_related("parent"):
        assert unit.parent is not None
        assert unit.path.startswith(unit.parent.path) and unit.depth == unit.parent.depth + 1
    # Every unit has its current version, and ids handed out afterwards do not collide.
    assert all(u.versions.filter(valid_to__isnull=True).count() == 1 for u in units)
    Unit.objects.create(code="after", name="after", level=Level.CENTRAL, founded_on=TODAY)


def test_members_spells_and_events(root: Unit) -> None:
    assert Member.objects.count() == MEMBERS
    active = Member.objects.filter(status=MemberStatus.ACTIVE)
    statuses = Counter(Member.objects.values_list("status", flat=True))
    assert set(statuses) <= {MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.LEFT}
    assert statuses[MemberStatus.ACTIVE] > 0.7 * MEMBERS
    for member in Member.objects.prefetch_related("spells", "events").select_related("unit"):
        spells = sorted(member.spells.all(), key=lambda s: s.start)
        events = Counter(e.kind for e in member.events.all())
        open_spells = [s for s in spells if s.end is None]
        assert member.unit.level == Level.GRASSROOTS
        assert spells[0].start == member.joined_on
        assert events[EventKind.ADMITTED] == 1 and events[EventKind.CARD_ISSUED] == 1
        first_admission = member.events.get(kind=EventKind.ADMITTED)
        assert (first_admission.date, first_admission.unit_id) == (
            spells[0].start,
            spells[0].unit_id,
        )
        if member.status == MemberStatus.ACTIVE:
            assert len(open_spells) == 1 and open_spells[0].unit_id == member.unit_id
        else:
            assert open_spells == []
            left = events[EventKind.SUSPENDED] + events[EventKind.WITHDRAWN]
            assert left == 1 and member.status_since == spells[-1].end
        if len(spells) == 2:
            # A transfer: the first spell ends the day the second starts, in the same province.
            assert spells[0].end == spells[1].start
            assert events[EventKind.TRANSFER_OUT] == events[EventKind.TRANSFER_IN] == 1
            units = Unit.objects.filter(pk__in=[spells[0].unit_id, spells[1].unit_id])
            assert len({u.path[:12] for u in units}) == 1
        else:
            assert len(spells) == 1 and events[EventKind.TRANSFER_IN] == 0
        assert all(s.sex == member.sex and s.birth_date == member.birth_date for s in spells)
        age = TODAY.year - member.birth_date.year
        assert 18 <= age <= 60
        assert member.subunit is None or member.subunit.parent_id == member.unit_id
    # Every active member has exactly one open spell (counted from the spells' side too).
    open_counts = Counter(
        MembershipSpell.objects.filter(end__isnull=True).values_list("member_id", flat=True)
    )
    assert set(open_counts) == set(active.values_list("pk", flat=True))
    assert set(open_counts.values()) == {1}
    assert MemberEvent.objects.filter(kind=EventKind.TRANSFER_OUT).exists()


def test_identifiers(root: Unit) -> None:
    cccds = list(Member.objects.filter(status=MemberStatus.ACTIVE).values_list("cccd", flat=True))
    assert len(cccds) == len(set(cccds)) and all(len(c) == 12 for c in cccds)
    cards = list(Member.objects.values_list("card_number", flat=True))
    assert len(set(cards)) == MEMBERS
    assert all(c is not None and card_number_valid(c) for c in cards)
    assert CardSequence.objects.get(pk=1).last == max(int(c[:9]) for c in cards if c)


def test_ancestors_and_keys(root: Unit) -> None:
    from congdoan.core.text import fold, person_sort_key

    for member in Member.objects.select_related("unit"):
        assert (member.province_id, member.upper_id) == ancestors_for(member.unit)
        assert member.name_key == fold(member.full_name)
        assert member.sort_key == person_sort_key(member.full_name)


def test_tallies_equal_a_recount(root: Unit) -> None:
    before, years_before = _tallies(), _year_tallies()
    assert before and years_before
    tally.recount()
    assert _tallies() == before
    assert _year_tallies() == years_before
    active = Member.objects.filter(status=MemberStatus.ACTIVE).count()
    assert unit_figures(root, TODAY)["members"] == active
    # The past agrees with the present where nothing changed in between: yesterday's roster from
    # the spells has today's members except those admitted today.
    past = unit_figures(root, TODAY - datetime.timedelta(days=1))["members"]
    today_joiners = MembershipSpell.objects.filter(start=TODAY, end__isnull=True).count()
    assert past == active - today_joiners + MembershipSpell.objects.filter(end=TODAY).count()


def test_second_federation_needs_another_seed(root: Unit) -> None:
    with pytest.raises(FederationExists):
        synth_federation(members=10, units=10, seed=7)
    other = synth_federation(members=50, units=12, seed=8)
    assert Member.objects.count() == MEMBERS + 50
    assert (
        unit_figures(other, TODAY)["members"]
        == Member.objects.filter(
            status=MemberStatus.ACTIVE, unit__path__startswith=other.path
        ).count()
    )


def test_command(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("synth", members=120, units=20, seed=3)
    out = capsys.readouterr().out
    assert "members: 120/120" in out and "SYN3-ROOT" in out
    assert Member.objects.count() == 120


def test_load_without_indexes_rebuilds_them() -> None:
    from django.db import connection

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            names: set[str] = set()
            for table in ("members_member", "members_membershipspell", "members_memberevent"):
                names |= set(connection.introspection.get_constraints(cursor, table))
        return names

    before = indexes()
    root = synth_federation(members=200, units=20, seed=9, defer_indexes=True, chunk=64)
    assert indexes() == before
    assert (
        unit_figures(root, TODAY)["members"]
        == Member.objects.filter(status=MemberStatus.ACTIVE).count()
    )
