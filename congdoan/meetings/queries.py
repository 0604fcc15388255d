"""Reusable reads of meetings, scoped to a user (the dashboard's upcoming meetings)."""

from django.db.models import QuerySet

from congdoan.members.services import today
from congdoan.org.access import AnyUser

from .models import Meeting, MeetingStatus
from .services import meetings_visible


def upcoming(user: AnyUser, limit: int = 5) -> list[Meeting]:
    """The next meetings (today and later, not cancelled) the user can see: of the units the
    user reaches and of the units above them, soonest first."""
    qs: QuerySet[Meeting] = meetings_visible(user).filter(
        date__gte=today(), status=MeetingStatus.SCHEDULED
    )
    return list(qs.select_related("unit").order_by("date", "start_time", "id")[:limit])
