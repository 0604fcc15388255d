"""Every write on initiatives: programmes and their targets, initiatives and their authors, the
initiative council's decision, reopening, the national portal. Each is one transaction,
validated (a ServiceError naming the field, nothing written) and audited.

A decided initiative (recognised or not) keeps its authors, value, unit, programme and
submission date: changing them needs the decision reopened first, with a reason, so the trail
says why a recognised initiative changed.
"""

import datetime
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, number_vi
from congdoan.core.text import fold
from congdoan.members.models import Member, MemberStatus
from congdoan.members.services import today
from congdoan.org.models import Unit

from .models import (
    Initiative,
    InitiativeAuthor,
    InitiativeField,
    InitiativeProgramme,
    InitiativeStatus,
    ProgrammeTarget,
)

MAX_AUTHORS = 20
_WHOLE = re.compile(r"\d+|\d{1,3}([.,]\d{3})+|\d{1,3}( \d{3})+")


# ---------------------------------------------------------------------------------------------
# Checks shared by the forms, the import and the services


def check_value(value: Any, *, field: str = "value_vnd") -> int:
    """An estimated value: a whole number of đồng, zero or more. Text with thousands separators
    ("12.500.000") is read; decimals and negative amounts are refused."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ServiceError(_("The estimated value is a whole number of đồng."), field=field)
    if isinstance(value, float):
        if not value.is_integer():
            raise ServiceError(
                _("The estimated value is a whole number of đồng, without decimals."), field=field
            )
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace("đ", "").replace("VND", "").strip()
        negative = text.startswith("-")
        digits = text.lstrip("+-").strip()
        if _WHOLE.fullmatch(digits):
            value = int(re.sub(r"[., ]", "", digits)) * (-1 if negative else 1)
        elif re.fullmatch(r"[\d.,\s]+", digits):
            raise ServiceError(
                _("The estimated value is a whole number of đồng, without decimals."), field=field
            )
        else:
            raise ServiceError(_("Type the estimated value in đồng, e.g. 12.500.000."), field=field)
    if not isinstance(value, int):
        raise ServiceError(_("The estimated value is a whole number of đồng."), field=field)
    if value < 0:
        raise ServiceError(_("The estimated value cannot be negative."), field=field)
    return value


def _check_date(day: Any, *, field: str) -> datetime.date:
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise ServiceError(_("Give the date (dd/mm/yyyy)."), field=field)
    return day


def _not_future(day: datetime.date, *, field: str) -> None:
    if day > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(day)}, field=field
        )


def in_subtree_of(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path)


def check_unit(programme: InitiativeProgramme, unit: Unit, *, field: str = "unit") -> None:
    """An initiative is recorded by a unit of the programme owner's subtree."""
    if not in_subtree_of(unit, programme.unit):
        raise ServiceError(
            _("%(unit)s is not under %(owner)s, which runs the programme “%(programme)s”.")
            % {"unit": unit.name, "owner": programme.unit.name, "programme": programme.name},
            field=field,
        )


def check_submitted_on(programme: InitiativeProgramme, day: Any, *,
                       field: str = "submitted_on") -> datetime.date:  # fmt: skip
    day = _check_date(day, field=field)
    if not programme.start <= day <= programme.end:
        raise ServiceError(
            _("The date %(date)s is outside the programme's period (%(start)s to %(end)s).")
            % {"date": date_vi(day), "start": date_vi(programme.start),
               "end": date_vi(programme.end)},
            field=field,
        )  # fmt: skip
    _not_future(day, field=field)
    return day


def author_allowed(member: Member, unit: Unit) -> bool:
    """A member may author an initiative of `unit` when they belong to a union of its
    subtree (or to it, when it is a union group)."""
    return member.unit.path.startswith(unit.path) or member.subunit_id == unit.pk


def split_shares(count: int) -> list[int]:
    """Equal shares of 100 for `count` authors, the first ones taking what does not divide."""
    base, extra = divmod(100, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


# ---------------------------------------------------------------------------------------------
# Programmes and targets


@dataclass
class ProgrammeData:
    name: str
    start: Any
    end: Any
    description: str = ""
    decision_ref: str = ""


def _check_programme(data: ProgrammeData) -> tuple[str, datetime.date, datetime.date]:
    name = (data.name or "").strip()
    if not name:
        raise ServiceError(_("Give the programme's name."), field="name")
    start = _check_date(data.start, field="start")
    end = _check_date(data.end, field="end")
    if end < start:
        raise ServiceError(
            _("The programme ends (%(end)s) before it starts (%(start)s).")
            % {"end": date_vi(end), "start": date_vi(start)},
            field="end",
        )
    return name, start, end


@audited
def programme_create(*, actor: Any, unit: Unit, data: ProgrammeData,
                     is_demo: bool = False) -> InitiativeProgramme:  # fmt: skip
    """A programme run by `unit` for its subtree."""
    name, start, end = _check_programme(data)
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    programme = InitiativeProgramme.objects.create(
        unit=unit, name=name, start=start, end=end, description=(data.description or "").strip(),
        decision_ref=(data.decision_ref or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
    )  # fmt: skip
    audit_record(
        actor=actor, action="initiative_programme.create", target=programme, unit_id=unit.pk,
        changes={"name": [None, name], "start": [None, start], "end": [None, end],
                 "decision_ref": [None, programme.decision_ref]},
        summary=name,
    )  # fmt: skip
    return programme


@audited
def programme_update(*, actor: Any, programme: InitiativeProgramme,
                     data: ProgrammeData) -> InitiativeProgramme:  # fmt: skip
    """Change a programme; its period must still hold every initiative recorded under it."""
    programme = InitiativeProgramme.objects.select_for_update().get(pk=programme.pk)
    name, start, end = _check_programme(data)
    outside = programme.initiatives.exclude(submitted_on__gte=start, submitted_on__lte=end)
    first = outside.order_by("submitted_on").values_list("submitted_on", flat=True).first()
    if first is not None:
        raise ServiceError(
            _("%(count)s initiatives were submitted outside %(start)s to %(end)s (the first on "
              "%(date)s); the period must hold them.")
            % {"count": number_vi(outside.count()), "start": date_vi(start),
               "end": date_vi(end), "date": date_vi(first)},
            field="start" if first < start else "end",
        )  # fmt: skip
    fields = ["name", "start", "end", "description", "decision_ref"]
    before = {f: getattr(programme, f) for f in fields}
    programme.name, programme.start, programme.end = name, start, end
    programme.description = (data.description or "").strip()
    programme.decision_ref = (data.decision_ref or "").strip()
    programme.save(update_fields=fields)
    changes = {f: [before[f], getattr(programme, f)] for f in fields
               if before[f] != getattr(programme, f)}  # fmt: skip
    audit_update(actor=actor, action="initiative_programme.update", target=programme,
                 unit_id=programme.unit_id, changes=changes, summary=name)  # fmt: skip
    return programme


@audited
def targets_set(*, actor: Any, programme: InitiativeProgramme,
                targets: dict[int, Any]) -> dict[int, int]:  # fmt: skip
    """Set the targets of units (by id) of the programme's subtree: a whole number of
    initiatives, zero or blank to remove a unit's target. Returns the targets that changed as
    {unit id: new target (0 = removed)}."""
    owner = programme.unit
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(targets))}
    cleaned: dict[int, int] = {}
    for unit_id, raw in targets.items():
        unit = units.get(unit_id)
        if unit is None or not in_subtree_of(unit, owner):
            raise ServiceError(
                _("Targets are set for units under %(owner)s only.") % {"owner": owner.name},
                field=f"target_{unit_id}",
            )
        if raw in (None, ""):
            cleaned[unit_id] = 0
            continue
        if isinstance(raw, bool) or not isinstance(raw, int):
            text = str(raw).strip().replace(".", "")
            if not text.isdigit():
                raise ServiceError(
                    _("The target of %(unit)s must be a whole number of initiatives.")
                    % {"unit": unit.name},
                    field=f"target_{unit_id}",
                )
            raw = int(text)
        if raw < 0:
            raise ServiceError(
                _("The target of %(unit)s cannot be negative.") % {"unit": unit.name},
                field=f"target_{unit_id}",
            )
        cleaned[unit_id] = raw
    existing = {
        t.unit_id: t
        for t in ProgrammeTarget.objects.select_for_update().filter(
            programme=programme, unit_id__in=list(cleaned)
        )
    }
    changed: dict[int, int] = {}
    for unit_id, value in cleaned.items():
        row = existing.get(unit_id)
        old = row.target if row else 0
        if old == value:
            continue
        if value == 0 and row is not None:
            row.delete()
        elif row is not None:
            row.target = value
            row.save(update_fields=["target"])
        else:
            ProgrammeTarget.objects.create(programme=programme, unit_id=unit_id, target=value)
        changed[unit_id] = value
        audit_record(
            actor=actor, action="initiative_programme.target", target=programme,
            unit_id=unit_id, changes={"target": [old, value]},
            summary=f"{units[unit_id].name}: {number_vi(old)} → {number_vi(value)}",
        )  # fmt: skip
    return changed


# ---------------------------------------------------------------------------------------------
# Initiatives


@dataclass
class InitiativeData:
    title: str
    field: str
    submitted_on: Any
    value_vnd: Any = 0
    description: str = ""
    co_authors: str = ""
    # (member, share in percent or None); all shares None = equal shares
    authors: list[tuple[Member, Any]] = dc_field(default_factory=list)


@dataclass
class CheckedInitiative:
    values: dict[str, Any]
    authors: list[tuple[Member, int]]


def _clean_co_authors(text: str) -> str:
    lines = [" ".join(line.split()) for line in re.split(r"[\n;]", text or "")]
    return "\n".join(line for line in lines if line)


def check_authors(unit: Unit, authors: list[tuple[Member, Any]], *,
                  field: str = "authors") -> list[tuple[Member, int]]:  # fmt: skip
    """The authors, in order, each a current member of a union of `unit`'s subtree, listed
    once, with shares adding up to 100 (or all blank, for equal shares)."""
    if not authors:
        raise ServiceError(_("Name at least one author who is a union member."), field=field)
    if len(authors) > MAX_AUTHORS:
        raise ServiceError(
            _("An initiative has at most %(n)s member authors.") % {"n": MAX_AUTHORS}, field=field
        )
    seen: set[int] = set()
    for member, _share in authors:
        if member.pk in seen:
            raise ServiceError(
                _("%(name)s is listed twice among the authors.") % {"name": member.full_name},
                field=field,
            )
        seen.add(member.pk)
        if member.status != MemberStatus.ACTIVE:
            raise ServiceError(
                _("%(name)s is not a union member now.") % {"name": member.full_name},
                field=field,
            )
        if not author_allowed(member, unit):
            raise ServiceError(
                _("%(name)s is not a member of a union under %(unit)s.")
                % {"name": member.full_name, "unit": unit.name},
                field=field,
            )
    shares = [s for _m, s in authors]
    if all(s in (None, "") for s in shares):
        return [(m, s) for (m, _x), s in zip(authors, split_shares(len(authors)), strict=True)]
    if any(s in (None, "") for s in shares):
        raise ServiceError(
            _("Give every author's share, or none of them (for equal shares)."), field=field
        )
    cleaned: list[tuple[Member, int]] = []
    for member, share in authors:
        if isinstance(share, bool) or not isinstance(share, int):
            text = str(share).strip().rstrip("%").strip()
            if not text.isdigit():
                raise ServiceError(
                    _("The share of %(name)s must be a whole percentage from 1 to 100.")
                    % {"name": member.full_name},
                    field=field,
                )
            share = int(text)
        if not 1 <= share <= 100:
            raise ServiceError(
                _("The share of %(name)s must be a whole percentage from 1 to 100.")
                % {"name": member.full_name},
                field=field,
            )
        cleaned.append((member, share))
    total = sum(s for _m, s in cleaned)
    if total != 100:
        raise ServiceError(
            _("The authors' shares add up to %(total)s%%; they must add up to 100%%.")
            % {"total": total},
            field=field,
        )
    return cleaned


def check_initiative(programme: InitiativeProgramme, unit: Unit,
                     data: InitiativeData) -> CheckedInitiative:  # fmt: skip
    """Every rule an initiative must meet, the same for the form, the import and the API."""
    title = " ".join((data.title or "").split())
    if not title:
        raise ServiceError(_("Give the initiative's title."), field="title")
    if len(title) > 300:
        raise ServiceError(_("The title is at most 300 characters."), field="title")
    if data.field not in InitiativeField.values:
        raise ServiceError(_("Choose the initiative's field."), field="field")
    check_unit(programme, unit)
    day = check_submitted_on(programme, data.submitted_on)
    value = check_value(data.value_vnd)
    authors = check_authors(unit, data.authors)
    return CheckedInitiative(
        values={
            "title": title, "title_key": fold(title), "field": data.field,
            "description": (data.description or "").strip(),
            "co_authors": _clean_co_authors(data.co_authors), "value_vnd": value,
            "submitted_on": day,
        },
        authors=authors,
    )  # fmt: skip


def _write_authors(initiative: Initiative, authors: list[tuple[Member, int]]) -> None:
    InitiativeAuthor.objects.bulk_create(
        [
            InitiativeAuthor(initiative=initiative, member=m, order=i, share_pct=s)
            for i, (m, s) in enumerate(authors, start=1)
        ]
    )


def _authors_text(authors: list[tuple[Member, int]]) -> str:
    return "; ".join(f"{m.full_name} ({s}%)" for m, s in authors)


def _load_members(authors: list[tuple[Member, Any]]) -> list[tuple[Member, Any]]:
    """The authors with their current unit and status read from the database."""
    found = {m.pk: m for m in Member.objects.select_related("unit").filter(
        pk__in=[m.pk for m, _s in authors])}  # fmt: skip
    return [(found.get(m.pk, m), s) for m, s in authors]


@audited
def initiative_create(*, actor: Any, programme: InitiativeProgramme, unit: Unit,
                      data: InitiativeData) -> Initiative:  # fmt: skip
    """Record an initiative of `unit` under `programme`, as submitted."""
    data.authors = _load_members(data.authors)
    checked = check_initiative(programme, unit, data)
    initiative = Initiative.objects.create(
        programme=programme, unit=unit, created_by=actor if getattr(actor, "pk", None) else None,
        **checked.values,
    )  # fmt: skip
    _write_authors(initiative, checked.authors)
    v = checked.values
    audit_record(
        actor=actor, action="initiative.create", target=initiative, unit_id=unit.pk,
        changes={"title": [None, v["title"]], "field": [None, v["field"]],
                 "value_vnd": [None, v["value_vnd"]], "submitted_on": [None, v["submitted_on"]],
                 "programme": [None, programme.pk], "author_names": [None, _authors_text(
                     checked.authors)], "co_authors": [None, v["co_authors"]]},
        summary=v["title"],
    )  # fmt: skip
    return initiative


def _locked(initiative: Initiative) -> Initiative:
    return (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("programme", "programme__unit", "unit")
        .get(pk=initiative.pk)
    )


def current_authors(initiative: Initiative) -> list[tuple[Member, int]]:
    return [
        (a.member, a.share_pct)
        for a in initiative.authors.select_related("member", "member__unit").order_by("order")
    ]


# Fields that a decision fixes: changing them needs the decision reopened.
FIXED_BY_DECISION = ("value_vnd", "submitted_on")


@audited
def initiative_update(*, actor: Any, initiative: Initiative, data: InitiativeData) -> Initiative:
    """Change an initiative. Once the council has decided, its authors, value and submission
    date stay as they were decided on until the decision is reopened."""
    initiative = _locked(initiative)
    data.authors = _load_members(data.authors)
    checked = check_initiative(initiative.programme, initiative.unit, data)
    old_authors = current_authors(initiative)
    old_pairs = [(m.pk, s) for m, s in old_authors]
    new_pairs = [(m.pk, s) for m, s in checked.authors]
    if initiative.is_decided:
        status = InitiativeStatus(initiative.status).label.lower()
        if new_pairs != old_pairs:
            raise ServiceError(
                _("This initiative was %(status)s by decision %(ref)s; its authors cannot be "
                  "changed unless the decision is reopened.")
                % {"status": status, "ref": initiative.decision_ref or "—"},
                field="authors",
            )  # fmt: skip
        for name in FIXED_BY_DECISION:
            if checked.values[name] != getattr(initiative, name):
                raise ServiceError(
                    _("This initiative was %(status)s by decision %(ref)s; its %(field)s cannot "
                      "be changed unless the decision is reopened.")
                    % {"status": status, "ref": initiative.decision_ref or "—",
                       "field": getattr(Initiative._meta.get_field(name), "verbose_name", name)},
                    field=name,
                )  # fmt: skip
    changes: dict[str, Any] = {}
    for name, value in checked.values.items():
        if getattr(initiative, name) != value:
            if name != "title_key":
                changes[name] = [getattr(initiative, name), value]
            setattr(initiative, name, value)
    if new_pairs != old_pairs:
        initiative.authors.all().delete()
        _write_authors(initiative, checked.authors)
        changes["author_names"] = [_authors_text(old_authors), _authors_text(checked.authors)]
    if not changes:
        return initiative
    initiative.save()
    audit_record(actor=actor, action="initiative.update", target=initiative,
                 unit_id=initiative.unit_id, changes=changes, summary=initiative.title)  # fmt: skip
    return initiative


@audited
def initiative_decide(*, actor: Any, initiative: Initiative, recognised: bool,
                      decided_on: Any, decision_ref: str = "",
                      comment: str = "") -> Initiative:  # fmt: skip
    """The initiative council's decision: recognised (with the decision's number) or not
    recognised (with the council's comment). Decided once; reopen to decide again."""
    initiative = _locked(initiative)
    if initiative.is_decided:
        raise ServiceError(
            _("This initiative was already %(status)s by decision %(ref)s of %(date)s; reopen "
              "the decision before deciding again.")
            % {"status": InitiativeStatus(initiative.status).label.lower(),
               "ref": initiative.decision_ref or "—", "date": date_vi(initiative.decided_on)}
        )  # fmt: skip
    day = _check_date(decided_on, field="decided_on")
    _not_future(day, field="decided_on")
    if day < initiative.submitted_on:
        raise ServiceError(
            _("The decision (%(date)s) cannot come before the initiative was submitted "
              "(%(submitted)s).")
            % {"date": date_vi(day), "submitted": date_vi(initiative.submitted_on)},
            field="decided_on",
        )  # fmt: skip
    decision_ref = (decision_ref or "").strip()
    comment = (comment or "").strip()
    if recognised and not decision_ref:
        raise ServiceError(_("Give the number of the recognition decision."),
                           field="decision_ref")  # fmt: skip
    if not recognised and not comment:
        raise ServiceError(_("Say why the council did not recognise the initiative."),
                           field="comment")  # fmt: skip
    before = initiative.status
    initiative.status = (InitiativeStatus.RECOGNISED if recognised
                         else InitiativeStatus.NOT_RECOGNISED)  # fmt: skip
    initiative.decided_on = day
    initiative.decision_ref = decision_ref
    initiative.council_comment = comment
    initiative.save(update_fields=["status", "decided_on", "decision_ref", "council_comment"])
    audit_record(
        actor=actor, action="initiative.recognise" if recognised else "initiative.reject",
        target=initiative, unit_id=initiative.unit_id,
        changes={"status": [before, initiative.status], "decided_on": [None, day],
                 "decision_ref": [None, decision_ref], "council_comment": [None, comment]},
        summary=decision_ref or comment,
    )  # fmt: skip
    return initiative


@audited
def initiative_reopen(*, actor: Any, initiative: Initiative, reason: str) -> Initiative:
    """Undo the council's decision (to correct the initiative or decide again), with a
    reason; the trail keeps the decision that was undone."""
    initiative = _locked(initiative)
    if not initiative.is_decided:
        raise ServiceError(_("This initiative has no decision to reopen."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the decision is reopened."), field="reason")
    before = {f: getattr(initiative, f)
              for f in ("status", "decided_on", "decision_ref", "council_comment")}  # fmt: skip
    initiative.status = InitiativeStatus.SUBMITTED
    initiative.decided_on = None
    initiative.decision_ref = ""
    initiative.council_comment = ""
    initiative.save(update_fields=list(before))
    audit_record(
        actor=actor, action="initiative.reopen", target=initiative, unit_id=initiative.unit_id,
        changes={k: [v, getattr(initiative, k)] for k, v in before.items()}, summary=reason,
    )  # fmt: skip
    return initiative


@audited
def initiative_portal(*, actor: Any, initiative: Initiative, uploaded: bool,
                      uploaded_on: Any = None) -> Initiative:  # fmt: skip
    """Record that the initiative was uploaded to the national portal of the "1 triệu sáng
    kiến" programme on a date (or undo that record)."""
    initiative = _locked(initiative)
    before = (initiative.on_portal, initiative.portal_on)
    if uploaded:
        day = _check_date(uploaded_on, field="portal_on")
        _not_future(day, field="portal_on")
        if day < initiative.submitted_on:
            raise ServiceError(
                _("The upload (%(date)s) cannot come before the initiative was submitted "
                  "(%(submitted)s).")
                % {"date": date_vi(day), "submitted": date_vi(initiative.submitted_on)},
                field="portal_on",
            )  # fmt: skip
        initiative.on_portal, initiative.portal_on = True, day
    else:
        initiative.on_portal, initiative.portal_on = False, None
    if before == (initiative.on_portal, initiative.portal_on):
        return initiative
    initiative.save(update_fields=["on_portal", "portal_on"])
    audit_record(
        actor=actor, action="initiative.portal", target=initiative, unit_id=initiative.unit_id,
        changes={"on_portal": [before[0], initiative.on_portal],
                 "portal_on": [before[1], initiative.portal_on]},
    )  # fmt: skip
    return initiative


@audited
def initiative_delete(*, actor: Any, initiative: Initiative, reason: str) -> None:
    """Remove an initiative recorded by mistake (or withdrawn by its authors) before the
    council decided on it; the trail keeps what it was."""
    initiative = _locked(initiative)
    if initiative.is_decided:
        raise ServiceError(
            _("This initiative was %(status)s by decision %(ref)s; reopen the decision before "
              "removing it.")
            % {"status": InitiativeStatus(initiative.status).label.lower(),
               "ref": initiative.decision_ref or "—"}
        )  # fmt: skip
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the initiative is removed."), field="reason")
    authors = _authors_text(current_authors(initiative))
    audit_record(
        actor=actor, action="initiative.delete", target=initiative, unit_id=initiative.unit_id,
        changes={"title": [initiative.title, None], "author_names": [authors, None],
                 "value_vnd": [initiative.value_vnd, None],
                 "submitted_on": [initiative.submitted_on, None]},
        summary=f"{initiative.title}: {reason}",
    )  # fmt: skip
    initiative.delete()
