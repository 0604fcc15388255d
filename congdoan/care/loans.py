"""Loans to members from a revolving fund (Quỹ trợ vốn CNLĐ nghèo): applied for by a union
for its member, approved or rejected by the fund's unit, disbursed (a LOAN_OUT entry in the
fund's ledger and a repayment schedule), repaid in instalments (REPAYMENT and INTEREST entries).

The schedule: equal monthly principal (the last instalment takes the remainder), interest each
month on the principal still owed, due on the day of disbursement in each following month
(clamped to the month's end). A loan is overdue on a day when the principal due by then exceeds
the principal repaid by then; it is overdue since the earliest instalment not fully covered.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, vnd
from congdoan.members.models import Member, MemberStatus
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_END, Unit

from .funds import actor_may_write, check_amount, check_day, entry_record, reverse_one
from .models import (
    MAX_TERM_MONTHS,
    EntryKind,
    Fund,
    FundEntry,
    FundKind,
    Loan,
    LoanInstalment,
    LoanRepayment,
    LoanStatus,
)

# The ledger entries a repayment writes (principal back into the fund, interest earned).
REPAYMENT_KINDS = (EntryKind.REPAYMENT, EntryKind.INTEREST)

# The highest monthly rate accepted, in hundredths of a percent: 20% a year, the cap the Civil
# Code (2015, art. 468) puts on agreed interest.
MAX_RATE_BP = 166


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: datetime.date
    principal_vnd: int
    interest_vnd: int


def schedule(
    *, amount_vnd: int, monthly_rate_bp: int, term_months: int, start: datetime.date
) -> list[Instalment]:
    """The repayment schedule of a loan disbursed on `start`. Interest is rounded to the
    nearest đồng (halves up)."""
    principal = amount_vnd // term_months
    owed = amount_vnd
    lines = []
    for number in range(1, term_months + 1):
        part = principal if number < term_months else owed
        interest = (owed * monthly_rate_bp + 5000) // 10000
        lines.append(Instalment(number, add_months(start, number), part, interest))
        owed -= part
    return lines


def rate_text(bp: int) -> str:
    """45 → '0,45' (a percentage the Vietnamese way)."""
    return f"{bp // 100},{bp % 100:02d}"


# ---------------------------------------------------------------------------------------------
# Services


def _check_rate(rate: Any) -> int:
    if isinstance(rate, bool) or not isinstance(rate, int):
        raise ServiceError(
            _("Give the interest rate as a percentage a month, e.g. 0,45."),
            field="monthly_rate_bp",
        )
    if rate < 0 or rate > MAX_RATE_BP:
        raise ServiceError(
            _("The interest rate must be between 0 and %(max)s%% a month.")
            % {"max": rate_text(MAX_RATE_BP)},
            field="monthly_rate_bp",
        )
    return rate


def _check_term(term: Any) -> int:
    if isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= MAX_TERM_MONTHS:
        raise ServiceError(
            _("The term is from 1 to %(max)s months.") % {"max": MAX_TERM_MONTHS},
            field="term_months",
        )
    return term


def _lock(loan: Loan) -> Loan:
    return (
        Loan.objects.select_for_update()
        .select_related("fund", "fund__unit", "member")
        .get(pk=loan.pk)
    )


def _check_decider(actor: Any, loan: Loan) -> None:
    if not actor_may_write(actor, loan.fund.unit):
        raise ServiceError(
            _("Only %(unit)s, which keeps the fund, decides on its loans.")
            % {"unit": loan.fund.unit.name}
        )


def _check_not_before(day: datetime.date, earlier: datetime.date | None, message: str) -> None:
    """`message` names the earlier step; it takes the two dates."""
    if earlier is not None and day < earlier:
        raise ServiceError(
            message % {"date": date_vi(day), "earlier": date_vi(earlier)}, field="date"
        )


@audited
def loan_apply(
    *,
    actor: Any,
    member: Member,
    fund: Fund,
    amount_vnd: Any,
    monthly_rate_bp: Any,
    term_months: Any,
    applied_on: datetime.date,
    purpose: str = "",
    decision_ref: str = "",
    is_demo: bool = False,
) -> Loan:
    """A loan applied for on behalf of a member, from a loan fund of the member's union or of a
    union above it."""
    unit = member.unit
    if member.status != MemberStatus.ACTIVE:
        raise ServiceError(
            _("%(name)s is not an active union member; loans are for members.")
            % {"name": member.full_name},
            field="member",
        )
    if not actor_may_write(actor, unit):
        raise ServiceError(_("Choose a member of a union you look after."), field="member")
    if fund.kind != FundKind.LOAN:
        raise ServiceError(
            _("%(fund)s is not a revolving loan fund.") % {"fund": fund.name}, field="fund"
        )
    if not unit.path.startswith(fund.unit.path):
        raise ServiceError(
            _("%(fund)s is kept by %(unit)s, which is not above %(member_unit)s.")
            % {"fund": fund.name, "unit": fund.unit.name, "member_unit": unit.name},
            field="fund",
        )
    amount = check_amount(amount_vnd)
    rate = _check_rate(monthly_rate_bp)
    term = _check_term(term_months)
    check_day(applied_on, field="applied_on")
    loan = Loan.objects.create(
        fund=fund,
        unit=unit,
        member=member,
        amount_vnd=amount,
        monthly_rate_bp=rate,
        term_months=term,
        purpose=(purpose or "").strip()[:255],
        applied_on=applied_on,
        decision_ref=(decision_ref or "").strip()[:120],
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo,
    )
    audit_record(
        actor=actor,
        action="loan.apply",
        target=loan,
        unit_id=unit.pk,
        changes={
            "member": [None, member.pk],
            "fund": [None, fund.pk],
            "amount_vnd": [None, amount],
            "monthly_rate_bp": [None, rate],
            "term_months": [None, term],
            "applied_on": [None, applied_on],
        },
        summary=member.full_name,
    )
    return loan


@audited
def loan_approve(*, actor: Any, loan: Loan, date: datetime.date, decision_ref: str = "") -> Loan:
    loan = _lock(loan)
    _check_decider(actor, loan)
    if loan.status != LoanStatus.APPLIED:
        raise ServiceError(
            _("Only a loan applied for can be approved; this one is %(status)s.")
            % {"status": loan.get_status_display().lower()}
        )
    check_day(date)
    _check_not_before(
        date,
        loan.applied_on,
        _("The date %(date)s is before the loan was applied for (%(earlier)s)."),
    )
    before = loan.status
    loan.status = LoanStatus.APPROVED
    loan.approved_on = date
    if decision_ref.strip():
        loan.decision_ref = decision_ref.strip()[:120]
    loan.save(update_fields=["status", "approved_on", "decision_ref"])
    audit_record(
        actor=actor,
        action="loan.approve",
        target=loan,
        unit_id=loan.unit_id,
        changes={
            "status": [before, loan.status],
            "approved_on": [None, date],
            "decision_ref": [None, loan.decision_ref],
        },
        summary=loan.member.full_name,
    )
    return loan


@audited
def loan_reject(*, actor: Any, loan: Loan, date: datetime.date, reason: str) -> Loan:
    """Turn down a loan applied for or approved (not yet disbursed), with the date and reason."""
    loan = _lock(loan)
    _check_decider(actor, loan)
    if loan.status not in (LoanStatus.APPLIED, LoanStatus.APPROVED):
        raise ServiceError(
            _("A loan already disbursed or closed cannot be rejected; this one is %(status)s.")
            % {"status": loan.get_status_display().lower()}
        )
    if not (reason or "").strip():
        raise ServiceError(_("Say why the loan is rejected."), field="reason")
    check_day(date)
    _check_not_before(
        date,
        loan.applied_on,
        _("The date %(date)s is before the loan was applied for (%(earlier)s)."),
    )
    before = loan.status
    loan.status = LoanStatus.REJECTED
    loan.rejected_on, loan.reject_reason = date, reason.strip()[:500]
    loan.save(update_fields=["status", "rejected_on", "reject_reason"])
    audit_record(
        actor=actor,
        action="loan.reject",
        target=loan,
        unit_id=loan.unit_id,
        changes={"status": [before, loan.status]},
        summary=f"{date_vi(date)}: {reason.strip()}",
    )
    return loan


@audited
def loan_disburse(*, actor: Any, loan: Loan, date: datetime.date, reference: str = "") -> Loan:
    """Pay an approved loan out of its fund (refused if the fund lacks the money on that day or
    any later one) and write its repayment schedule."""
    loan = _lock(loan)
    _check_decider(actor, loan)
    if loan.status != LoanStatus.APPROVED:
        raise ServiceError(
            _("Only an approved loan can be disbursed; this one is %(status)s.")
            % {"status": loan.get_status_display().lower()}
        )
    check_day(date)
    _check_not_before(
        date,
        loan.approved_on,
        _("The date %(date)s is before the loan was approved (%(earlier)s)."),
    )
    entry_record(
        actor=actor,
        fund=loan.fund,
        kind=EntryKind.LOAN_OUT,
        amount_vnd=loan.amount_vnd,
        date=date,
        source_unit=loan.unit,
        counterpart=loan.member.full_name,
        reference=reference or loan.decision_ref,
        loan=loan,
        is_demo=loan.is_demo,
    )
    lines = schedule(
        amount_vnd=loan.amount_vnd,
        monthly_rate_bp=loan.monthly_rate_bp,
        term_months=loan.term_months,
        start=date,
    )
    LoanInstalment.objects.bulk_create(
        LoanInstalment(
            loan=loan,
            number=i.number,
            due_on=i.due_on,
            principal_vnd=i.principal_vnd,
            interest_vnd=i.interest_vnd,
        )
        for i in lines
    )
    loan.status = LoanStatus.DISBURSED
    loan.disbursed_on = date
    loan.save(update_fields=["status", "disbursed_on"])
    audit_record(
        actor=actor,
        action="loan.disburse",
        target=loan,
        unit_id=loan.unit_id,
        changes={"status": [LoanStatus.APPROVED, loan.status], "disbursed_on": [None, date]},
        summary=loan.member.full_name,
    )
    return loan


def _check_paid(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(_("Amounts are whole numbers of đồng, without decimals."), field=field)
    if value < 0:
        raise ServiceError(_("An amount cannot be negative."), field=field)
    return value


@audited
def repayment_record(
    *,
    actor: Any,
    loan: Loan,
    date: datetime.date,
    principal_vnd: Any,
    interest_vnd: Any = 0,
    reference: str = "",
) -> LoanRepayment:
    """Money paid back: principal (no more than is owed) and interest, each an entry in the
    fund's ledger. When the whole principal is repaid the loan is closed."""
    loan = _lock(loan)
    _check_decider(actor, loan)
    if loan.status != LoanStatus.DISBURSED:
        raise ServiceError(
            _("Repayments are recorded on a disbursed loan; this one is %(status)s.")
            % {"status": loan.get_status_display().lower()}
        )
    principal = _check_paid(principal_vnd, "principal_vnd")
    interest = _check_paid(interest_vnd, "interest_vnd")
    if principal == 0 and interest == 0:
        raise ServiceError(_("The amount must be more than zero."), field="principal_vnd")
    check_day(date)
    _check_not_before(
        date,
        loan.disbursed_on,
        _("The date %(date)s is before the loan was disbursed (%(earlier)s)."),
    )
    owed = loan.amount_vnd - repaid_principal(loan)
    if principal > owed:
        raise ServiceError(
            _("The principal repaid (%(paid)s) is more than what is owed (%(owed)s).")
            % {"paid": vnd(principal), "owed": vnd(owed)},
            field="principal_vnd",
        )
    repayment = LoanRepayment.objects.create(
        loan=loan,
        date=date,
        principal_vnd=principal,
        interest_vnd=interest,
        reference=(reference or "").strip()[:120],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    for kind, amount in ((EntryKind.REPAYMENT, principal), (EntryKind.INTEREST, interest)):
        if amount:
            entry_record(
                actor=actor,
                fund=loan.fund,
                kind=kind,
                amount_vnd=amount,
                date=date,
                source_unit=loan.unit,
                counterpart=loan.member.full_name,
                reference=reference,
                loan=loan,
                repayment=repayment,
            )
    audit_record(
        actor=actor,
        action="loan.repayment",
        target=repayment,
        unit_id=loan.unit_id,
        changes={
            "principal_vnd": [None, principal],
            "interest_vnd": [None, interest],
            "date": [None, date],
            "reference": [None, repayment.reference],
        },
        summary=loan.member.full_name,
    )
    if principal == owed:
        last = (
            LoanRepayment.objects.filter(loan=loan, reversed_on__isnull=True)
            .order_by("-date")
            .values_list("date", flat=True)[0]
        )
        loan.status = LoanStatus.REPAID
        loan.closed_on = last
        loan.save(update_fields=["status", "closed_on"])
        audit_record(
            actor=actor,
            action="loan.repaid",
            target=loan,
            unit_id=loan.unit_id,
            changes={"status": [LoanStatus.DISBURSED, loan.status], "closed_on": [None, last]},
            summary=loan.member.full_name,
        )
    return repayment


@audited
def repayment_reverse(
    *, actor: Any, repayment: LoanRepayment, date: datetime.date, reason: str
) -> LoanRepayment:
    """Undo a repayment recorded in error: its fund entries get reversing entries dated `date`
    (the ledger keeps both), it no longer counts towards what was repaid, and a loan it had
    closed is open again. Nothing is deleted."""
    loan = _lock(repayment.loan)
    _check_decider(actor, loan)
    repayment = LoanRepayment.objects.select_for_update().get(pk=repayment.pk)
    if repayment.reversed_on is not None:
        raise ServiceError(_("This repayment was already reversed."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the repayment is reversed."), field="reason")
    check_day(date)
    _check_not_before(
        date,
        repayment.date,
        _("The date %(date)s is before the repayment it reverses (%(earlier)s)."),
    )
    for entry in FundEntry.objects.filter(repayment=repayment, kind__in=REPAYMENT_KINDS):
        reverse_one(actor=actor, entry=entry, date=date, reason=reason)
    repayment.reversed_on, repayment.reversal_reason = date, reason[:500]
    repayment.reversed_by = actor if getattr(actor, "pk", None) else None
    repayment.save(update_fields=["reversed_on", "reversal_reason", "reversed_by"])
    audit_record(
        actor=actor,
        action="loan.repayment_reverse",
        target=repayment,
        unit_id=loan.unit_id,
        changes={"reversed_on": [None, date]},
        summary=f"{date_vi(date)}: {reason}",
    )
    if loan.status == LoanStatus.REPAID:
        closed = loan.closed_on
        loan.status, loan.closed_on = LoanStatus.DISBURSED, None
        loan.save(update_fields=["status", "closed_on"])
        audit_record(
            actor=actor,
            action="loan.reopen",
            target=loan,
            unit_id=loan.unit_id,
            changes={"status": [LoanStatus.REPAID, loan.status], "closed_on": [closed, None]},
            summary=loan.member.full_name,
        )
    return repayment


def repayment_for_decision(user: AnyUser, pk: int) -> LoanRepayment:
    """A repayment whose loan the user may decide on; 404 otherwise."""
    repayment = LoanRepayment.objects.filter(pk=pk).first()
    if repayment is None:
        raise Http404
    repayment.loan = loan_for_decision(user, repayment.loan_id)
    return repayment


# ---------------------------------------------------------------------------------------------
# Positions: what is owed and what is late


def repaid_principal(loan: Loan, day: datetime.date | None = None) -> int:
    qs = LoanRepayment.objects.filter(loan=loan, reversed_on__isnull=True)
    if day is not None:
        qs = qs.filter(date__lte=day)
    return int(qs.aggregate(s=Sum("principal_vnd"))["s"] or 0)


def outstanding(loan: Loan, day: datetime.date | None = None) -> int:
    """The principal still owed at the end of `day` (today if not given)."""
    if loan.disbursed_on is None or (day is not None and loan.disbursed_on > day):
        return 0
    return loan.amount_vnd - repaid_principal(loan, day)


def overdue_since(
    instalments: list[LoanInstalment], repaid_vnd: int, day: datetime.date
) -> datetime.date | None:
    """The due date of the earliest instalment not covered by `repaid_vnd` (principal repaid
    by `day`), if it falls on or before `day`; None when the loan is not overdue."""
    covered = 0
    for line in sorted(instalments, key=lambda i: i.number):
        covered += line.principal_vnd
        if covered > repaid_vnd:
            return line.due_on if line.due_on <= day else None
    return None


def overdue_days(loan: Loan, day: datetime.date) -> int | None:
    """Days the loan is overdue on `day`, or None."""
    since = overdue_since(list(loan.instalments.all()), repaid_principal(loan, day), day)
    return None if since is None else (day - since).days


@dataclass
class ScheduleLine:
    """An instalment with what has been paid towards it (repayments cover instalments in
    order, principal and interest separately)."""

    number: int
    due_on: datetime.date
    principal_vnd: int
    interest_vnd: int
    principal_paid_vnd: int
    interest_paid_vnd: int
    overdue: bool

    @property
    def owed_vnd(self) -> int:
        return (
            self.principal_vnd
            - self.principal_paid_vnd
            + self.interest_vnd
            - self.interest_paid_vnd
        )

    @property
    def paid(self) -> bool:
        return self.owed_vnd <= 0


def schedule_lines(loan: Loan, day: datetime.date) -> list[ScheduleLine]:
    instalments = list(loan.instalments.all())
    repayments = list(loan.repayments.filter(date__lte=day, reversed_on__isnull=True))
    principal_left = sum(r.principal_vnd for r in repayments)
    interest_left = sum(r.interest_vnd for r in repayments)
    lines = []
    for i in instalments:
        p = min(i.principal_vnd, principal_left)
        n = min(i.interest_vnd, interest_left)
        principal_left -= p
        interest_left -= n
        lines.append(
            ScheduleLine(
                number=i.number,
                due_on=i.due_on,
                principal_vnd=i.principal_vnd,
                interest_vnd=i.interest_vnd,
                principal_paid_vnd=p,
                interest_paid_vnd=n,
                overdue=i.due_on <= day and p < i.principal_vnd,
            )
        )
    return lines


# ---------------------------------------------------------------------------------------------
# Reads, always through the user's reach


def loan_for_view(user: AnyUser, pk: int) -> Loan:
    loan = (
        Loan.objects.select_related("unit", "fund", "fund__unit", "member", "created_by")
        .filter(pk=pk)
        .first()
    )
    if loan is None or not access.can_see(user, loan.unit):
        raise Http404
    return loan


def can_decide(user: AnyUser, loan: Loan) -> bool:
    """Approving, rejecting, disbursing and recording repayments belong to the fund's unit."""
    return access.can_write(user, loan.fund.unit)


def loan_for_decision(user: AnyUser, pk: int) -> Loan:
    loan = loan_for_view(user, pk)
    if not can_decide(user, loan):
        raise Http404
    return loan


def loan_funds_for(unit: Unit) -> QuerySet[Fund]:
    """The loan funds a member of `unit`'s subtree may borrow from: those of the unit itself,
    of the units above it and of the units below it."""
    above = [*unit.ancestor_paths(), unit.path]
    return (
        Fund.objects.filter(kind=FundKind.LOAN)
        .filter(
            Q(unit__path__in=above)
            | Q(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
        )
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def subtree_loans(unit: Unit) -> QuerySet[Loan]:
    """Loans to members of `unit`'s subtree."""
    return Loan.objects.filter(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)


def with_position(qs: QuerySet[Loan], day: datetime.date) -> QuerySet[Loan]:
    """Loans annotated, at the end of `day`, with `repaid_vnd` (principal repaid), `due_vnd`
    (principal due), `outstanding_vnd` (principal owed) and `is_overdue`."""
    repaid = (
        LoanRepayment.objects.filter(loan=OuterRef("pk"), date__lte=day, reversed_on__isnull=True)
        .order_by()
        .values("loan")
        .annotate(s=Sum("principal_vnd"))
        .values("s")
    )
    due = (
        LoanInstalment.objects.filter(loan=OuterRef("pk"), due_on__lte=day)
        .order_by()
        .values("loan")
        .annotate(s=Sum("principal_vnd"))
        .values("s")
    )
    return qs.annotate(
        repaid_vnd=Coalesce(Subquery(repaid, output_field=BigIntegerField()), Value(0)),
        due_vnd=Coalesce(Subquery(due, output_field=BigIntegerField()), Value(0)),
    ).annotate(
        outstanding_vnd=Case(
            When(disbursed_on__lte=day, then=F("amount_vnd") - F("repaid_vnd")),
            default=Value(0),
            output_field=BigIntegerField(),
        ),
        is_overdue=Case(
            When(due_vnd__gt=F("repaid_vnd"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )


def overdue_only(qs: QuerySet[Loan]) -> QuerySet[Loan]:
    """Of loans passed through `with_position`, those overdue on its day."""
    return qs.filter(due_vnd__gt=F("repaid_vnd"))  # type: ignore[misc]


@dataclass
class LoanTotal:
    key: Any  # a Fund or a Unit
    loans: int
    disbursed_vnd: int
    outstanding_vnd: int
    overdue: int


def loan_totals(qs: QuerySet[Loan], day: datetime.date, by: str) -> list[LoanTotal]:
    """Loans disbursed by `day`, grouped `by` "fund" or "unit": how many, how much was lent,
    how much is owed and how many are overdue on `day` (one query, plus one for the names)."""
    rows = list(
        with_position(qs.filter(disbursed_on__lte=day), day)
        .order_by()
        .values(f"{by}_id")
        .annotate(
            n=Count("pk"),
            lent=Sum("amount_vnd"),
            owed=Sum("outstanding_vnd"),
            late=Sum("is_overdue"),
        )
    )
    ids = [r[f"{by}_id"] for r in rows]
    names: dict[int, Any] = (
        {f.pk: f for f in Fund.objects.filter(pk__in=ids).select_related("unit")}
        if by == "fund"
        else {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    )
    out = [
        LoanTotal(
            key=names[r[f"{by}_id"]],
            loans=r["n"],
            disbursed_vnd=int(r["lent"] or 0),
            outstanding_vnd=int(r["owed"] or 0),
            overdue=int(r["late"] or 0),
        )
        for r in rows
    ]
    return sorted(out, key=lambda t: (getattr(t.key, "path", "") or t.key.unit.path, str(t.key)))
