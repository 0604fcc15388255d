"""API for units: list, read, subtree and figures, scoped like the pages."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import access, queries, services
from .models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    status: str
    parent_code: str | None
    founded_on: datetime.date
    dissolved_on: datetime.date | None

    @staticmethod
    def resolve_parent_code(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent else None


class UnitDetailOut(UnitOut):
    address: str
    founded_decision: str
    employer_name: str | None
    employer_tax_code: str | None
    workforce: int | None

    @staticmethod
    def resolve_employer_name(obj: Unit) -> str | None:
        return obj.employer.name if obj.employer else None

    @staticmethod
    def resolve_employer_tax_code(obj: Unit) -> str | None:
        return obj.employer.tax_code if obj.employer else None

    @staticmethod
    def resolve_workforce(obj: Unit) -> int | None:
        return obj.employer.workforce if obj.employer else None


class NodeOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    status: str
    parent_code: str | None


class FiguresOut(Schema):
    unit: str
    as_of: datetime.date
    figures: dict[str, Any]


@router.get("/", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def list_units(request: HttpRequest, under: str | None = None, q: str | None = None) -> Any:
    """Units the token's user may see; `under` limits to a subtree, `q` searches names."""
    qs = access.units_visible(request.user).select_related("parent").order_by("path")
    if under:
        root = access.unit_by_code_for_view(request.user, under)
        qs = qs.filter(path__gte=root.path, path__lt=root.path_end)
    if q:
        qs = queries.search_units(qs, q)
    return qs


@router.get("/{code}", response=UnitDetailOut)
def get_unit(request: HttpRequest, code: str) -> Any:
    return access.unit_by_code_for_view(request.user, code)


@router.get("/{code}/subtree", response=list[NodeOut])
def get_subtree(request: HttpRequest, code: str, as_of: datetime.date | None = None) -> Any:
    """Every unit below (and including) this one, as the tree stood on `as_of` (default today)."""
    unit = access.unit_by_code_for_view(request.user, code)
    day = as_of or services.today()
    versions = queries.subtree_versions_on(unit, day)
    if versions is None:
        return []
    rows = list(versions.select_related("unit", "parent").order_by("path"))
    return [
        {
            "code": v.unit.code,
            "name": v.name,
            "level": v.level,
            "kind": v.kind,
            "status": v.status,
            "parent_code": v.parent.code if v.parent else None,
        }
        for v in rows
    ]


@router.get("/{code}/figures", response=FiguresOut)
def get_figures(request: HttpRequest, code: str, as_of: datetime.date | None = None) -> Any:
    unit = access.unit_by_code_for_view(request.user, code)
    day = as_of or services.today()
    return {"unit": unit.code, "as_of": day, "figures": queries.unit_figures(unit, day)}
