"""API under /api/v1/awards/: the forms, a unit's decisions and nominations, one decision with
its recipients, and the award history of a unit or a member; scoped like the pages (404
outside)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from congdoan.members import queries as member_queries
from congdoan.org import access

from . import eligibility, queries
from .models import AwardDecision, AwardForm, AwardRecipient, NominationBatch

router = Router(tags=["awards"])


class FormOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    authority: str
    recipients: str
    rank: int
    added_by: str | None
    is_active: bool
    rules: list[str]

    @staticmethod
    def resolve_added_by(obj: AwardForm) -> str | None:
        return obj.unit.code if obj.unit else None

    @staticmethod
    def resolve_rules(obj: AwardForm) -> list[str]:
        return [eligibility.describe(r) for r in obj.rules.all()]


class DecisionOut(Schema):
    id: int
    unit_code: str
    form_code: str
    form: str
    authority: str
    year: int
    number: str
    date: datetime.date
    issuer: str
    signer: str
    signer_position: str
    status: str
    collectives: int
    individuals: int

    @staticmethod
    def resolve_unit_code(obj: AwardDecision) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_form_code(obj: AwardDecision) -> str:
        return obj.form.code

    @staticmethod
    def resolve_form(obj: AwardDecision) -> str:
        return obj.form.name

    @staticmethod
    def resolve_authority(obj: AwardDecision) -> str:
        return obj.form.authority

    @staticmethod
    def resolve_issuer(obj: AwardDecision) -> str:
        return obj.issuer or obj.unit.name


class RecipientOut(Schema):
    kind: str
    unit_code: str | None
    member_id: int | None
    name: str
    description: str
    override_reason: str

    @staticmethod
    def resolve_kind(obj: AwardRecipient) -> str:
        return "collective" if obj.unit_id else "individual"

    @staticmethod
    def resolve_unit_code(obj: AwardRecipient) -> str | None:
        return obj.unit.code if obj.unit else None


class DecisionDetailOut(DecisionOut):
    revoked_on: datetime.date | None
    revoke_reason: str
    recipients: list[RecipientOut]

    @staticmethod
    def resolve_recipients(obj: AwardDecision) -> list[AwardRecipient]:
        return obj.recipient_rows  # type: ignore[attr-defined]


class NomineeOut(Schema):
    kind: str
    unit_code: str | None
    member_id: int | None
    name: str
    achievements: str
    failures: list[str]
    override_reason: str
    review: str
    review_note: str


class BatchOut(Schema):
    id: int
    unit_code: str
    council_unit_code: str
    form_code: str
    year: int
    number: str
    date: datetime.date
    status: str
    nominees: list[NomineeOut]

    @staticmethod
    def resolve_unit_code(obj: NominationBatch) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_council_unit_code(obj: NominationBatch) -> str:
        return obj.council_unit.code

    @staticmethod
    def resolve_form_code(obj: NominationBatch) -> str:
        return obj.form.code

    @staticmethod
    def resolve_nominees(obj: NominationBatch) -> list[dict[str, Any]]:
        return [
            {
                "kind": "collective" if n.unit_id else "individual",
                "unit_code": n.unit.code if n.unit else None,
                "member_id": n.member_id,
                "name": str(n),
                "achievements": n.achievements,
                "failures": n.failures,
                "override_reason": n.override_reason,
                "review": n.review,
                "review_note": n.review_note,
            }
            for n in obj.nominees.all()
        ]


class HistoryOut(Schema):
    year: int
    form: str
    form_code: str
    authority: str
    issuer: str
    decision_id: int
    number: str
    date: datetime.date


@router.get("/forms", response=list[FormOut])
def form_list(request: HttpRequest) -> Any:
    """The national catalogue and the forms added by units the user sees (or above them)."""
    visible = AwardForm.objects.filter(unit__isnull=True) | AwardForm.objects.filter(
        access.seen_from_below_q(request.user, "unit__path"), unit__isnull=False
    )
    return list(visible.select_related("unit").prefetch_related("rules", "rules__lower_form"))


@router.get("/decisions", response=list[DecisionOut])
def decision_list(
    request: HttpRequest, unit: str, year: int | None = None, status: str = ""
) -> Any:
    """Decisions issued or recorded by the unit, newest first; `year` is the emulation year."""
    root = access.unit_by_code_for_view(request.user, unit)
    return list(queries.decisions_of(root, year=year, status=status)[:500])


@router.get("/decisions/{decision_id}", response=DecisionDetailOut)
def decision_detail(request: HttpRequest, decision_id: int) -> Any:
    decision = queries.decision_for_view(request.user, decision_id)
    rows = queries.recipients_of(decision)
    decision.recipient_rows = rows  # type: ignore[attr-defined]
    decision.collectives = sum(1 for r in rows if r.unit_id)  # type: ignore[attr-defined]
    decision.individuals = len(rows) - decision.collectives  # type: ignore[attr-defined]
    return decision


@router.get("/nominations", response=list[BatchOut])
def nomination_list(request: HttpRequest, unit: str, year: int | None = None) -> Any:
    """Proposals made by the unit's subtree, newest first, with their nominees."""
    root = access.unit_by_code_for_view(request.user, unit)
    return list(
        queries.batches_of(root, year).prefetch_related("nominees__unit", "nominees__member")[:200]
    )


@router.get("/units/{unit_code}/history", response=list[HistoryOut])
def unit_history(request: HttpRequest, unit_code: str) -> Any:
    """The awards the unit received as a collective, newest first."""
    return queries.unit_history(access.unit_by_code_for_view(request.user, unit_code))


@router.get("/members/{member_id}/history", response=list[HistoryOut])
def member_history(request: HttpRequest, member_id: int) -> Any:
    return queries.member_history(member_queries.member_for_view(request.user, member_id))
