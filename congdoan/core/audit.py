"""Recording writes in the audit trail; every service calls `audit_record`."""

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ParamSpec, TypeVar

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj` (foreign keys by id)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        k: [before.get(k), after.get(k)]
        for k in keys
        if _plain(before.get(k)) != _plain(after.get(k))
    }


# (action, unit id) -> None: told of every audited write, inside its transaction (cached
# figures are invalidated this way; see org.figures_cache).
listeners: list[Callable[[str, int | None], None]] = []


P = ParamSpec("P")
R = TypeVar("R")

# Every write service, by dotted name (filled as their modules are imported).
SERVICES: set[str] = set()

# Set by the test suite (core.tests.audit_check) to check every call of a write service;
# None in production, where `audited` only opens the transaction.
Checker = Callable[[Callable[..., Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]], Any]
checker: list[Checker] = []


def audited(func: Callable[P, R]) -> Callable[P, R]:
    """Marks a write service: it runs in one transaction and leaves an audit record of what it
    changed, naming the actor (`audit_record`). The test suite checks every call of every
    service marked so, and that each of them is performed somewhere in it."""
    atomic = transaction.atomic(func)
    name = f"{func.__module__}.{func.__qualname__}"
    SERVICES.add(name)

    @functools.wraps(func)
    def service(*args: P.args, **kwargs: P.kwargs) -> R:
        if checker:
            result: R = checker[0](func, atomic, args, kwargs)
            return result
        return atomic(*args, **kwargs)

    service.audited_service = name  # type: ignore[attr-defined]
    return service


# Audit events recorded, and services that found nothing to change, for the test suite's check
# (see `checker`).
observers: list[Callable[[AuditEvent], None]] = []
undo_observers: list[Callable[[], None]] = []


def nothing_changed() -> None:
    """Called by a service that found, having written, that nothing changed (a form saved as
    it was): what it wrote is undone when it returns (its transaction, or savepoint, is rolled
    back), and there is nothing to record."""
    transaction.set_rollback(True)
    for observe in undo_observers:
        observe()


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model,
    unit_id: int | None,
    changes: Mapping[str, Any] | None = None,
    summary: str = "",
) -> AuditEvent:
    user = actor if isinstance(actor, User) else None
    for listener in listeners:
        listener(action, unit_id)
    event = AuditEvent.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        unit_id=unit_id,
        changes={
            k: _plain(v) if not isinstance(v, list) else [_plain(x) for x in v]
            for k, v in (changes or {}).items()
        },
        summary=summary[:500],
    )
    for observe in observers:
        observe(event)
    return event


def audit_update(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model,
    unit_id: int | None,
    changes: Mapping[str, Any],
    summary: str = "",
) -> AuditEvent | None:
    """Record an update's `changes`. With none (a form saved as it was) there is nothing to
    record, and what the service wrote is undone when it returns (`nothing_changed`)."""
    if not changes:
        nothing_changed()
        return None
    return audit_record(actor=actor, action=action, target=target, unit_id=unit_id,
                        changes=changes, summary=summary)  # fmt: skip


ACTION_LABELS = {
    "unit.create": _("Unit founded"),
    "unit.update": _("Details changed"),
    "unit.rename": _("Renamed"),
    "unit.move": _("Moved"),
    "unit.merge": _("Merged"),
    "unit.dissolve": _("Dissolved"),
    "restructure.plan": _("Restructuring plan uploaded"),
    "user.create": _("Account created"),
    "role.grant": _("Role given"),
    "role.revoke": _("Role removed"),
    "user.2fa_on": _("Two-step verification turned on"),
    "user.2fa_off": _("Two-step verification turned off"),
    "user.2fa_recovery_codes": _("New recovery codes issued"),
    "user.2fa_recovery_used": _("Logged in with a recovery code"),
    "token.create": _("API token created"),
    "token.revoke": _("API token revoked"),
    "member.create": _("Person recorded"),
    "member.update": _("Details changed"),
    "member.admitted": _("Admitted"),
    "member.readmitted": _("Re-admitted"),
    "member.suspended": _("Suspended"),
    "member.withdrawn": _("Withdrew from the union"),
    "member.expelled": _("Expelled"),
    "member.card_reissued": _("Card reissued"),
    "member.bulk_create": _("People recorded in bulk"),
    "member.import": _("Roster imported"),
    "personal.view": _("Personal data viewed in full"),
    "personal.export": _("Personal data exported"),
    "target.set": _("Target set"),
}


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if "." in name:
        related, _sep, rest = name.partition(".")
        try:
            target = model._meta.get_field(related).related_model if model else None
        except FieldDoesNotExist:
            target = None
        prefix = _field_label(model, related)
        return f"{prefix}: {_field_label(target, rest)}"  # type: ignore[arg-type]
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # A reverse relation (a programme's categories, an initiative's authors) has no
    # verbose_name of its own: name it by the related model.
    label = getattr(field, "verbose_name", None)
    if label is None and field.related_model is not None:
        label = field.related_model._meta.verbose_name_plural  # type: ignore[union-attr]
    return str(label or name)


def _date_text(value: Any) -> Any:
    """An ISO date from the trail, written dd/mm/yyyy."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def _model_of(event: AuditEvent) -> type[models.Model] | None:
    try:
        return apps.get_model(event.target_type)
    except (LookupError, ValueError):
        return None


def _field_of(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def audit_display(events: list[AuditEvent]) -> list[dict[str, Any]]:
    """Audit events ready to show: labels for actions and fields, related records by name.

    Related records are fetched once per related model for all the events together.
    """
    wanted: dict[type[models.Model], set[str]] = {}
    for event in events:
        model = _model_of(event)
        for name, values in event.changes.items():
            field = _field_of(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                pair = values if isinstance(values, list) else [None, values]
                ids = {str(v) for v in pair if v not in (None, "")}
                wanted.setdefault(field.related_model, set()).update(ids)
    names: dict[type[models.Model], dict[str, str]] = {}
    for related, ids in wanted.items():
        numeric = [i for i in ids if i.isdigit()]
        names[related] = {
            str(obj.pk): str(obj) for obj in related._default_manager.filter(pk__in=numeric)
        }
    rows = []
    for event in events:
        model = _model_of(event)
        changes = []
        for name, values in event.changes.items():
            before, after = (
                [*values, None, None][:2] if isinstance(values, list) else (None, values)
            )
            if before in (None, "") and after in (None, ""):
                continue
            field = _field_of(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                known = names.get(field.related_model, {})
                before = known.get(str(before), before)
                after = known.get(str(after), after)
            elif isinstance(field, models.DateField) and not isinstance(
                field, models.DateTimeField
            ):
                before, after = (_date_text(before), _date_text(after))
            elif field is not None and getattr(field, "choices", None):
                labels = {str(k): str(v) for k, v in field.choices}
                before = labels.get(str(before), before)
                after = labels.get(str(after), after)
            changes.append(
                (
                    capfirst(_field_label(model, name)),
                    "" if before is None else str(before),
                    "" if after is None else str(after),
                )
            )
        rows.append(
            {
                "event": event,
                "action": ACTION_LABELS.get(event.action, event.action),
                "changes": changes,
            }
        )
    return rows


def audit_trail(
    records: Iterable[models.Model], *, limit: int = 50, with_summary: bool = False
) -> list[dict[str, Any]]:
    """The audit trail of these records, newest first, ready for `_audit.html` (one query,
    plus the names of related records). With `with_summary`, each action reads
    "Action: summary" (a decision's reason, a reopened case's why)."""
    q = models.Q(pk__in=[])
    for record in records:
        q |= models.Q(target_type=record._meta.label_lower, target_id=str(record.pk))
    events = AuditEvent.objects.filter(q).select_related("actor")[:limit]
    rows = audit_display(list(events))
    if with_summary:
        for row in rows:
            if row["event"].summary:
                row["action"] = f"{row['action']}: {row['event'].summary}"
    return rows
