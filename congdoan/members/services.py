"""Every write to members: typed, keyword-only, one transaction, validated, audited.

A membership change is a dated `MemberEvent`; it opens or closes a `MembershipSpell` (for the
roster of any date) and updates the tallies of the unit and its ancestors (for today's figures),
all in the same transaction.
"""

import datetime
import re
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core import bulk
from congdoan.core.audit import audit_record, audit_update, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi
from congdoan.core.text import fold, person_sort_key
from congdoan.org import access
from congdoan.org.models import PATH_STEP, Level, Unit

from . import tally
from .models import (
    CardSequence,
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    MemberTarget,
    Transfer,
    TransferStatus,
)
from .reference import ETHNIC_GROUPS, RELIGIONS, is_minority, validate_cccd

Actor = User | AnonymousUser | None

PERSON_FIELDS = [
    "full_name",
    "birth_date",
    "sex",
    "ethnicity",
    "religion",
    "cccd",
    "hometown_province",
    "hometown_ward",
    "residence_province",
    "residence_ward",
    "residence_address",
    "phone",
    "education",
    "qualification",
    "job_title",
    "party_member",
    "party_joined_on",
    "joined_on",
    "subunit",
]
MIN_AGE, MAX_AGE = 15, 100
SENSITIVE = {"cccd", "phone"}  # Decree 13/2023/NĐ-CP: never written in clear in the trail


def _masked(changes: dict[str, Any]) -> dict[str, Any]:
    """The audit trail keeps that a sensitive field changed, not its value."""
    from .queries import mask_cccd, mask_phone

    masks = {"cccd": mask_cccd, "phone": mask_phone}
    out = {}
    for key, value in changes.items():
        if key in SENSITIVE:
            pair = value if isinstance(value, list) else [None, value]
            value = [masks[key](str(v)) if v else v for v in pair]
        out[key] = value
    return out


PHONE_RE = re.compile(r"^(\+84|0)\d{8,10}$")
LEAVE_KINDS = {EventKind.SUSPENDED, EventKind.WITHDRAWN, EventKind.EXPELLED}


_today: tuple[float, datetime.date] = (0.0, datetime.date.min)


def today() -> datetime.date:
    """Today in the federation's time zone; remembered for a second (checks of a large import
    ask for it several times a row, and asking the time zone each time is not free)."""
    global _today
    now = time.monotonic()
    if now >= _today[0]:
        _today = (now + 1.0, timezone.localdate())
    return _today[1]


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# ---------------------------------------------------------------------------------------------
# Validation


@dataclass
class PersonData:
    """A person's details as typed in a form, an import row or the API."""

    full_name: str
    birth_date: datetime.date
    sex: str
    ethnicity: str = "01"
    religion: str = "none"
    cccd: str = ""
    hometown_province: int | None = None
    hometown_ward: int | None = None
    residence_province: int | None = None
    residence_ward: int | None = None
    residence_address: str = ""
    phone: str = ""
    education: str = ""
    qualification: str = ""
    job_title: str = ""
    party_member: bool = False
    party_joined_on: datetime.date | None = None
    joined_on: datetime.date | None = None
    subunit: Unit | None = None


_ETHNICITY_CODES = frozenset(code for code, _name in ETHNIC_GROUPS)
_RELIGION_CODES = frozenset(code for code, _name in RELIGIONS)


def clean_person(data: PersonData, *, unit: Unit) -> PersonData:
    """Normalise and check a person's details; raise ServiceError naming the field."""
    data.full_name = " ".join(data.full_name.split())
    if len(data.full_name.split()) < 2:
        raise ServiceError(_("Give the full name (family name and given name)."), field="full_name")
    if data.sex not in ("male", "female"):
        raise ServiceError(_("Choose the sex."), field="sex")
    now = today()
    age = _years_between(data.birth_date, now)
    if data.birth_date > now or age > MAX_AGE:
        raise ServiceError(
            _("The date of birth %(date)s would make the person %(age)s years old.")
            % {"date": date_vi(data.birth_date), "age": age},
            field="birth_date",
        )
    if data.ethnicity not in _ETHNICITY_CODES:
        raise ServiceError(_("Choose one of the 54 ethnic groups."), field="ethnicity")
    if data.religion not in _RELIGION_CODES:
        raise ServiceError(_("Unknown religion."), field="religion")
    data.cccd = re.sub(r"[\s.]", "", data.cccd or "")
    if data.cccd:
        problem = validate_cccd(data.cccd, birth_date=data.birth_date, sex=data.sex)
        if problem:
            raise ServiceError(problem, field="cccd")
    data.phone = re.sub(r"[\s.()-]", "", data.phone or "")
    if data.phone and not PHONE_RE.match(data.phone):
        raise ServiceError(
            _("The phone number should be 10 digits starting with 0."), field="phone"
        )
    if data.joined_on is not None:
        _check_join_date(data.joined_on, data.birth_date, field="joined_on")
    if data.party_member and data.party_joined_on and data.party_joined_on > now:
        raise ServiceError(
            _("The date of joining the party is in the future."), field="party_joined_on"
        )
    if not data.party_member:
        data.party_joined_on = None
    if data.subunit is not None and (
        data.subunit.level != Level.SUBUNIT or not data.subunit.path.startswith(unit.path)
    ):
        raise ServiceError(
            _("The union group must belong to %(unit)s.") % {"unit": unit.name}, field="subunit"
        )
    return data


def _check_join_date(day: datetime.date, birth: datetime.date, *, field: str) -> None:
    if day > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(day)}, field=field
        )
    if day < birth:
        raise ServiceError(
            _("The date %(date)s is before the date of birth.") % {"date": date_vi(day)},
            field=field,
        )
    if _years_between(birth, day) < MIN_AGE:
        raise ServiceError(
            _("On %(date)s the person was %(age)s; union members must be at least 15.")
            % {"date": date_vi(day), "age": _years_between(birth, day)},
            field=field,
        )


def check_founded(unit: Unit, day: datetime.date, *, field: str) -> None:
    """No one joins a union before it was founded."""
    if day < unit.founded_on:
        raise ServiceError(
            _("%(unit)s was founded on %(founded)s; no one can join it on %(date)s.")
            % {"unit": unit.name, "founded": date_vi(unit.founded_on), "date": date_vi(day)},
            field=field,
        )


def _check_grassroots(unit: Unit, *, field: str = "unit") -> None:
    if unit.level != Level.GRASSROOTS:
        raise ServiceError(
            _("Members belong to a grassroots union, and %(unit)s is not one.")
            % {"unit": unit.name},
            field=field,
        )
    if not unit.is_active:
        raise ServiceError(
            _("%(unit)s has been dissolved or merged.") % {"unit": unit.name}, field=field
        )


def _check_event_date(member: Member, day: datetime.date, *, field: str = "date") -> None:
    if day > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(day)}, field=field
        )
    last = (
        member.events.exclude(
            kind__in=[EventKind.RECORDED, EventKind.CARD_ISSUED, EventKind.CARD_REISSUED]
        )
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if last and day < last:
        raise ServiceError(
            _("%(name)s already has a change recorded on %(last)s; the date %(date)s is earlier.")
            % {"name": member.full_name, "last": date_vi(last), "date": date_vi(day)},
            field=field,
        )


def _active_elsewhere(cccd: str, *, exclude: int | None = None) -> Member | None:
    if not cccd:
        return None
    qs = Member.objects.filter(cccd=cccd, status=MemberStatus.ACTIVE).select_related("unit")
    if exclude:
        qs = qs.exclude(pk=exclude)
    # No ORDER BY: let the database answer from the CCCD index.
    return next(iter(qs[:1]), None)


def _duplicate_error(actor: Actor, other: Member) -> ServiceError:
    """An active member with this CCCD exists: propose a transfer, naming the unit only if the
    user may see it."""
    if actor is not None and access.can_see(actor, other.unit):
        message = _(
            "This CCCD number belongs to %(name)s, an active member of %(unit)s. To move them "
            "here, ask %(unit)s for a transfer instead of admitting them again."
        ) % {"name": other.full_name, "unit": other.unit.name}
    else:
        message = _(
            "This CCCD number belongs to an active member of another union. Ask that union to "
            "transfer them here instead of admitting them again."
        )
    return ServiceError(message, field="cccd")


# ---------------------------------------------------------------------------------------------
# Ancestors kept on the member row


def ancestors_for(unit: Unit) -> tuple[int | None, int | None]:
    """(province id, upper id) for members of `unit`: the provincial-level ancestor, and the
    unit directly above the grassroots union."""
    prefixes = [unit.path[:i] for i in range(PATH_STEP, len(unit.path), PATH_STEP)]
    rows = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "pk"))
    province = rows.get(unit.path[: 2 * PATH_STEP])
    return province, unit.parent_id


def _spell_attrs(member: Member) -> dict[str, Any]:
    return {
        "sex": member.sex,
        "birth_date": member.birth_date,
        "minority": is_minority(member.ethnicity),
        "party_since": (member.party_joined_on or member.joined_on or member.birth_date)
        if member.party_member
        else None,
    }


def _next_card_numbers(count: int) -> list[str]:
    """New member codes: a 9-digit serial and a check digit (Luhn), never reused."""
    seq, _created = CardSequence.objects.select_for_update().get_or_create(pk=1)
    CardSequence.objects.filter(pk=1).update(last=seq.last + count)
    serials = [f"{n:09d}" for n in range(seq.last + 1, seq.last + count + 1)]
    return [serial + str(luhn_digit(serial)) for serial in serials]


def _next_card_number() -> str:
    return _next_card_numbers(1)[0]


def luhn_digit(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def card_number_valid(number: str) -> bool:
    return bool(re.fullmatch(r"\d{10}", number)) and luhn_digit(number[:-1]) == int(number[-1])


# ---------------------------------------------------------------------------------------------
# Services


def _event(
    member: Member,
    kind: str,
    day: datetime.date,
    actor: Actor,
    *,
    unit: Unit,
    decision_ref: str = "",
    other_unit: Unit | None = None,
    note: str = "",
) -> MemberEvent:
    return MemberEvent.objects.create(
        member=member,
        kind=kind,
        date=day,
        unit=unit,
        other_unit=other_unit,
        decision_ref=decision_ref.strip(),
        note=note[:255],
        recorded_by=_user(actor),
    )


@audited
def member_create(
    *,
    actor: Actor,
    unit: Unit,
    data: PersonData,
    admit_on: datetime.date | None = None,
    decision_ref: str = "",
    is_demo: bool = False,
) -> Member:
    """Record a person in a grassroots union: as a worker, or admitted as a member on `admit_on`."""
    _check_grassroots(unit)
    data = clean_person(data, unit=unit)
    if admit_on is not None:
        _check_join_date(admit_on, data.birth_date, field="joined_on")
        if data.joined_on is None or data.joined_on > admit_on:
            data.joined_on = admit_on
        other = _active_elsewhere(data.cccd)
        if other is not None:
            raise _duplicate_error(actor, other)
    province, upper = ancestors_for(unit)
    member = Member(
        **{f: getattr(data, f) for f in PERSON_FIELDS},
        name_key=fold(data.full_name),
        sort_key=person_sort_key(data.full_name),
        unit=unit,
        province_id=province,
        upper_id=upper,
        status=MemberStatus.WORKER,
        status_since=admit_on or today(),
        is_demo=is_demo,
    )
    member.save()
    audit_record(
        actor=actor,
        action="member.create",
        target=member,
        unit_id=unit.pk,
        changes=_masked(
            {
                k: [None, v]
                for k, v in snapshot(member, PERSON_FIELDS).items()
                if v not in (None, "", False)
            }
        ),
        summary=member.full_name,
    )
    if admit_on is None:
        _event(member, EventKind.RECORDED, today(), actor, unit=unit)
        tally.apply(tally.chain_ids(unit), tally.Head.of(member), 1)
    else:
        _admit(member, admit_on, actor, decision_ref=decision_ref, fresh=True)
    return member


def _admit(
    member: Member, day: datetime.date, actor: Actor, *, decision_ref: str, fresh: bool = False
) -> None:
    """Make `member` active; `fresh` if the row was just created (not yet counted anywhere)."""
    check_founded(member.unit, day, field="joined_on" if fresh else "date")
    chain = tally.chain_ids(member.unit)
    before = tally.Head() if fresh else tally.Head.of(member)
    status_before = member.status
    readmission = member.events.filter(
        kind__in=[EventKind.ADMITTED, EventKind.READMITTED, EventKind.TRANSFER_IN]
    ).exists()
    member.status = MemberStatus.ACTIVE
    member.status_since = day
    if member.joined_on is None:
        member.joined_on = day
    new_card = not member.card_number
    if new_card:
        member.card_number = _next_card_number()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        other = _active_elsewhere(member.cccd, exclude=member.pk)
        raise _duplicate_error(actor, other) if other else exc from exc
    kind = EventKind.READMITTED if readmission else EventKind.ADMITTED
    _event(member, kind, day, actor, unit=member.unit, decision_ref=decision_ref)
    if new_card:
        _event(
            member,
            EventKind.CARD_ISSUED,
            day,
            actor,
            unit=member.unit,
            note=member.card_number or "",
        )
    MembershipSpell.objects.create(
        member=member, unit=member.unit, start=day, **_spell_attrs(member)
    )
    tally.change(chain, before, tally.Head.of(member))
    tally.count_year(chain, day.year, "admitted")
    audit_record(
        actor=actor,
        action=f"member.{kind}",
        target=member,
        unit_id=member.unit_id,
        changes={"status": [status_before, "active"]},
        summary=f"{decision_ref} {date_vi(day)}".strip(),
    )


@audited
def member_admit(
    *, actor: Actor, member: Member, date: datetime.date, decision_ref: str = ""
) -> Member:
    """Admit (kết nạp) a recorded worker, or re-admit a suspended or departed member."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if member.status == MemberStatus.ACTIVE:
        raise ServiceError(
            _("%(name)s is already an active member.") % {"name": member.full_name}, field="date"
        )
    _check_grassroots(member.unit)
    _check_join_date(date, member.birth_date, field="date")
    _check_event_date(member, date)
    other = _active_elsewhere(member.cccd, exclude=member.pk)
    if other is not None:
        raise _duplicate_error(actor, other)
    _admit(member, date, actor, decision_ref=decision_ref)
    return member


@audited
def member_leave(
    *,
    actor: Actor,
    member: Member,
    kind: str,
    date: datetime.date,
    decision_ref: str = "",
    note: str = "",
) -> Member:
    """Suspend (thôi sinh hoạt), withdraw (ra khỏi tổ chức) or expel (khai trừ) a member."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if kind not in LEAVE_KINDS:
        raise ServiceError(_("Unknown change."), field="kind")
    if member.status != MemberStatus.ACTIVE:
        raise ServiceError(
            _("%(name)s is not an active member.") % {"name": member.full_name}, field="kind"
        )
    if kind == EventKind.EXPELLED and not decision_ref.strip():
        raise ServiceError(_("An expulsion needs its decision number."), field="decision_ref")
    _check_event_date(member, date)
    if Transfer.objects.filter(member=member, status=TransferStatus.PENDING).exists():
        raise ServiceError(
            _("%(name)s has a transfer waiting; cancel it first.") % {"name": member.full_name},
            field="kind",
        )
    chain = tally.chain_ids(member.unit)
    before = tally.Head.of(member)
    member.status = MemberStatus.SUSPENDED if kind == EventKind.SUSPENDED else MemberStatus.LEFT
    member.status_since = date
    member.save(update_fields=["status", "status_since"])
    MembershipSpell.objects.filter(member=member, end__isnull=True).update(end=date)
    _event(member, kind, date, actor, unit=member.unit, decision_ref=decision_ref, note=note)
    tally.change(chain, before, tally.Head.of(member))
    tally.count_year(chain, date.year, "left")
    audit_record(
        actor=actor,
        action=f"member.{kind}",
        target=member,
        unit_id=member.unit_id,
        changes={"status": ["active", member.status]},
        summary=f"{decision_ref} {date_vi(date)}".strip(),
    )
    return member


@audited
def member_update(*, actor: Actor, member: Member, data: PersonData) -> Member:
    """Correct a person's details; figures and past spells follow (they are corrections)."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    data = clean_person(data, unit=member.unit)
    if member.status == MemberStatus.ACTIVE and data.cccd and data.cccd != member.cccd:
        other = _active_elsewhere(data.cccd, exclude=member.pk)
        if other is not None:
            raise _duplicate_error(actor, other)
    before = snapshot(member, PERSON_FIELDS)
    head_before = tally.Head.of(member)
    for f in PERSON_FIELDS:
        setattr(member, f, getattr(data, f))
    member.name_key = fold(member.full_name)
    member.sort_key = person_sort_key(member.full_name)
    member.save()
    tally.change(tally.chain_ids(member.unit), head_before, tally.Head.of(member))
    MembershipSpell.objects.filter(member=member).update(**_spell_attrs(member))
    changes = _masked(diff(before, snapshot(member, PERSON_FIELDS)))
    audit_update(
        actor=actor,
        action="member.update",
        target=member,
        unit_id=member.unit_id,
        changes=changes,
        summary=member.full_name,
    )
    return member


def _relocate(member: Member, to_unit: Unit, day: datetime.date) -> None:
    """Move an active member's spell, ancestors and tallies to another grassroots union."""
    old_chain, new_chain = tally.chain_ids(member.unit), tally.chain_ids(to_unit)
    head = tally.Head.of(member)
    leaving = [u for u in old_chain if u not in new_chain]
    joining = [u for u in new_chain if u not in old_chain]
    tally.apply(leaving, head, -1)
    tally.apply(joining, head, 1)
    if member.status == MemberStatus.ACTIVE:  # only active members' moves are transfers
        tally.count_year(leaving, day.year, "transferred_out")
        tally.count_year(joining, day.year, "transferred_in")
    MembershipSpell.objects.filter(member=member, end__isnull=True).update(end=day)
    if member.status == MemberStatus.ACTIVE:
        MembershipSpell.objects.create(
            member=member, unit=to_unit, start=day, **_spell_attrs(member)
        )
    member.unit = to_unit
    member.subunit = None
    member.province_id, member.upper_id = ancestors_for(to_unit)
    member.save(update_fields=["unit", "subunit", "province", "upper"])


@audited
def transfer_request(
    *, actor: Actor, member: Member, to_unit: Unit, date: datetime.date, decision_ref: str = ""
) -> Transfer:
    """Ask `to_unit` to receive an active member (chuyển sinh hoạt); it takes effect when the
    receiving union confirms."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if member.status != MemberStatus.ACTIVE:
        raise ServiceError(_("Only active members can be transferred."), field="to_unit")
    _check_grassroots(to_unit, field="to_unit")
    if to_unit.pk == member.unit_id:
        raise ServiceError(
            _("%(name)s is already in %(unit)s.")
            % {"name": member.full_name, "unit": to_unit.name},
            field="to_unit",
        )
    _check_event_date(member, date)
    if Transfer.objects.filter(member=member, status=TransferStatus.PENDING).exists():
        raise ServiceError(
            _("%(name)s already has a transfer waiting.") % {"name": member.full_name},
            field="to_unit",
        )
    transfer = Transfer.objects.create(
        member=member,
        from_unit=member.unit,
        to_unit=to_unit,
        date=date,
        decision_ref=decision_ref.strip(),
        requested_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="transfer.request",
        target=transfer,
        unit_id=member.unit_id,
        changes={"to_unit": [None, to_unit.pk]},
        summary=member.full_name,
    )
    return transfer


@audited
def transfer_decide(*, actor: Actor, transfer: Transfer, accept: bool) -> Transfer:
    """The receiving union confirms (the member moves on the transfer date) or refuses."""
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("member", "to_unit", "from_unit")
        .get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.PENDING:
        raise ServiceError(_("This transfer was already decided."))
    member = Member.objects.select_for_update().select_related("unit").get(pk=transfer.member_id)
    if accept:
        _check_grassroots(transfer.to_unit, field="to_unit")
        _relocate(member, transfer.to_unit, transfer.date)
        _event(
            member,
            EventKind.TRANSFER_OUT,
            transfer.date,
            actor,
            unit=transfer.from_unit,
            other_unit=transfer.to_unit,
            decision_ref=transfer.decision_ref,
        )
        _event(
            member,
            EventKind.TRANSFER_IN,
            transfer.date,
            actor,
            unit=transfer.to_unit,
            other_unit=transfer.from_unit,
            decision_ref=transfer.decision_ref,
        )
    transfer.status = TransferStatus.CONFIRMED if accept else TransferStatus.REFUSED
    transfer.decided_by = _user(actor)
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=f"transfer.{transfer.status}",
        target=transfer,
        unit_id=transfer.to_unit_id,
        changes={"unit": [transfer.from_unit_id, member.unit_id]},
        summary=member.full_name,
    )
    return transfer


@audited
def transfer_cancel(*, actor: Actor, transfer: Transfer) -> Transfer:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.PENDING:
        raise ServiceError(_("This transfer was already decided."))
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by = _user(actor)
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="transfer.cancelled",
        target=transfer,
        unit_id=transfer.from_unit_id,
        changes={"status": [TransferStatus.PENDING, TransferStatus.CANCELLED]},
        summary=str(transfer),
    )
    return transfer


@audited
def card_reissue(*, actor: Actor, member: Member, date: datetime.date, note: str = "") -> Member:
    """Reissue a lost or damaged card; the member code stays the same."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.ACTIVE or not member.card_number:
        raise ServiceError(_("Only active members have cards."), field="date")
    if date > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(date)}, field="date"
        )
    _event(
        member,
        EventKind.CARD_REISSUED,
        date,
        actor,
        unit=member.unit,
        note=note or member.card_number,
    )
    audit_record(
        actor=actor,
        action="member.card_reissued",
        target=member,
        unit_id=member.unit_id,
        summary=note,
    )
    return member


@audited
def target_set(*, actor: Actor, unit: Unit, year: int, new_members: int) -> MemberTarget:
    if new_members < 0:
        raise ServiceError(_("The target cannot be negative."), field="new_members")
    if not 2000 <= year <= today().year + 5:
        raise ServiceError(
            _("Choose a year between 2000 and %(max)s.") % {"max": today().year + 5}, field="year"
        )
    target, created = MemberTarget.objects.get_or_create(
        unit=unit, year=year, defaults={"new_members": new_members}
    )
    before = None if created else target.new_members
    if not created:
        target.new_members = new_members
        target.save(update_fields=["new_members"])
    audit_record(
        actor=actor,
        action="target.set",
        target=target,
        unit_id=unit.pk,
        changes={"new_members": [before, new_members]},
        summary=f"{year}",
    )
    return target


@audited
def sensitive_viewed(*, actor: Actor, member: Member, fields: list[str]) -> None:
    """Record that someone saw personal data in full (Decree 13/2023/NĐ-CP)."""
    audit_record(
        actor=actor,
        action="personal.view",
        target=member,
        unit_id=member.unit_id,
        changes={f: [None, "viewed"] for f in fields},
        summary=member.full_name,
    )


# ---------------------------------------------------------------------------------------------
# Many at once (imports, demo data): the same rules, set-based writes


@dataclass
class BulkEntry:
    unit: Unit
    data: PersonData
    admit_on: datetime.date | None = None
    decision_ref: str = ""


class BulkError(ServiceError):
    """Every problem of a batch: (entry index, field, message); nothing was written."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__("; ".join(f"{i + 1}: {m}" for i, _f, m in problems[:20]))
        self.problems = problems


_EVENT_FIELDS = ["member", "kind", "date", "decision_ref", "unit", "other_unit",
                 "note", "recorded_by", "recorded_at"]  # fmt: skip
_SPELL_FIELDS = ["member", "unit", "start", "end", "sex", "birth_date",
                 "minority", "party_since"]  # fmt: skip


class BulkAdmission:
    """Record many people in batches within the caller's transaction (imports, demo data):
    each batch is checked as `member_create` would check it and written with set-based inserts,
    or refused whole (BulkError, indices within the batch); the subtree tallies, which every
    batch touches, are brought up to date once, by `finish`."""

    def __init__(self, *, actor: Actor, is_demo: bool = False, checked: bool = False) -> None:
        self.actor = actor
        self.user = _user(actor)
        self.is_demo = is_demo
        self.checked = checked  # the importer has already cleaned every row
        self.seen_cccd: dict[str, int] = {}  # across batches: CCCD -> running entry number
        self.ancestors: dict[int, tuple[int | None, int | None]] = {}
        self.heads: list[tuple[Unit, tally.Head]] = []
        self.years: list[tuple[Unit, int]] = []
        self.units: set[int] = set()
        self.count = 0
        self.admitted = 0
        self.first: Member | None = None

    def _problems(self, entries: list[BulkEntry]) -> list[tuple[int, str, str]]:
        problems: list[tuple[int, str, str]] = []
        mine: dict[str, int] = {}
        for i, e in enumerate(entries):
            try:
                _check_grassroots(e.unit)
                if not self.checked:
                    clean_person(e.data, unit=e.unit)
                if e.admit_on is not None:
                    _check_join_date(e.admit_on, e.data.birth_date, field="joined_on")
                    check_founded(e.unit, e.admit_on, field="joined_on")
                    if e.data.joined_on is None or e.data.joined_on > e.admit_on:
                        e.data.joined_on = e.admit_on
                    if e.data.cccd:
                        earlier = self.seen_cccd.get(e.data.cccd)
                        if earlier is not None:
                            raise ServiceError(
                                _("The same CCCD number is in entry %(other)s.")
                                % {"other": earlier + 1},
                                field="cccd",
                            )
                        self.seen_cccd[e.data.cccd] = self.count + i
                        mine[e.data.cccd] = i
            except ServiceError as exc:
                problems.append((i, exc.field or "", " ".join(exc.messages)))
        # (An import has looked everyone up already; the unique constraint stands guard.)
        if mine and not self.checked:
            taken = Member.objects.filter(
                cccd__in=list(mine), status=MemberStatus.ACTIVE
            ).select_related("unit")
            for other in taken:
                problems.append(
                    (
                        mine[other.cccd],
                        "cccd",
                        " ".join(_duplicate_error(self.actor, other).messages),
                    )
                )
        return sorted(problems)

    def add(self, entries: list[BulkEntry]) -> list[Member]:
        """Check and write one batch; BulkError (and nothing written) if any entry fails."""
        problems = self._problems(entries)
        if problems:
            raise BulkError(problems)
        admitted = [e for e in entries if e.admit_on is not None]
        cards = iter(_next_card_numbers(len(admitted)) if admitted else [])
        members = []
        for e in entries:
            if e.unit.pk not in self.ancestors:
                self.ancestors[e.unit.pk] = ancestors_for(e.unit)
            province, upper = self.ancestors[e.unit.pk]
            active = e.admit_on is not None
            members.append(Member(
                **{f: getattr(e.data, f) for f in PERSON_FIELDS if f != "subunit"},
                subunit_id=e.data.subunit.pk if e.data.subunit is not None else None,
                name_key=fold(e.data.full_name), sort_key=person_sort_key(e.data.full_name),
                unit_id=e.unit.pk, province_id=province, upper_id=upper,
                status=MemberStatus.ACTIVE if active else MemberStatus.WORKER,
                status_since=e.admit_on or today(), card_number=next(cards) if active else None,
                is_demo=self.is_demo,
            ))  # fmt: skip
        bulk.create_many(members)
        # Their events and spells are written as plain rows (nobody needs them as instances).
        user_id = self.user.pk if self.user is not None else None
        now = bulk.db_value(MemberEvent, "recorded_at", timezone.now())
        events: list[bulk.Row] = []
        spells: list[bulk.Row] = []
        for member, e in zip(members, entries, strict=True):
            self.heads.append((e.unit, tally.Head.of(member)))
            self.units.add(e.unit.pk)
            if e.admit_on is None:
                events.append((member.pk, EventKind.RECORDED.value, today(), "", e.unit.pk, None,
                               "", user_id, now))  # fmt: skip
                continue
            self.years.append((e.unit, e.admit_on.year))
            events.append((member.pk, EventKind.ADMITTED.value, e.admit_on,
                           e.decision_ref.strip(), e.unit.pk, None, "", user_id, now))  # fmt: skip
            events.append((member.pk, EventKind.CARD_ISSUED.value, e.admit_on, "", e.unit.pk,
                           None, member.card_number or "", user_id, now))  # fmt: skip
            a = _spell_attrs(member)
            spells.append((member.pk, e.unit.pk, e.admit_on, None, a["sex"], a["birth_date"],
                           a["minority"], a["party_since"]))  # fmt: skip
        bulk.RowWriter(MemberEvent, _EVENT_FIELDS).write(events)
        bulk.RowWriter(MembershipSpell, _SPELL_FIELDS).write(spells)
        self.first = self.first or (members[0] if members else None)
        self.count += len(members)
        self.admitted += len(admitted)
        return members

    def finish(self, *, summary: str = "", audit: bool = True) -> None:
        """Bring the tallies up to date and (unless the caller audits the whole work itself)
        record one audit event for everything added."""
        tally.apply_many(self.heads)
        tally.count_years(self.years, "admitted")
        self.heads, self.years = [], []
        if audit and self.first is not None:
            units = self.units
            audit_record(
                actor=self.actor, action="member.bulk_create", target=self.first,
                unit_id=next(iter(units)) if len(units) == 1 else None,
                changes={"count": [None, self.count], "admitted": [None, self.admitted]},
                summary=summary or _("%(count)s people recorded") % {"count": self.count},
            )  # fmt: skip


@audited
def member_bulk_create(
    *,
    actor: Actor,
    entries: list[BulkEntry],
    summary: str = "",
    is_demo: bool = False,
    checked: bool = False,
) -> list[Member]:
    """Record many people at once (as workers, or admitted on their `admit_on`): every entry is
    checked as `member_create` would; all are written, or none (BulkError lists the problems).
    One audit event records the batch."""
    batch = BulkAdmission(actor=actor, is_demo=is_demo, checked=checked)
    members = batch.add(entries)
    batch.finish(summary=summary)
    return members


@audited
def roster_exported(*, actor: Actor, unit: Unit, count: int, fmt: str, status: str = "active",
                    as_of: datetime.date | None = None) -> None:  # fmt: skip
    """Record that a roster with personal data left the system (Decree 13/2023/NĐ-CP), with
    the status and date it was filtered by (the access log of a person reads them)."""
    changes: dict[str, Any] = {"count": [None, count], "format": [None, fmt],
                               "status": [None, status]}  # fmt: skip
    if as_of is not None:
        changes["as_of"] = [None, as_of]
    audit_record(actor=actor, action="personal.export", target=unit, unit_id=unit.pk,
                 changes=changes, summary=unit.name)  # fmt: skip
