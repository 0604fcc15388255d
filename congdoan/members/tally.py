"""Keeping `SubtreeTally` and `YearTally` right: every member event changes the rows of its
unit and each ancestor (about five rows) in the event's own transaction; a moved subtree
rebuilds the rows of the ancestors it left and joined from their children; `recount` rebuilds
everything from the members table."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear

from congdoan.org.models import PATH_END, PATH_STEP, Level, Unit

from .models import Member, MemberStatus, Sex, SubtreeTally, YearTally
from .reference import ETHNIC_GROUPS, KINH, is_minority

MINORITY_CODES = [code for code, _name in ETHNIC_GROUPS if code != KINH]


@dataclass(frozen=True)
class Head:
    """What one person adds to the figures of every unit above them."""

    members: int = 0
    female: int = 0
    party: int = 0
    minority: int = 0
    workers: int = 0
    birth_year: int | None = None

    @classmethod
    def of(cls, member: Member) -> "Head":
        if member.status == MemberStatus.ACTIVE:
            return cls(
                members=1,
                female=int(member.sex == Sex.FEMALE),
                party=int(member.party_member),
                minority=int(is_minority(member.ethnicity)),
                birth_year=member.birth_date.year,
            )
        if member.status == MemberStatus.WORKER:
            return cls(workers=1)
        return cls()


def chain_ids(unit: Unit) -> list[int]:
    """The unit and its ancestors, by id."""
    prefixes = [unit.path[:i] for i in range(PATH_STEP, len(unit.path) + 1, PATH_STEP)]
    return list(Unit.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def _ensure(ids: list[int]) -> None:
    SubtreeTally.objects.bulk_create([SubtreeTally(unit_id=i) for i in ids], ignore_conflicts=True)


def apply(unit_ids: list[int], head: Head, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one person's share on these units' tallies."""
    if not unit_ids or head == Head():
        return
    _ensure(unit_ids)
    SubtreeTally.objects.filter(unit_id__in=unit_ids).update(
        members=F("members") + sign * head.members,
        female=F("female") + sign * head.female,
        party=F("party") + sign * head.party,
        minority=F("minority") + sign * head.minority,
        workers=F("workers") + sign * head.workers,
    )
    if head.birth_year is not None:
        key = str(head.birth_year)
        rows = list(SubtreeTally.objects.select_for_update().filter(unit_id__in=unit_ids))
        for row in rows:
            count = row.birth_years.get(key, 0) + sign
            if count:
                row.birth_years[key] = count
            else:
                row.birth_years.pop(key, None)
        SubtreeTally.objects.bulk_update(rows, ["birth_years"])


def apply_many(people: Iterable[tuple[Unit, Head]]) -> None:
    """Add many people's shares at once: summed per unit, then up each unit's chain, one
    update per tally row."""
    fields = ("members", "female", "party", "minority", "workers")
    units: dict[int, Unit] = {}
    own: dict[int, list[int]] = {}
    own_years: dict[int, Counter[int]] = {}
    for unit, head in people:
        total = own.get(unit.pk)
        if total is None:
            units[unit.pk] = unit
            total = own[unit.pk] = [0] * len(fields)
            own_years[unit.pk] = Counter()
        total[0] += head.members
        total[1] += head.female
        total[2] += head.party
        total[3] += head.minority
        total[4] += head.workers
        if head.birth_year is not None:
            own_years[unit.pk][head.birth_year] += 1
    if not own:
        return
    sums: dict[int, list[int]] = {}
    years: dict[int, Counter[str]] = {}
    for pk, total in own.items():
        for uid in chain_ids(units[pk]):
            into = sums.setdefault(uid, [0] * len(fields))
            for i, n in enumerate(total):
                into[i] += n
            by_year = years.setdefault(uid, Counter())
            for year, n in own_years[pk].items():
                by_year[str(year)] += n
    _ensure(list(sums))
    tallies = list(SubtreeTally.objects.select_for_update().filter(unit_id__in=list(sums)))
    for tally_row in tallies:
        add = sums[tally_row.unit_id]
        for f, n in zip(fields, add, strict=True):
            setattr(tally_row, f, getattr(tally_row, f) + n)
        merged: Counter[str] = Counter(tally_row.birth_years)
        merged.update(years.get(tally_row.unit_id, Counter()))
        tally_row.birth_years = {k: v for k, v in sorted(merged.items()) if v}
    SubtreeTally.objects.bulk_update(tallies, [*fields, "birth_years"], batch_size=500)


def count_years(events: list[tuple[Unit, int]], field: str) -> None:
    """Count many admissions (or departures) at once: (grassroots unit, year) per person."""
    per: Counter[tuple[int, int]] = Counter()
    chains: dict[int, list[int]] = {}
    for unit, year in events:
        if unit.pk not in chains:
            chains[unit.pk] = chain_ids(unit)
        for uid in chains[unit.pk]:
            per[(uid, year)] += 1
    if not per:
        return
    YearTally.objects.bulk_create(
        [YearTally(unit_id=uid, year=year) for uid, year in per], ignore_conflicts=True
    )
    ids = {uid for uid, _year in per}
    years = {year for _uid, year in per}
    rows = [
        row
        for row in YearTally.objects.select_for_update().filter(unit_id__in=ids, year__in=years)
        if (row.unit_id, row.year) in per
    ]
    for row in rows:
        setattr(row, field, getattr(row, field) + per[(row.unit_id, row.year)])
    YearTally.objects.bulk_update(rows, [field], batch_size=500)


def change(unit_ids: list[int], before: Head, after: Head) -> None:
    """A person's share changed (status or attributes) on the same units."""
    if before != after:
        apply(unit_ids, before, -1)
        apply(unit_ids, after, 1)


def count_year(unit_ids: list[int], year: int, field: str, delta: int = 1) -> None:
    """Count an admission ("admitted"), a departure ("left") or a transfer across the units'
    borders ("transferred_in", "transferred_out") in a year."""
    if not unit_ids:
        return
    YearTally.objects.bulk_create(
        [YearTally(unit_id=i, year=year) for i in unit_ids], ignore_conflicts=True
    )
    YearTally.objects.filter(unit_id__in=unit_ids, year=year).update(**{field: F(field) + delta})


def rebuild_from_children(unit_ids: list[int]) -> None:
    """Recompute upper units' tallies as the sum of their sub-units' (nearest first, so each
    unit sees its children already rebuilt). Grassroots unions keep their own counts."""
    for unit_id in unit_ids:
        unit = Unit.objects.get(pk=unit_id)
        if unit.level in (Level.GRASSROOTS, Level.SUBUNIT):
            continue
        children = SubtreeTally.objects.filter(unit__parent_id=unit_id)
        sums = children.aggregate(
            members=Sum("members"),
            female=Sum("female"),
            party=Sum("party"),
            minority=Sum("minority"),
            workers=Sum("workers"),
        )
        years: Counter[str] = Counter()
        for by_year in children.values_list("birth_years", flat=True):
            years.update(by_year)
        SubtreeTally.objects.update_or_create(
            unit_id=unit_id,
            defaults={
                **{k: v or 0 for k, v in sums.items()},
                "birth_years": {k: v for k, v in sorted(years.items()) if v},
            },
        )
        YearTally.objects.filter(unit_id=unit_id).delete()
        per_year = (
            YearTally.objects.filter(unit__parent_id=unit_id)
            .values("year")
            .annotate(a=Sum("admitted"), gone=Sum("left"))
        )
        rows = {r["year"]: YearTally(unit_id=unit_id, year=r["year"], admitted=r["a"],
                                     left=r["gone"]) for r in per_year}  # fmt: skip
        for (year, field), n in _crossings(unit).items():
            row = rows.setdefault(year, YearTally(unit_id=unit_id, year=year))
            setattr(row, field, n)
        YearTally.objects.bulk_create(rows.values())


def _crossings(unit: Unit) -> Counter[tuple[int, str]]:
    """Transfers into and out of `unit`'s subtree (as the tree is now), by year."""
    from .models import EventKind, MemberEvent

    inside = Q(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
    other_inside = Q(other_unit__path__gte=unit.path, other_unit__path__lt=unit.path + PATH_END)
    events = (
        MemberEvent.objects.filter(inside, kind__in=[EventKind.TRANSFER_IN,
                                                      EventKind.TRANSFER_OUT])
        .exclude(other_inside)
        .values_list(ExtractYear("date"), "kind")
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    field = {EventKind.TRANSFER_IN: "transferred_in", EventKind.TRANSFER_OUT: "transferred_out"}
    return Counter({(year, field[kind]): n for year, kind, n in events})


def recount() -> int:
    """Rebuild every tally from the members and events tables; returns units counted.

    The database groups the rows first (by unit, status, sex, party, ethnicity and birth year;
    events by kind, unit and year), so Python adds up a few hundred thousand groups up the
    chains of ancestors, not millions of rows.
    """
    from .models import EventKind, MemberEvent

    SubtreeTally.objects.all().delete()
    YearTally.objects.all().delete()
    units = {u.pk: u for u in Unit.objects.all().only("pk", "path", "level")}
    by_path = {u.path: u.pk for u in units.values()}
    chains: dict[int, list[int]] = {}

    def chain(unit_id: int) -> list[int]:
        if unit_id not in chains:
            path = units[unit_id].path
            chains[unit_id] = [by_path[path[:i]] for i in range(PATH_STEP, len(path) + 1,
                                                                PATH_STEP)]  # fmt: skip
        return chains[unit_id]

    fields = ("members", "female", "party", "minority", "workers")
    totals: dict[int, dict[str, int]] = {}
    years: dict[int, Counter[str]] = {}
    active = Q(status=MemberStatus.ACTIVE)
    per_unit = (
        Member.objects.filter(status__in=[MemberStatus.ACTIVE, MemberStatus.WORKER])
        .values_list("unit_id")
        .annotate(
            members=Count("id", filter=active),
            female=Count("id", filter=active & Q(sex=Sex.FEMALE)),
            party=Count("id", filter=active & Q(party_member=True)),
            minority=Count("id", filter=active & Q(ethnicity__in=MINORITY_CODES)),
            workers=Count("id", filter=Q(status=MemberStatus.WORKER)),
        )
        .order_by()
    )
    for unit_id, *counts in per_unit.iterator(chunk_size=5000):
        for uid in chain(unit_id):
            t = totals.setdefault(uid, dict.fromkeys(fields, 0))
            for f, n in zip(fields, counts, strict=True):
                t[f] += n
    per_year = (
        Member.objects.filter(active)
        .values_list("unit_id", ExtractYear("birth_date"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, born, n in per_year.iterator(chunk_size=10000):
        key = str(born)
        for uid in chain(unit_id):
            years.setdefault(uid, Counter())[key] += n
    SubtreeTally.objects.bulk_create(
        [SubtreeTally(unit_id=uid, birth_years=dict(sorted(years.get(uid, Counter()).items())),
                      **t) for uid, t in totals.items()],
        batch_size=2000,
    )  # fmt: skip
    field_of: dict[str, str] = {
        EventKind.ADMITTED: "admitted", EventKind.READMITTED: "admitted",
        EventKind.SUSPENDED: "left", EventKind.WITHDRAWN: "left", EventKind.EXPELLED: "left",
    }  # fmt: skip
    year_rows: dict[tuple[int, int], dict[str, int]] = {}
    events = (
        MemberEvent.objects.filter(kind__in=list(field_of))
        .values_list("kind", "unit_id", ExtractYear("date"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for kind, unit_id, year, n in events.iterator(chunk_size=5000):
        for uid in chain(unit_id):
            row = year_rows.setdefault((uid, year), {"admitted": 0, "left": 0})
            row[field_of[kind]] += n
    crossings = (
        MemberEvent.objects.filter(kind__in=[EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT],
                                   other_unit__isnull=False)
        .values_list("kind", "unit_id", "other_unit_id", ExtractYear("date"))
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    for kind, unit_id, other_id, year, n in crossings.iterator(chunk_size=10000):
        field = "transferred_in" if kind == EventKind.TRANSFER_IN else "transferred_out"
        there = set(chain(other_id))
        for uid in chain(unit_id):
            if uid not in there:
                row = year_rows.setdefault((uid, year), {"admitted": 0, "left": 0})
                row[field] = row.get(field, 0) + n
    YearTally.objects.bulk_create(
        [YearTally(unit_id=uid, year=year, **vals) for (uid, year), vals in year_rows.items()],
        batch_size=2000,
    )
    return len(totals)
