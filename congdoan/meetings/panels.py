"""The meetings panel on a unit's page: its upcoming and recent meetings (two queries)."""

from typing import Any

from django.template.loader import render_to_string

from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from .models import Meeting, MeetingStatus

SHOWN = 5


def unit_panel(request: Any, unit: Unit) -> str:
    day = today()
    own = Meeting.objects.filter(unit=unit).select_related("unit")
    upcoming = list(
        own.filter(date__gte=day, status=MeetingStatus.SCHEDULED).order_by(
            "date", "start_time", "id"
        )[:SHOWN]
    )
    recent = list(own.filter(date__lt=day).order_by("-date", "-start_time", "-id")[:SHOWN])
    writes = access.can_write(request.user, unit)
    if not upcoming and not recent and not writes:
        return ""
    return render_to_string(
        "meetings/_unit_panel.html",
        {"unit": unit, "upcoming": upcoming, "recent": recent, "can_write": writes},
        request=request,
    )
