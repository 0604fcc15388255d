"""Emulation movements (phong trào thi đua) and the units registered to take part: scoped reads
and every write (typed, keyword-only, one transaction, validated, audited).

A movement belongs to the unit that launched it and is seen by that unit's whole subtree (and
by whoever reaches the unit); units of the subtree register to take part, each by someone who
may write for it, and may cancel their registration.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import Unit

from .common import Actor, in_subtree, may_write, user_or_none
from .models import Movement, Registration

MOVEMENT_FIELDS = ["name", "theme", "description", "start", "end"]


# ---------------------------------------------------------------------------------------------
# Reads


def movements_visible(user: AnyUser) -> QuerySet[Movement]:
    """Movements launched by a unit the user reaches or by a unit above one they reach."""
    return Movement.objects.filter(access.seen_from_below_q(user, "unit__path"))


def movements_for_unit(unit: Unit, year: int | None = None) -> QuerySet[Movement]:
    """Movements launched by `unit` or by a unit above it (the ones it may take part in), and
    by units of its subtree; newest first."""
    above = [*unit.ancestor_paths(), unit.path]
    qs = Movement.objects.filter(Q(unit__path__in=above) | access.path_q([unit.path], "unit__path"))
    if year:
        qs = qs.filter(start__lte=datetime.date(year, 12, 31), end__gte=datetime.date(year, 1, 1))
    return qs.select_related("unit").order_by("-start", "name", "id")


def movement_for_view(user: AnyUser, pk: int) -> Movement:
    movement = Movement.objects.select_related("unit").filter(pk=pk).first()
    if movement is None or not access.can_see_from_below(user, movement.unit):
        raise Http404
    return movement


def movement_for_write(user: AnyUser, pk: int) -> Movement:
    movement = movement_for_view(user, pk)
    if not access.can_write(user, movement.unit):
        raise Http404
    return movement


def registrations_of(user: AnyUser, movement: Movement) -> QuerySet[Registration]:
    """The live registrations of units the user reaches (everyone's for the owner's users)."""
    qs = Registration.objects.filter(movement=movement, cancelled_on__isnull=True)
    r = access.reach(user)
    if not r.everything:
        qs = qs.filter(access.path_q(r.paths(), "unit__path"))
    return qs.select_related("unit").order_by("unit__path")


def units_may_register(user: AnyUser, movement: Movement) -> QuerySet[Unit]:
    """Active units of the movement owner's subtree the user may write for, not yet
    registered."""
    taken = Registration.objects.filter(movement=movement, cancelled_on__isnull=True).values(
        "unit_id"
    )
    return (
        access.units_writable(user)
        .filter(access.path_q([movement.unit.path]), status="active")
        .exclude(pk__in=taken)
        .order_by("path")
    )


def registration_for_write(user: AnyUser, pk: int) -> Registration:
    """A registration the user may cancel: write access to the unit or to the movement's
    owner; 404 otherwise."""
    reg = Registration.objects.select_related("unit", "movement", "movement__unit").filter(pk=pk)
    found = reg.first()
    if found is None or not (
        access.can_write(user, found.unit) or access.can_write(user, found.movement.unit)
    ):
        raise Http404
    return found


# ---------------------------------------------------------------------------------------------
# Writes


@dataclass
class MovementData:
    name: str
    start: datetime.date
    end: datetime.date
    theme: str = ""
    description: str = ""


def _clean(data: MovementData) -> dict[str, object]:
    name = data.name.strip()
    if not name:
        raise ServiceError(_("Give the movement a name."), field="name")
    if data.end < data.start:
        raise ServiceError(_("The end of the period is before its start."), field="end")
    return {
        "name": name,
        "theme": data.theme.strip(),
        "description": data.description.strip(),
        "start": data.start,
        "end": data.end,
    }


@audited
def movement_create(
    *, actor: Actor, unit: Unit, data: MovementData, is_demo: bool = False
) -> Movement:
    """A movement launched by `unit` for its subtree (write access to the unit)."""
    if not may_write(actor, unit):
        raise Http404
    movement = Movement.objects.create(
        unit=unit, created_by=user_or_none(actor), is_demo=is_demo, **_clean(data)
    )
    audit_record(
        actor=actor,
        action="movement.create",
        target=movement,
        unit_id=unit.pk,
        changes={k: [None, v] for k, v in snapshot(movement, MOVEMENT_FIELDS).items() if v},
        summary=movement.name,
    )
    return movement


@audited
def movement_update(*, actor: Actor, movement: Movement, data: MovementData) -> Movement:
    movement = Movement.objects.select_for_update().select_related("unit").get(pk=movement.pk)
    if not may_write(actor, movement.unit):
        raise Http404
    values = _clean(data)
    early = (
        Registration.objects.filter(movement=movement, cancelled_on__isnull=True)
        .filter(Q(registered_on__gt=values["end"]))
        .first()
    )
    if early is not None:
        raise ServiceError(
            _("A unit registered on %(date)s, after the new end of the period.")
            % {"date": date_vi(early.registered_on)},
            field="end",
        )
    before = snapshot(movement, MOVEMENT_FIELDS)
    for k, v in values.items():
        setattr(movement, k, v)
    movement.save()
    changes = diff(before, snapshot(movement, MOVEMENT_FIELDS))
    audit_update(
        actor=actor,
        action="movement.update",
        target=movement,
        unit_id=movement.unit_id,
        changes=changes,
        summary=movement.name,
    )
    return movement


@audited
def movement_delete(*, actor: Actor, movement: Movement) -> None:
    """Remove a movement nobody registered for (a mistake); one with registrations stays."""
    movement = Movement.objects.select_for_update().select_related("unit").get(pk=movement.pk)
    if not may_write(actor, movement.unit):
        raise Http404
    if Registration.objects.filter(movement=movement).exists():
        raise ServiceError(_("Units have registered for this movement; it cannot be deleted."))
    audit_record(
        actor=actor,
        action="movement.delete",
        target=movement,
        unit_id=movement.unit_id,
        changes={k: [v, None] for k, v in snapshot(movement, MOVEMENT_FIELDS).items() if v},
        summary=movement.name,
    )
    movement.delete()


@audited
def registration_create(
    *,
    actor: Actor,
    movement: Movement,
    unit: Unit,
    registered_on: datetime.date,
    commitment: str = "",
) -> Registration:
    """`unit` (of the owner's subtree) registers to take part, by someone who writes for it."""
    movement = Movement.objects.select_for_update().select_related("unit").get(pk=movement.pk)
    if not may_write(actor, unit) or not in_subtree(unit, movement.unit):
        raise ServiceError(
            _("%(unit)s is not among the units of %(owner)s you may register.")
            % {"unit": unit.name, "owner": movement.unit.name},
            field="unit",
        )
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name}, field="unit")
    if not movement.start <= registered_on <= movement.end:
        raise ServiceError(
            _("Registration is open from %(start)s to %(end)s.")
            % {"start": date_vi(movement.start), "end": date_vi(movement.end)},
            field="registered_on",
        )
    if Registration.objects.filter(
        movement=movement, unit=unit, cancelled_on__isnull=True
    ).exists():
        raise ServiceError(
            _("%(unit)s has already registered for this movement.") % {"unit": unit.name},
            field="unit",
        )
    reg = Registration.objects.create(
        movement=movement,
        unit=unit,
        registered_on=registered_on,
        commitment=commitment.strip(),
        registered_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="movement.register",
        target=reg,
        unit_id=unit.pk,
        changes={"registered_on": [None, registered_on], "commitment": [None, reg.commitment]},
        summary=f"{movement.name}: {unit.name}",
    )
    return reg


@audited
def registration_cancel(
    *, actor: Actor, registration: Registration, date: datetime.date
) -> Registration:
    reg = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("unit", "movement", "movement__unit")
        .get(pk=registration.pk)
    )
    if not (may_write(actor, reg.unit) or may_write(actor, reg.movement.unit)):
        raise Http404
    if reg.cancelled_on is not None:
        raise ServiceError(_("This registration is already cancelled."))
    if date < reg.registered_on:
        raise ServiceError(
            _("The cancellation cannot be dated before the registration (%(date)s).")
            % {"date": date_vi(reg.registered_on)},
            field="date",
        )
    reg.cancelled_on = date
    reg.cancelled_by = user_or_none(actor)
    reg.save(update_fields=["cancelled_on", "cancelled_by"])
    audit_record(
        actor=actor,
        action="movement.unregister",
        target=reg,
        unit_id=reg.unit_id,
        changes={"cancelled_on": [None, date]},
        summary=f"{reg.movement.name}: {reg.unit.name}",
    )
    return reg
