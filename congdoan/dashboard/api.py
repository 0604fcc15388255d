"""API under /api/v1/dashboard/: `GET /api/v1/dashboard/?unit=CODE` gives the dashboard's
figures of a unit the token's user may see (404 otherwise); without `unit`, of the user's
first top unit."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from congdoan.org import access

from .figures import dashboard_figures, meeting_row, upcoming_meetings

router = Router(tags=["dashboard"])


@router.get("/", response=dict[str, Any])
def dashboard(request: HttpRequest, unit: str = "") -> Any:
    """Members today and at the last year ends, new members against the year's target, this
    year's care (by programme, loans overdue today), awards and initiatives (against the
    target), and last year's grades of grassroots unions, for the unit's subtree; then the
    user's next meetings."""
    if unit:
        root = access.unit_by_code_for_view(request.user, unit)
    else:
        found = access.top_units(request.user).order_by("path").first()
        if found is None:
            raise Http404
        root = found
    figures = dashboard_figures(root)
    meetings = upcoming_meetings(request.user)
    if meetings is not None:  # the user's next meetings, whichever unit is asked for
        figures["upcoming_meetings"] = [meeting_row(m) for m in meetings]
    return figures
