"""Every write to the organisation tree: typed, keyword-only, one transaction, audited.

Structural changes (found, rename, move, merge, dissolve) are dated events with a decision.
Each one closes the affected units' current `UnitVersion` at the effective date and opens a
new one, so the tree of any past date can be rebuilt. Changes must be recorded in date order:
an effective date earlier than a later recorded change of the same unit is refused.
"""

import datetime
import re
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi
from congdoan.core.text import fold

from . import hooks
from .models import (
    KIND_LEVEL,
    LEVEL_RANK,
    PATH_END,
    PATH_STEP,
    Employer,
    EventKind,
    Level,
    Status,
    TreeStamp,
    Unit,
    UnitEvent,
    UnitVersion,
)

Actor = User | AnonymousUser | None

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
UNIT_DETAIL_FIELDS = [
    "code",
    "name",
    "short_name",
    "level",
    "kind",
    "parent",
    "employer",
    "address",
    "founded_on",
    "founded_decision",
    "dissolved_on",
    "dissolved_decision",
    "status",
]
EMPLOYER_FIELDS = ["name", "tax_code", "ownership", "sector", "workforce", "address"]


def path_step(pk: int) -> str:
    """The unit's own path step: its id in base 36, fixed width."""
    digits = ""
    n = pk
    while n:
        n, r = divmod(n, 36)
        digits = _DIGITS[r] + digits
    return digits.rjust(PATH_STEP, "0")


def today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Checks shared by the services


def _check_date(effective_on: datetime.date, *, field: str = "effective_on") -> None:
    if effective_on > today():
        raise ServiceError(
            _("The effective date %(date)s is in the future; record the change when it applies.")
            % {"date": date_vi(effective_on)},
            field=field,
        )


def _check_not_before_history(units: QuerySet[Unit], effective_on: datetime.date) -> None:
    """Changes are recorded in date order: refuse a date before a unit's founding or last change.

    `units` is a queryset (a whole subtree can be thousands of units: it stays in the database).
    """
    unborn = units.filter(founded_on__gt=effective_on).order_by("-founded_on").first()
    if unborn is not None:
        raise ServiceError(
            _("%(unit)s was founded on %(founded)s; the effective date %(date)s is earlier.")
            % {
                "unit": unborn.name,
                "founded": date_vi(unborn.founded_on),
                "date": date_vi(effective_on),
            },
            field="effective_on",
        )
    latest = (
        UnitVersion.objects.filter(unit__in=units.values("pk"), valid_from__gt=effective_on)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    if latest is not None:
        raise ServiceError(
            _(
                "%(unit)s has a change recorded on %(later)s, after the effective date %(date)s. "
                "Record changes in date order."
            )
            % {
                "unit": latest.unit.name,
                "later": date_vi(latest.valid_from),
                "date": date_vi(effective_on),
            },
            field="effective_on",
        )


def _check_no_later_departures(unit: Unit, effective_on: datetime.date, *, subtree: bool) -> None:
    """Refuse a change dated before a unit left this unit's subtree (or closed under it): the
    versions in between would describe a tree that never was."""
    if subtree:
        later = UnitVersion.objects.filter(
            path__gte=unit.path, path__lt=unit.path + PATH_END, valid_to__gt=effective_on
        )
    else:
        later = UnitVersion.objects.filter(
            parent=unit, status=Status.ACTIVE, valid_to__gt=effective_on
        )
    version = later.select_related("unit").order_by("-valid_to").first()
    if version is not None and version.valid_to is not None:
        raise ServiceError(
            _(
                "%(unit)s has a change recorded on %(later)s, after the effective date %(date)s. "
                "Record changes in date order."
            )
            % {
                "unit": version.unit.name,
                "later": date_vi(version.valid_to),
                "date": date_vi(effective_on),
            },
            field="effective_on",
        )


def _check_parent_stable(parent: Unit, effective_on: datetime.date) -> None:
    """The parent must have existed, active and where it is now, on the effective date."""
    if not parent.is_active:
        raise ServiceError(
            _("%(unit)s is no longer active and cannot receive units.") % {"unit": parent.name},
            field="parent",
        )
    if effective_on < parent.founded_on:
        raise ServiceError(
            _("%(unit)s did not exist yet on %(date)s.")
            % {"unit": parent.name, "date": date_vi(effective_on)},
            field="effective_on",
        )
    changed_since = (
        UnitVersion.objects.filter(unit=parent)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=effective_on))
        .exclude(path=parent.path, status=Status.ACTIVE)
        .exists()
    )
    if changed_since:
        raise ServiceError(
            _("%(unit)s was moved after %(date)s. Record changes in date order.")
            % {"unit": parent.name, "date": date_vi(effective_on)},
            field="effective_on",
        )


def _check_level(child_level: str, parent: Unit | None) -> None:
    if parent is None:
        if child_level != Level.CENTRAL:
            raise ServiceError(_("Only the central level may have no parent unit."), field="parent")
        return
    child_rank = LEVEL_RANK[Level(child_level)]
    parent_rank = LEVEL_RANK[Level(parent.level)]
    ok = child_rank > parent_rank or (child_level == parent.level == Level.SUBUNIT)
    if not ok:
        raise ServiceError(
            _("A %(child)s unit cannot be placed under %(parent)s, a %(parent_level)s unit.")
            % {
                "child": Level(child_level).label.lower(),
                "parent": parent.name,
                "parent_level": Level(parent.level).label.lower(),
            },
            field="parent",
        )


def _check_decision(decision_ref: str) -> None:
    if not decision_ref.strip():
        raise ServiceError(_("The decision number is required."), field="decision_ref")


# ---------------------------------------------------------------------------------------------
# Versions


def _version_fields(unit: Unit) -> dict[str, Any]:
    return {
        "parent_id": unit.parent_id,
        "path": unit.path,
        "name": unit.name,
        "short_name": unit.short_name,
        "level": unit.level,
        "kind": unit.kind,
        "status": unit.status,
    }


def _open_versions(units: QuerySet[Unit], effective_on: datetime.date) -> None:
    """Record each unit's current state as its version from `effective_on` on."""
    ids = units.values("pk")
    same_day = set(
        UnitVersion.objects.filter(
            unit_id__in=ids, valid_from=effective_on, valid_to__isnull=True
        ).values_list("unit_id", flat=True)
    )
    UnitVersion.objects.filter(
        unit_id__in=ids, valid_to__isnull=True, valid_from__lt=effective_on
    ).update(valid_to=effective_on)
    new = []
    for unit in units.order_by("path").iterator(chunk_size=2000):
        if unit.pk in same_day:
            UnitVersion.objects.filter(unit=unit, valid_from=effective_on).update(
                **_version_fields(unit)
            )
        else:
            new.append(UnitVersion(unit=unit, valid_from=effective_on, **_version_fields(unit)))
    UnitVersion.objects.bulk_create(new, batch_size=1000)


def _ancestor_ids_nearest_first(path: str) -> list[int]:
    """Ids of the units above the one at `path`, the parent first."""
    prefixes = [path[:i] for i in range(len(path) - PATH_STEP, 0, -PATH_STEP)]
    by_path = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "pk"))
    return [by_path[p] for p in prefixes if p in by_path]


def _subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__gte=unit.path, path__lt=unit.path + PATH_END)


def _only(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(pk=unit.pk)


def touch_tree() -> None:
    """Mark cached tree figures stale (called by every write to units and employers)."""
    if not TreeStamp.objects.filter(pk=1).update(version=F("version") + 1):
        TreeStamp.objects.get_or_create(pk=1, defaults={"version": 1})


def _event(
    *,
    actor: Actor,
    unit: Unit,
    kind: str,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None,
    plan_id: int | None = None,
    **extra: Any,
) -> UnitEvent:
    touch_tree()
    return UnitEvent.objects.create(
        unit=unit,
        kind=kind,
        effective_on=effective_on,
        decision_ref=decision_ref.strip(),
        decision_date=decision_date,
        plan_id=plan_id,
        recorded_by=actor if isinstance(actor, User) else None,
        **extra,
    )


def _record(
    *,
    actor: Actor,
    unit: Unit,
    kind: str,
    action: str,
    changes: dict[str, Any],
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None,
    plan_id: int | None = None,
    summary: str = "",
    **extra: Any,
) -> None:
    """A structural change's dated event (with its decision) and its audit record."""
    _event(
        actor=actor,
        unit=unit,
        kind=kind,
        effective_on=effective_on,
        decision_ref=decision_ref,
        decision_date=decision_date,
        plan_id=plan_id,
        **extra,
    )
    audit_record(
        actor=actor,
        action=action,
        target=unit,
        unit_id=unit.pk,
        changes=changes,
        summary=summary or f"{decision_ref}, {date_vi(effective_on)}",
    )


CLOSING_FIELDS = ["status", "dissolved_on", "dissolved_decision"]


def _close(
    *,
    actor: Actor,
    unit: Unit,
    status: str,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None,
    plan_id: int | None = None,
    merged_into: Unit | None = None,
) -> None:
    """End a unit (dissolved, or merged into another) on the effective date."""
    before = snapshot(unit, CLOSING_FIELDS)
    unit.status = status
    unit.merged_into = merged_into
    unit.dissolved_on = effective_on
    unit.dissolved_decision = decision_ref.strip()
    unit.save(update_fields=[*CLOSING_FIELDS, "merged_into"])
    _open_versions(_only(unit), effective_on)
    changes = diff(before, snapshot(unit, CLOSING_FIELDS))
    if merged_into is not None:
        changes["merged_into"] = [None, merged_into.pk]
    _record(
        actor=actor,
        unit=unit,
        kind=EventKind.MERGED if merged_into else EventKind.DISSOLVED,
        action="unit.merge" if merged_into else "unit.dissolve",
        changes=changes,
        effective_on=effective_on,
        decision_ref=decision_ref,
        decision_date=decision_date,
        plan_id=plan_id,
        other_unit=merged_into,
        summary=f"→ {merged_into.name}" if merged_into else "",
    )


# ---------------------------------------------------------------------------------------------
# Services


def _employer_from(data: dict[str, Any] | None, employer: Employer | None) -> Employer | None:
    if not data or not (data.get("name") or "").strip():
        return employer
    tax_code = (data.get("tax_code") or "").strip()
    if tax_code and not re.fullmatch(r"\d{10}(-\d{3})?", tax_code):
        raise ServiceError(
            _("The tax code must have 10 digits, or 10 digits, a dash and 3 digits."),
            field="tax_code",
        )
    workforce = data.get("workforce") or 0
    if int(workforce) < 0:
        raise ServiceError(_("The workforce cannot be negative."), field="workforce")
    if employer is None and tax_code:
        existing = Employer.objects.filter(tax_code=tax_code).first()
        if existing is not None:
            # A second union in the same employer: link it, but never overwrite the employer's
            # details from here (they belong to the other union's records too).
            if fold(existing.name) != fold(str(data.get("name") or "")):
                raise ServiceError(
                    _("The tax code %(code)s belongs to %(name)s.")
                    % {"code": tax_code, "name": existing.name},
                    field="tax_code",
                )
            return existing
    elif employer is not None and tax_code:
        clash = Employer.objects.filter(tax_code=tax_code).exclude(pk=employer.pk).exists()
        if clash:
            raise ServiceError(
                _("Another employer already has the tax code %(code)s.") % {"code": tax_code},
                field="tax_code",
            )
    employer = employer or Employer()
    for name in EMPLOYER_FIELDS:
        if name in data and data[name] is not None:
            setattr(
                employer, name, data[name].strip() if isinstance(data[name], str) else data[name]
            )
    employer.full_clean(validate_unique=False)
    employer.save()
    return employer


@audited
def unit_create(
    *,
    actor: Actor,
    parent: Unit | None,
    code: str,
    name: str,
    kind: str,
    founded_on: datetime.date,
    founded_decision: str = "",
    short_name: str = "",
    address: str = "",
    employer: dict[str, Any] | None = None,
    is_demo: bool = False,
) -> Unit:
    """Found a unit under `parent` (decision of the upper union)."""
    code = code.strip()
    name = " ".join(name.split())
    if not CODE_RE.match(code):
        raise ServiceError(
            _("The code may hold letters, digits, dots, dashes and underscores (up to 32)."),
            field="code",
        )
    if Unit.objects.filter(code__iexact=code).exists():
        raise ServiceError(
            _("The code %(code)s is already used by another unit.") % {"code": code}, field="code"
        )
    if not name:
        raise ServiceError(_("The name is required."), field="name")
    level = KIND_LEVEL.get(kind)  # type: ignore[call-overload]
    if level is None:
        raise ServiceError(_("Unknown kind of unit."), field="kind")
    _check_level(level, parent)
    _check_date(founded_on, field="founded_on")
    if parent is not None:
        _check_parent_stable(parent, founded_on)
    unit = Unit(
        code=code,
        name=name,
        short_name=short_name.strip(),
        name_key=fold(f"{name} {short_name} {code}"),
        level=level,
        kind=kind,
        parent=parent,
        address=address.strip(),
        founded_on=founded_on,
        founded_decision=founded_decision.strip(),
        employer=_employer_from(employer, None),
        is_demo=is_demo,
        path="",
        depth=(parent.depth + 1) if parent else 0,
    )
    unit.save()
    unit.path = (parent.path if parent else "") + path_step(unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    UnitVersion.objects.create(unit=unit, valid_from=founded_on, **_version_fields(unit))
    _event(
        actor=actor,
        unit=unit,
        kind=EventKind.CREATED,
        effective_on=founded_on,
        decision_ref=founded_decision,
        decision_date=None,
        to_parent=parent,
        new_name=name,
    )
    audit_record(
        actor=actor,
        action="unit.create",
        target=unit,
        unit_id=unit.pk,
        changes={k: [None, v] for k, v in snapshot(unit, UNIT_DETAIL_FIELDS).items()},
        summary=name,
    )
    return unit


@audited
def unit_update(
    *,
    actor: Actor,
    unit: Unit,
    address: str | None = None,
    founded_decision: str | None = None,
    employer: dict[str, Any] | None = None,
) -> Unit:
    """Change details that are not structural (no dated event): address, decision text, employer."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_DETAIL_FIELDS)
    employer_before = snapshot(unit.employer, EMPLOYER_FIELDS) if unit.employer else {}
    if address is not None:
        unit.address = address.strip()
    if founded_decision is not None:
        unit.founded_decision = founded_decision.strip()
    unit.employer = _employer_from(employer, unit.employer)
    unit.save()
    touch_tree()
    changes = diff(before, snapshot(unit, UNIT_DETAIL_FIELDS))
    if unit.employer is not None:
        for k, v in diff(employer_before, snapshot(unit.employer, EMPLOYER_FIELDS)).items():
            changes[f"employer.{k}"] = v
    audit_update(
        actor=actor,
        action="unit.update",
        target=unit,
        unit_id=unit.pk,
        changes=changes,
        summary=unit.name,
    )
    return unit


@audited
def unit_rename(
    *,
    actor: Actor,
    unit: Unit,
    name: str,
    short_name: str,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None = None,
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = " ".join(name.split())
    if not name:
        raise ServiceError(_("The name is required."), field="name")
    if name == unit.name and short_name.strip() == unit.short_name:
        raise ServiceError(_("The new name is the same as the current one."), field="name")
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    _check_decision(decision_ref)
    _check_date(effective_on)
    _check_not_before_history(_only(unit), effective_on)
    before = snapshot(unit, ["name", "short_name"])
    old_name = unit.name
    unit.name = name
    unit.short_name = short_name.strip()
    unit.name_key = fold(f"{unit.name} {unit.short_name} {unit.code}")
    unit.save(update_fields=["name", "short_name", "name_key"])
    _open_versions(_only(unit), effective_on)
    _record(
        actor=actor,
        unit=unit,
        kind=EventKind.RENAMED,
        action="unit.rename",
        changes=diff(before, snapshot(unit, ["name", "short_name"])),
        effective_on=effective_on,
        decision_ref=decision_ref,
        decision_date=decision_date,
        old_name=old_name,
        new_name=name,
    )
    return unit


def _move(
    *,
    actor: Actor,
    unit: Unit,
    new_parent: Unit,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None,
    plan_id: int | None = None,
) -> None:
    """Move `unit` and its subtree under `new_parent` (checks done by the caller)."""
    old_parent = unit.parent
    old_prefix = unit.path
    old_ancestors = _ancestor_ids_nearest_first(unit.path)
    new_prefix = new_parent.path + path_step(unit.pk)
    depth_delta = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    Unit.objects.filter(path__gte=old_prefix, path__lt=old_prefix + PATH_END).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_delta,
    )
    moved = _subtree(Unit(path=new_prefix))
    _open_versions(moved, effective_on)
    _record(
        actor=actor,
        unit=unit,
        kind=EventKind.MOVED,
        action="unit.move",
        changes={"parent": [old_parent.pk if old_parent else None, new_parent.pk]},
        effective_on=effective_on,
        decision_ref=decision_ref,
        decision_date=decision_date,
        plan_id=plan_id,
        from_parent=old_parent,
        to_parent=new_parent,
    )
    if hooks.moved_listeners:
        info = hooks.Moved(
            root_id=unit.pk,
            old_ancestor_ids=old_ancestors,
            new_ancestor_ids=_ancestor_ids_nearest_first(new_prefix),
            unit_ids=list(moved.values_list("pk", flat=True)),
            effective_on=effective_on,
        )
        for listener in hooks.moved_listeners:
            listener(info)
    unit.refresh_from_db()


def check_move(unit: Unit, new_parent: Unit, effective_on: datetime.date) -> None:
    """Raise ServiceError if `unit` may not move under `new_parent` on `effective_on`."""
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    if new_parent.pk == unit.parent_id:
        raise ServiceError(
            _("%(unit)s is already under %(parent)s.")
            % {"unit": unit.name, "parent": new_parent.name},
            field="parent",
        )
    if new_parent.path.startswith(unit.path):
        raise ServiceError(
            _("%(unit)s cannot be moved under itself or one of its own sub-units.")
            % {"unit": unit.name},
            field="parent",
        )
    _check_level(unit.level, new_parent)
    _check_date(effective_on)
    _check_parent_stable(new_parent, effective_on)
    _check_not_before_history(_subtree(unit), effective_on)
    _check_no_later_departures(unit, effective_on, subtree=True)


@audited
def unit_move(
    *,
    actor: Actor,
    unit: Unit,
    new_parent: Unit,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None = None,
    plan_id: int | None = None,
) -> Unit:
    """Move a unit with everything below it to a new parent unit."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    _check_decision(decision_ref)
    check_move(unit, new_parent, effective_on)
    _move(
        actor=actor,
        unit=unit,
        new_parent=new_parent,
        effective_on=effective_on,
        decision_ref=decision_ref,
        decision_date=decision_date,
        plan_id=plan_id,
    )
    return unit


def check_merge(source: Unit, target: Unit, effective_on: datetime.date) -> None:
    if source.pk == target.pk:
        raise ServiceError(_("A unit cannot be merged into itself."), field="target")
    for u in (source, target):
        if not u.is_active:
            raise ServiceError(_("%(unit)s is no longer active.") % {"unit": u.name})
    if source.level != target.level:
        raise ServiceError(
            _(
                "%(source)s (%(source_level)s) and %(target)s (%(target_level)s) are at "
                "different levels and cannot be merged."
            )
            % {
                "source": source.name,
                "source_level": Level(source.level).label.lower(),
                "target": target.name,
                "target_level": Level(target.level).label.lower(),
            },
            field="target",
        )
    if target.path.startswith(source.path):
        raise ServiceError(
            _("%(unit)s cannot be merged into one of its own sub-units.") % {"unit": source.name},
            field="target",
        )
    _check_date(effective_on)
    _check_parent_stable(target, effective_on)
    _check_not_before_history(_subtree(source), effective_on)
    _check_no_later_departures(source, effective_on, subtree=False)


@audited
def unit_merge(
    *,
    actor: Actor,
    sources: list[Unit],
    target: Unit,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None = None,
    plan_id: int | None = None,
) -> Unit:
    """Merge each source into `target`: their active sub-units move under the target, and the
    sources close as merged. (To merge A and B into a new C, found C first.)"""
    _check_decision(decision_ref)
    if not sources:
        raise ServiceError(_("Choose at least one unit to merge."), field="sources")
    target = Unit.objects.select_for_update().get(pk=target.pk)
    for src in sources:
        source = Unit.objects.select_for_update().get(pk=src.pk)
        check_merge(source, target, effective_on)
        for child in Unit.objects.filter(parent=source, status=Status.ACTIVE).order_by("path"):
            child_now = Unit.objects.get(pk=child.pk)
            _move(
                actor=actor,
                unit=child_now,
                new_parent=target,
                effective_on=effective_on,
                decision_ref=decision_ref,
                decision_date=decision_date,
                plan_id=plan_id,
            )
        for listener in hooks.merged_listeners:
            listener(source, target, effective_on, actor)
        source.refresh_from_db()
        _close(
            actor=actor,
            unit=source,
            status=Status.MERGED,
            effective_on=effective_on,
            decision_ref=decision_ref,
            decision_date=decision_date,
            plan_id=plan_id,
            merged_into=target,
        )
        _event(
            actor=actor,
            unit=target,
            kind=EventKind.ABSORBED,
            effective_on=effective_on,
            decision_ref=decision_ref,
            decision_date=decision_date,
            other_unit=source,
            plan_id=plan_id,
        )
    return target


@audited
def unit_dissolve(
    *,
    actor: Actor,
    unit: Unit,
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None = None,
) -> Unit:
    """Dissolve a unit that no longer has active sub-units."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_decision(decision_ref)
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    active_children = Unit.objects.filter(parent=unit, status=Status.ACTIVE).count()
    if active_children:
        raise ServiceError(
            _("%(unit)s still has %(count)s active sub-units; move, merge or dissolve them first.")
            % {"unit": unit.name, "count": active_children}
        )
    _check_date(effective_on)
    _check_not_before_history(_only(unit), effective_on)
    _check_no_later_departures(unit, effective_on, subtree=False)
    for check in hooks.dissolve_checks:
        problem = check(unit)
        if problem:
            raise ServiceError(problem)
    _close(
        actor=actor,
        unit=unit,
        status=Status.DISSOLVED,
        effective_on=effective_on,
        decision_ref=decision_ref,
        decision_date=decision_date,
    )
    return unit


# ---------------------------------------------------------------------------------------------
# Users and roles


def _check_can_grant(actor: Actor, unit: Unit) -> None:
    from .access import can_admin

    if actor is None or not can_admin(actor, unit):
        raise ServiceError(_("You may only give roles on units you administer."), field="unit")


@audited
def user_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    email: str,
    password: str,
    unit: Unit,
    kind: str,
) -> User:
    """Create an account with a first role on `unit` (the actor must administer it)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    User = get_user_model()
    _check_can_grant(actor, unit)
    username = username.strip()
    if not re.fullmatch(r"[\w.@+-]{3,150}", username):
        raise ServiceError(
            _("The user name must be 3 to 150 letters, digits or . @ + - _."), field="username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(
            _("The user name %(name)s is taken.") % {"name": username}, field="username"
        )
    parts = " ".join(full_name.split()).rsplit(" ", 1)
    user = User(
        username=username,
        email=email.strip(),
        last_name=parts[0] if len(parts) == 2 else "",
        first_name=parts[-1],
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        unit_id=unit.pk,
        changes={"username": [None, username]},
        summary=full_name,
    )
    role_grant(actor=actor, user=user, unit=unit, kind=kind)
    return user


@audited
def role_grant(*, actor: Actor, user: User, unit: Unit, kind: str) -> Any:
    """Give `user` a role on `unit` (or change the role they already have there)."""
    from .access import forget
    from .models import Role, RoleKind

    _check_can_grant(actor, unit)
    if kind not in RoleKind.values:
        raise ServiceError(_("Unknown role."), field="kind")
    role, created = Role.objects.get_or_create(
        user=user, unit=unit, defaults={"kind": kind, "granted_by": actor}
    )
    before = None if created else role.kind
    if not created:
        if role.kind == kind:
            raise ServiceError(
                _("%(user)s already has this role on %(unit)s.")
                % {"user": user.get_username(), "unit": unit.name},
                field="kind",
            )
        role.kind = kind
        role.save(update_fields=["kind"])
    audit_record(
        actor=actor,
        action="role.grant",
        target=role,
        unit_id=unit.pk,
        changes={"user": [None, user.pk], "kind": [before, kind]},
        summary=f"{user.get_username()} @ {unit.code}",
    )
    forget(user)
    return role


@audited
def role_revoke(*, actor: Actor, role: Any) -> None:
    from .access import forget

    _check_can_grant(actor, role.unit)
    if actor is not None and role.user_id == actor.pk:
        raise ServiceError(_("You cannot remove your own role."), field="role")
    audit_record(
        actor=actor,
        action="role.revoke",
        target=role,
        unit_id=role.unit_id,
        changes={"user": [role.user_id, None], "kind": [role.kind, None]},
        summary=f"{role.user.get_username()} @ {role.unit.code}",
    )
    role.delete()
    forget(role.user)
