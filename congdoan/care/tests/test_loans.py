"""Loans from a revolving fund: the schedule to the đồng, the workflow and who may take each
step, repayments, what is owed and overdue on any day, refusals that write nothing, the pages
and the API."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.care import funds, loans
from congdoan.care.models import (
    Fund,
    FundEntry,
    FundKind,
    Loan,
    LoanInstalment,
    LoanRepayment,
    LoanStatus,
)
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.core.tokens import api_token_create
from congdoan.members.services import today

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def state() -> tuple[Any, ...]:
    return (
        list(Loan.objects.values_list("pk", "status", "approved_on", "disbursed_on", "closed_on")),
        list(FundEntry.objects.values_list("pk", "amount_vnd").order_by("pk")),
        LoanInstalment.objects.count(),
        list(LoanRepayment.objects.values_list("pk", "principal_vnd", "interest_vnd")),
        AuditEvent.objects.count(),
    )


def loan_fund(unit: Any, amount: int = 100_000_000, name: str = "Quỹ trợ vốn") -> Fund:
    fund = funds.fund_create(actor=None, unit=unit, name=name, kind=FundKind.LOAN)
    if amount:
        funds.donation_record(
            actor=None, fund=fund, amount_vnd=amount, date=D(2023, 12, 1), donor="TLĐ"
        )
    return fund


def apply(member: Any, fund: Fund, **kw: Any) -> Loan:
    args: dict[str, Any] = {
        "actor": None,
        "member": member,
        "fund": fund,
        "amount_vnd": 20_000_000,
        "monthly_rate_bp": 45,
        "term_months": 12,
        "applied_on": D(2024, 1, 5),
        "purpose": "Nuôi bò",
    }
    args.update(kw)
    return loans.loan_apply(**args)


LENT_ON = D(2024, 1, 15)


def disbursed(member: Any, fund: Fund, day: datetime.date = LENT_ON, **kw: Any) -> Loan:
    loan = apply(member, fund, **kw)
    loans.loan_approve(actor=None, loan=loan, date=day, decision_ref="QĐ 1/LĐLĐ")
    return loans.loan_disburse(actor=None, loan=loan, date=day)


# ---- The schedule -----------------------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    start = D(2024, 1, 31)
    assert [loans.add_months(start, n) for n in (1, 2, 3, 13)] == [
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
        D(2025, 2, 28),
    ]
    assert loans.add_months(D(2024, 11, 15), 2) == D(2025, 1, 15)


def test_schedule_of_20_million_at_045_a_month_for_12_months() -> None:
    lines = loans.schedule(
        amount_vnd=20_000_000, monthly_rate_bp=45, term_months=12, start=D(2024, 1, 31)
    )
    assert [(i.number, i.due_on, i.principal_vnd, i.interest_vnd) for i in lines] == [
        (1, D(2024, 2, 29), 1_666_666, 90_000),
        (2, D(2024, 3, 31), 1_666_666, 82_500),
        (3, D(2024, 4, 30), 1_666_666, 75_000),
        (4, D(2024, 5, 31), 1_666_666, 67_500),
        (5, D(2024, 6, 30), 1_666_666, 60_000),
        (6, D(2024, 7, 31), 1_666_666, 52_500),
        (7, D(2024, 8, 31), 1_666_666, 45_000),
        (8, D(2024, 9, 30), 1_666_666, 37_500),
        (9, D(2024, 10, 31), 1_666_666, 30_000),
        (10, D(2024, 11, 30), 1_666_666, 22_500),
        (11, D(2024, 12, 31), 1_666_666, 15_000),
        (12, D(2025, 1, 31), 1_666_674, 7_500),
    ]
    assert sum(i.principal_vnd for i in lines) == 20_000_000
    assert sum(i.interest_vnd for i in lines) == 585_000


def test_schedule_rounds_interest_to_the_nearest_dong() -> None:
    # 10,000,000 at 0.45% over 24 months: 416,666 a month, 416,682 last; interest on
    # 9,583,334 is 43,125.003 → 43,125; on 416,682 it is 1,875.069 → 1,875.
    lines = loans.schedule(
        amount_vnd=10_000_000, monthly_rate_bp=45, term_months=24, start=D(2024, 3, 10)
    )
    assert (lines[0].principal_vnd, lines[0].interest_vnd) == (416_666, 45_000)
    assert (lines[1].principal_vnd, lines[1].interest_vnd) == (416_666, 43_125)
    assert (lines[-1].principal_vnd, lines[-1].interest_vnd, lines[-1].due_on) == (
        416_682,
        1_875,
        D(2026, 3, 10),
    )
    # Halves round up: 1,111 at 0.45% is 4.9995 → 5.
    assert loans.schedule(amount_vnd=1_111, monthly_rate_bp=45, term_months=1,
                          start=D(2024, 1, 1))[0].interest_vnd == 5  # fmt: skip


# ---- The workflow -----------------------------------------------------------------------------


def test_apply_approve_disburse_writes_the_ledger_and_schedule(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    member = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="034190000001")
    loan = apply(member, fund, actor=cast.chair)
    assert (loan.status, loan.unit_id, loan.created_by_id) == (
        LoanStatus.APPLIED,
        tree.X1.pk,
        cast.chair.pk,
    )
    # The grassroots chair applies; the province, which keeps the fund, decides.
    with pytest.raises(ServiceError, match="Only Unit P, which keeps the fund, decides"):
        loans.loan_approve(actor=cast.x_officer, loan=loan, date=D(2024, 1, 10))
    loans.loan_approve(actor=cast.province_officer, loan=loan, date=D(2024, 1, 10),
                       decision_ref="QĐ 7")  # fmt: skip
    loans.loan_disburse(actor=cast.province_officer, loan=loan, date=D(2024, 1, 31))
    loan.refresh_from_db()
    assert (loan.status, loan.approved_on, loan.disbursed_on, loan.decision_ref) == (
        LoanStatus.DISBURSED,
        D(2024, 1, 10),
        D(2024, 1, 31),
        "QĐ 7",
    )
    out = FundEntry.objects.get(kind="loan_out")
    assert (out.fund_id, out.amount_vnd, out.loan_id, out.date, out.counterpart) == (
        fund.pk,
        -20_000_000,
        loan.pk,
        D(2024, 1, 31),
        "Nguyễn Thị Hoa",
    )
    assert funds.balance(fund) == 80_000_000
    rows = list(loan.instalments.values_list("number", "due_on", "principal_vnd", "interest_vnd"))
    assert rows[0] == (1, D(2024, 2, 29), 1_666_666, 90_000)
    assert rows[-1] == (12, D(2025, 1, 31), 1_666_674, 7_500)
    assert list(
        AuditEvent.objects.filter(target_type="care.loan", target_id=str(loan.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["loan.apply", "loan.approve", "loan.disburse"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount_vnd": 0}, "amount_vnd", "The amount must be more than zero."),
        ({"amount_vnd": -1}, "amount_vnd", "The amount must be more than zero."),
        ({"amount_vnd": 1.5e7}, "amount_vnd", "Amounts are whole numbers of đồng"),
        ({"amount_vnd": Decimal("2e7")}, "amount_vnd", "Amounts are whole numbers of đồng"),
        ({"monthly_rate_bp": 167}, "monthly_rate_bp", "between 0 and 1,66% a month"),
        ({"monthly_rate_bp": -1}, "monthly_rate_bp", "between 0 and 1,66% a month"),
        ({"monthly_rate_bp": 0.45}, "monthly_rate_bp", "as a percentage a month"),
        ({"term_months": 0}, "term_months", "The term is from 1 to 24 months."),
        ({"term_months": 25}, "term_months", "The term is from 1 to 24 months."),
        ({"term_months": 1.5}, "term_months", "The term is from 1 to 24 months."),
        ({"applied_on": "tomorrow"}, "applied_on", "is in the future"),
    ],
)
def test_bad_applications_write_nothing(
    tree: Tree, cast: Cast, change: dict[str, Any], field: str, message: str
) -> None:
    fund = loan_fund(tree.P)
    member = make_member(tree.X1, "Nguyễn Thị Hoa")
    if change.get("applied_on") == "tomorrow":
        change = {"applied_on": today() + datetime.timedelta(days=1)}
    before = state()
    with pytest.raises(ServiceError) as caught:
        apply(member, fund, **change)
    assert caught.value.field == field
    assert message in caught.value.messages[0]
    assert state() == before


def test_who_may_borrow_from_which_fund(tree: Tree, cast: Cast) -> None:
    province = loan_fund(tree.P)
    social = funds.fund_create(actor=None, unit=tree.P, name="Quỹ xã hội", kind="social")
    y_fund = loan_fund(tree.Y, name="Quỹ trợ vốn Y")
    member = make_member(tree.X1, "Nguyễn Thị Hoa")
    worker = make_member(tree.X1, "Trần Văn Công", admit_on=None, sex="male")
    before = state()
    with pytest.raises(ServiceError, match="not an active union member"):
        apply(worker, province)
    with pytest.raises(ServiceError, match="a member of a union you look after"):
        apply(member, province, actor=cast.y_officer)
    with pytest.raises(ServiceError, match="a member of a union you look after"):
        apply(member, province, actor=cast.viewer)
    with pytest.raises(ServiceError, match="is not a revolving loan fund"):
        apply(member, social)
    with pytest.raises(ServiceError, match="kept by Unit Y, which is not above Unit X1"):
        apply(member, y_fund)
    assert state() == before
    assert apply(member, province, actor=cast.x_officer).status == LoanStatus.APPLIED


def test_decisions_in_order_and_refusals(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P, amount=15_000_000)
    member = make_member(tree.X1, "Nguyễn Thị Hoa")
    loan = apply(member, fund)
    before = state()
    with pytest.raises(ServiceError, match="Only an approved loan can be disbursed"):
        loans.loan_disburse(actor=None, loan=loan, date=D(2024, 1, 10))
    with pytest.raises(ServiceError, match=r"before the loan was applied for \(05/01/2024\)"):
        loans.loan_approve(actor=None, loan=loan, date=D(2024, 1, 4))
    assert state() == before
    loans.loan_approve(actor=None, loan=loan, date=D(2024, 1, 10))
    before = state()
    with pytest.raises(ServiceError, match="Only a loan applied for can be approved"):
        loans.loan_approve(actor=None, loan=loan, date=D(2024, 1, 11))
    with pytest.raises(ServiceError, match=r"before the loan was approved \(10/01/2024\)"):
        loans.loan_disburse(actor=None, loan=loan, date=D(2024, 1, 9))
    # 20 million from a fund holding 15 million.
    with pytest.raises(
        ServiceError, match=re.escape("would be short by 5.000.000 đ on 15/01/2024")
    ):
        loans.loan_disburse(actor=None, loan=loan, date=D(2024, 1, 15))
    with pytest.raises(ServiceError, match="Say why the loan is rejected"):
        loans.loan_reject(actor=None, loan=loan, date=D(2024, 1, 15), reason="")
    assert state() == before
    loans.loan_reject(actor=cast.province_officer, loan=loan, date=D(2024, 1, 15),
                      reason="Quỹ không đủ tiền")  # fmt: skip
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REJECTED
    event = AuditEvent.objects.get(action="loan.reject")
    assert event.summary == "15/01/2024: Quỹ không đủ tiền"
    with pytest.raises(ServiceError, match="cannot be rejected"):
        loans.loan_reject(actor=None, loan=loan, date=D(2024, 1, 16), reason="x")
    # A disbursed loan cannot be rejected either, nor its entries reversed by hand.
    funds.donation_record(actor=None, fund=fund, amount_vnd=50_000_000, date=D(2024, 1, 1),
                          donor="A")  # fmt: skip
    other = disbursed(member, fund)
    with pytest.raises(ServiceError, match="cannot be rejected"):
        loans.loan_reject(actor=None, loan=other, date=D(2024, 1, 16), reason="x")
    entry = FundEntry.objects.get(kind="loan_out")
    with pytest.raises(ServiceError, match="belongs to a loan"):
        funds.movement_reverse(actor=None, entry=entry, date=D(2024, 1, 20), reason="x")


def test_repayments_close_the_loan(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    loan = disbursed(make_member(tree.X1, "Nguyễn Thị Hoa"), fund, term_months=2,
                     amount_vnd=10_000_000)  # fmt: skip
    assert funds.balance(fund) == 90_000_000
    first = loans.repayment_record(
        actor=cast.province_officer, loan=loan, date=D(2024, 2, 15), principal_vnd=5_000_000,
        interest_vnd=45_000, reference="PT 01",
    )  # fmt: skip
    assert (first.principal_vnd, first.interest_vnd, first.recorded_by_id) == (
        5_000_000,
        45_000,
        cast.province_officer.pk,
    )
    assert list(
        FundEntry.objects.filter(loan=loan).order_by("pk").values_list("kind", "amount_vnd")
    ) == [("loan_out", -10_000_000), ("repayment", 5_000_000), ("interest", 45_000)]
    assert funds.balance(fund) == 95_045_000
    assert loans.outstanding(loan) == 5_000_000
    before = state()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"principal_vnd": 5_000_001}, "The principal repaid (5.000.001 đ) is more than what is "
                                       "owed (5.000.000 đ)."),
        ({"principal_vnd": 0, "interest_vnd": 0}, "The amount must be more than zero."),
        ({"principal_vnd": -1}, "An amount cannot be negative."),
        ({"principal_vnd": 100.5}, "Amounts are whole numbers of đồng, without decimals."),
        ({"interest_vnd": "1000"}, "Amounts are whole numbers of đồng, without decimals."),
        ({"date": D(2024, 1, 14)}, "before the loan was disbursed (15/01/2024)"),
        ({"date": today() + datetime.timedelta(days=1)}, "is in the future"),
    ]  # fmt: skip
    for change, message in cases:
        args: dict[str, Any] = {
            "date": D(2024, 3, 1),
            "principal_vnd": 1_000,
            "interest_vnd": 0,
            **change,
        }
        with pytest.raises(ServiceError) as caught:
            loans.repayment_record(actor=None, loan=loan, **args)
        assert message in caught.value.messages[0], change
    with pytest.raises(ServiceError, match="Only Unit P, which keeps the fund"):
        loans.repayment_record(actor=cast.chair, loan=loan, date=D(2024, 3, 1),
                               principal_vnd=1_000)  # fmt: skip
    assert state() == before
    # Interest only, then the rest of the principal.
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 10), principal_vnd=0,
                           interest_vnd=22_500)  # fmt: skip
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 15), principal_vnd=5_000_000)
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.REPAID, D(2024, 3, 15))
    trail = AuditEvent.objects.filter(action__startswith="loan.repa").order_by("pk")
    assert [(e.action, e.target_type) for e in trail] == [
        ("loan.repayment", "care.loanrepayment"),
        ("loan.repayment", "care.loanrepayment"),
        ("loan.repayment", "care.loanrepayment"),
        ("loan.repaid", "care.loan"),
    ]
    assert trail[0].changes["principal_vnd"] == [None, 5_000_000]
    assert loans.outstanding(loan) == 0
    assert loans.outstanding(loan, D(2024, 3, 14)) == 5_000_000
    assert loans.outstanding(loan, D(2024, 1, 14)) == 0  # not lent yet
    assert funds.balance(fund) == 100_067_500
    with pytest.raises(ServiceError, match="this one is repaid"):
        loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 20), principal_vnd=1)


def test_overdue_days(tree: Tree) -> None:
    fund = loan_fund(tree.P)
    loan = disbursed(make_member(tree.X1, "Nguyễn Thị Hoa"), fund, day=D(2024, 1, 15))
    # Instalments of 1,666,666 due on the 15th from February.
    assert loans.overdue_days(loan, D(2024, 2, 14)) is None
    assert loans.overdue_days(loan, D(2024, 2, 15)) == 0
    assert loans.overdue_days(loan, D(2024, 3, 1)) == 15
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 2), principal_vnd=1_666_666)
    assert loans.overdue_days(loan, D(2024, 3, 1)) == 15  # paid after that day
    assert loans.overdue_days(loan, D(2024, 3, 2)) is None
    assert loans.overdue_days(loan, D(2024, 3, 14)) is None
    # Part of the second instalment: it stays uncovered, and late from its due date.
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 20), principal_vnd=1_000_000)
    assert loans.overdue_days(loan, D(2024, 3, 20)) == 5
    assert loans.overdue_days(loan, D(2024, 4, 20)) == 36  # since 15/03, #3 due 15/04 too
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 4, 25), principal_vnd=666_666)
    assert loans.overdue_days(loan, D(2024, 4, 25)) == 10  # #3 now the earliest uncovered
    # Paying ahead covers later instalments.
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 4, 26), principal_vnd=5_000_000)
    # 8,333,332 repaid covers five instalments (8,333,330): the sixth, due 15/07, is next.
    assert loans.overdue_days(loan, D(2024, 7, 14)) is None
    assert loans.overdue_days(loan, D(2024, 7, 15)) == 0
    assert loans.overdue_days(loan, D(2024, 9, 1)) == 48


# ---- Pages ------------------------------------------------------------------------------------


def test_apply_on_the_page_by_member_code_or_cccd(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    member = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="034190000001")
    client = login(cast.chair)
    url = reverse("loan_create", args=[tree.X1.pk])
    page = client.get(url).content.decode()
    assert f"{member.card_number} — Nguyễn Thị Hoa" in page  # the list to pick from
    assert "Quỹ trợ vốn — Unit P" in page
    data = {
        "member": f"{member.card_number} — Nguyễn Thị Hoa",
        "fund": fund.pk,
        "amount_vnd": "20.000.000",
        "rate": "0,45",
        "term_months": "12",
        "applied_on": "05/01/2024",
        "purpose": "Nuôi bò",
    }
    before = state()
    for change, message in [
        ({"rate": "0,455"}, "at most two decimals"),
        ({"rate": "2"}, "between 0 and 1,66% a month"),
        ({"amount_vnd": "20000000,5"}, "without decimals"),
        ({"term_months": "30"}, "less than or equal to 24"),
        ({"member": "9999999999"}, "No active member with this member code or CCCD in Unit X1."),
        ({"applied_on": "31/02/2024"}, "Enter a valid date."),
    ]:
        body = client.post(url, {**data, **change}).content.decode()
        assert message in body, change
    assert state() == before
    response = client.post(url, {**data, "member": "034190000001"})
    loan = Loan.objects.get()
    assert response["Location"] == reverse("loan_detail", args=[loan.pk])
    assert (loan.member_id, loan.amount_vnd, loan.monthly_rate_bp, loan.term_months) == (
        member.pk,
        20_000_000,
        45,
        12,
    )
    # The chair sees the loan but does not decide on it; a viewer cannot apply.
    detail = client.get(reverse("loan_detail", args=[loan.pk])).content.decode()
    assert "0,45% a month" in detail and "Approve" not in detail
    decide = reverse("loan_decide", args=[loan.pk])
    assert client.post(decide, {"decision": "approve", "date": "06/01/2024"}).status_code == 404
    assert login(cast.viewer).get(url).status_code == 404
    assert login(cast.y_officer).get(reverse("loan_detail", args=[loan.pk])).status_code == 404


def test_decide_disburse_and_repay_on_the_pages(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    loan = apply(make_member(tree.X1, "Nguyễn Thị Hoa"), fund, amount_vnd=12_000_000)
    client = login(cast.province_officer)
    decide = reverse("loan_decide", args=[loan.pk])
    assert client.get(decide).status_code == 405
    client.post(decide, {"decision": "approve", "date": "10/01/2024", "reference": "QĐ 3"})
    client.post(decide, {"decision": "disburse", "date": "31/01/2999"})
    loan.refresh_from_db()
    assert (loan.status, loan.decision_ref) == (LoanStatus.APPROVED, "QĐ 3")
    response = client.post(decide, {"decision": "disburse", "date": "31/01/2024"}, follow=True)
    assert "The loan was disbursed" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DISBURSED
    detail = response.content.decode()
    assert "29/02/2024" in detail and "1.000.000 đ" in detail and "54.000 đ" in detail
    pay = reverse("repayment_create", args=[loan.pk])
    form = client.get(pay).content.decode()
    assert 'value="1.000.000"' in form and 'value="54.000"' in form  # the next instalment
    too_much = client.post(pay, {"date": "29/02/2024", "principal_vnd": "12.000.001"})
    assert "is more than what is owed (12.000.000 đ)" in too_much.content.decode()
    done = client.post(
        pay, {"date": "29/02/2024", "principal_vnd": "1.000.000", "interest_vnd": "54.000"}
    )
    assert done.status_code == 302
    assert loans.outstanding(loan) == 11_000_000
    assert login(cast.chair).get(pay).status_code == 404
    assert login(cast.viewer).post(pay, {"date": "29/02/2024",
                                         "principal_vnd": "1"}).status_code == 404  # fmt: skip
    assert loans.outstanding(loan) == 11_000_000


def test_loan_list_with_overdue_and_totals(
    tree: Tree, cast: Cast, django_assert_num_queries: Any
) -> None:
    fund = loan_fund(tree.P, amount=500_000_000)
    x_fund = loan_fund(tree.X, amount=50_000_000, name="Quỹ trợ vốn huyện X")
    late = disbursed(make_member(tree.X1, "Nguyễn Thị Hoa"), fund, day=D(2024, 1, 15))
    on_time = disbursed(make_member(tree.X2, "Lê Văn Nam", sex="male"), x_fund,
                        day=D(2024, 1, 15), amount_vnd=12_000_000)  # fmt: skip
    loans.repayment_record(actor=None, loan=on_time, date=D(2024, 2, 15), principal_vnd=1_000_000)
    apply(make_member(tree.X3, "Đỗ Thị Lan"), fund)
    disbursed(make_member(tree.Y1, "Vũ Văn Bình", sex="male"), fund)
    client = login(cast.x_officer)
    url = reverse("unit_loans", args=[tree.X.pk])
    body = client.get(url, {"on": "01/03/2024"}).content.decode()
    assert "Nguyễn Thị Hoa" in body and "Đỗ Thị Lan" in body and "Vũ Văn Bình" not in body
    assert '<span class="badge text-bg-danger">15</span>' in body  # 15/02 → 01/03
    overdue = client.get(url, {"on": "01/03/2024", "overdue": "on"}).content.decode()
    assert "Nguyễn Thị Hoa" in overdue and "Lê Văn Nam" not in overdue
    assert "Đỗ Thị Lan" not in overdue
    applied = client.get(url, {"status": "applied"}).content.decode()
    assert "Đỗ Thị Lan" in applied and "Nguyễn Thị Hoa" not in applied
    by_fund = loans.loan_totals(loans.subtree_loans(tree.X), D(2024, 3, 1), "fund")
    assert [(t.key, t.loans, t.disbursed_vnd, t.outstanding_vnd, t.overdue) for t in by_fund] == [
        (fund, 1, 20_000_000, 20_000_000, 1),
        (x_fund, 1, 12_000_000, 11_000_000, 0),
    ]
    by_unit = loans.loan_totals(loans.subtree_loans(tree.X), D(2024, 3, 1), "unit")
    assert [(t.key.code, t.outstanding_vnd, t.overdue) for t in by_unit] == [
        ("X1", 20_000_000, 1),
        ("X2", 11_000_000, 0),
    ]
    assert late.pk in {r.pk for r in loans.overdue_only(
        loans.with_position(loans.subtree_loans(tree.X), D(2024, 3, 1)))}  # fmt: skip
    # More loans, the same number of queries: session, user, unit, roles, count, page,
    # instalments, totals per fund (+ names), totals per union (+ names).
    for i in range(10):
        disbursed(make_member(tree.X1, f"Người Vay {i}"), fund, day=D(2024, 1, 15))
    client.get(url)
    with django_assert_num_queries(11):
        assert client.get(url, {"on": "01/03/2024"}).status_code == 200
    assert login(cast.nobody).get(url).status_code == 404


def test_api_loans(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    late = disbursed(make_member(tree.X1, "Nguyễn Thị Hoa"), fund, day=D(2024, 1, 15))
    disbursed(make_member(tree.Y1, "Vũ Văn Bình", sex="male"), fund)
    client = api(cast.x_officer)
    body = client.get("/api/v1/care/loans", {"unit": "X", "on": "2024-03-01"}).json()
    assert [(r["id"], r["member_name"], r["unit_code"], r["outstanding_vnd"], r["days_overdue"])
            for r in body] == [(late.pk, "Nguyễn Thị Hoa", "X1", 20_000_000, 15)]  # fmt: skip
    assert body[0]["monthly_rate_bp"] == 45 and body[0]["status"] == "disbursed"
    none_late = client.get("/api/v1/care/loans", {"unit": "X", "on": "2024-02-14",
                                                  "overdue": "true"})  # fmt: skip
    assert none_late.json() == []
    assert client.get("/api/v1/care/loans", {"unit": "Y"}).status_code == 404
    assert client.get("/api/v1/care/loans", {"unit": "X1"}).status_code == 200
    assert len(api(cast.province_officer).get("/api/v1/care/loans", {"unit": "P"}).json()) == 2
