"""The `meetings` and `inspections` sections of `stats` and of the reports: aggregates over the
subtree of a unit for a period (a few queries, whatever the size of the subtree)."""

import datetime
from typing import Any

from django.db.models import Count, Q

from congdoan.org.models import Unit

from .models import (
    CONFERENCE_KINDS,
    Inspection,
    InspectionPlan,
    InspectionState,
    InspectionSubject,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Subject,
)

# How many conferences the section lists (the rest are counted).
CONFERENCES_LISTED = 50
DONE = [InspectionState.DONE, InspectionState.FOLLOWED_UP, InspectionState.CLOSED]


def _subtree(unit: Unit, field_name: str = "unit__path") -> Q:
    return Q(**{f"{field_name}__gte": unit.path, f"{field_name}__lt": unit.path_end})


def meetings_section(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Meetings held (not cancelled) by the subtree in the period: the count by kind, the
    working sessions, and the main conferences with their date and title."""
    qs = Meeting.objects.filter(
        _subtree(unit), date__gte=start, date__lte=end, status=MeetingStatus.SCHEDULED
    )
    counts = dict(qs.order_by().values_list("kind").annotate(n=Count("id")))
    conferences = [
        {
            "date": m["date"].isoformat(),
            "kind": m["kind"],
            "title": m["title"],
            "unit": m["unit__code"],
        }
        for m in qs.filter(kind__in=CONFERENCE_KINDS)
        .order_by("date", "start_time", "id")
        .values("date", "kind", "title", "unit__code")[:CONFERENCES_LISTED]
    ]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "count": sum(counts.values()),
        "by_kind": {kind: counts.get(kind, 0) for kind in MeetingKind.values},
        "working_sessions": counts.get(MeetingKind.WORKING_SESSION, 0),
        "conferences_count": sum(counts.get(k, 0) for k in CONFERENCE_KINDS),
        "conferences": conferences,
    }


def inspections_section(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Inspections run by the subtree that start in the period: planned (all of them), done,
    by subject, of union units and of employers, with recommendations, followed up."""
    qs = Inspection.objects.filter(_subtree(unit), start_date__gte=start, start_date__lte=end)
    totals = qs.aggregate(
        planned=Count("id"),
        done=Count("id", filter=Q(state__in=DONE)),
        of_units=Count("id", filter=Q(inspected_unit__isnull=False)),
        of_employers=Count("id", filter=Q(inspected_unit__isnull=True)),
        with_recommendations=Count("id", filter=~Q(recommendations="")),
        followed_up=Count("id", filter=Q(followed_up_on__isnull=False)),
        closed=Count("id", filter=Q(state=InspectionState.CLOSED)),
    )
    subjects = dict(
        InspectionSubject.objects.filter(inspection__in=qs)
        .order_by()
        .values_list("subject")
        .annotate(n=Count("id"))
    )
    plans = InspectionPlan.objects.filter(
        _subtree(unit), year__gte=start.year, year__lte=end.year
    ).count()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "plans": plans,
        **totals,
        "by_subject": {s: subjects.get(s, 0) for s in Subject.values},
    }
