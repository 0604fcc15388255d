"""The indicators emulation registers itself: new members (from the member tallies and
history, the same figure as `stats`' `new_members_year`) and care (from the care figures:
people supported, support given, money raised for the funds).
Registered in apps.py ready(); the initiatives app registers `initiatives` itself."""

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from congdoan.care.figures import care_figures
from congdoan.members.figures import ADMISSIONS, subtree_unit_ids, today
from congdoan.members.models import MemberEvent, YearTally
from congdoan.org.models import Unit

from . import indicators

MEMBERS_ADMITTED = "members_admitted"


def _from_tally(first: datetime.date, last: datetime.date) -> bool:
    """A whole calendar year that is not over yet is read from the tallies kept up to date with
    every change; any other period is counted from the membership history, in the tree as it
    stood at the period's end (as member_figures does for a past date)."""
    return first == datetime.date(last.year, 1, 1) and last >= today()


def members_admitted(unit: Unit, first: datetime.date, last: datetime.date) -> int:
    """Admissions and re-admissions in [first, last] over the unit's subtree."""
    if _from_tally(first, last):
        row = YearTally.objects.filter(unit=unit, year=last.year).values_list("admitted").first()
        return int(row[0]) if row else 0
    ids = subtree_unit_ids(unit, last)
    if ids is None:
        return 0
    return MemberEvent.objects.filter(
        kind__in=ADMISSIONS, date__gte=first, date__lte=last, unit_id__in=ids
    ).count()


def members_admitted_many(
    units: Sequence[Unit], first: datetime.date, last: datetime.date
) -> dict[int, int]:
    if _from_tally(first, last):
        found = dict(
            YearTally.objects.filter(unit__in=units, year=last.year).values_list(
                "unit_id", "admitted"
            )
        )
        return {u.pk: int(found.get(u.pk, 0)) for u in units}
    return {u.pk: members_admitted(u, first, last) for u in units}


def people_supported(unit: Unit, first: datetime.date, last: datetime.date) -> int:
    return int(care_figures(unit, first, last)["people_supported"])


def support_vnd(unit: Unit, first: datetime.date, last: datetime.date) -> int:
    return int(care_figures(unit, first, last)["support_vnd"])


def funds_raised_vnd(unit: Unit, first: datetime.date, last: datetime.date) -> int:
    """Donations to the funds from the subtree's units (less their reversals)."""
    return int(care_figures(unit, first, last)["donations_vnd"])


def register_builtins() -> None:
    indicators.register(
        MEMBERS_ADMITTED,
        _("New members admitted"),
        members_admitted,
        measure=_("members"),
        compute_many=members_admitted_many,
    )
    indicators.register(
        "people_supported",
        _("Members and workers supported"),
        people_supported,
        measure=_("people"),
    )
    indicators.register("support_vnd", _("Support given"), support_vnd, measure=_("đồng"))
    indicators.register(
        "funds_raised_vnd", _("Money raised for the funds"), funds_raised_vnd, measure=_("đồng")
    )
