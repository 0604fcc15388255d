"""API for the care figures: `GET /api/v1/care/figures/{code}?from=&as_of=` gives the `care`
object of `stats` for a unit the token's user may see (404 otherwise)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from congdoan.members.services import today
from congdoan.org import access

from .figures import care_section, year_start

router = Router()


@router.get("/figures/{code}", response=dict[str, Any])
def care_figures(
    request: HttpRequest,
    code: str,
    start: datetime.date | None = Query(None, alias="from"),  # noqa: B008
    as_of: datetime.date | None = None,
) -> Any:
    """The unit's care figures for the period from `from` (default 1 January of the `as_of`
    year) to `as_of` (default today), for its subtree as it is now."""
    unit = access.unit_by_code_for_view(request.user, code)
    end = as_of or today()
    first = start or year_start(end)
    if first > end:
        raise HttpError(422, "from is after as_of")
    return care_section(unit, first, end)
