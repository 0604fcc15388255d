"""Every write of the awards app: typed, keyword-only, one transaction, validated, audited.

Nominations go draft → submitted (eligibility checked; a nominee who fails a rule needs a
recorded reason) → reviewed by the council of the granting unit. Decisions go draft → issued
(never edited again) → revoked (with a reason).
"""

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.members.models import Member
from congdoan.org import queries as org_queries
from congdoan.org.models import Level, Unit, UnitVersion

from . import eligibility
from .models import (
    Authority,
    AwardDecision,
    AwardForm,
    AwardRecipient,
    BatchStatus,
    DecisionStatus,
    Discipline,
    EligibilityRule,
    NominationBatch,
    Nominee,
    RecipientKind,
    Review,
    RuleKind,
)

Actor = User | AnonymousUser | None

# The levels of the unit that grants (or, for an authority outside the union, records) a form.
AUTHORITY_LEVELS: dict[str, tuple[str, ...]] = {
    Authority.STATE: (Level.CENTRAL, Level.PROVINCE),
    Authority.PRIME_MINISTER: (Level.CENTRAL, Level.PROVINCE),
    Authority.PROVINCE_PC: (Level.PROVINCE,),
    Authority.TLD: (Level.CENTRAL,),
    Authority.PROVINCE_UNION: (Level.PROVINCE,),
    Authority.UPPER_UNION: (Level.UPPER,),
    Authority.GRASSROOTS: (Level.GRASSROOTS,),
}
DECISION_FIELDS = [
    "form",
    "year",
    "number",
    "date",
    "issuer",
    "signer",
    "signer_position",
    "on_behalf",
    "place",
    "grounds",
]


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _in_subtree(root: Unit, unit: Unit, day: datetime.date | None = None) -> bool:
    """`unit` lies under `root` (or is it), today or, given `day`, in the tree of that day (a
    proposal or a decision of 2021 is about the tree of 2021)."""
    if day is None:
        return unit.path.startswith(root.path)
    paths = _paths_on([root.pk, unit.pk], day)
    return paths.get(unit.pk, unit.path).startswith(paths.get(root.pk, root.path))


def forms_for(unit: Unit) -> Any:
    """The forms a unit may use: the national catalogue and those added by it or above it."""
    paths = [*unit.ancestor_paths(), unit.path]
    return AwardForm.objects.filter(
        Q(unit__isnull=True) | Q(unit__path__in=paths), is_active=True
    ).order_by("-rank", "name")


def council_unit_for(form: AwardForm, unit: Unit) -> Unit | None:
    """The nearest unit at or above `unit` whose council reviews nominations for `form`."""
    levels = AUTHORITY_LEVELS[form.authority]
    chain = [*org_queries.ancestors(unit), unit]
    for candidate in reversed(chain):
        if candidate.level in levels:
            return candidate
    return None


def _check_authority(form: AwardForm, unit: Unit) -> None:
    if unit.level not in AUTHORITY_LEVELS[form.authority]:
        raise ServiceError(
            _("%(form)s is granted by %(authority)s; %(unit)s cannot issue or record it.")
            % {"form": form.name, "authority": form.get_authority_display(), "unit": unit.name},
            field="form",
        )


# ---------------------------------------------------------------------------------------------
# Award forms and their rules


@audited
def form_create(
    *,
    actor: Actor,
    unit: Unit | None,
    code: str,
    name: str,
    kind: str,
    authority: str,
    recipients: str,
    phrase: str,
    rank: int = 0,
) -> AwardForm:
    if AwardForm.objects.filter(code=code).exists():
        raise ServiceError(
            _("The code %(code)s is already used by another form.") % {"code": code}, field="code"
        )
    form = AwardForm.objects.create(
        unit=unit,
        code=code,
        name=name.strip(),
        kind=kind,
        authority=authority,
        recipients=recipients,
        phrase=phrase.strip(),
        rank=rank,
    )
    audit_record(
        actor=actor,
        action="award_form.create",
        target=form,
        unit_id=unit.pk if unit else None,
        summary=form.name,
        changes={
            k: [None, v]
            for k, v in snapshot(form, ["code", "name", "kind", "authority", "recipients"]).items()
        },
    )
    return form


@audited
def form_update(*, actor: Actor, form: AwardForm, **values: Any) -> AwardForm:
    fields = ["name", "kind", "authority", "recipients", "phrase", "rank", "is_active"]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise TypeError(", ".join(unknown))
    before = snapshot(form, fields)
    for key, value in values.items():
        setattr(form, key, value)
    changes = diff(before, snapshot(form, fields))
    if not changes:
        return form  # saved as it was: nothing to write
    form.save()
    audit_record(
        actor=actor,
        action="award_form.update",
        target=form,
        unit_id=form.unit_id,
        changes=changes,
        summary=form.name,
    )
    return form


@audited
def rule_add(
    *,
    actor: Actor,
    form: AwardForm,
    kind: str,
    applies_to: str = RecipientKind.BOTH,
    grade: str = "",
    number: int | None = None,
    lower_form: AwardForm | None = None,
) -> EligibilityRule:
    if kind == RuleKind.GRADE and not grade:
        raise ServiceError(_("Choose the grade the rule needs."), field="grade")
    if kind in (RuleKind.YEARS_SINCE_SAME, RuleKind.LOWER_FORM, RuleKind.SERVICE_MONTHS) and (
        not number
    ):
        raise ServiceError(_("Give the number of years or months the rule needs."), field="number")
    if kind == RuleKind.LOWER_FORM and (lower_form is None or lower_form.pk == form.pk):
        raise ServiceError(
            _("Choose the lower form the rule needs (another form)."), field="lower_form"
        )
    if kind in (RuleKind.NO_DISCIPLINE, RuleKind.SERVICE_MONTHS):
        applies_to = RecipientKind.INDIVIDUAL
    rule = EligibilityRule.objects.create(
        form=form,
        kind=kind,
        applies_to=applies_to,
        grade=grade if kind == RuleKind.GRADE else "",
        number=number if kind != RuleKind.GRADE and kind != RuleKind.NO_DISCIPLINE else None,
        lower_form=lower_form if kind == RuleKind.LOWER_FORM else None,
    )
    audit_record(
        actor=actor,
        action="award_rule.add",
        target=form,
        unit_id=form.unit_id,
        summary=eligibility.describe(rule),
    )
    return rule


@audited
def rule_delete(*, actor: Actor, rule: EligibilityRule) -> None:
    form = rule.form
    text = eligibility.describe(rule)
    rule.delete()
    audit_record(
        actor=actor, action="award_rule.delete", target=form, unit_id=form.unit_id, summary=text
    )


# ---------------------------------------------------------------------------------------------
# Disciplines


@audited
def discipline_record(
    *,
    actor: Actor,
    unit: Unit,
    member: Member,
    date: datetime.date,
    form: str,
    decision_ref: str,
    reason: str = "",
) -> Discipline:
    if not _in_subtree(unit, member.unit, date):
        raise ServiceError(
            _("%(name)s is not a member of a union under %(unit)s.")
            % {"name": member.full_name, "unit": unit.name},
            field="member",
        )
    if date > timezone.localdate():
        raise ServiceError(_("The date is in the future."), field="date")
    row = Discipline.objects.create(
        member=member,
        unit=unit,
        date=date,
        form=form,
        decision_ref=decision_ref.strip(),
        reason=reason.strip(),
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="discipline.record",
        target=row,
        unit_id=unit.pk,
        changes={
            "member": [None, member.pk],
            "date": [None, date],
            "form": [None, form],
            "decision_ref": [None, row.decision_ref],
        },
        summary=member.full_name,
    )
    return row


@audited
def discipline_delete(*, actor: Actor, discipline: Discipline, reason: str) -> None:
    if not reason.strip():
        raise ServiceError(_("Say why the record is removed."), field="reason")
    audit_record(
        actor=actor,
        action="discipline.delete",
        target=discipline,
        unit_id=discipline.unit_id,
        changes={
            "member": [discipline.member_id, None],
            "decision_ref": [discipline.decision_ref, None],
        },
        summary=f"{discipline.member.full_name}: {reason.strip()}",
    )
    discipline.delete()


# ---------------------------------------------------------------------------------------------
# Nominations


def _form_usable(form: AwardForm, unit: Unit) -> None:
    if not forms_for(unit).filter(pk=form.pk).exists():
        raise ServiceError(
            _("This award form is not in use for %(unit)s.") % {"unit": unit.name}, field="form"
        )


@audited
def batch_create(
    *,
    actor: Actor,
    unit: Unit,
    form: AwardForm,
    year: int,
    date: datetime.date,
    number: str = "",
    note: str = "",
) -> NominationBatch:
    _form_usable(form, unit)
    council = council_unit_for(form, unit)
    if council is None:
        raise ServiceError(
            _("No union at or above %(unit)s grants %(form)s.")
            % {"unit": unit.name, "form": form.name},
            field="form",
        )
    if date.year < year:
        raise ServiceError(
            _("A proposal for %(year)s is dated in %(year)s or later.") % {"year": year},
            field="date",
        )
    batch = NominationBatch.objects.create(
        unit=unit,
        council_unit=council,
        form=form,
        year=year,
        date=date,
        number=number.strip(),
        note=note.strip(),
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="award_batch.create",
        target=batch,
        unit_id=unit.pk,
        changes={"form": [None, form.pk], "year": [None, year], "council_unit": [None, council.pk]},
        summary=f"{form.name} {year}",
    )
    return batch


def _draft(batch: NominationBatch) -> None:
    if batch.status != BatchStatus.DRAFT:
        raise ServiceError(_("The proposal was already submitted; it can no longer be changed."))


@audited
def batch_update(
    *, actor: Actor, batch: NominationBatch, date: datetime.date, number: str, note: str
) -> NominationBatch:
    _draft(batch)
    if date.year < batch.year:
        raise ServiceError(
            _("A proposal for %(year)s is dated in %(year)s or later.") % {"year": batch.year},
            field="date",
        )
    fields = ["date", "number", "note"]
    before = snapshot(batch, fields)
    batch.date, batch.number, batch.note = date, number.strip(), note.strip()
    batch.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="award_batch.update",
        target=batch,
        unit_id=batch.unit_id,
        changes=diff(before, snapshot(batch, fields)),
    )
    return batch


def _nominated(batch: NominationBatch, nominee: Nominee) -> eligibility.Nominated:
    return eligibility.Nominated(
        form=batch.form,
        year=batch.year,
        unit=nominee.unit,
        member=nominee.member,
        personal_rating=nominee.personal_rating,
    )


@audited
def nominee_add(
    *,
    actor: Actor,
    batch: NominationBatch,
    unit: Unit | None = None,
    member: Member | None = None,
    achievements: str,
    personal_rating: str = "",
    override_reason: str = "",
) -> Nominee:
    """A unit (collective) or a member (individual) of the proposing unit's subtree; the rules
    are checked at once so the page can show what fails."""
    _draft(batch)
    if (unit is None) == (member is None):
        raise ServiceError(_("Choose a unit or a member."), field="unit")
    collective = unit is not None
    field = "unit" if collective else "member"
    if not batch.form.takes(collective):
        message = (
            _("%(form)s is not awarded to collectives.")
            if collective
            else _("%(form)s is not awarded to individuals.")
        )
        raise ServiceError(message % {"form": batch.form.name}, field=field)
    home = unit if unit is not None else member.unit  # type: ignore[union-attr]
    if not _in_subtree(batch.unit, home, batch.date):
        name = unit.name if unit is not None else member.full_name  # type: ignore[union-attr]
        raise ServiceError(
            _("%(name)s is outside %(unit)s; a unit proposes only its own people and units.")
            % {"name": name, "unit": batch.unit.name},
            field=field,
        )
    duplicate = (
        batch.nominees.filter(unit=unit) if collective else batch.nominees.filter(member=member)
    )
    if duplicate.exists():
        raise ServiceError(
            _("%(name)s is already in this proposal.")
            % {"name": unit.name if unit else member.full_name},  # type: ignore[union-attr]
            field=field,
        )
    if not achievements.strip():
        raise ServiceError(_("Describe the achievements."), field="achievements")
    nominee = Nominee(
        batch=batch,
        unit=unit,
        member=member,
        achievements=achievements.strip(),
        personal_rating="" if collective else personal_rating,
        override_reason=override_reason.strip(),
    )
    nominee.failures = eligibility.failures(_nominated(batch, nominee))
    nominee.save()
    audit_record(
        actor=actor,
        action="award_nominee.add",
        target=batch,
        unit_id=batch.unit_id,
        summary=str(nominee) + (f" — {nominee.override_reason}" if nominee.override_reason else ""),
    )
    return nominee


@audited
def nominee_update(
    *,
    actor: Actor,
    nominee: Nominee,
    achievements: str,
    personal_rating: str = "",
    override_reason: str = "",
) -> Nominee:
    batch = nominee.batch
    _draft(batch)
    if not achievements.strip():
        raise ServiceError(_("Describe the achievements."), field="achievements")
    fields = ["achievements", "personal_rating", "override_reason"]
    before = snapshot(nominee, fields)
    nominee.achievements = achievements.strip()
    nominee.personal_rating = "" if nominee.is_collective else personal_rating
    nominee.override_reason = override_reason.strip()
    nominee.failures = eligibility.failures(_nominated(batch, nominee))
    nominee.save()
    audit_record(
        actor=actor,
        action="award_nominee.update",
        target=batch,
        unit_id=batch.unit_id,
        changes=diff(before, snapshot(nominee, fields)),
        summary=str(nominee),
    )
    return nominee


@audited
def nominee_remove(*, actor: Actor, nominee: Nominee) -> None:
    batch = nominee.batch
    _draft(batch)
    name = str(nominee)
    nominee.delete()
    audit_record(
        actor=actor,
        action="award_nominee.remove",
        target=batch,
        unit_id=batch.unit_id,
        summary=name,
    )


@audited
def batch_submit(*, actor: Actor, batch: NominationBatch) -> NominationBatch:
    """Check every nominee again; a nominee who fails a rule is sent only with a reason."""
    _draft(batch)
    nominees = list(batch.nominees.select_related("unit", "member", "member__unit"))
    if not nominees:
        raise ServiceError(_("Add at least one nominee before submitting."))
    rules = list(batch.form.rules.select_related("form", "lower_form"))
    blocked = []
    checked = eligibility.failures_many([_nominated(batch, n) for n in nominees], rules)
    for nominee, failed in zip(nominees, checked, strict=True):
        nominee.failures = failed
        if nominee.failures and not nominee.override_reason:
            blocked.append(f"{nominee}: {' '.join(nominee.failures)}")
    if blocked:
        raise ServiceError(
            _(
                "Some nominees do not meet the form's conditions; give a reason to propose each "
                "of them anyway, or remove them. %(list)s"
            )
            % {"list": " · ".join(blocked)}
        )
    Nominee.objects.bulk_update(nominees, ["failures"])
    batch.status = BatchStatus.SUBMITTED
    batch.submitted_at = timezone.now()
    batch.save(update_fields=["status", "submitted_at"])
    overridden = [f"{n}: {n.override_reason}" for n in nominees if n.failures]
    audit_record(
        actor=actor,
        action="award_batch.submit",
        target=batch,
        unit_id=batch.unit_id,
        changes={"status": [BatchStatus.DRAFT, BatchStatus.SUBMITTED], "overrides": overridden},
        summary=_("%(n)s nominees") % {"n": len(nominees)},
    )
    return batch


@audited
def batch_withdraw(*, actor: Actor, batch: NominationBatch, reason: str) -> NominationBatch:
    if batch.status not in (BatchStatus.DRAFT, BatchStatus.SUBMITTED):
        raise ServiceError(_("Only a proposal not yet reviewed can be withdrawn."))
    if batch.nominees.exclude(review=Review.PENDING).exists():
        raise ServiceError(
            _("The council has started its review; the proposal can no longer be withdrawn.")
        )
    if not reason.strip():
        raise ServiceError(_("Say why the proposal is withdrawn."), field="reason")
    before = batch.status
    batch.status = BatchStatus.WITHDRAWN
    batch.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="award_batch.withdraw",
        target=batch,
        unit_id=batch.unit_id,
        changes={"status": [before, batch.status]},
        summary=reason.strip(),
    )
    return batch


@audited
def nominee_review(*, actor: Actor, nominee: Nominee, accept: bool, note: str = "") -> Nominee:
    batch = nominee.batch
    if batch.status not in (BatchStatus.SUBMITTED, BatchStatus.REVIEWED):
        raise ServiceError(_("Only a submitted proposal is reviewed."))
    if live_recipients().filter(nominee=nominee).exists():
        raise ServiceError(
            _("%(name)s is already on a decision; the review cannot change.")
            % {"name": str(nominee)}
        )
    if not accept and not note.strip():
        raise ServiceError(_("Say why the nominee is rejected."), field="note")
    before = nominee.review
    nominee.review = Review.ACCEPTED if accept else Review.REJECTED
    nominee.review_note = note.strip()
    nominee.reviewed_by = _user(actor)
    nominee.reviewed_at = timezone.now()
    nominee.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    if not batch.nominees.filter(review=Review.PENDING).exists():
        batch.status = BatchStatus.REVIEWED
        batch.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="award_nominee.review",
        target=batch,
        unit_id=batch.council_unit_id,
        changes={"review": [before, nominee.review]},
        summary=f"{nominee}: {nominee.review_note}" if nominee.review_note else str(nominee),
    )
    return nominee


# ---------------------------------------------------------------------------------------------
# Decisions


def live_recipients() -> Any:
    return AwardRecipient.objects.exclude(decision__status=DecisionStatus.REVOKED)


def _number_free(unit: Unit, number: str, date: datetime.date, exclude: int | None) -> None:
    taken = AwardDecision.objects.filter(unit=unit, number=number, number_year=date.year)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ServiceError(
            _("Decision number %(number)s is already used by %(unit)s in %(year)s.")
            % {"number": number, "unit": unit.name, "year": date.year},
            field="number",
        )


def _check_decision(unit: Unit, values: dict[str, Any], exclude: int | None = None) -> None:
    form: AwardForm = values["form"]
    _form_usable(form, unit)
    _check_authority(form, unit)
    if not values["number"].strip():
        raise ServiceError(_("Give the decision number."), field="number")
    if values["date"] > timezone.localdate():
        raise ServiceError(_("The decision date is in the future."), field="date")
    if values["date"].year < values["year"]:
        raise ServiceError(
            _("A decision for %(year)s is dated in %(year)s or later.") % {"year": values["year"]},
            field="date",
        )
    _number_free(unit, values["number"].strip(), values["date"], exclude)


@audited
def decision_create(
    *,
    actor: Actor,
    unit: Unit,
    form: AwardForm,
    year: int,
    number: str,
    date: datetime.date,
    signer: str,
    signer_position: str,
    on_behalf: str = "",
    issuer: str = "",
    place: str = "",
    grounds: str = "",
    is_demo: bool = False,
) -> AwardDecision:
    values = dict(form=form, year=year, number=number, date=date)
    _check_decision(unit, values)
    decision = AwardDecision(
        unit=unit,
        form=form,
        year=year,
        number=number.strip(),
        date=date,
        signer=signer.strip(),
        signer_position=signer_position.strip(),
        on_behalf=on_behalf.strip(),
        issuer=issuer.strip(),
        place=place.strip(),
        grounds=grounds.strip(),
        is_demo=is_demo,
        created_by=_user(actor),
    )
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:  # a number taken at the same moment by someone else
        raise ServiceError(
            _("Decision number %(number)s is already used by %(unit)s in %(year)s.")
            % {"number": number, "unit": unit.name, "year": date.year},
            field="number",
        ) from exc
    audit_record(
        actor=actor,
        action="award_decision.create",
        target=decision,
        unit_id=unit.pk,
        changes={k: [None, v] for k, v in snapshot(decision, DECISION_FIELDS).items()},
        summary=f"{decision.number} · {form.name}",
    )
    return decision


def _editable(decision: AwardDecision) -> None:
    if decision.status != DecisionStatus.DRAFT:
        raise ServiceError(_("An issued decision cannot be edited; revoke it and issue a new one."))


@audited
def decision_update(*, actor: Actor, decision: AwardDecision, **values: Any) -> AwardDecision:
    _editable(decision)
    merged = {k: getattr(decision, k) for k in DECISION_FIELDS} | values
    if set(values) - set(DECISION_FIELDS):
        raise TypeError(sorted(set(values) - set(DECISION_FIELDS)))
    if merged["form"].pk != decision.form_id and decision.recipients.exists():
        raise ServiceError(_("Remove the recipients before changing the form."), field="form")
    _check_decision(decision.unit, merged, exclude=decision.pk)
    before = snapshot(decision, DECISION_FIELDS)
    for key, value in values.items():
        setattr(decision, key, value.strip() if isinstance(value, str) else value)
    decision.save()
    audit_record(
        actor=actor,
        action="award_decision.update",
        target=decision,
        unit_id=decision.unit_id,
        changes=diff(before, snapshot(decision, DECISION_FIELDS)),
    )
    return decision


def _recipient_for(decision: AwardDecision, unit: Unit | None, member: Member | None) -> str:
    """The field at fault if the recipient cannot be on the decision (raises)."""
    if (unit is None) == (member is None):
        raise ServiceError(_("Choose a unit or a member."), field="unit")
    collective = unit is not None
    field = "unit" if collective else "member"
    form = decision.form
    if not form.takes(collective):
        message = (
            _("%(form)s is not awarded to collectives.")
            if collective
            else _("%(form)s is not awarded to individuals.")
        )
        raise ServiceError(message % {"form": form.name}, field=field)
    home = unit if unit is not None else member.unit  # type: ignore[union-attr]
    name = unit.name if unit is not None else member.full_name  # type: ignore[union-attr]
    if not _in_subtree(decision.unit, home, decision.date):
        raise ServiceError(
            _(
                "%(name)s is outside %(unit)s; a decision awards only units and members under "
                "the unit that issues it."
            )
            % {"name": name, "unit": decision.unit.name},
            field=field,
        )
    same = (
        decision.recipients.filter(unit=unit)
        if collective
        else decision.recipients.filter(member=member)
    )
    if same.exists():
        raise ServiceError(
            _("%(name)s is already listed in this decision.") % {"name": name}, field=field
        )
    return field


def _description(unit: Unit | None, member: Member | None, day: datetime.date) -> str:
    """What is printed beside the name: the member's job and union, or the unit the collective
    belonged to on the decision's date."""
    if member is not None:
        job = member.job_title
        return f"{job}, {member.unit.name}" if job else member.unit.name
    if unit is None:
        return ""
    version = org_queries.version_on(unit, day)
    parent = version.parent if version is not None and version.parent_id else unit.parent
    return parent.name if parent is not None else ""


@audited
def recipient_add(
    *,
    actor: Actor,
    decision: AwardDecision,
    unit: Unit | None = None,
    member: Member | None = None,
    description: str = "",
    override_reason: str = "",
    personal_rating: str = "",
) -> AwardRecipient:
    """A recipient entered directly on the decision (without a nomination): the form's rules
    are checked here, and one who fails them needs a recorded reason."""
    _editable(decision)
    field = _recipient_for(decision, unit, member)
    failed = eligibility.failures(
        eligibility.Nominated(
            form=decision.form,
            year=decision.year,
            unit=unit,
            member=member,
            personal_rating=personal_rating,
        )
    )
    if failed and not override_reason.strip():
        raise ServiceError(
            _(
                "%(name)s does not meet the form's conditions: %(failures)s Give a reason to "
                "award anyway."
            )
            % {
                "name": unit.name if unit else member.full_name,  # type: ignore[union-attr]
                "failures": " ".join(failed),
            },
            field="override_reason" if field else None,
        )
    return _recipient_create(actor, decision, unit, member, description, override_reason, None)


def _recipient_create(
    actor: Actor,
    decision: AwardDecision,
    unit: Unit | None,
    member: Member | None,
    description: str,
    override_reason: str,
    nominee: Nominee | None,
) -> AwardRecipient:
    home = unit if unit is not None else member.unit  # type: ignore[union-attr]
    recipient = AwardRecipient.objects.create(
        decision=decision,
        unit=unit,
        member=member,
        nominee=nominee,
        home_unit=home,
        path=home.path,
        name=unit.name if unit else member.full_name,  # type: ignore[union-attr]
        description=(description or _description(unit, member, decision.date)).strip()[:255],
        override_reason=override_reason.strip(),
    )
    audit_record(
        actor=actor,
        action="award_recipient.add",
        target=decision,
        unit_id=decision.unit_id,
        summary=recipient.name
        + (f" — {recipient.override_reason}" if recipient.override_reason else ""),
    )
    return recipient


def accepted_waiting(decision: AwardDecision) -> Any:
    """Accepted nominees for this decision's unit, form and year not yet on a live decision."""
    return (
        Nominee.objects.filter(
            batch__council_unit=decision.unit,
            batch__form=decision.form,
            batch__year=decision.year,
            review=Review.ACCEPTED,
        )
        .exclude(recipients__in=live_recipients())
        .select_related("unit", "unit__parent", "member", "member__unit", "batch")
        .order_by("batch__date", "id")
    )


@audited
def decision_add_accepted(*, actor: Actor, decision: AwardDecision) -> int:
    """Put every accepted nominee waiting for this decision on it; returns how many."""
    _editable(decision)
    added = 0
    for nominee in accepted_waiting(decision):
        _recipient_for(decision, nominee.unit, nominee.member)
        _recipient_create(
            actor, decision, nominee.unit, nominee.member, "", nominee.override_reason, nominee
        )
        added += 1
    if not added:
        raise ServiceError(_("No accepted nominee is waiting for this form and year."))
    return added


@audited
def recipient_remove(*, actor: Actor, recipient: AwardRecipient) -> None:
    decision = recipient.decision
    _editable(decision)
    name = recipient.name
    recipient.delete()
    audit_record(
        actor=actor,
        action="award_recipient.remove",
        target=decision,
        unit_id=decision.unit_id,
        summary=name,
    )


def _paths_on(unit_ids: list[int], day: datetime.date) -> dict[int, str]:
    return dict(
        UnitVersion.objects.filter(org_queries.valid_on(day), unit_id__in=unit_ids).values_list(
            "unit_id", "path"
        )
    )


@audited
def decision_issue(*, actor: Actor, decision: AwardDecision) -> AwardDecision:
    """Issue the decision: from now on it is never edited. Each recipient keeps the path its
    unit had on the decision's date."""
    _editable(decision)
    recipients = list(decision.recipients.select_related("home_unit"))
    if not recipients:
        raise ServiceError(_("The decision has no recipients; add them before issuing it."))
    paths = _paths_on([r.home_unit_id for r in recipients], decision.date)
    for r in recipients:
        r.path = paths.get(r.home_unit_id, r.home_unit.path)
    AwardRecipient.objects.bulk_update(recipients, ["path"])
    decision.status = DecisionStatus.ISSUED
    decision.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="award_decision.issue",
        target=decision,
        unit_id=decision.unit_id,
        changes={"status": [DecisionStatus.DRAFT, DecisionStatus.ISSUED]},
        summary=_("%(n)s recipients") % {"n": len(recipients)},
    )
    return decision


@audited
def decision_revoke(
    *, actor: Actor, decision: AwardDecision, date: datetime.date, reason: str
) -> AwardDecision:
    if decision.status != DecisionStatus.ISSUED:
        raise ServiceError(_("Only an issued decision can be revoked."))
    if not reason.strip():
        raise ServiceError(_("Say why the decision is revoked."), field="reason")
    if date < decision.date:
        raise ServiceError(_("A decision is revoked on or after its own date."), field="date")
    if date > timezone.localdate():
        raise ServiceError(_("The date is in the future."), field="date")
    decision.status = DecisionStatus.REVOKED
    decision.revoked_on, decision.revoke_reason = date, reason.strip()
    decision.save(update_fields=["status", "revoked_on", "revoke_reason"])
    audit_record(
        actor=actor,
        action="award_decision.revoke",
        target=decision,
        unit_id=decision.unit_id,
        changes={
            "status": [DecisionStatus.ISSUED, DecisionStatus.REVOKED],
            "revoked_on": [None, date],
        },
        summary=decision.revoke_reason,
    )
    return decision


@audited
def decision_delete(*, actor: Actor, decision: AwardDecision) -> None:
    """A draft (never issued) is deleted; the trail keeps that it existed."""
    _editable(decision)
    audit_record(
        actor=actor,
        action="award_decision.delete",
        target=decision,
        unit_id=decision.unit_id,
        changes={k: [v, None] for k, v in snapshot(decision, ["number", "form"]).items()},
        summary=f"{decision.number} · {decision.form.name}",
    )
    decision.delete()
