"""Reads of the awards app, always through the user's reach (`congdoan.org.access`): a batch
belongs to the unit that proposes it (its council sits above, so reaches it too), a decision to
the unit that issues or records it, a discipline to the unit that recorded it. Anything outside
answers 404."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import Unit

from .models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    BatchStatus,
    DecisionStatus,
    Discipline,
    EligibilityRule,
    NominationBatch,
    Nominee,
)


def in_subtree(unit: Unit, field_name: str = "unit") -> Q:
    return access.path_q([unit.path], f"{field_name}__path")


# --- forms -----------------------------------------------------------------------------------


def form_for_view(user: AnyUser, pk: int) -> AwardForm:
    """A national form is seen by everyone signed in; a federation's form by its subtree and
    the units above it."""
    form = AwardForm.objects.select_related("unit").filter(pk=pk).first()
    if form is None or (form.unit is not None and not access.can_see_from_below(user, form.unit)):
        raise Http404
    return form


def can_edit_form(user: AnyUser, form: AwardForm) -> bool:
    if form.unit is None:
        return bool(access.reach(user).everything)
    return access.can_write(user, form.unit)


def form_for_write(user: AnyUser, pk: int) -> AwardForm:
    form = form_for_view(user, pk)
    if not can_edit_form(user, form):
        raise Http404
    return form


def rule_for_write(user: AnyUser, pk: int) -> EligibilityRule:
    rule = EligibilityRule.objects.select_related("form", "form__unit").filter(pk=pk).first()
    if rule is None:
        raise Http404
    form_for_write(user, rule.form_id)
    return rule


# --- disciplines -----------------------------------------------------------------------------


def disciplines_of(unit: Unit) -> QuerySet[Discipline]:
    """Disciplines of the members of `unit`'s subtree, newest first."""
    return (
        Discipline.objects.filter(in_subtree(unit, "member__unit"))
        .select_related("member", "member__unit", "unit")
        .order_by("-date", "-id")
    )


def discipline_for_write(user: AnyUser, pk: int) -> Discipline:
    row = Discipline.objects.select_related("member", "unit").filter(pk=pk).first()
    if row is None or not access.can_write(user, row.unit):
        raise Http404
    return row


# --- nominations -----------------------------------------------------------------------------


def batches_of(unit: Unit, year: int | None = None) -> QuerySet[NominationBatch]:
    """Proposals made by `unit`'s subtree, newest first, with their number of nominees."""
    qs = NominationBatch.objects.filter(in_subtree(unit))
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("unit", "council_unit", "form")
        .annotate(
            nominee_count=Count("nominees"),
            accepted_count=Count("nominees", filter=Q(nominees__review="accepted")),
        )
        .order_by("-date", "-id")
    )


def batches_to_review(unit: Unit, year: int | None = None) -> QuerySet[NominationBatch]:
    """Submitted proposals addressed to `unit`'s council."""
    qs = NominationBatch.objects.filter(
        council_unit=unit, status__in=[BatchStatus.SUBMITTED, BatchStatus.REVIEWED]
    )
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("unit", "form")
        .annotate(nominee_count=Count("nominees"))
        .order_by("status", "-date", "-id")
    )


def batch_for_view(user: AnyUser, pk: int) -> NominationBatch:
    batch = (
        NominationBatch.objects.select_related("unit", "council_unit", "form", "created_by")
        .filter(pk=pk)
        .first()
    )
    if batch is None or not access.can_see(user, batch.unit):
        raise Http404
    return batch


def batch_for_write(user: AnyUser, pk: int) -> NominationBatch:
    batch = batch_for_view(user, pk)
    if not access.can_write(user, batch.unit):
        raise Http404
    return batch


def can_review(user: AnyUser, batch: NominationBatch) -> bool:
    return access.can_write(user, batch.council_unit)


def nominee_for_view(user: AnyUser, pk: int) -> Nominee:
    nominee = (
        Nominee.objects.select_related(
            "batch",
            "batch__unit",
            "batch__council_unit",
            "batch__form",
            "unit",
            "member",
            "member__unit",
        )
        .filter(pk=pk)
        .first()
    )
    if nominee is None or not access.can_see(user, nominee.batch.unit):
        raise Http404
    return nominee


def nominee_for_write(user: AnyUser, pk: int) -> Nominee:
    nominee = nominee_for_view(user, pk)
    if not access.can_write(user, nominee.batch.unit):
        raise Http404
    return nominee


def nominee_for_review(user: AnyUser, pk: int) -> Nominee:
    nominee = nominee_for_view(user, pk)
    if not can_review(user, nominee.batch):
        raise Http404
    return nominee


# --- decisions -------------------------------------------------------------------------------


def decisions_of(
    unit: Unit, *, year: int | None = None, status: str = ""
) -> QuerySet[AwardDecision]:
    """Decisions issued or recorded by `unit` itself, newest first, with their counts."""
    qs = AwardDecision.objects.filter(unit=unit)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("form", "unit")
        .annotate(
            collectives=Count("recipients", filter=Q(recipients__unit__isnull=False)),
            individuals=Count("recipients", filter=Q(recipients__member__isnull=False)),
        )
        .order_by("-date", "-id")
    )


def decision_for_view(user: AnyUser, pk: int) -> AwardDecision:
    decision = (
        AwardDecision.objects.select_related("unit", "unit__parent", "form", "created_by")
        .filter(pk=pk)
        .first()
    )
    if decision is None or not access.can_see(user, decision.unit):
        raise Http404
    return decision


def decision_for_write(user: AnyUser, pk: int) -> AwardDecision:
    decision = decision_for_view(user, pk)
    if not access.can_write(user, decision.unit):
        raise Http404
    return decision


def recipients_of(decision: AwardDecision) -> list[AwardRecipient]:
    """Collectives first, then individuals, each in the order they were added."""
    rows = decision.recipients.select_related("unit", "member", "member__unit", "nominee")
    return sorted(rows, key=lambda r: (r.member_id is not None, r.pk))


def recipient_for_write(user: AnyUser, pk: int) -> AwardRecipient:
    recipient = (
        AwardRecipient.objects.select_related("decision", "decision__unit").filter(pk=pk).first()
    )
    if recipient is None or not access.can_write(user, recipient.decision.unit):
        raise Http404
    return recipient


# --- history ---------------------------------------------------------------------------------


def _history(qs: QuerySet[AwardRecipient]) -> list[dict[str, Any]]:
    rows = (
        qs.filter(decision__status=DecisionStatus.ISSUED)
        .select_related("decision", "decision__form", "decision__unit")
        .order_by("-decision__year", "-decision__date", "-id")
    )
    return [
        {
            "year": r.decision.year,
            "form": r.decision.form.name,
            "form_code": r.decision.form.code,
            "authority": r.decision.form.authority,
            "authority_label": str(r.decision.form.get_authority_display()),
            "issuer": r.decision.issuer or r.decision.unit.name,
            "decision_id": r.decision_id,
            "decision_unit": r.decision.unit,
            "number": r.decision.number,
            "date": r.decision.date,
        }
        for r in rows
    ]


def unit_history(unit: Unit) -> list[dict[str, Any]]:
    """The awards the unit received as a collective (issued decisions), newest first."""
    return _history(AwardRecipient.objects.filter(unit=unit))


def member_history(member: Any) -> list[dict[str, Any]]:
    return _history(AwardRecipient.objects.filter(member=member))
