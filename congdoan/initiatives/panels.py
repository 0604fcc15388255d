"""Panels on the unit page (the subtree's initiatives against its target) and on a member's
page (the initiatives they authored). Two queries and one query."""

import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.template.loader import render_to_string

from congdoan.emulation.wording import target_phrase
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from .models import Initiative, InitiativeAuthor, InitiativeStatus, ProgrammeTarget
from .queries import in_subtree, programmes_for_unit


def unit_panel(request: Any, unit: Unit) -> str:
    """This year's initiatives of the unit's subtree against its target, under the latest
    programme it takes part in; when no programme runs this year, that programme's whole
    period. Nothing when no programme reaches the unit."""
    unit_target = ProgrammeTarget.objects.filter(programme=OuterRef("pk"), unit=unit).values(
        "target"
    )
    programme = (
        programmes_for_unit(unit)
        .annotate(unit_target=Subquery(unit_target[:1]))
        .order_by("-end", "-start", "-id")
        .first()
    )
    if programme is None:
        return ""
    day = today()
    first, last = datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    this_year = programme.start <= last and programme.end >= first
    if this_year:
        start, end = max(first, programme.start), min(last, programme.end)
    else:
        start, end = programme.start, programme.end
    figures = Initiative.objects.filter(
        in_subtree(unit), programme=programme, submitted_on__gte=start, submitted_on__lte=end
    ).aggregate(
        submitted=Count("id"),
        recognised=Count("id", filter=Q(status=InitiativeStatus.RECOGNISED)),
    )
    target = programme.unit_target or 0
    context = {
        "unit": unit,
        "programme": programme,
        "this_year": this_year,
        "year": day.year,
        "start": start,
        "end": end,
        "submitted": figures["submitted"],
        "recognised": figures["recognised"],
        "target": target,
        "phrase": target_phrase(figures["submitted"], target),
        "bar": min(figures["submitted"] * 100 // target, 100) if target else 0,
        "can_write": access.can_write(request.user, unit),
    }
    return render_to_string("initiatives/_unit_panel.html", context, request=request)


def member_panel(request: Any, member: Any) -> str:
    """The initiatives the member authored, newest first (links only to those the user may
    open)."""
    rows = list(
        InitiativeAuthor.objects.filter(member=member)
        .select_related("initiative", "initiative__programme", "initiative__unit")
        .order_by("-initiative__submitted_on", "-initiative_id")[:50]
    )
    if not rows:
        return ""
    reach = access.reach(request.user)
    items = [
        {"row": r, "initiative": r.initiative,
         "visible": reach.covers(r.initiative.unit.path)}
        for r in rows
    ]  # fmt: skip
    return render_to_string(
        "initiatives/_member_panel.html", {"member": member, "items": items}, request=request
    )
