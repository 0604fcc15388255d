"""API for care programmes and support, scoped like the pages: the programmes seen from a unit,
a programme's cases within the user's reach, and recording a case (the same rules as the
page)."""

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from congdoan.core.errors import ServiceError
from congdoan.core.users import user_of
from congdoan.members.queries import mask_cccd, members_visible
from congdoan.org import access

from . import support as care
from .models import Programme, ProgrammeItem, Support, SupportItem, SupportStatus

router = Router()


class CategoryOut(Schema):
    id: int
    name: str
    amount_vnd: int


class ItemOut(Schema):
    id: int
    name: str
    measure: str
    unit_value_vnd: int


class ProgrammeOut(Schema):
    id: int
    name: str
    kind: str
    unit_code: str
    start: datetime.date
    end: datetime.date
    allow_cash: bool
    allow_in_kind: bool
    allow_voucher: bool
    repeat_allowed: bool
    max_per_person_vnd: int | None
    budget_vnd: int | None
    used_vnd: int
    fund_id: int | None
    decision_ref: str
    categories: list[CategoryOut]
    items: list[ItemOut]

    @staticmethod
    def resolve_unit_code(obj: Programme) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_categories(obj: Programme) -> list[Any]:
        return list(obj.categories.all())

    @staticmethod
    def resolve_items(obj: Programme) -> list[Any]:
        return list(obj.items.all())


@router.get("/programmes", response=list[ProgrammeOut])
def programmes(request: HttpRequest, unit: str) -> Any:
    """The programmes `unit` runs and those of the units above it, with the budget used
    (approved and paid cases)."""
    root = access.unit_by_code_for_view(request.user, unit)
    return (
        care.with_budget_use(care.programmes_of(root))
        .select_related("unit")
        .prefetch_related("categories", "items")
        .order_by("-start", "name", "id")
    )


class GivenOut(Schema):
    item_id: int
    item: str
    quantity: int
    value_vnd: int

    @staticmethod
    def resolve_item(obj: SupportItem) -> str:
        return obj.item.name


class SupportOut(Schema):
    id: int
    programme_id: int
    unit_code: str
    member_id: int | None
    person_name: str
    person_cccd_masked: str
    person_unit_code: str | None
    employer_name: str
    category: str | None
    date: datetime.date
    cash_vnd: int
    in_kind_vnd: int
    voucher_vnd: int
    total_vnd: int
    reference: str
    status: str
    items: list[GivenOut]

    @staticmethod
    def resolve_unit_code(obj: Support) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_person_cccd_masked(obj: Support) -> str:
        return mask_cccd(obj.person_cccd) if obj.person_cccd else ""

    @staticmethod
    def resolve_person_unit_code(obj: Support) -> str | None:
        return obj.person_unit.code if obj.person_unit else None

    @staticmethod
    def resolve_category(obj: Support) -> str | None:
        return obj.category.name if obj.category else None

    @staticmethod
    def resolve_items(obj: Support) -> list[Any]:
        return list(obj.items.all())


class SupportPage(Schema):
    count: int
    items: list[SupportOut]


def _with_details(qs: Any) -> Any:
    return qs.select_related("unit", "person_unit", "category").prefetch_related(
        Prefetch("items", queryset=SupportItem.objects.select_related("item").order_by("id"))
    )


@router.get("/programmes/{programme_id}/supports", response=SupportPage)
def supports(request: HttpRequest, programme_id: int, status: str = "", q: str = "",
             limit: int = 50, offset: int = 0) -> Any:  # fmt: skip
    """The cases recorded under a programme by the units the user reaches, newest first;
    `q` searches names (ignoring diacritics), a CCCD or a member code."""
    programme = care.programme_for_view(request.user, programme_id)
    qs = care.supports_visible(request.user).filter(programme=programme).order_by("-date", "-id")
    if status:
        qs = qs.filter(status=status)
    limit, offset = max(1, min(limit, 200)), max(offset, 0)
    if q:
        ids = care.search_supports(qs, q)
        page_ids = ids[offset : offset + limit]
        found = _with_details(Support.objects.all()).in_bulk(page_ids)
        return {"count": len(ids), "items": [found[i] for i in page_ids]}
    return {"count": qs.count(), "items": list(_with_details(qs)[offset : offset + limit])}


class GiftIn(Schema):
    item_id: int
    quantity: int


class SupportIn(Schema):
    unit: str  # the code of the unit that gives the support
    member_id: int | None = None
    person_name: str = ""
    person_cccd: str = ""
    person_unit: str = ""  # the code of a non-member's grassroots union
    employer_name: str = ""
    category_id: int | None = None
    cash_vnd: int | float | str | None = None
    voucher_vnd: int | float | str | None = None
    items: list[GiftIn] = []
    date: datetime.date
    reference: str = ""
    note: str = ""
    status: str = SupportStatus.PROPOSED


class ProblemOut(Schema):
    detail: str
    field: str | None


def _support_data(request: HttpRequest, programme: Programme, body: SupportIn) -> Any:
    """The case the body describes; 404 for a unit, member or union outside the user's reach."""
    giver = access.unit_by_code_for_view(request.user, body.unit)
    if body.member_id is not None:
        member = (
            members_visible(request.user).select_related("unit").filter(pk=body.member_id).first()
        )
        if member is None:
            raise Http404
        person = care.Beneficiary(member=member)
    else:
        person_unit = None
        if body.person_unit:
            person_unit = access.unit_by_code_for_view(request.user, body.person_unit)
        person = care.Beneficiary(
            name=body.person_name, cccd=body.person_cccd, person_unit=person_unit,
            employer_name=body.employer_name,
        )  # fmt: skip
    category = None
    if body.category_id is not None:
        category = programme.categories.filter(pk=body.category_id).first()
        if category is None:
            raise ServiceError(_("No such category in this programme."), field="category")
    items_by_id = {i.pk: i for i in ProgrammeItem.objects.filter(programme=programme)}
    gifts = []
    for gift in body.items:
        if gift.item_id not in items_by_id:
            raise ServiceError(_("No such gift item in this programme."), field="items")
        gifts.append((items_by_id[gift.item_id], gift.quantity))
    return care.SupportData(
        unit=giver, person=person, date=body.date, category=category, cash_vnd=body.cash_vnd,
        voucher_vnd=body.voucher_vnd, items=gifts, reference=body.reference, note=body.note,
    )  # fmt: skip


@router.post("/programmes/{programme_id}/supports",
             response={201: SupportOut, 400: ProblemOut})  # fmt: skip
def support_create(request: HttpRequest, programme_id: int, body: SupportIn) -> Any:
    """Record a case: proposed by a unit the user may write, or (by the programme's owner)
    approved or paid at once. Refused with 400 and a message naming the field: amounts that are
    not whole positive đồng, a date outside the programme's period, a person already supported
    under a programme that supports a person once, a case above the rule or the budget left."""
    programme = care.programme_for_view(request.user, programme_id)
    try:
        data = _support_data(request, programme, body)
        case = care.support_record(actor=user_of(request), programme=programme, data=data,
                                   status=body.status)  # fmt: skip
    except ServiceError as exc:
        return Status(400, {"detail": " ".join(exc.messages), "field": exc.field})
    return Status(201, _with_details(Support.objects.filter(pk=case.pk)).get())
