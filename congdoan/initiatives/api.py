"""API under /api/v1/initiatives/: programmes, a programme's progress by unit, a subtree's
initiatives, one initiative; scoped like the pages (outside ids answer 404)."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from congdoan.org import access

from . import queries
from .models import Initiative, InitiativeField, InitiativeProgramme, InitiativeStatus

router = Router(tags=["initiatives"])


class ProgrammeOut(Schema):
    id: int
    name: str
    unit_code: str
    start: datetime.date
    end: datetime.date
    decision_ref: str
    description: str

    @staticmethod
    def resolve_unit_code(obj: InitiativeProgramme) -> str:
        return obj.unit.code


class ProgressOut(Schema):
    unit_code: str
    unit_name: str
    submitted: int
    recognised: int
    not_recognised: int
    value_vnd: int
    target: int
    target_pct: int | None
    target_phrase: str


class ProgrammeProgressOut(ProgrammeOut):
    total: ProgressOut
    units: list[ProgressOut]


class AuthorOut(Schema):
    member_id: int
    name: str
    order: int
    share_pct: int


class InitiativeOut(Schema):
    id: int
    programme_id: int
    unit_code: str
    title: str
    field: str
    value_vnd: int
    submitted_on: datetime.date
    status: str
    decision_ref: str
    decided_on: datetime.date | None
    on_portal: bool
    portal_on: datetime.date | None
    authors: list[AuthorOut]
    co_authors: list[str]

    @staticmethod
    def resolve_unit_code(obj: Initiative) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_authors(obj: Initiative) -> list[dict[str, Any]]:
        return [
            {"member_id": a.member_id, "name": a.member.full_name, "order": a.order,
             "share_pct": a.share_pct}
            for a in obj.authors.all()
        ]  # fmt: skip

    @staticmethod
    def resolve_co_authors(obj: Initiative) -> list[str]:
        return [line for line in obj.co_authors.splitlines() if line.strip()]


class InitiativeDetailOut(InitiativeOut):
    description: str
    council_comment: str


class InitiativePage(Schema):
    unit: str
    count: int
    recognised: int
    not_recognised: int
    value_vnd: int
    items: list[InitiativeOut]


def _progress(row: queries.ProgressRow) -> dict[str, Any]:
    return {
        "unit_code": row.unit.code, "unit_name": row.unit.name, "submitted": row.submitted,
        "recognised": row.recognised, "not_recognised": row.not_recognised,
        "value_vnd": row.value_vnd, "target": row.target, "target_pct": row.percent,
        "target_phrase": row.phrase,
    }  # fmt: skip


@router.get("/programmes", response=list[ProgrammeOut])
def programme_list(request: HttpRequest) -> Any:
    """Programmes run by a unit the user reaches or by a unit above one, newest first."""
    return list(
        queries.programmes_visible(request.user).select_related("unit").order_by("-start", "name")
    )


@router.get("/programmes/{programme_id}", response=ProgrammeProgressOut)
def programme_detail(request: HttpRequest, programme_id: int, unit: str = "") -> Any:
    """A programme with its progress at `unit` (a unit code of its subtree; the owner by
    default) and at each of that unit's direct sub-units."""
    programme = queries.programme_for_view(request.user, programme_id)
    if unit:
        root = access.unit_by_code_for_view(request.user, unit)
        if not root.path.startswith(programme.unit.path):
            raise Http404
    elif access.can_see(request.user, programme.unit):
        root = programme.unit
    else:
        inside = [u for u in access.top_units(request.user).order_by("path")
                  if u.path.startswith(programme.unit.path)]  # fmt: skip
        if not inside:
            raise Http404
        root = inside[0]
    rows = queries.progress(programme, root)
    programme.total = _progress(rows[0])  # type: ignore[attr-defined]
    programme.units = [_progress(r) for r in rows[1:]]  # type: ignore[attr-defined]
    return programme


@router.get("/initiatives", response=InitiativePage)
def initiative_list(request: HttpRequest, unit: str, programme: int | None = None,
                    status: str = "", year: int | None = None, field: str = "",
                    limit: int = 100, offset: int = 0) -> Any:  # fmt: skip
    """Initiatives recorded by `unit`'s subtree (newest first), filtered by programme, status,
    year of submission and field, with the totals of the filtered list."""
    root = access.unit_by_code_for_view(request.user, unit)
    if status and status not in InitiativeStatus.values:
        raise HttpError(422, f"status is one of {', '.join(InitiativeStatus.values)}")
    if field and field not in InitiativeField.values:
        raise HttpError(422, f"field is one of {', '.join(InitiativeField.values)}")
    qs = queries.initiatives_of(root, programme=programme, status=status, year=year,
                                field=field)  # fmt: skip
    totals = queries.totals(qs)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    return {
        "unit": root.code,
        "count": totals["count"],
        "recognised": totals["recognised"],
        "not_recognised": totals["not_recognised"],
        "value_vnd": totals["value_vnd"],
        "items": list(queries.with_authors(qs)[offset : offset + limit]),
    }


@router.get("/initiatives/{initiative_id}", response=InitiativeDetailOut)
def initiative_detail(request: HttpRequest, initiative_id: int) -> Any:
    initiative = queries.initiative_for_view(request.user, initiative_id)
    return queries.with_authors(Initiative.objects.filter(pk=initiative.pk)).get()
