"""API for members: the roster of a unit's subtree (keyset pages) and one member, scoped like
the pages; CCCD and phone are masked, as in lists."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from congdoan.org import access

from . import queries, services
from .models import Member

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    full_name: str
    birth_date: datetime.date
    sex: str
    ethnicity: str
    status: str
    card_number: str | None
    unit_code: str
    joined_on: datetime.date | None
    party_member: bool
    cccd_masked: str
    phone_masked: str

    @staticmethod
    def resolve_unit_code(obj: Member) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_cccd_masked(obj: Member) -> str:
        return queries.mask_cccd(obj.cccd) if obj.cccd else ""

    @staticmethod
    def resolve_phone_masked(obj: Member) -> str:
        return queries.mask_phone(obj.phone) if obj.phone else ""


class RosterPage(Schema):
    items: list[MemberOut]
    next: str | None


@router.get("/", response=RosterPage)
def roster(request: HttpRequest, unit: str, q: str = "", status: str = "active",
           after: str | None = None, limit: int = 50) -> Any:  # fmt: skip
    """Members of `unit`'s subtree in Vietnamese name order; pass `next` as `after` for the
    following page."""
    root = access.unit_by_code_for_view(request.user, unit)
    f = queries.RosterFilter(status="" if status == "all" else status, q=q)
    qs = queries.roster(root, f, services.today()).select_related("unit")
    rows, cursor = queries.page_after(qs, after, size=max(1, min(limit, 200)))
    return {"items": rows, "next": cursor}


@router.get("/{member_id}", response=MemberOut)
def member(request: HttpRequest, member_id: int) -> Any:
    return queries.member_for_view(request.user, member_id)
