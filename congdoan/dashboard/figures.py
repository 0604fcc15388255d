"""The dashboard's figures of a unit's subtree: members and their trend over the last years,
new members against the year's target, this year's care, awards and initiatives, last year's
grades and the loans in arrears today (the page and `GET /api/v1/dashboard/` show the same).

Every part is an aggregate whatever the size of the subtree. Today's members come from the
tallies; the members at past year ends are counted from the membership spells (as `stats
--as-of` does) and kept in the figures cache under the "members" area, which `members_written`
bumps on every audited membership or tree write; the care figures come from care's own cache.
Awards, initiatives and grades are one or two small aggregates each, read live.
"""

import datetime
import importlib
from typing import Any

from django.db.models import Q

from congdoan.awards.figures import awards_figures
from congdoan.care.figures import care_figures_cached
from congdoan.core.replica import replica_reads
from congdoan.emulation.wording import target_percent, target_phrase
from congdoan.grading.figures import distribution
from congdoan.initiatives.queries import initiatives_figures
from congdoan.members.figures import subtree_unit_ids
from congdoan.members.models import MembershipSpell
from congdoan.members.services import today
from congdoan.org import figures_cache, queries
from congdoan.org.models import Unit

# How many completed years the trend shows before the current one.
TREND_YEARS = 5

# Audited writes that can change the members of a past date: a backdated admission or
# departure, an import, a transfer (whose two ends may lie in two provinces), and any change of
# the tree's shape (a unit founded or dissolved on a past date, a move, a merge).
MEMBER_ACTIONS = ("member.",)
EVERYWHERE_ACTIONS = ("transfer.", "unit.", "restructure.")
AREA = "members"


def members_written(action: str, unit_id: int | None) -> None:
    """Told of every audited write (core.audit.listeners): past member counts may be stale."""
    if action.startswith(MEMBER_ACTIONS):
        figures_cache.bump(AREA, [unit_id])
    elif action.startswith(EVERYWHERE_ACTIONS):
        figures_cache.bump(AREA)


def members_on(unit: Unit, day: datetime.date) -> int:
    """Active members of `unit`'s subtree (as the tree stood then) at the end of `day`: the
    `members` figure of `unit_figures(unit, day)`, in one query."""
    ids = subtree_unit_ids(unit, day)
    if ids is None:
        return 0
    return (
        MembershipSpell.objects.filter(unit_id__in=ids, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .count()
    )


def past_year_ends(year: int) -> list[datetime.date]:
    return [datetime.date(y, 12, 31) for y in range(year - TREND_YEARS, year)]


def members_history(unit: Unit, year: int) -> list[dict[str, Any]]:
    """Members at the end of each of the `TREND_YEARS` years before `year`, cached."""

    def compute() -> dict[str, Any]:
        return {"years": [[d.year, members_on(unit, d)] for d in past_year_ends(year)]}

    data = figures_cache.cached(AREA, unit, ("year-ends", year, TREND_YEARS), compute)
    return [
        {"year": y, "as_of": datetime.date(y, 12, 31).isoformat(), "members": n}
        for y, n in data["years"]
    ]


def _care(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    care = care_figures_cached(unit, start, end)
    keys = (
        "people_supported", "support_acts", "support_vnd", "houses", "houses_vnd",
        "loans_granted", "loans_outstanding_vnd", "loans_overdue", "loans_overdue_vnd",
    )  # fmt: skip
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        **{k: care[k] for k in keys},
        "by_programme": [
            {k: row[k] for k in ("programme_id", "name", "people", "acts", "support_vnd")}
            for row in care["by_programme"]
        ],
    }


def _awards(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    rows = awards_figures(unit, start, end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "collectives": sum(r["collectives"] for r in rows),
        "individuals": sum(r["individuals"] for r in rows),
        "by_form": rows,
    }


def _initiatives(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    f = initiatives_figures(unit, start, end)
    keys = ("submitted", "recognised", "target", "target_pct", "target_phrase", "value_vnd")
    return {"from": start.isoformat(), "to": end.isoformat(), **{k: f[k] for k in keys}}


def figures_on(unit: Unit, day: datetime.date) -> dict[str, Any]:
    """`unit_figures(unit, day)`: today's from the tallies; a past year end's counted from the
    history once, then kept until a membership or tree write."""
    if day >= today():
        return queries.unit_figures(unit, day)
    return figures_cache.cached(
        AREA, unit, ("figures", day.isoformat()), lambda: queries.unit_figures(unit, day)
    )


def dashboard_day(year: int | None = None) -> datetime.date:
    """The day a dashboard of `year` shows: today for this year (or none), 31/12 of a past
    year."""
    now = today()
    if year is None or year >= now.year:
        return now
    return datetime.date(year, 12, 31)


@replica_reads()
def dashboard_figures(unit: Unit, year: int | None = None) -> dict[str, Any]:
    """The figures of the dashboard of `unit` for `year` (this year by default, as of today; a
    past year as of its last day): plain JSON values."""
    day = dashboard_day(year)
    year = day.year
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    now = figures_on(unit, day)
    admitted, target = now.get("new_members_year", 0), now.get("new_members_target")
    trend = members_history(unit, year)
    trend.append({"year": year, "as_of": day.isoformat(), "members": now.get("members", 0)})
    grades = distribution(unit, year - 1, datetime.date(year - 1, 12, 31))
    return {
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level},
        "as_of": day.isoformat(),
        "year": year,
        "organisation": {
            "child_units": now["child_units"],
            "grassroots_units": now["grassroots_units"],
            "workforce": now["workforce"],
            "members": now.get("members", 0),
            "female_members": now.get("female_members", 0),
            "unionised_pct": now.get("unionised_pct"),
        },
        "members_trend": trend,
        "new_members": {
            "year": year,
            "admitted": admitted,
            "target": target,
            "percent": target_percent(admitted, target) if target else None,
            "phrase": target_phrase(admitted, target) if target else "",
        },
        # The whole year, as the care page shows it (loans overdue: on the year's last day, or
        # today for this year).
        "care": _care(unit, first, last),
        "awards": _awards(unit, first, day),
        "initiatives": _initiatives(unit, first, last),
        # Grassroots unions are graded early in the year for the year before.
        "grading": grades,
    }


def upcoming_meetings(user: Any) -> list[Any] | None:
    """The user's next meetings (`meetings.queries.upcoming`), or None where that app does not
    offer them (it is built beside this one; `meetings` sits beside `care`, not below it)."""
    try:
        module = importlib.import_module("congdoan.meetings.queries")
    except ImportError:
        return None
    upcoming = getattr(module, "upcoming", None)
    return None if upcoming is None else list(upcoming(user, limit=5))


def meeting_row(meeting: Any) -> dict[str, Any]:
    """A meeting as the API gives it."""
    return {
        "id": meeting.pk,
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else None,
        "title": meeting.title,
        "place": meeting.place,
        "unit": meeting.unit.code,
    }
