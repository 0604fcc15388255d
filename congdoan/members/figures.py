"""Member figures of a unit's subtree on a date.

Today's figures are read from the maintained tallies (one row, whatever the size of the
subtree). Figures of a past date are counted from the membership spells of the units that were
in the subtree on that date. Ages are counted by year of birth (tuổi tính theo năm), as union
statistics do: under 30, 30 to 45, over 45.
"""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from congdoan.org.models import PATH_END, Unit, UnitVersion
from congdoan.org.queries import valid_on, version_on

from .models import EventKind, MemberEvent, MembershipSpell, MemberTarget, SubtreeTally, YearTally

ADMISSIONS = [EventKind.ADMITTED, EventKind.READMITTED]
DEPARTURES = [EventKind.SUSPENDED, EventKind.WITHDRAWN, EventKind.EXPELLED]


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def subtree_unit_ids(unit: Unit, day: datetime.date) -> QuerySet[UnitVersion, Any] | None:
    """Ids of the units in `unit`'s subtree as the tree stood on `day` (a subquery)."""
    version = version_on(unit, day)
    if version is None:
        return None
    return UnitVersion.objects.filter(
        valid_on(day), path__gte=version.path, path__lt=version.path + PATH_END
    ).values("unit_id")


def _age_bands(birth_years: dict[str, int], year: int) -> dict[str, int]:
    bands = {"age_under_30": 0, "age_30_45": 0, "age_over_45": 0}
    for born, count in birth_years.items():
        age = year - int(born)
        key = "age_under_30" if age < 30 else ("age_30_45" if age <= 45 else "age_over_45")
        bands[key] += count
    return bands


def _transfers(ids: Any, start: datetime.date, day: datetime.date) -> tuple[int, int]:
    """Transfers that crossed the subtree's border in [start, day]: (in, out)."""
    moves = MemberEvent.objects.filter(
        kind__in=[EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT],
        date__gte=start,
        date__lte=day,
        unit_id__in=ids,
    ).exclude(other_unit_id__in=ids)
    counts = dict(moves.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return counts.get(EventKind.TRANSFER_IN, 0), counts.get(EventKind.TRANSFER_OUT, 0)


def _spell_counts(ids: Any, day: datetime.date) -> dict[str, int]:
    spells = MembershipSpell.objects.filter(unit_id__in=ids, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gt=day)
    )
    y = day.year
    born_under_30 = datetime.date(y - 29, 1, 1)
    born_over_45 = datetime.date(y - 45, 1, 1)
    return spells.aggregate(
        members=Count("id"),
        female=Count("id", filter=Q(sex="female")),
        party=Count("id", filter=Q(party_since__lte=day)),
        minority=Count("id", filter=Q(minority=True)),
        age_under_30=Count("id", filter=Q(birth_date__gte=born_under_30)),
        age_over_45=Count("id", filter=Q(birth_date__lt=born_over_45)),
    )


def member_figures(
    unit: Unit, day: datetime.date, base: dict[str, Any], *, from_history: bool = False
) -> dict[str, Any]:
    """The member figures of `unit`'s subtree on `day` (keys as `manage.py stats` prints).

    Today's come from the tallies; `from_history` counts them from spells and events instead,
    as for a past date (the two must agree: tests hold them to it)."""
    year_start = datetime.date(day.year, 1, 1)
    now = day >= today() and not from_history
    # Today's figures need no subtree: they are read from the unit's own tally rows.
    ids = None if now else subtree_unit_ids(unit, day)
    if now:
        row = SubtreeTally.objects.filter(unit=unit).first() or SubtreeTally(unit=unit)
        year = YearTally.objects.filter(unit=unit, year=day.year).first()
        counts = {
            "members": row.members,
            "female": row.female,
            "party": row.party,
            "minority": row.minority,
            **_age_bands(row.birth_years, day.year),
        }
        admitted, departed = (year.admitted, year.left) if year else (0, 0)
        crossed: tuple[int, int] | None = (
            (year.transferred_in, year.transferred_out) if year else (0, 0)
        )
        workers = row.workers
    elif ids is None:
        counts = dict.fromkeys(
            ("members", "female", "party", "minority", "age_under_30", "age_over_45"), 0
        )
        admitted = departed = workers = 0
        crossed = (0, 0)
    else:
        crossed = None
        counts = _spell_counts(ids, day)
        counts["age_30_45"] = counts["members"] - counts["age_under_30"] - counts["age_over_45"]
        # One pass over the year's admissions and departures in the subtree.
        moves = MemberEvent.objects.filter(
            kind__in=ADMISSIONS + DEPARTURES, date__gte=year_start, date__lte=day,
            unit_id__in=ids,
        ).aggregate(
            admitted=Count("id", filter=Q(kind__in=ADMISSIONS)),
            departed=Count("id", filter=Q(kind__in=DEPARTURES)),
        )  # fmt: skip
        admitted, departed = moves["admitted"], moves["departed"]
        workers = None
    if crossed is not None:
        moved_in, moved_out = crossed
    elif unit.parent_id is None:  # nothing crosses the border of the whole country's tree
        moved_in, moved_out = 0, 0
    else:
        moved_in, moved_out = _transfers(ids, year_start, day)
    target = (
        MemberTarget.objects.filter(unit=unit, year=day.year)
        .values_list("new_members", flat=True)
        .first()
    )
    workforce = base.get("workforce") or 0
    out: dict[str, Any] = {
        "members": counts["members"],
        "female_members": counts["female"],
        "party_members": counts["party"],
        "kinh_members": counts["members"] - counts["minority"],
        "minority_members": counts["minority"],
        "age_under_30": counts["age_under_30"],
        "age_30_45": counts["age_30_45"],
        "age_over_45": counts["age_over_45"],
        "new_members_year": admitted,
        "new_members_target": target,
        "new_members_target_pct": round(100 * admitted / target, 1) if target else None,
        "left_members_year": departed,
        "transferred_in_year": moved_in,
        "transferred_out_year": moved_out,
        "unionised_pct": round(100 * counts["members"] / workforce, 1) if workforce else None,
    }
    if workers is not None:
        out["workers_not_members"] = workers
    return out
