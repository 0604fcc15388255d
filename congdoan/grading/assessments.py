"""Assessments: a unit's self-assessment against its scorecard, the review by the union above,
the grade. Reads scoped to the user; every write one transaction, validated and audited.

States: draft (the unit scores itself) → submitted (the union above reviews, approves or
adjusts each score with a comment, records a cap) → approved (total and grade fixed). The
reviewer may reopen: approved → submitted, submitted → draft (back to the unit).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import Unit

from . import scorecards
from .models import (
    Assessment,
    AssessmentStatus,
    Cap,
    Criterion,
    Score,
    Scorecard,
    Source,
)
from .scoring import (
    capped,
    check_score,
    format_score,
    grade_for,
    is_strong,
    parse_score,
    target_score,
)

# ---------------------------------------------------------------------------------------------
# Reads


def assessment_for_view(user: AnyUser, pk: int) -> Assessment:
    found = (
        Assessment.objects.select_related(
            "unit", "unit__parent", "scorecard", "scorecard__owner", "submitted_by", "approved_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not access.can_see(user, found.unit):
        raise Http404
    return found


def can_self_assess(user: AnyUser, assessment: Assessment) -> bool:
    return access.can_write(user, assessment.unit)


def can_review(user: AnyUser, assessment: Assessment) -> bool:
    """The union above reviews: write access to the unit's parent or to the scorecard's owner."""
    unit = assessment.unit
    if unit.parent is not None and access.can_write(user, unit.parent):
        return True
    return access.can_write(user, assessment.scorecard.owner)


def assessment_for_self(user: AnyUser, pk: int) -> Assessment:
    found = assessment_for_view(user, pk)
    if not can_self_assess(user, found):
        raise Http404
    return found


def assessment_for_review(user: AnyUser, pk: int) -> Assessment:
    found = assessment_for_view(user, pk)
    if not can_review(user, found):
        raise Http404
    return found


@dataclass
class Row:
    """One criterion of the assessment form."""

    criterion: Criterion
    score: Score
    computed: bool  # scored from a target by the system
    target: int | None = None
    achieved: int | None = None

    @property
    def adjusted(self) -> bool:
        s = self.score
        return s.approved_tenths is not None and s.approved_tenths != s.self_tenths


def rows_of(assessment: Assessment) -> list[tuple[Any, list[Row]]]:
    """The groups of the scorecard, each with its rows (criterion and score), in order."""
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    out = []
    for group, criteria in scorecards.structure(assessment.scorecard):
        rows = []
        for c in criteria:
            score = scores.get(c.pk) or Score(assessment=assessment, criterion=c)
            row = Row(criterion=c, score=score, computed=c.source == Source.TARGET)
            if row.computed and c.indicator_key:
                row.target, row.achieved = scorecards.target_and_achieved(
                    assessment.unit, c.indicator_key, assessment.year
                )
            rows.append(row)
        out.append((group, rows))
    return out


def history_of(unit: Unit) -> QuerySet[Assessment]:
    """The unit's assessments, newest year first."""
    return Assessment.objects.filter(unit=unit).select_related("scorecard").order_by("-year")


def review_list(unit: Unit, card: Scorecard, *, status: str = "") -> QuerySet[Unit]:
    """The units of `unit`'s subtree that `card` grades, each annotated with its assessment of
    the year (`a_id`, `a_status`, `a_self`, `a_approved`, `a_grade`, `a_strong`), by name.
    `status` keeps one state; "none" keeps the units that have not started."""
    from django.db.models import F, FilteredRelation

    qs = (
        Unit.objects.filter(scorecards.in_scope_q(card))
        .filter(path__gte=unit.path, path__lt=unit.path_end)
        .annotate(
            a=FilteredRelation(
                "grading_assessments", condition=Q(grading_assessments__year=card.year)
            ),
            a_id=F("a__id"),
            a_status=F("a__status"),
            a_self=F("a__self_total_tenths"),
            a_approved=F("a__approved_total_tenths"),
            a_grade=F("a__grade"),
            a_cap=F("a__cap"),
            a_strong=F("a__strong"),
        )
    )
    if status == "none":
        qs = qs.filter(a_id__isnull=True)
    elif status:
        qs = qs.filter(a_status=status)
    return qs.order_by("name_key", "id")


# ---------------------------------------------------------------------------------------------
# Writes


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit", "scorecard", "scorecard__owner")
        .get(pk=assessment.pk)
    )


def _what(criterion: Criterion) -> str:
    return _("Criterion %(code)s") % {"code": criterion.code}


def _computed_scores(assessment: Assessment, criteria: list[Criterion]) -> dict[int, int]:
    """Scores of the criteria computed from a target, when the emulation app can say them."""
    out: dict[int, int] = {}
    for c in criteria:
        if c.source != Source.TARGET or not c.indicator_key:
            continue
        found = scorecards.target_and_achieved(assessment.unit, c.indicator_key, assessment.year)
        if found is not None:
            out[c.pk] = target_score(c.max_tenths, found[0], found[1])
    return out


@audited
def assessment_start(*, actor: Any, unit: Unit, year: int, is_demo: bool = False) -> Assessment:
    """Open the unit's assessment for the year against the scorecard that grades it."""
    card = scorecards.scorecard_for(unit, year)
    if card is None:
        raise ServiceError(
            _("No published scorecard grades %(unit)s for %(year)s.")
            % {"unit": unit.name, "year": year}
        )
    if not scorecards.applies_to(card, unit):
        raise ServiceError(
            _(
                "The scorecard “%(card)s” does not apply to %(unit)s (it grades the units that "
                "existed under %(owner)s on 31/12/%(year)s)."
            )
            % {"card": card.title, "unit": unit.name, "owner": card.owner.name, "year": year}
        )
    if Assessment.objects.filter(unit=unit, year=year).exists():
        raise ServiceError(
            _("%(unit)s already has an assessment for %(year)s.")
            % {"unit": unit.name, "year": year}
        )
    assessment = Assessment.objects.create(scorecard=card, unit=unit, year=year, is_demo=is_demo)
    criteria = list(card.criteria.all())
    computed = _computed_scores(assessment, criteria)
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=c, self_tenths=computed.get(c.pk)) for c in criteria
    )
    _refresh_self_total(assessment)
    audit_record(
        actor=actor,
        action="assessment.start",
        target=assessment,
        unit_id=unit.pk,
        changes={"year": [None, year], "scorecard": [None, card.pk]},
        summary=card.title,
    )
    return assessment


def _refresh_self_total(assessment: Assessment) -> None:
    total = assessment.scores.aggregate(t=Sum("self_tenths"))["t"] or 0
    assessment.self_total_tenths = int(total)
    assessment.save(update_fields=["self_total_tenths"])


def _check_not_approved(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.APPROVED:
        raise ServiceError(
            _(
                "This assessment was approved and can no longer be changed; the union above may "
                "reopen it."
            )
        )


@audited
def assessment_self_save(
    *,
    actor: Any,
    assessment: Assessment,
    entries: dict[int, tuple[Any, str]],
    submit: bool = False,
    date: datetime.date | None = None,
) -> Assessment:
    """The unit's own scores and evidence ({criterion id: (score text or tenths, evidence)}),
    and, with `submit`, sends them to the union above (every criterion must be scored)."""
    assessment = _locked(assessment)
    _check_not_approved(assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ServiceError(
            _(
                "The self-assessment was submitted; the union above is reviewing it. Ask it to "
                "return it to you to make changes."
            )
        )
    scores = list(
        assessment.scores.select_related("criterion").order_by("criterion__order", "criterion_id")
    )
    computed = _computed_scores(assessment, [s.criterion for s in scores])
    changed: dict[str, Any] = {}
    for s in scores:
        c = s.criterion
        if c.pk in computed:
            value: int | None = computed[c.pk]
            evidence = entries.get(c.pk, (None, s.evidence))[1]
        elif c.pk in entries:
            raw, evidence = entries[c.pk]
            value = (
                raw
                if isinstance(raw, int)
                else parse_score(raw, field=f"self_{c.pk}", what=_what(c))
            )
            check_score(value, c.max_tenths, what=_what(c), field=f"self_{c.pk}")
        else:
            continue
        evidence = (evidence or "").strip()
        if value != s.self_tenths:
            changed[c.code] = [format_score(s.self_tenths), format_score(value)]
        if value != s.self_tenths or evidence != s.evidence:
            s.self_tenths, s.evidence = value, evidence
            s.save(update_fields=["self_tenths", "evidence"])
    if submit:
        missing = [s.criterion.code for s in scores if s.self_tenths is None]
        if missing:
            raise ServiceError(
                _("Score every criterion before submitting; missing: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
    _refresh_self_total(assessment)
    if changed:
        audit_record(
            actor=actor,
            action="assessment.self_score",
            target=assessment,
            unit_id=assessment.unit_id,
            changes=changed,
            summary=format_score(assessment.self_total_tenths),
        )
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_by = actor if getattr(actor, "pk", None) else None
        assessment.submitted_on = date or today()
        assessment.save(update_fields=["status", "submitted_by", "submitted_on"])
        audit_record(
            actor=actor,
            action="assessment.submit",
            target=assessment,
            unit_id=assessment.unit_id,
            changes={"status": [AssessmentStatus.DRAFT, assessment.status]},
            summary=format_score(assessment.self_total_tenths),
        )
    return assessment


@audited
def assessment_review(
    *,
    actor: Any,
    assessment: Assessment,
    entries: dict[int, tuple[Any, str]],
    cap: str = "",
    cap_reason: str = "",
    approve: bool = False,
    date: datetime.date | None = None,
) -> Assessment:
    """The union above's scores ({criterion id: (score text or tenths, comment)}; an empty
    score approves the unit's own), a cap with its reason, and, with `approve`, the approval:
    the total of the approved scores gives the grade, capped."""
    assessment = _locked(assessment)
    _check_not_approved(assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ServiceError(_("The unit has not submitted its self-assessment yet."))
    if actor is not None and getattr(actor, "pk", None) and assessment.submitted_by_id == actor.pk:
        raise ServiceError(
            _(
                "You submitted this self-assessment; someone else at the union above must "
                "approve it."
            )
        )
    if cap not in Cap.values:
        raise ServiceError(_("Choose a cap from the list."), field="cap")
    cap_reason = (cap_reason or "").strip()
    if cap and not cap_reason:
        raise ServiceError(_("Say why the grade is capped."), field="cap_reason")
    scores = list(
        assessment.scores.select_related("criterion").order_by("criterion__order", "criterion_id")
    )
    changed: dict[str, Any] = {}
    for s in scores:
        c = s.criterion
        raw, comment = entries.get(c.pk, (s.approved_tenths, s.comment))
        value = (
            raw
            if isinstance(raw, int) or raw is None
            else parse_score(raw, field=f"approved_{c.pk}", what=_what(c))
        )
        if value is None:
            value = s.self_tenths
        check_score(value, c.max_tenths, what=_what(c), field=f"approved_{c.pk}")
        comment = (comment or "").strip()
        if value != s.self_tenths and not comment:
            raise ServiceError(
                _(
                    "%(what)s: the score was changed from %(old)s to %(new)s; write a comment "
                    "saying why."
                )
                % {
                    "what": _what(c),
                    "old": format_score(s.self_tenths) or "—",
                    "new": format_score(value),
                },
                field=f"comment_{c.pk}",
            )
        if value != s.approved_tenths:
            changed[c.code] = [format_score(s.approved_tenths), format_score(value)]
        if value != s.approved_tenths or comment != s.comment:
            s.approved_tenths, s.comment = value, comment
            s.save(update_fields=["approved_tenths", "comment"])
    if cap != assessment.cap or cap_reason != assessment.cap_reason:
        changed["cap"] = [assessment.cap, cap]
        assessment.cap, assessment.cap_reason = cap, cap_reason
        assessment.save(update_fields=["cap", "cap_reason"])
    if changed:
        audit_record(
            actor=actor,
            action="assessment.review",
            target=assessment,
            unit_id=assessment.unit_id,
            changes=changed,
            summary=cap_reason,
        )
    if approve:
        card = assessment.scorecard
        total = sum(int(s.approved_tenths or 0) for s in scores)
        by_score = grade_for(
            total,
            excellent=card.excellent_min_tenths,
            good=card.good_min_tenths,
            passing=card.pass_min_tenths,
        )
        final = capped(by_score, assessment.cap)
        assessment.approved_total_tenths = total
        assessment.score_grade = by_score
        assessment.grade = final
        assessment.strong = is_strong(final, card.strong_from)
        assessment.status = AssessmentStatus.APPROVED
        assessment.approved_by = actor if getattr(actor, "pk", None) else None
        assessment.approved_on = date or today()
        assessment.save()
        audit_record(
            actor=actor,
            action="assessment.approve",
            target=assessment,
            unit_id=assessment.unit_id,
            changes={
                "status": [AssessmentStatus.SUBMITTED, assessment.status],
                "approved_total_tenths": [None, format_score(total)],
                "grade": [None, final or Cap.NOT_GRADED.label],
            },
            summary=f"{format_score(total)} · {final or Cap.NOT_GRADED.label}",
        )
    return assessment


@audited
def assessment_reopen(*, actor: Any, assessment: Assessment, reason: str) -> Assessment:
    """One step back, by the union above: an approved assessment goes back to review (its grade
    is withdrawn), a submitted one back to the unit."""
    assessment = _locked(assessment)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the assessment is reopened."), field="reason")
    before = assessment.status
    if before == AssessmentStatus.APPROVED:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.approved_total_tenths = None
        assessment.score_grade = ""
        assessment.grade = ""
        assessment.strong = False
        assessment.approved_by = None
        assessment.approved_on = None
    elif before == AssessmentStatus.SUBMITTED:
        assessment.status = AssessmentStatus.DRAFT
        assessment.submitted_by = None
        assessment.submitted_on = None
    else:
        raise ServiceError(_("The self-assessment is still with the unit; nothing to reopen."))
    assessment.save()
    audit_record(
        actor=actor,
        action="assessment.reopen",
        target=assessment,
        unit_id=assessment.unit_id,
        changes={"status": [before, assessment.status]},
        summary=reason,
    )
    return assessment


@audited
def assessment_delete(*, actor: Any, assessment: Assessment) -> None:
    """A self-assessment not yet submitted may be discarded by its unit."""
    assessment = _locked(assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise ServiceError(_("Only a self-assessment that was not submitted can be deleted."))
    audit_record(
        actor=actor,
        action="assessment.delete",
        target=assessment,
        unit_id=assessment.unit_id,
        changes={"year": [assessment.year, None]},
        summary=assessment.scorecard.title,
    )
    assessment.delete()
