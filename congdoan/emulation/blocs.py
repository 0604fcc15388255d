"""Emulation blocs (khối / cụm thi đua): an upper unit groups its direct sub-units of one level
into blocs for a year, each led by one of its units; the leadership rotates year by year in the
bloc's fixed order. A unit is in at most one bloc per owner and year (the database holds this).

`bloc_of` is what grading reads to rank units within their bloc.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited
from congdoan.core.errors import ServiceError
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import Status, Unit

from .common import Actor, may_write, user_or_none
from .models import Bloc, BlocMember, PactState


@dataclass(frozen=True)
class BlocRef:
    id: int
    name: str


def bloc_of(unit_ids: list[int], year: int) -> dict[int, BlocRef]:
    """The bloc of each of these units in `year` (units in no bloc are left out). One query."""
    rows = (
        BlocMember.objects.filter(unit_id__in=unit_ids, year=year)
        .order_by("bloc_id")
        .values_list("unit_id", "bloc_id", "bloc__name")
    )
    out: dict[int, BlocRef] = {}
    for unit_id, bloc_id, name in rows:
        out.setdefault(unit_id, BlocRef(bloc_id, name))
    return out


# ---------------------------------------------------------------------------------------------
# Reads


def blocs_of_owner(owner: Unit, year: int) -> QuerySet[Bloc]:
    return (
        Bloc.objects.filter(owner=owner, year=year)
        .select_related("leader", "pact")
        .order_by("id")  # creation order: "Cụm số 2" before "Cụm số 10"
    )


def bloc_years(owner: Unit) -> list[int]:
    return sorted(
        set(Bloc.objects.filter(owner=owner).values_list("year", flat=True)), reverse=True
    )


def members_of(bloc: Bloc) -> list[BlocMember]:
    return list(bloc.members.select_related("unit").order_by("position", "id"))


def can_see_bloc(user: AnyUser, bloc: Bloc, members: Sequence[BlocMember]) -> bool:
    """The owner's users see its blocs; a member unit's users see the bloc they are in."""
    r = access.reach(user)
    return r.covers(bloc.owner.path) or any(r.covers(m.unit.path) for m in members)


def bloc_for_view(user: AnyUser, pk: int) -> Bloc:
    bloc = Bloc.objects.select_related("owner", "leader").filter(pk=pk).first()
    if bloc is None:
        raise Http404
    members = members_of(bloc)
    if not can_see_bloc(user, bloc, members):
        raise Http404
    bloc.member_rows = members  # type: ignore[attr-defined]
    return bloc


def bloc_for_write(user: AnyUser, pk: int) -> Bloc:
    """A bloc the user may change: write access to its owner."""
    bloc = bloc_for_view(user, pk)
    if not access.can_write(user, bloc.owner):
        raise Http404
    return bloc


def candidates(owner: Unit) -> QuerySet[Unit]:
    """The units a bloc of `owner` may hold: its active direct sub-units."""
    return Unit.objects.filter(parent=owner, status=Status.ACTIVE).order_by("level", "code")


# ---------------------------------------------------------------------------------------------
# Writes


def _check_year(year: int) -> None:
    if not 2000 <= year <= datetime.date.today().year + 5:
        raise ServiceError(_("Choose a year between 2000 and %(max)s.")
                           % {"max": datetime.date.today().year + 5}, field="year")  # fmt: skip


def _clean_members(
    owner: Unit, year: int, units: Sequence[Unit], leader: Unit | None, bloc: Bloc | None
) -> list[Unit]:
    chosen: list[Unit] = []
    for unit in units:
        if unit.pk not in {u.pk for u in chosen}:
            chosen.append(unit)
    if not chosen:
        raise ServiceError(_("Choose the units of the bloc."), field="members")
    for unit in chosen:
        if unit.parent_id != owner.pk:
            raise ServiceError(
                _("%(unit)s is not a direct sub-unit of %(owner)s, so it cannot be in its blocs.")
                % {"unit": unit.name, "owner": owner.name},
                field="members",
            )
        if not unit.is_active:
            raise ServiceError(
                _("%(unit)s is no longer active.") % {"unit": unit.name}, field="members"
            )
    levels = {u.level for u in chosen}
    if len(levels) > 1:
        raise ServiceError(_("The units of a bloc must be of the same level."), field="members")
    taken = (
        BlocMember.objects.filter(owner=owner, year=year, unit__in=chosen)
        .exclude(bloc=bloc)
        .select_related("unit", "bloc")
        .first()
    )
    if taken is not None:
        raise ServiceError(
            _("%(unit)s is already in the bloc “%(bloc)s” for %(year)s; a unit is in one bloc "
              "only.") % {"unit": taken.unit.name, "bloc": taken.bloc.name, "year": year},
            field="members",
        )  # fmt: skip
    if leader is None or leader.pk not in {u.pk for u in chosen}:
        raise ServiceError(_("The leader must be one of the bloc's units."), field="leader")
    return chosen


def _write_members(bloc: Bloc, units: Sequence[Unit]) -> None:
    BlocMember.objects.filter(bloc=bloc).delete()
    try:
        with transaction.atomic():
            BlocMember.objects.bulk_create(
                [
                    BlocMember(bloc=bloc, unit=u, owner_id=bloc.owner_id, year=bloc.year,
                               position=i)
                    for i, u in enumerate(units, 1)
                ]
            )  # fmt: skip
    except IntegrityError as exc:  # another bloc took a unit meanwhile
        raise ServiceError(
            _("One of these units is already in another bloc for %(year)s; a unit is in one "
              "bloc only.") % {"year": bloc.year},
            field="members",
        ) from exc  # fmt: skip


def _check_name(owner: Unit, year: int, name: str, bloc: Bloc | None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the bloc a name."), field="name")
    same = Bloc.objects.filter(owner=owner, year=year, name=name)
    if bloc is not None:
        same = same.exclude(pk=bloc.pk)
    if same.exists():
        raise ServiceError(
            _("There is already a bloc named “%(name)s” for %(year)s.")
            % {"name": name, "year": year},
            field="name",
        )
    return name


def _names(units: Sequence[Unit]) -> str:
    return "; ".join(u.code for u in units)


@audited
def bloc_create(
    *,
    actor: Actor,
    owner: Unit,
    year: int,
    name: str,
    units: Sequence[Unit],
    leader: Unit | None,
    is_demo: bool = False,
) -> Bloc:
    """A bloc of `owner`'s direct sub-units for `year` (write access to the owner)."""
    if not may_write(actor, owner):
        raise Http404
    _check_year(year)
    name = _check_name(owner, year, name, None)
    chosen = _clean_members(owner, year, units, leader, None)
    assert leader is not None
    bloc = Bloc.objects.create(
        owner=owner, year=year, name=name, leader=leader, created_by=user_or_none(actor),
        is_demo=is_demo,
    )  # fmt: skip
    _write_members(bloc, chosen)
    audit_record(
        actor=actor,
        action="bloc.create",
        target=bloc,
        unit_id=owner.pk,
        changes={"name": [None, name], "year": [None, year], "leader": [None, leader.pk],
                 "members": [None, _names(chosen)]},
        summary=name,
    )  # fmt: skip
    return bloc


def _pact_fixed(bloc: Bloc) -> bool:
    pact = getattr(bloc, "pact", None)
    return pact is not None and pact.state != PactState.DRAFT


@audited
def bloc_update(
    *, actor: Actor, bloc: Bloc, name: str, units: Sequence[Unit], leader: Unit | None
) -> Bloc:
    bloc = Bloc.objects.select_for_update(of=("self",)).select_related("owner").get(pk=bloc.pk)
    if not may_write(actor, bloc.owner):
        raise Http404
    old_units = [m.unit for m in members_of(bloc)]
    name = _check_name(bloc.owner, bloc.year, name, bloc)
    chosen = _clean_members(bloc.owner, bloc.year, units, leader, bloc)
    assert leader is not None
    changed_members = [u.pk for u in chosen] != [u.pk for u in old_units]
    if changed_members and _pact_fixed(bloc):
        raise ServiceError(
            _("The bloc's pact is open for signing or signed; its units can no longer change."),
            field="members",
        )
    changes: dict[str, list[object]] = {}
    if name != bloc.name:
        changes["name"] = [bloc.name, name]
    if leader.pk != bloc.leader_id:
        changes["leader"] = [bloc.leader_id, leader.pk]
    if changed_members:
        changes["members"] = [_names(old_units), _names(chosen)]
        _write_members(bloc, chosen)
    bloc.name, bloc.leader = name, leader
    bloc.save(update_fields=["name", "leader"])
    audit_update(actor=actor, action="bloc.update", target=bloc, unit_id=bloc.owner_id,
                 changes=changes, summary=name)  # fmt: skip
    return bloc


@audited
def bloc_delete(*, actor: Actor, bloc: Bloc) -> None:
    bloc = Bloc.objects.select_related("owner").get(pk=bloc.pk)
    if not may_write(actor, bloc.owner):
        raise Http404
    if _pact_fixed(bloc):
        raise ServiceError(
            _("The bloc's pact is open for signing or signed; the bloc cannot be deleted.")
        )
    audit_record(
        actor=actor,
        action="bloc.delete",
        target=bloc,
        unit_id=bloc.owner_id,
        changes={"name": [bloc.name, None], "members": [_names([m.unit for m in members_of(bloc)]),
                                                         None]},
        summary=bloc.name,
    )  # fmt: skip
    bloc.delete()


def next_leader(members: Sequence[BlocMember], leader_id: int, keep: set[int]) -> int | None:
    """The unit after the leader in the bloc's fixed order (wrapping round), among the units
    kept for next year."""
    order = [m.unit_id for m in members]
    if not order:
        return None
    start = order.index(leader_id) if leader_id in order else -1
    for step in range(1, len(order) + 1):
        candidate = order[(start + step) % len(order)]
        if candidate in keep:
            return candidate
    return None


@audited
def blocs_rotate(*, actor: Actor, owner: Unit, year: int) -> list[Bloc]:
    """Copy the blocs of `owner` for `year` to `year + 1`, each led by the unit after this
    year's leader in the bloc's order. Units no longer active or no longer directly under the
    owner are left out."""
    if not may_write(actor, owner):
        raise Http404
    _check_year(year + 1)
    blocs = list(Bloc.objects.filter(owner=owner, year=year).order_by("id"))
    if not blocs:
        raise ServiceError(_("%(owner)s has no blocs for %(year)s.")
                           % {"owner": owner.name, "year": year})  # fmt: skip
    if Bloc.objects.filter(owner=owner, year=year + 1).exists():
        raise ServiceError(
            _("The blocs for %(year)s already exist; rotate only into a year without blocs.")
            % {"year": year + 1}
        )
    current = set(
        Unit.objects.filter(parent=owner, status=Status.ACTIVE).values_list("pk", flat=True)
    )
    all_members = BlocMember.objects.filter(bloc__in=blocs).select_related("unit")
    by_bloc: dict[int, list[BlocMember]] = {}
    for m in all_members.order_by("position", "id"):
        by_bloc.setdefault(m.bloc_id, []).append(m)
    created = []
    for bloc in blocs:
        members = by_bloc.get(bloc.pk, [])
        kept = [m.unit for m in members if m.unit_id in current]
        leader_id = next_leader(members, bloc.leader_id, {u.pk for u in kept})
        if leader_id is None:
            continue
        new = Bloc.objects.create(
            owner=owner, year=year + 1, name=bloc.name, leader_id=leader_id,
            created_by=user_or_none(actor), is_demo=bloc.is_demo,
        )  # fmt: skip
        _write_members(new, kept)
        audit_record(
            actor=actor,
            action="bloc.rotate",
            target=new,
            unit_id=owner.pk,
            changes={"year": [year, year + 1], "leader": [bloc.leader_id, leader_id],
                     "members": [None, _names(kept)]},
            summary=new.name,
        )  # fmt: skip
        created.append(new)
    return created
