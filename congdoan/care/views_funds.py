"""Pages for funds (balances, ledgers, movements, allocations, reversals, the period report)
and loans (the list with what is owed and late, applications, decisions, repayments)."""

import datetime
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_trail
from congdoan.core.downloads import download
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.core.xlsx import write_xlsx
from congdoan.members.models import Member, MemberStatus
from congdoan.members.queries import in_subtree
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from . import funds, loans
from .forms_funds import (
    AllocationForm,
    EntryForm,
    FundCreateForm,
    LedgerFilterForm,
    LoanDecisionForm,
    LoanFilterForm,
    LoanForm,
    PeriodForm,
    RepaymentForm,
    ReverseForm,
)
from .models import LoanStatus

PAGE_SIZE = 50


def _bound(form_class: Any, request: HttpRequest, **kwargs: Any) -> Any:
    """A filter form bound to the query string if it has any of the form's fields."""
    data = request.GET if any(k in request.GET for k in form_class.base_fields) else None
    return form_class(data, **kwargs)


# ---- Funds ----------------------------------------------------------------------------------


@login_required
def unit_funds(request: HttpRequest, pk: int) -> HttpResponse:
    """The funds of a unit and its subtree with today's balances; a fund is created here."""
    unit = access.unit_for_view(request.user, pk)
    can_write = access.can_write(request.user, unit)
    if request.method == "POST" and not can_write:
        raise Http404
    form = FundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fund = run_service(
            form,
            lambda: funds.fund_create(
                actor=user_of(request),
                unit=unit,
                name=d["name"],
                kind=d["kind"],
                allow_overdraft=d["allow_overdraft"],
                note=d.get("note") or "",
            ),
        )
        if fund is not None:
            messages.success(request, _("The fund %(name)s was created.") % {"name": fund.name})
            return redirect("fund_detail", pk=fund.pk)
    day = today()
    rows = list(funds.with_balance(funds.subtree_funds(unit), day))
    context = {
        "unit": unit,
        "funds": rows,
        "total_vnd": sum(getattr(f, "balance_vnd", 0) for f in rows),
        "day": day,
        "form": form,
        "can_write": can_write,
    }
    return render(request, "care/fund_list.html", context)


@login_required
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A fund's ledger in date order with the running balance, opened on its latest page;
    filtered by period and kind of movement, with the balance on any day."""
    fund = funds.fund_for_view(request.user, pk)
    day = today()
    form = _bound(LedgerFilterForm, request)
    start: datetime.date | None = None
    end: datetime.date | None = None
    kind, on = "", None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        start, end, kind, on = d.get("start"), d.get("end"), d.get("kind") or "", d.get("on")
    paginator = Paginator(funds.ledger(fund, start=start, end=end, kind=kind), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    can_write = access.can_write(request.user, fund.unit)
    for entry in page:
        entry.can_reverse = can_write and funds.reversible(entry)  # type: ignore[attr-defined]
        entry.out_vnd = -entry.amount_vnd if entry.amount_vnd < 0 else 0  # type: ignore[attr-defined]
    today_vnd = funds.balance(fund, day)
    context = {
        "fund": fund,
        "form": form,
        "page": page,
        "start": start,
        "end": end or day,
        "opening_vnd": funds.balance(fund, start - datetime.timedelta(days=1)) if start else 0,
        "closing_vnd": funds.balance(fund, end) if end else today_vnd,
        "on": on,
        "on_vnd": funds.balance(fund, on) if on else None,
        "today_vnd": today_vnd,
        "can_write": can_write,
    }
    return render(request, "care/fund_detail.html", context)


def _unit_by_code(user: Any, code: str) -> Unit | None:
    unit = Unit.objects.filter(code=code.strip()).first()
    return unit if unit is not None and access.can_see(user, unit) else None


@login_required
def fund_entry_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a donation in, a grant out or interest earned, by hand."""
    fund = funds.fund_for_write(request.user, pk)
    form = EntryForm(request.POST or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        source = None
        if d.get("unit"):
            source = _unit_by_code(request.user, d["unit"])
            if source is None:
                form.add_error(
                    "unit", _("No unit with code %(code)s among your units.") % {"code": d["unit"]}
                )
        if not form.errors:
            entry = run_service(
                form,
                lambda: funds.movement_record(
                    actor=user_of(request),
                    fund=fund,
                    kind=d["kind"],
                    amount_vnd=d["amount_vnd"],
                    date=d["date"],
                    source_unit=source,
                    counterpart=d.get("counterpart") or "",
                    reference=d.get("reference") or "",
                    note=d.get("note") or "",
                ),
            )
            if entry is not None:
                messages.success(request, _("The movement was recorded."))
                return redirect("fund_detail", pk=fund.pk)
    return render(
        request,
        "care/fund_form.html",
        {"fund": fund, "form": form, "title": _("Record a movement"), "unit_lookup": True},
    )


@login_required
def fund_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Allocate money from this fund to another fund the user may write to."""
    fund = funds.fund_for_write(request.user, pk)
    targets = (
        funds.funds_writable(request.user)
        .exclude(pk=fund.pk)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
    form = AllocationForm(request.POST or None, targets=targets, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: funds.allocation_record(
                actor=user_of(request),
                source=fund,
                target=d["target"],
                amount_vnd=d["amount_vnd"],
                date=d["date"],
                reference=d.get("reference") or "",
                note=d.get("note") or "",
            ),
        )
        if done is not None:
            messages.success(
                request, _("The allocation to %(fund)s was recorded.") % {"fund": d["target"].name}
            )
            return redirect("fund_detail", pk=fund.pk)
    return render(
        request,
        "care/fund_form.html",
        {"fund": fund, "form": form, "title": _("Allocate to another fund")},
    )


@login_required
def fund_entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a movement with a reversing entry (dated, with a reason); nothing is edited."""
    entry = funds.entry_for_write(request.user, pk)
    form = ReverseForm(request.POST or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: funds.movement_reverse(
                actor=user_of(request), entry=entry, date=d["date"], reason=d["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The movement was reversed."))
            return redirect("fund_detail", pk=entry.fund_id)
    return render(
        request,
        "care/fund_form.html",
        {"fund": entry.fund, "form": form, "entry": entry, "title": _("Reverse a movement")},
    )


@login_required
def fund_report(request: HttpRequest, pk: int) -> HttpResponse:
    """For a period, per fund of the subtree: opening balance, ins and outs by kind, closing
    balance; `?format=xlsx` downloads the same table."""
    unit = access.unit_for_view(request.user, pk)
    day = today()
    form = _bound(PeriodForm, request)
    start, end = datetime.date(day.year, 1, 1), day
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    report = None
    if not form.is_bound or form.is_valid():
        report = run_service(form, lambda: funds.fund_report(unit=unit, start=start, end=end))
    if report is not None and request.GET.get("format") == "xlsx":
        header, rows = funds.report_table(report)
        buffer = io.BytesIO()
        write_xlsx(buffer, [(_("Funds"), header, rows)])
        return download(buffer.getvalue(), f"quy-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
    return render(
        request,
        "care/fund_report.html",
        {"unit": unit, "form": form, "report": report, "query": request.GET.urlencode()},
    )


# ---- Loans ----------------------------------------------------------------------------------


@login_required
def unit_loans(request: HttpRequest, pk: int) -> HttpResponse:
    """Loans to members of the subtree: status, what is owed and days overdue on a day (today
    unless asked), with totals per fund and per union."""
    unit = access.unit_for_view(request.user, pk)
    form = _bound(LoanFilterForm, request)
    day = today()
    status, late_only = "", False
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        day = d.get("on") or day
        status, late_only = d.get("status") or "", bool(d.get("overdue"))
    base = loans.subtree_loans(unit)
    qs = loans.with_position(base, day).select_related("member", "fund", "unit")
    if status:
        qs = qs.filter(status=status)
    if late_only:
        qs = loans.overdue_only(qs)
    page = Paginator(qs.order_by("-applied_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    prefetch_related_objects(rows, "instalments")
    for loan in rows:
        since = loans.overdue_since(list(loan.instalments.all()), loan.repaid_vnd, day)  # type: ignore[attr-defined]
        loan.days_overdue = None if since is None else (day - since).days  # type: ignore[attr-defined]
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "rows": rows,
        "day": day,
        "totals_tables": [
            (_("By fund"), loans.loan_totals(base, day, "fund")),
            (_("By grassroots union"), loans.loan_totals(base, day, "unit")),
        ],
        "can_write": access.can_write(request.user, unit),
    }
    return render(request, "care/loan_list.html", context)


def _member_by_code(unit: Unit, code: str) -> Member | None:
    digits = "".join(ch for ch in code.split("—")[0] if ch.isdigit())
    if len(digits) not in (10, 12):
        return None
    field = "card_number" if len(digits) == 10 else "cccd"
    return (
        Member.objects.filter(in_subtree(unit), status=MemberStatus.ACTIVE, **{field: digits})
        .select_related("unit")
        .first()
    )


@login_required
def loan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply for a loan for a member of the subtree."""
    unit = access.unit_for_write(request.user, pk)
    choices = loans.loan_funds_for(unit)
    initial: dict[str, Any] = {"applied_on": today(), "rate": 45, "term_months": 12}
    if len(only := list(choices[:2])) == 1:
        initial["fund"] = only[0]  # the usual case: the one fund members here borrow from
    form = LoanForm(request.POST or None, funds=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        member = _member_by_code(unit, d["member"])
        if member is None:
            form.add_error(
                "member",
                _("No active member with this member code or CCCD in %(unit)s.")
                % {"unit": unit.name},
            )
        else:
            loan = run_service(
                form,
                lambda: loans.loan_apply(
                    actor=user_of(request),
                    member=member,
                    fund=d["fund"],
                    amount_vnd=d["amount_vnd"],
                    monthly_rate_bp=d["rate"],
                    term_months=d["term_months"],
                    applied_on=d["applied_on"],
                    purpose=d.get("purpose") or "",
                    decision_ref=d.get("decision_ref") or "",
                ),
            )
            if loan is not None:
                messages.success(request, _("The loan application was recorded."))
                return redirect("loan_detail", pk=loan.pk)
    # A list to pick from when the subtree is small enough to send whole.
    people = list(
        Member.objects.filter(in_subtree(unit), status=MemberStatus.ACTIVE)
        .exclude(card_number=None)
        .order_by("sort_key", "pk")
        .values_list("card_number", "full_name")[:301]
    )
    return render(
        request,
        "care/loan_form.html",
        {
            "unit": unit,
            "form": form,
            "title": _("Loan application"),
            "member_choices": people if len(people) <= 300 else [],
        },
    )


@login_required
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loans.loan_for_view(request.user, pk)
    day = today()
    lines = loans.schedule_lines(loan, day)
    repaid = loans.repaid_principal(loan)
    since = loans.overdue_since(list(loan.instalments.all()), repaid, day)
    repayments = list(loan.repayments.select_related("recorded_by"))
    context = {
        "loan": loan,
        "rate": loans.rate_text(loan.monthly_rate_bp),
        "lines": lines,
        "repayments": repayments,
        "repaid_vnd": repaid,
        "outstanding_vnd": loans.outstanding(loan),
        "interest_paid_vnd": sum(line.interest_paid_vnd for line in lines),
        "interest_due_vnd": sum(line.interest_vnd for line in lines),
        "days_overdue": None if since is None else (day - since).days,
        "can_decide": loans.can_decide(request.user, loan),
        "decision_form": LoanDecisionForm(initial={"date": day}),
        "today": day,
        "audit": audit_trail([loan, *repayments]),
    }
    return render(request, "care/loan_detail.html", context)


@login_required
@require_POST
def loan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, reject or disburse a loan (the fund's unit decides)."""
    loan = loans.loan_for_decision(request.user, pk)
    form = LoanDecisionForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect("loan_detail", pk=loan.pk)
    d = form.cleaned_data
    actor = user_of(request)
    try:
        if d["decision"] == "approve":
            loans.loan_approve(
                actor=actor, loan=loan, date=d["date"], decision_ref=d.get("reference") or ""
            )
            messages.success(request, _("The loan was approved."))
        elif d["decision"] == "reject":
            loans.loan_reject(actor=actor, loan=loan, date=d["date"], reason=d.get("reason") or "")
            messages.success(request, _("The loan was rejected."))
        else:
            loans.loan_disburse(
                actor=actor, loan=loan, date=d["date"], reference=d.get("reference") or ""
            )
            messages.success(request, _("The loan was disbursed; its schedule is below."))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("loan_detail", pk=loan.pk)


@login_required
@require_POST
def repayment_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a repayment recorded in error (reversing entries in the fund's ledger)."""
    repayment = loans.repayment_for_decision(request.user, pk)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect("loan_detail", pk=repayment.loan_id)
    try:
        loans.repayment_reverse(
            actor=user_of(request),
            repayment=repayment,
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The repayment was reversed."))
    return redirect("loan_detail", pk=repayment.loan_id)


@login_required
def repayment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record money paid back on a disbursed loan."""
    loan = loans.loan_for_decision(request.user, pk)
    if loan.status != LoanStatus.DISBURSED:
        messages.error(request, _("Repayments are recorded on a disbursed loan."))
        return redirect("loan_detail", pk=loan.pk)
    day = today()
    owed = [line for line in loans.schedule_lines(loan, day) if not line.paid]
    initial: dict[str, Any] = {"date": day}
    if owed:
        initial["principal_vnd"] = owed[0].principal_vnd - owed[0].principal_paid_vnd
        initial["interest_vnd"] = owed[0].interest_vnd - owed[0].interest_paid_vnd
    form = RepaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: loans.repayment_record(
                actor=user_of(request),
                loan=loan,
                date=d["date"],
                principal_vnd=d["principal_vnd"],
                interest_vnd=d.get("interest_vnd") or 0,
                reference=d.get("reference") or "",
            ),
        )
        if done is not None:
            loan.refresh_from_db()
            if loan.status == LoanStatus.REPAID:
                messages.success(request, _("The repayment was recorded; the loan is repaid."))
            else:
                messages.success(request, _("The repayment was recorded."))
            return redirect("loan_detail", pk=loan.pk)
    return render(
        request,
        "care/loan_form.html",
        {"unit": loan.unit, "loan": loan, "form": form, "title": _("Record a repayment")},
    )
