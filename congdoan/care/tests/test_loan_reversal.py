"""A repayment recorded in error is reversed, never edited or deleted; a rejected loan and a
cancelled house keep their date and reason."""

import datetime

import pytest
from django.urls import reverse

from congdoan.care import funds, houses, loans
from congdoan.care.figures import care_figures
from congdoan.care.models import EntryKind, FundEntry, HouseKind, LoanStatus
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent

from .test_loans import disbursed, loan_fund, login, state

D = datetime.date


def test_reversing_a_repayment_restores_what_is_owed_and_the_fund(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    loan = disbursed(make_member(tree.X1, "Nguyễn Thị Hoa"), fund, term_months=2,
                     amount_vnd=10_000_000)  # fmt: skip
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 2, 15), principal_vnd=5_000_000,
                           interest_vnd=45_000)  # fmt: skip
    wrong = loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 15),
                                   principal_vnd=5_000_000, interest_vnd=22_500)  # fmt: skip
    loan.refresh_from_db()
    assert (loan.status, loans.outstanding(loan), funds.balance(fund)) == (
        LoanStatus.REPAID, 0, 100_067_500
    )  # fmt: skip

    loans.repayment_reverse(actor=cast.province_officer, repayment=wrong, date=D(2024, 3, 20),
                            reason="Ghi nhầm phiếu thu")  # fmt: skip

    loan.refresh_from_db()
    wrong.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.DISBURSED, None)
    assert loans.outstanding(loan) == 5_000_000
    assert loans.outstanding(loan, D(2024, 3, 16)) == 5_000_000
    assert funds.balance(fund) == 95_045_000
    assert funds.balance(fund, D(2024, 3, 19)) == 100_067_500  # the ledger keeps its history
    assert (wrong.reversed_on, wrong.reversal_reason, wrong.reversed_by_id) == (
        D(2024, 3, 20), "Ghi nhầm phiếu thu", cast.province_officer.pk
    )  # fmt: skip
    assert list(
        FundEntry.objects.filter(repayment=wrong).order_by("pk").values_list("kind", "amount_vnd")
    ) == [("repayment", 5_000_000), ("interest", 22_500), ("reversal", -5_000_000),
          ("reversal", -22_500)]  # fmt: skip
    assert [line.paid for line in loans.schedule_lines(loan, D(2024, 4, 1))] == [True, False]
    figures = care_figures(tree.P, D(2024, 1, 1), D(2024, 3, 31))
    assert figures["loans_outstanding_vnd"] == 5_000_000
    actions = list(
        AuditEvent.objects.filter(action__in=["loan.repayment_reverse", "loan.reopen"])
        .order_by("pk")
        .values_list("action", "summary")
    )
    assert actions == [("loan.repayment_reverse", "20/03/2024: Ghi nhầm phiếu thu"),
                       ("loan.reopen", "Nguyễn Thị Hoa")]  # fmt: skip
    # The loan can be repaid again, correctly this time.
    loans.repayment_record(actor=None, loan=loan, date=D(2024, 3, 25), principal_vnd=5_000_000)
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.REPAID, D(2024, 3, 25))


def test_bad_reversals_change_nothing(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    loan = disbursed(make_member(tree.X1, "Trần Văn Nam"), fund)
    paid = loans.repayment_record(actor=None, loan=loan, date=D(2024, 2, 15),
                                  principal_vnd=1_000_000)  # fmt: skip
    before = state()
    cases = [
        ({"reason": "  "}, "Say why the repayment is reversed."),
        ({"date": D(2024, 2, 14)}, "is before the repayment it reverses (15/02/2024)"),
        ({"actor": cast.chair}, "Only Unit P, which keeps the fund"),
    ]
    for change, message in cases:
        args = {"actor": None, "date": D(2024, 2, 20), "reason": "Nhầm", **change}
        with pytest.raises(ServiceError) as caught:
            loans.repayment_reverse(repayment=paid, **args)
        assert message in caught.value.messages[0], change
    assert state() == before
    loans.repayment_reverse(actor=None, repayment=paid, date=D(2024, 2, 20), reason="Nhầm")
    with pytest.raises(ServiceError, match="already reversed"):
        loans.repayment_reverse(actor=None, repayment=paid, date=D(2024, 2, 21), reason="Nhầm")
    # The ledger refuses to reverse a loan's entry on its own.
    entry = FundEntry.objects.get(repayment=paid, kind=EntryKind.REPAYMENT)
    with pytest.raises(ServiceError, match="reversed on the loan's page"):
        funds.entry_reverse(actor=None, entry=entry, date=D(2024, 2, 22), reason="x")


def test_reverse_on_the_loan_page(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    loan = disbursed(make_member(tree.X1, "Lê Thị Mai"), fund)
    paid = loans.repayment_record(actor=None, loan=loan, date=D(2024, 2, 15),
                                  principal_vnd=1_000_000)  # fmt: skip
    page = reverse("loan_detail", args=[loan.pk])
    url = reverse("repayment_reverse", args=[paid.pk])
    officer = login(cast.province_officer)
    assert f'action="{url}"' in officer.get(page).content.decode()
    # The grassroots chair sees the loan but does not decide on the fund: no form, and 404.
    chair = login(cast.chair)
    assert f'action="{url}"' not in chair.get(page).content.decode()
    assert chair.post(url, {"date": "20/02/2024", "reason": "Nhầm"}).status_code == 404
    response = officer.post(url, {"date": "20/02/2024", "reason": ""}, follow=True)
    assert "This field is required." in response.content.decode()
    paid.refresh_from_db()
    assert paid.reversed_on is None
    response = officer.post(url, {"date": "20/02/2024", "reason": "Ghi nhầm"}, follow=True)
    body = response.content.decode()
    assert "The repayment was reversed." in body
    assert "reversed on 20/02/2024" in body
    paid.refresh_from_db()
    assert paid.reversed_on == D(2024, 2, 20)
    assert loans.outstanding(loan) == 20_000_000


def test_rejected_loans_and_cancelled_houses_keep_date_and_reason(tree: Tree, cast: Cast) -> None:
    fund = loan_fund(tree.P)
    member = make_member(tree.X1, "Phạm Văn Bình")
    loan = loans.loan_apply(
        actor=None, member=member, fund=fund, amount_vnd=5_000_000, monthly_rate_bp=45,
        term_months=6, applied_on=D(2024, 1, 5),
    )  # fmt: skip
    loans.loan_reject(actor=None, loan=loan, date=D(2024, 1, 10), reason="Không đủ điều kiện")
    loan.refresh_from_db()
    assert (loan.rejected_on, loan.reject_reason) == (D(2024, 1, 10), "Không đủ điều kiện")
    body = login(cast.province_officer).get(reverse("loan_detail", args=[loan.pk])).content
    assert "10/01/2024: Không đủ điều kiện" in body.decode()

    case = houses.house_create(actor=None, unit=tree.X1, member=member, kind=HouseKind.BUILD,
                                amount_vnd=60_000_000, proposed_on=D(2024, 1, 5))  # fmt: skip
    houses.house_cancel(actor=None, case=case, date=D(2024, 2, 1), reason="Gia đình tự làm")
    case.refresh_from_db()
    assert (case.cancelled_on, case.cancel_reason) == (D(2024, 2, 1), "Gia đình tự làm")
    body = login(cast.province_officer).get(reverse("house_detail", args=[case.pk])).content
    assert "Cancelled on 01/02/2024: Gia đình tự làm" in body.decode()
