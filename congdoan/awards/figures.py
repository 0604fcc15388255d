"""Award figures of a unit's subtree for a period: awards by form and authority, split into
collectives and individuals ("01 tập thể, 04 cá nhân được Chủ tịch LĐLĐ tỉnh tặng Bằng khen").

A recipient counts when its decision is issued (not revoked) and dated in the period, and the
unit it lies in (the collective itself, or the member's grassroots union) was in the subtree on
the decision's date: the path kept on the recipient is compared, by range, with the path the
unit had at the end of the period. One aggregate query whatever the size of the subtree.
"""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from congdoan.members.services import today
from congdoan.org import queries as org_queries
from congdoan.org.models import PATH_END, Unit

from .models import AwardRecipient, DecisionStatus


def path_then(unit: Unit, end: datetime.date) -> str:
    """The unit's path at the end of the period (or today, for a period not yet over)."""
    version = org_queries.version_on(unit, min(end, today()))
    return version.path if version is not None else unit.path


def recipients_in(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet[AwardRecipient]:
    path = path_then(unit, end)
    return AwardRecipient.objects.filter(
        decision__status=DecisionStatus.ISSUED,
        decision__date__gte=start,
        decision__date__lte=end,
        path__gte=path,
        path__lt=path + PATH_END,
    )


def awards_figures(unit: Unit, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """One row per form, most senior first: {"form", "form_code", "authority", "collectives",
    "individuals"}."""
    rows = (
        recipients_in(unit, start, end)
        .values(
            "decision__form__code",
            "decision__form__name",
            "decision__form__authority",
            "decision__form__rank",
            "decision__form_id",
        )
        .annotate(
            collectives=Count("id", filter=Q(unit__isnull=False)),
            individuals=Count("id", filter=Q(member__isnull=False)),
        )
        .order_by("-decision__form__rank", "decision__form__name")
    )
    return [
        {
            "form": r["decision__form__name"],
            "form_code": r["decision__form__code"],
            "form_id": r["decision__form_id"],
            "authority": r["decision__form__authority"],
            "collectives": r["collectives"],
            "individuals": r["individuals"],
        }
        for r in rows
    ]


def awards_section(unit: Unit, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """The `awards` list of `stats` and of the API."""
    return [
        {k: v for k, v in row.items() if k != "form_id"} for row in awards_figures(unit, start, end)
    ]
