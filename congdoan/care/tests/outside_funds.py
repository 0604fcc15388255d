"""Records outside the cast's reach for every fund and loan URL (see org/tests/test_access.py):
a fund kept by province Q with money in it, one of its entries, and a disbursed loan to a
member of Q1 with a repayment."""

import datetime
from collections.abc import Callable
from typing import Any

from congdoan.care import funds, loans
from congdoan.care.models import FundKind
from congdoan.conftest import Cast, Tree, make_member

D = datetime.date


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    # Made at once (not on first use): the access test counts active members before it starts.
    fund = funds.fund_create(actor=None, unit=tree.Q, name="Quỹ ngoài", kind=FundKind.LOAN)
    entry = funds.donation_record(
        actor=None, fund=fund, amount_vnd=100_000_000, date=D(2024, 1, 2), source_unit=tree.Q1
    )
    member = make_member(tree.Q1, "Người Vay Ngoài", cccd="020190009999")
    loan = loans.loan_apply(
        actor=None,
        member=member,
        fund=fund,
        amount_vnd=10_000_000,
        monthly_rate_bp=45,
        term_months=12,
        applied_on=D(2024, 2, 1),
    )
    loans.loan_approve(actor=None, loan=loan, date=D(2024, 2, 5))
    loans.loan_disburse(actor=None, loan=loan, date=D(2024, 2, 10))
    repayment = loans.repayment_record(
        actor=None, loan=loan, date=D(2024, 3, 10), principal_vnd=1_000_000, interest_vnd=45_000
    )

    def unit_id(user: Any) -> int:
        return tree.Q1.pk

    def fund_id(user: Any) -> int:
        return fund.pk

    def entry_id(user: Any) -> int:
        return entry.pk

    def loan_id(user: Any) -> int:
        return loan.pk

    def repayment_id(user: Any) -> int:
        return repayment.pk

    return {
        "unit_funds": unit_id,
        "fund_report": unit_id,
        "fund_detail": fund_id,
        "fund_entry_create": fund_id,
        "fund_allocate": fund_id,
        "fund_entry_reverse": entry_id,
        "unit_loans": unit_id,
        "loan_create": unit_id,
        "loan_detail": loan_id,
        "loan_decide": loan_id,
        "repayment_create": loan_id,
        "repayment_reverse": repayment_id,
    }
