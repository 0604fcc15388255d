"""API under /api/v1/emulation/: movements, blocs and targets of a unit, scoped like the pages
(a unit outside the caller's reach answers 404)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from congdoan.members.services import today
from congdoan.org import access

from . import blocs as bloc_queries
from . import movements as movement_queries
from . import targets as target_queries
from .models import BlocMember, Movement, Registration

router = Router(tags=["emulation"])


class MovementOut(Schema):
    id: int
    unit_code: str
    name: str
    theme: str
    description: str
    start: datetime.date
    end: datetime.date
    registered_units: int


class MovementPage(Schema):
    unit: str
    year: int | None
    items: list[MovementOut]


class BlocMemberOut(Schema):
    code: str
    name: str
    leader: bool
    signed_on: datetime.date | None


class BlocOut(Schema):
    id: int
    name: str
    year: int
    leader_code: str
    pact_state: str | None
    members: list[BlocMemberOut]


class BlocPage(Schema):
    unit: str
    year: int
    blocs: list[BlocOut]
    member_of: BlocOut | None


class TargetOut(Schema):
    key: str
    label: str
    measure: str
    computed: bool
    achieved: int
    target: int | None
    percent: int | None
    phrase: str


class TargetPage(Schema):
    unit: str
    year: int
    items: list[TargetOut]


@router.get("/movements", response=MovementPage)
def movement_list(request: HttpRequest, unit: str, year: int | None = None) -> Any:
    """Movements launched by `unit`, by the units above it, or below it (overlapping `year`
    when given), newest first, each with the count of live registrations the caller may see."""
    root = access.unit_by_code_for_view(request.user, unit)
    found = list(movement_queries.movements_for_unit(root, year)[:500])
    r = access.reach(request.user)
    regs = Registration.objects.filter(movement__in=found, cancelled_on__isnull=True)
    if not r.everything:
        regs = regs.filter(access.path_q(r.paths(), "unit__path"))
    counts: dict[int, int] = {}
    for movement_id in regs.values_list("movement_id", flat=True):
        counts[movement_id] = counts.get(movement_id, 0) + 1
    items = [_movement(m, counts.get(m.pk, 0)) for m in found]
    return {"unit": root.code, "year": year, "items": items}


def _movement(m: Movement, registered: int) -> dict[str, Any]:
    return {"id": m.pk, "unit_code": m.unit.code, "name": m.name, "theme": m.theme,
            "description": m.description, "start": m.start, "end": m.end,
            "registered_units": registered}  # fmt: skip


def _blocs_out(rows: list[Any]) -> list[dict[str, Any]]:
    members = BlocMember.objects.filter(bloc__in=rows).select_related("unit")
    by_bloc: dict[int, list[BlocMember]] = {}
    for m in members.order_by("position", "id"):
        by_bloc.setdefault(m.bloc_id, []).append(m)
    out = []
    for b in rows:
        pact = getattr(b, "pact", None)
        signed = {s.unit_id: s.signed_on for s in pact.signatures.all()} if pact else {}
        out.append({
            "id": b.pk, "name": b.name, "year": b.year, "leader_code": b.leader.code,
            "pact_state": pact.state if pact else None,
            "members": [{"code": m.unit.code, "name": m.unit.name,
                         "leader": m.unit_id == b.leader_id, "signed_on": signed.get(m.unit_id)}
                        for m in by_bloc.get(b.pk, [])],
        })  # fmt: skip
    return out


@router.get("/blocs", response=BlocPage)
def bloc_list(request: HttpRequest, unit: str, year: int | None = None) -> Any:
    """The blocs `unit` owns for `year` (this year by default), and the bloc it is in."""
    root = access.unit_by_code_for_view(request.user, unit)
    year = year or today().year
    owned = list(bloc_queries.blocs_of_owner(root, year))
    member = BlocMember.objects.filter(unit=root, year=year).order_by("bloc_id").first()
    member_of = None
    if member is not None:
        bloc = bloc_queries.Bloc.objects.select_related("leader", "pact").get(pk=member.bloc_id)
        member_of = _blocs_out([bloc])[0]
    return {"unit": root.code, "year": year, "blocs": _blocs_out(owned), "member_of": member_of}


@router.get("/targets", response=TargetPage)
def target_list(request: HttpRequest, unit: str, year: int | None = None) -> Any:
    """`unit`'s targets for `year` (this year by default): achieved over its subtree, target,
    percent (whole, rounded down) and the Vietnamese phrase ("vượt 31%")."""
    root = access.unit_by_code_for_view(request.user, unit)
    year = year or today().year
    return {"unit": root.code, "year": year, "items": target_queries.target_rows(root, year)}
