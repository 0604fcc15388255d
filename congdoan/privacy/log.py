"""Who accessed a person's personal data: the audit events of viewings and exports.

A viewing in full (`personal.view`) and an export of the person's own record
(`personal.export` on the member) name the person. A roster export (`personal.export` on a
unit) names the unit; the person was in it if, when it was made, their grassroots union lay in
that unit's subtree (and, where the export recorded them, they matched its status and date
filters). That is worked out from the person's membership events (when each was recorded, so
the union they were in at the moment of the export) and the dated versions of their unions
(the tree as it stood that day) in a fixed number of queries, whatever the number of events.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congdoan.core.models import AuditEvent
from congdoan.members.models import EventKind, Member, MemberEvent, MembershipSpell, MemberStatus
from congdoan.org.models import PATH_STEP, Unit, UnitVersion

ACCESS_ACTIONS = ("personal.view", "personal.export")
MEMBER_TYPE = Member._meta.label_lower
UNIT_TYPE = Unit._meta.label_lower

# The member's status after each kind of membership event (card events change nothing).
_STATUS_AFTER: dict[str, str] = {
    EventKind.RECORDED: MemberStatus.WORKER,
    EventKind.ADMITTED: MemberStatus.ACTIVE,
    EventKind.READMITTED: MemberStatus.ACTIVE,
    EventKind.TRANSFER_IN: MemberStatus.ACTIVE,
    EventKind.SUSPENDED: MemberStatus.SUSPENDED,
    EventKind.WITHDRAWN: MemberStatus.LEFT,
    EventKind.EXPELLED: MemberStatus.LEFT,
}


def _steps(path: str) -> set[int]:
    """The ids of a path's units (each step is an id in base 36): the unit and its ancestors."""
    return {int(path[i : i + PATH_STEP], 36) for i in range(0, len(path), PATH_STEP)}


def _after(changes: dict[str, Any], key: str) -> Any:
    value = changes.get(key)
    return value[-1] if isinstance(value, list) and value else value


class _History:
    """A person's unions and statuses over time, and their unions' paths over time."""

    def __init__(self, member: Member) -> None:
        self.events = list(
            MemberEvent.objects.filter(member=member)
            .order_by("recorded_at", "id")
            .values_list("unit_id", "kind", "recorded_at")
        )
        self.unit_ids = {uid for uid, _kind, _at in self.events} | {member.unit_id}
        self.current = dict(Unit.objects.filter(pk__in=self.unit_ids).values_list("pk", "path"))
        self.versions: dict[int, list[tuple[datetime.date, datetime.date | None, str]]]
        self.versions = defaultdict(list)
        for uid, start, end, path in UnitVersion.objects.filter(
            unit_id__in=self.unit_ids
        ).values_list("unit_id", "valid_from", "valid_to", "path"):
            self.versions[uid].append((start, end, path))

    def ancestors_ever(self) -> set[int]:
        """Every unit that ever lay above (or was) one of the person's unions."""
        found: set[int] = set()
        for uid in self.unit_ids:
            for path in [self.current.get(uid, ""), *(p for _s, _e, p in self.versions[uid])]:
                found |= _steps(path)
        return found

    def path_on(self, unit_id: int, day: datetime.date) -> str:
        for start, end, path in self.versions[unit_id]:
            if start <= day and (end is None or day < end):
                return path
        return self.current.get(unit_id, "")

    def state_at(self, moment: datetime.datetime) -> tuple[int | None, str | None]:
        """(grassroots union, status) as the database held them at `moment`."""
        unit_id: int | None = None
        status: str | None = None
        for uid, kind, at in self.events:
            if at > moment:
                break
            if kind != EventKind.TRANSFER_OUT:  # the transfer-in that follows names the new union
                unit_id = uid
            status = _STATUS_AFTER.get(kind, status)
        return unit_id, status


def roster_exports_including(member: Member) -> list[int]:
    """Ids of the roster exports (`personal.export` on a unit) that included this person."""
    history = _History(member)
    if not history.events:
        return []
    exports = list(
        AuditEvent.objects.filter(
            action="personal.export",
            target_type=UNIT_TYPE,
            target_id__in=[str(i) for i in sorted(history.ancestors_ever())],
        ).values_list("pk", "at", "target_id", "changes")
    )
    spells: list[tuple[int, datetime.date, datetime.date | None]] | None = None
    found = []
    for pk, at, target_id, changes in exports:
        changes = changes or {}
        as_of = _after(changes, "as_of")
        if as_of:  # a roster of a past date: those who were members that day
            if spells is None:
                spells = list(
                    MembershipSpell.objects.filter(member=member).values_list(
                        "unit_id", "start", "end"
                    )
                )
            day = datetime.date.fromisoformat(str(as_of))
            unit_id = next((u for u, s, e in spells if s <= day and (e is None or day < e)), None)
            status: str | None = MemberStatus.ACTIVE
        else:
            day = at.date()
            unit_id, status = history.state_at(at)
        if unit_id is None or int(target_id) not in _steps(history.path_on(unit_id, day)):
            continue
        wanted = _after(changes, "status")
        if wanted is not None and wanted != "" and wanted != status:
            continue
        found.append(pk)
    return found


def access_events(member: Member) -> QuerySet[AuditEvent]:
    """Every viewing and export of this person's personal data, newest first."""
    direct = Q(target_type=MEMBER_TYPE, target_id=str(member.pk), action__in=ACCESS_ACTIONS)
    rosters = roster_exports_including(member)
    q = direct | Q(pk__in=rosters) if rosters else direct
    return AuditEvent.objects.filter(q).select_related("actor").order_by("-at", "-id")


@dataclass
class AccessRow:
    event: AuditEvent
    what: str
    unit: Unit | None = None


def _field_labels(names: list[str]) -> str:
    labels = []
    for name in names:
        if name == "anonymised":
            continue
        try:
            field = Member._meta.get_field(name)
            labels.append(str(getattr(field, "verbose_name", name)))
        except FieldDoesNotExist:  # a field no longer on the model: show its name
            labels.append(name)
    return ", ".join(labels)


def describe(events: list[AuditEvent]) -> list[AccessRow]:
    """Rows to show: what each access was, with the exported unit named (one query)."""
    unit_ids = [int(e.target_id) for e in events if e.target_type == UNIT_TYPE]
    units = Unit.objects.in_bulk(unit_ids) if unit_ids else {}
    rows = []
    for event in events:
        changes = event.changes or {}
        fmt = str(_after(changes, "format") or "")
        if event.action == "personal.view":
            what = _("Viewed in full: %(fields)s") % {"fields": _field_labels(list(changes))}
            rows.append(AccessRow(event, what))
        elif event.target_type == UNIT_TYPE:
            unit = units.get(int(event.target_id))
            what = _("Roster of %(unit)s exported (%(count)s people, %(format)s)") % {
                "unit": unit.name if unit else event.summary,
                "count": _after(changes, "count") or "?",
                "format": fmt,
            }
            rows.append(AccessRow(event, what, unit))
        else:
            what = _("This person's whole record exported (%(format)s)") % {"format": fmt}
            rows.append(AccessRow(event, what))
    return rows
