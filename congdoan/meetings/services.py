"""Meetings: reads scoped to the user, and the writes (create, edit, cancel), each one
transaction, validated and audited.

A meeting is held by a unit and seen by whoever reaches that unit or a unit below it (the
subtree attends its conferences); it is changed by whoever may write the unit. The award
decisions handed out at it are decisions of the unit's subtree, or of a unit above it that
award someone in the subtree; likewise the pacts signed at it.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.awards.models import AwardDecision, AwardRecipient, DecisionStatus
from congdoan.core.audit import audit_record, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.emulation.models import BlocMember, Pact
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_STEP, Unit

from .models import AgendaItem, Guest, Meeting, MeetingKind, MeetingStatus

Actor = User | AnonymousUser | None

FIELDS = [
    "kind",
    "title",
    "date",
    "start_time",
    "end_date",
    "end_time",
    "place",
    "chair_name",
    "chair_position",
    "plenary_number",
    "committee_term",
    "expanded",
    "congress_term",
    "summary",
]
_TERM = re.compile(r"(\d{4})\s*-\s*(\d{4})")
_ROMAN = re.compile(r"[IVXLC]+")


@dataclass(frozen=True)
class GuestLine:
    name: str
    title: str = ""
    organisation: str = ""


@dataclass
class MeetingData:
    kind: str
    title: str
    date: datetime.date
    start_time: datetime.time | None = None
    end_date: datetime.date | None = None
    end_time: datetime.time | None = None
    place: str = ""
    chair_name: str = ""
    chair_position: str = ""
    parts: list[str] = field(default_factory=list)
    plenary_number: int | None = None
    committee_term: str = ""
    expanded: bool = False
    congress_term: str = ""
    summary: str = ""
    guests: list[GuestLine] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)
    represented: list[str] = field(default_factory=list)  # unit codes
    decision_ids: list[int] = field(default_factory=list)
    pact_ids: list[int] = field(default_factory=list)


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


# ---------------------------------------------------------------------------------------------
# Reads


def meetings_visible(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings of the units the user reaches, and of the units above them."""
    return Meeting.objects.filter(access.seen_from_below_q(user, "unit__path"))


def meetings_of(unit: Unit, *, kind: str = "", year: int | None = None) -> QuerySet[Meeting]:
    """Meetings held by `unit` and the units below it, newest first."""
    qs = Meeting.objects.filter(unit__path__gte=unit.path, unit__path__lt=unit.path_end)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
    return qs.order_by("-date", "-start_time", "-id")


def meeting_for_view(user: AnyUser, pk: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("unit", "unit__parent", "programme", "bloc", "host_unit")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not access.can_see_from_below(user, meeting.unit):
        raise Http404
    return meeting


def meeting_for_write(user: AnyUser, pk: int) -> Meeting:
    meeting = meeting_for_view(user, pk)
    if not access.can_write(user, meeting.unit):
        raise Http404
    return meeting


def ancestor_paths(unit: Unit) -> list[str]:
    return [unit.path[:i] for i in range(PATH_STEP, len(unit.path), PATH_STEP)]


def decisions_linkable(unit: Unit) -> QuerySet[AwardDecision]:
    """Issued decisions a meeting of `unit` may hand out: the subtree's own, and those of the
    units above it that award a collective or a person of the subtree."""
    in_subtree = Q(unit__path__gte=unit.path, unit__path__lt=unit.path_end)
    awards_below = Exists(
        AwardRecipient.objects.filter(
            decision=OuterRef("pk"), path__gte=unit.path, path__lt=unit.path_end
        )
    )
    return (
        AwardDecision.objects.filter(status=DecisionStatus.ISSUED)
        .filter(in_subtree | (Q(unit__path__in=ancestor_paths(unit)) & awards_below))
        .select_related("form", "unit")
        .order_by("-date", "-id")
    )


def pacts_linkable(unit: Unit) -> QuerySet[Pact]:
    """Pacts a meeting of `unit` may witness: of blocs owned in its subtree, or of blocs owned
    above it that hold a unit of the subtree."""
    owned_below = Q(bloc__owner__path__gte=unit.path, bloc__owner__path__lt=unit.path_end)
    holds_below = Exists(
        BlocMember.objects.filter(
            bloc=OuterRef("bloc"), unit__path__gte=unit.path, unit__path__lt=unit.path_end
        )
    )
    return (
        Pact.objects.filter(
            owned_below | (Q(bloc__owner__path__in=ancestor_paths(unit)) & holds_below)
        )
        .select_related("bloc", "bloc__owner")
        .order_by("-dated", "-id")
    )


# ---------------------------------------------------------------------------------------------
# Checks


def _clean(unit: Unit, data: MeetingData) -> dict[str, object]:
    if data.kind not in MeetingKind.values:
        raise ServiceError(_("Choose the kind of meeting."), field="kind")
    title = " ".join((data.title or "").split())
    if not title:
        raise ServiceError(_("Type the title of the meeting."), field="title")
    parts = []
    for part in data.parts:
        if part not in MeetingKind.values:
            raise ServiceError(
                _("Choose the other parts of the meeting from the list."), field="parts"
            )
        if part != data.kind and part not in parts:
            parts.append(str(part))
    if data.end_date is not None and data.end_date < data.date:
        raise ServiceError(
            _("The meeting ends before it starts: the end date is before the date."),
            field="end_date",
        )
    same_day = data.end_date is None or data.end_date == data.date
    if same_day and data.start_time and data.end_time and data.end_time <= data.start_time:
        raise ServiceError(
            _("The meeting ends before it starts: the end time is not after the start time."),
            field="end_time",
        )
    if data.end_time and not data.start_time:
        raise ServiceError(_("Type the start time as well as the end time."), field="start_time")
    if data.plenary_number is not None and data.plenary_number < 1:
        raise ServiceError(_("The plenary number is 1 or more."), field="plenary_number")
    committee = (data.committee_term or "").strip().upper()
    if committee and not _ROMAN.fullmatch(committee):
        raise ServiceError(
            _("Write the executive committee's term in Roman numerals, e.g. XVIII."),
            field="committee_term",
        )
    term = (data.congress_term or "").strip()
    if term:
        match = _TERM.fullmatch(term)
        if match is None or not 0 < int(match[2]) - int(match[1]) <= 5:
            raise ServiceError(
                _("Write the congress term as its two years, e.g. 2023-2028."),
                field="congress_term",
            )
        term = f"{match[1]}-{match[2]}"
    for n, guest in enumerate(data.guests, 1):
        if not guest.name.strip():
            raise ServiceError(_("Guest %(n)s has no name.") % {"n": n}, field="guests")
    return {
        "kind": data.kind,
        "parts": parts,
        "title": title[:300],
        "date": data.date,
        "start_time": data.start_time,
        "end_date": data.end_date,
        "end_time": data.end_time,
        "place": data.place.strip()[:255],
        "chair_name": data.chair_name.strip()[:120],
        "chair_position": data.chair_position.strip()[:200],
        "plenary_number": data.plenary_number,
        "committee_term": committee,
        "expanded": bool(data.expanded),
        "congress_term": term,
        "summary": data.summary.strip(),
    }


def _represented(unit: Unit, codes: list[str]) -> list[Unit]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    out = []
    for code in wanted:
        other = found.get(code)
        if other is None or not other.path.startswith(unit.path):
            raise ServiceError(
                _(
                    "The unit %(code)s is not a unit of %(unit)s; only units of its subtree can be "
                    "recorded as represented."
                )
                % {"code": code, "unit": unit.name},
                field="represented",
            )
        out.append(other)
    return out


def _decisions(unit: Unit, ids: list[int]) -> list[AwardDecision]:
    wanted = list(dict.fromkeys(ids))
    found = {d.pk: d for d in decisions_linkable(unit).filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in found:
            raise ServiceError(
                _(
                    "Award decision no. %(id)s cannot be handed out at a meeting of %(unit)s: "
                    "it is not a decision you can see from this unit, or it was not issued."
                )
                % {"id": pk, "unit": unit.name},
                field="decisions",
            )
    return [found[pk] for pk in wanted]


def _pacts(unit: Unit, ids: list[int]) -> list[Pact]:
    wanted = list(dict.fromkeys(ids))
    found = {p.pk: p for p in pacts_linkable(unit).filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in found:
            raise ServiceError(
                _(
                    "Pact no. %(id)s cannot be recorded at a meeting of %(unit)s: it is not a pact "
                    "you can see from this unit."
                )
                % {"id": pk, "unit": unit.name},
                field="pacts",
            )
    return [found[pk] for pk in wanted]


def _guest_rows(data: MeetingData) -> list[tuple[str, str, str]]:
    """The guests as written: (name, title, organisation), trimmed."""
    return [
        (g.name.strip()[:120], g.title.strip()[:200], g.organisation.strip()[:255])
        for g in data.guests
    ]


def _agenda_rows(data: MeetingData) -> list[str]:
    return [" ".join(t.split())[:500] for t in data.agenda if t.strip()]


def _write_lists(
    meeting: Meeting,
    data: MeetingData,
    units: list[Unit],
    decisions: list[AwardDecision],
    pacts: list[Pact],
) -> None:
    meeting.guests.all().delete()
    Guest.objects.bulk_create(
        [
            Guest(meeting=meeting, position=i, name=name, title=title, organisation=organisation)
            for i, (name, title, organisation) in enumerate(_guest_rows(data))
        ]
    )
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=i, text=t) for i, t in enumerate(_agenda_rows(data))]
    )
    meeting.units_represented.set(units)
    meeting.decisions.set(decisions)
    meeting.pacts.set(pacts)


def _lists_text(
    meeting: Meeting,
    guests: Iterable[tuple[str, str, str]],
    agenda: Iterable[str],
    unit_codes: Iterable[str],
    decisions: Iterable[AwardDecision],
    pacts: Iterable[Pact],
) -> dict[str, str]:
    """The other parts, guests, agenda and links as text, for the audit trail."""
    return {
        "parts": ", ".join(meeting.part_labels()),
        "guests": "; ".join(", ".join(x for x in g if x) for g in guests),
        "agenda": "; ".join(agenda),
        "units_represented": ", ".join(sorted(unit_codes)),
        "decisions": ", ".join(str(d) for d in decisions),
        "pacts": ", ".join(str(p) for p in pacts),
    }


def _lists_snapshot(meeting: Meeting) -> dict[str, str]:
    """The lists as recorded."""
    return _lists_text(
        meeting,
        ((g.name, g.title, g.organisation) for g in meeting.guests.all()),
        (a.text for a in meeting.agenda.all()),
        meeting.units_represented.values_list("code", flat=True),
        meeting.decisions.select_related("form").order_by("date", "id"),
        meeting.pacts.order_by("dated", "id"),
    )


def _lists_planned(
    meeting: Meeting,
    data: MeetingData,
    units: list[Unit],
    decisions: list[AwardDecision],
    pacts: list[Pact],
) -> dict[str, str]:
    """The lists as `_write_lists` would record them."""
    return _lists_text(
        meeting,
        _guest_rows(data),
        _agenda_rows(data),
        (u.code for u in units),
        sorted(decisions, key=lambda d: (d.date, d.pk)),
        sorted(pacts, key=lambda p: (p.dated, p.pk)),
    )


# ---------------------------------------------------------------------------------------------
# Writes


@audited
def meeting_create(
    *, actor: Actor, unit: Unit, data: MeetingData, is_demo: bool = False, **extra: object
) -> Meeting:
    """Record a meeting of `unit`. `extra` sets the programme, bloc and host of a generated
    working session."""
    if actor is not None and not access.can_write(actor, unit):
        raise Http404
    values = _clean(unit, data)
    units = _represented(unit, data.represented)
    decisions = _decisions(unit, data.decision_ids)
    pacts = _pacts(unit, data.pact_ids)
    meeting = Meeting.objects.create(
        unit=unit,
        created_by=_user(actor),
        is_demo=is_demo,
        **values,
        **extra,
    )
    _write_lists(meeting, data, units, decisions, pacts)
    audit_record(
        actor=actor,
        action="meeting.create",
        target=meeting,
        unit_id=unit.pk,
        changes={**snapshot(meeting, FIELDS), **_lists_snapshot(meeting)},
        summary=meeting.title,
    )
    return meeting


@audited
def meeting_update(*, actor: Actor, meeting: Meeting, data: MeetingData) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if actor is not None and not access.can_write(actor, meeting.unit):
        raise Http404
    if meeting.is_cancelled:
        raise ServiceError(_("A cancelled meeting cannot be changed."))
    before = {**snapshot(meeting, FIELDS), **_lists_snapshot(meeting)}
    # The guests and agenda as rows: their text for the trail can read the same for different
    # rows (a title moved to the organisation column, an item split in two).
    rows_before = (
        [(g.name, g.title, g.organisation) for g in meeting.guests.all()],
        [a.text for a in meeting.agenda.all()],
    )
    values = _clean(meeting.unit, data)
    units = _represented(meeting.unit, data.represented)
    decisions = _decisions(meeting.unit, data.decision_ids)
    pacts = _pacts(meeting.unit, data.pact_ids)
    for name, value in values.items():
        setattr(meeting, name, value)
    after = {**snapshot(meeting, FIELDS), **_lists_planned(meeting, data, units, decisions, pacts)}
    changes = diff(before, after)
    if not changes:
        if rows_before == (_guest_rows(data), _agenda_rows(data)):
            return meeting  # saved unchanged: nothing to write
        changes = {k: [before[k], after[k]] for k in ("guests", "agenda")}
    meeting.save()
    _write_lists(meeting, data, units, decisions, pacts)
    audit_record(
        actor=actor,
        action="meeting.update",
        target=meeting,
        unit_id=meeting.unit_id,
        changes=changes,
        summary=meeting.title,
    )
    return meeting


@audited
def meeting_cancel(*, actor: Actor, meeting: Meeting, date: datetime.date, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if actor is not None and not access.can_write(actor, meeting.unit):
        raise Http404
    if meeting.is_cancelled:
        raise ServiceError(_("The meeting is already cancelled."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(_("Say why the meeting is cancelled."), field="reason")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_on = date
    meeting.cancel_reason = reason[:255]
    meeting.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    audit_record(
        actor=actor,
        action="meeting.cancel",
        target=meeting,
        unit_id=meeting.unit_id,
        changes={"status": [MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED]},
        summary=reason,
    )
    return meeting


def data_of(meeting: Meeting) -> MeetingData:
    """A meeting's current content, to edit it."""
    return MeetingData(
        kind=meeting.kind,
        title=meeting.title,
        date=meeting.date,
        start_time=meeting.start_time,
        end_date=meeting.end_date,
        end_time=meeting.end_time,
        place=meeting.place,
        chair_name=meeting.chair_name,
        chair_position=meeting.chair_position,
        parts=list(meeting.parts),
        plenary_number=meeting.plenary_number,
        committee_term=meeting.committee_term,
        expanded=meeting.expanded,
        congress_term=meeting.congress_term,
        summary=meeting.summary,
        guests=[GuestLine(g.name, g.title, g.organisation) for g in meeting.guests.all()],
        agenda=[a.text for a in meeting.agenda.all()],
        represented=list(meeting.units_represented.order_by("code").values_list("code", flat=True)),
        decision_ids=list(meeting.decisions.values_list("pk", flat=True)),
        pact_ids=list(meeting.pacts.values_list("pk", flat=True)),
    )
