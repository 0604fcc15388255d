"""API for funds and loans under /api/v1/care/: a subtree's funds with balances, a fund's
ledger for a period, and a subtree's loans with what is owed and late; scoped like the pages."""

import datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from ninja import Query, Router, Schema

from congdoan.members.services import today
from congdoan.org import access

from . import funds, loans
from .models import Fund, FundEntry, Loan

router = Router()


class FundOut(Schema):
    id: int
    name: str
    kind: str
    unit_code: str
    allow_overdraft: bool
    balance_vnd: int

    @staticmethod
    def resolve_unit_code(obj: Fund) -> str:
        return obj.unit.code


class EntryOut(Schema):
    id: int
    date: datetime.date
    kind: str
    amount_vnd: int
    balance_vnd: int
    source_unit_code: str | None
    counterpart: str
    reference: str
    note: str
    reverses_id: int | None
    pair_id: int | None

    @staticmethod
    def resolve_balance_vnd(obj: FundEntry) -> int:
        return int(obj.running_vnd)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_source_unit_code(obj: FundEntry) -> str | None:
        return obj.source_unit.code if obj.source_unit else None


class LedgerOut(Schema):
    fund: FundOut
    start: datetime.date | None
    end: datetime.date | None
    opening_vnd: int
    closing_vnd: int
    entries: list[EntryOut]


class LoanOut(Schema):
    id: int
    member_id: int
    member_name: str
    unit_code: str
    fund_id: int
    amount_vnd: int
    monthly_rate_bp: int
    term_months: int
    status: str
    applied_on: datetime.date
    approved_on: datetime.date | None
    disbursed_on: datetime.date | None
    closed_on: datetime.date | None
    outstanding_vnd: int
    days_overdue: int | None

    @staticmethod
    def resolve_member_name(obj: Loan) -> str:
        return obj.member.full_name

    @staticmethod
    def resolve_unit_code(obj: Loan) -> str:
        return obj.unit.code


@router.get("/funds", response=list[FundOut])
def fund_list(request: HttpRequest, unit: str, on: datetime.date | None = None) -> Any:
    """The funds kept by `unit` and the units below it, with their balance at the end of `on`
    (today if not given)."""
    root = access.unit_by_code_for_view(request.user, unit)
    return list(funds.with_balance(funds.subtree_funds(root), on or today()))


@router.get("/funds/{int:fund_id}/entries", response=LedgerOut)
def fund_entries(
    request: HttpRequest,
    fund_id: int,
    start: datetime.date | None = Query(None, alias="from"),  # noqa: B008
    end: datetime.date | None = Query(None, alias="to"),  # noqa: B008
) -> Any:
    """A fund's entries from `from` to `to` (both optional, YYYY-MM-DD) in date order, each with
    the fund's balance just after it, and the balances before and at the end of the period."""
    fund = funds.fund_for_view(request.user, fund_id)
    fund.balance_vnd = funds.balance(fund, end)  # type: ignore[attr-defined]
    return {
        "fund": fund,
        "start": start,
        "end": end,
        "opening_vnd": funds.balance(fund, start - datetime.timedelta(days=1)) if start else 0,
        "closing_vnd": fund.balance_vnd,  # type: ignore[attr-defined]
        "entries": list(funds.ledger(fund, start=start, end=end)),
    }


@router.get("/loans", response=list[LoanOut])
def loan_list(
    request: HttpRequest, unit: str, overdue: bool = False, on: datetime.date | None = None
) -> Any:
    """Loans to members of `unit`'s subtree, with the principal owed and the days overdue at the
    end of `on` (today if not given); `overdue=true` keeps the overdue ones."""
    root = access.unit_by_code_for_view(request.user, unit)
    day = on or today()
    qs = loans.with_position(loans.subtree_loans(root), day).select_related("member", "unit")
    if overdue:
        qs = loans.overdue_only(qs)
    rows = list(qs.order_by("-applied_on", "-pk"))
    prefetch_related_objects(rows, "instalments")
    for loan in rows:
        since = loans.overdue_since(list(loan.instalments.all()), loan.repaid_vnd, day)  # type: ignore[attr-defined]
        loan.days_overdue = None if since is None else (day - since).days  # type: ignore[attr-defined]
    return rows
