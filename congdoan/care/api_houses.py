"""API for house grants: a subtree's cases with their totals, and one case with its
contributions and documents; scoped like the pages."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from congdoan.org import access

from . import houses
from .models import HouseCase, HouseKind, HouseStatus

router = Router()


class HouseOut(Schema):
    id: int
    unit_code: str
    member_id: int
    member_name: str
    kind: str
    status: str
    amount_vnd: int
    contributed_vnd: int
    to_fund: str | None
    proposed_on: datetime.date
    approved_on: datetime.date | None
    started_on: datetime.date | None
    handed_over_on: datetime.date | None
    decision_ref: str

    @staticmethod
    def resolve_unit_code(obj: HouseCase) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_member_name(obj: HouseCase) -> str:
        return obj.member.full_name

    @staticmethod
    def resolve_to_fund(obj: HouseCase) -> str | None:
        return obj.to_fund.name if obj.to_fund else None


class StatusTotal(Schema):
    status: str
    count: int
    amount_vnd: int


class HousePage(Schema):
    unit: str
    count: int
    amount_vnd: int
    by_status: list[StatusTotal]
    items: list[HouseOut]


class ContributionOut(Schema):
    date: datetime.date
    fund: str | None
    sponsor: str
    amount_vnd: int
    returned: bool


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    caption: str


class HouseDetailOut(HouseOut):
    circumstances: str
    contributions: list[ContributionOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_contributions(obj: HouseCase) -> list[dict[str, Any]]:
        return [
            {"date": c.date, "fund": c.fund.name if c.fund else None, "sponsor": c.sponsor,
             "amount_vnd": c.amount_vnd, "returned": c.returned}
            for c in obj.contribution_rows  # type: ignore[attr-defined]
        ]  # fmt: skip

    @staticmethod
    def resolve_documents(obj: HouseCase) -> list[dict[str, Any]]:
        return [
            {"id": d.pk, "name": d.original_name, "content_type": d.content_type,
             "size": d.size, "sha256": d.sha256, "caption": d.caption}
            for d in obj.documents.order_by("uploaded_at", "id")
        ]  # fmt: skip


@router.get("/houses", response=HousePage)
def house_list(request: HttpRequest, unit: str, status: str = "", kind: str = "",
               year: int | None = None, limit: int = 100, offset: int = 0) -> Any:  # fmt: skip
    """House cases proposed by `unit`'s subtree (newest first), with the count and amount by
    status; `year` keeps the cases with a step (proposal, approval, start, hand-over) in it."""
    root = access.unit_by_code_for_view(request.user, unit)
    if status and status not in HouseStatus.values:
        raise HttpError(422, f"status is one of {', '.join(HouseStatus.values)}")
    if kind and kind not in HouseKind.values:
        raise HttpError(422, f"kind is one of {', '.join(HouseKind.values)}")
    qs = houses.houses_of(root, status=status, kind=kind, year=year)
    totals = houses.totals(qs)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    rows = houses.with_contributed(qs).select_related("unit", "member", "to_fund")
    return {
        "unit": root.code,
        "count": totals["count"],
        "amount_vnd": totals["amount_vnd"],
        "by_status": [
            {"status": str(t["status"]), "count": t["count"], "amount_vnd": t["amount_vnd"]}
            for t in totals["by_status"]
        ],
        "items": list(rows[offset : offset + limit]),
    }


@router.get("/houses/{house_id}", response=HouseDetailOut)
def house_detail(request: HttpRequest, house_id: int) -> Any:
    """One case with its contributions (`returned` when a fund's grant was reversed) and its
    documents (the files themselves are served only by the pages)."""
    case = houses.house_for_view(request.user, house_id)
    rows = houses.contributions_of(case)
    case.contribution_rows = rows  # type: ignore[attr-defined]
    case.contributed_vnd = houses.standing_vnd(rows)  # type: ignore[attr-defined]
    return case
