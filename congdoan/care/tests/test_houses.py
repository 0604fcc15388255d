"""House grants: the workflow and who may take each step, money from funds and sponsors, and
every bad input refused with nothing written."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from congdoan.care import houses
from congdoan.care.funds import balance, entry_record
from congdoan.care.models import (
    EntryKind,
    Fund,
    FundEntry,
    FundKind,
    HouseCase,
    HouseContribution,
    HouseStatus,
)
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.members.models import Member
from congdoan.members.services import today

D = datetime.date
MILLION = 1_000_000


@dataclass
class Setup:
    tree: Tree
    cast: Cast
    p_fund: Fund  # the province's Union Shelter fund, 200 million
    x_fund: Fund  # the district's social fund, 20 million
    q_fund: Fund  # another province's house fund
    hoa: Member  # a member of X1
    lan: Member  # a member of Y1


def make_fund(unit: Any, name: str, kind: str, money: int) -> Fund:
    fund = Fund.objects.create(unit=unit, name=name, kind=kind)
    if money:
        entry_record(
            actor=None,
            fund=fund,
            kind=EntryKind.DONATION,
            amount_vnd=money,
            date=D(2024, 1, 2),
            counterpart="Nhà hảo tâm",
        )
    return fund


@pytest.fixture
def shelter(tree: Tree, cast: Cast) -> Setup:
    return Setup(
        tree=tree,
        cast=cast,
        p_fund=make_fund(tree.P, "Quỹ Mái ấm Công đoàn tỉnh P", FundKind.HOUSE, 200 * MILLION),
        x_fund=make_fund(tree.X, "Quỹ xã hội huyện X", FundKind.SOCIAL, 20 * MILLION),
        q_fund=make_fund(tree.Q, "Quỹ Mái ấm tỉnh Q", FundKind.HOUSE, 100 * MILLION),
        hoa=make_member(tree.X1, "Nguyễn Thị Hoa", cccd="020190001234"),
        lan=make_member(tree.Y1, "Trần Thị Lan"),
    )


def propose(s: Setup, **kw: Any) -> HouseCase:
    args: dict[str, Any] = {
        "actor": s.cast.chair,
        "unit": s.tree.X1,
        "member": s.hoa,
        "kind": "build",
        "amount_vnd": 60 * MILLION,
        "proposed_on": D(2024, 3, 1),
        "circumstances": "Nhà tạm, dột nát",
        "to_fund": s.p_fund,
    }
    args.update(kw)
    return houses.house_create(**args)


def approved(s: Setup, **kw: Any) -> HouseCase:
    case = propose(s, **kw)
    return houses.house_approve(
        actor=s.cast.province_officer, case=case, date=D(2024, 3, 15), decision_ref="15/QĐ-LĐLĐ"
    )


def snapshot() -> tuple[Any, ...]:
    """Everything a refused write must leave as it was."""
    return (
        list(
            HouseCase.objects.order_by("pk").values_list(
                "status",
                "amount_vnd",
                "approved_on",
                "started_on",
                "handed_over_on",
                "decision_ref",
            )
        ),
        HouseContribution.objects.count(),
        list(FundEntry.objects.order_by("pk").values_list("pk", "amount_vnd")),
        AuditEvent.objects.count(),
    )


def test_a_case_goes_from_proposal_to_hand_over(shelter: Setup) -> None:
    s = shelter
    case = propose(s)
    assert (case.status, case.unit, case.member, case.amount_vnd, case.to_fund) == (
        HouseStatus.PROPOSED,
        s.tree.X1,
        s.hoa,
        60 * MILLION,
        s.p_fund,
    )
    case = houses.house_approve(
        actor=s.cast.province_officer,
        case=case,
        date=D(2024, 3, 15),
        decision_ref=" 15/QĐ-LĐLĐ ",
        amount_vnd=65 * MILLION,
    )
    assert (case.status, case.approved_on, case.decision_ref, case.amount_vnd) == (
        HouseStatus.APPROVED,
        D(2024, 3, 15),
        "15/QĐ-LĐLĐ",
        65 * MILLION,
    )
    case = houses.house_start(actor=s.cast.chair, case=case, date=D(2024, 4, 1))
    case = houses.house_hand_over(actor=s.cast.chair, case=case, date=D(2024, 7, 1))
    case.refresh_from_db()
    assert (case.status, case.started_on, case.handed_over_on) == (
        HouseStatus.HANDED_OVER,
        D(2024, 4, 1),
        D(2024, 7, 1),
    )
    trail = AuditEvent.objects.filter(target_type="care.housecase", target_id=str(case.pk))
    assert [(e.action, e.actor) for e in trail.order_by("id")] == [
        ("house.create", s.cast.chair),
        ("house.approve", s.cast.province_officer),
        ("house.start", s.cast.chair),
        ("house.hand_over", s.cast.chair),
    ]
    approval = trail.get(action="house.approve")
    assert approval.changes == {
        "status": ["proposed", "approved"],
        "approved_on": [None, "2024-03-15"],
        "decision_ref": [None, "15/QĐ-LĐLĐ"],
        "amount_vnd": [60 * MILLION, 65 * MILLION],
    }
    assert approval.unit_id == s.tree.X1.pk


def test_who_may_take_each_step(shelter: Setup) -> None:
    s, c = shelter, shelter.cast
    to_province = propose(s)
    # The province keeps the fund: only it approves; the proposing union may withdraw it.
    assert houses.allowed_actions(c.chair, to_province) == {"cancel"}
    assert houses.allowed_actions(c.x_officer, to_province) == {"cancel"}
    assert houses.allowed_actions(c.province_officer, to_province) == {"approve", "cancel"}
    assert houses.allowed_actions(c.province_admin, to_province) == {"approve", "cancel"}
    assert houses.allowed_actions(c.superuser, to_province) == {"approve", "cancel"}
    assert houses.allowed_actions(c.viewer, to_province) == set()
    assert houses.allowed_actions(c.y_officer, to_province) == set()
    # No fund named: the union above the proposing one decides.
    no_fund = propose(s, to_fund=None)
    assert houses.allowed_actions(c.chair, no_fund) == {"cancel"}
    assert houses.allowed_actions(c.x_officer, no_fund) == {"approve", "cancel"}
    # A district proposing to its own fund approves its own case.
    own = propose(s, actor=c.x_officer, unit=s.tree.X, to_fund=s.x_fund, amount_vnd=10 * MILLION)
    assert houses.allowed_actions(c.x_officer, own) == {"approve", "cancel"}
    assert houses.allowed_actions(c.chair, own) == set()  # X is above the chair's union
    # Once approved, the proposing union reports the work; only the approver cancels.
    case = houses.house_approve(
        actor=c.province_officer, case=to_province, date=D(2024, 3, 15), decision_ref="15/QĐ"
    )
    assert houses.allowed_actions(c.chair, case) == {"start"}
    assert houses.allowed_actions(c.province_officer, case) == {"start", "cancel"}
    case = houses.house_start(actor=c.chair, case=case, date=D(2024, 4, 1))
    assert houses.allowed_actions(c.chair, case) == {"hand_over"}
    case = houses.house_hand_over(actor=c.chair, case=case, date=D(2024, 7, 1))
    assert houses.allowed_actions(c.province_officer, case) == set()


@pytest.mark.parametrize("amount", [0, -5, 1.5, Decimal("60000000.5"), "60000000", True, None])
def test_bad_amounts_are_refused(shelter: Setup, amount: Any) -> None:
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        propose(shelter, amount_vnd=amount)
    assert exc.value.field == "amount_vnd"
    assert exc.value.messages[0] in (
        "Amounts are whole numbers of đồng, without decimals.",
        "The amount must be more than zero.",
    )
    assert snapshot() == before


def test_bad_amount_at_approval_is_refused(shelter: Setup) -> None:
    case = propose(shelter)
    before = snapshot()
    for amount in (0, -1, 1.5):
        with pytest.raises(ServiceError):
            houses.house_approve(
                actor=None, case=case, date=D(2024, 3, 15), decision_ref="1", amount_vnd=amount
            )
    assert snapshot() == before


def test_a_member_outside_the_unit_is_refused(shelter: Setup) -> None:
    s = shelter
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        propose(s, member=s.lan)  # a member of Y1, proposed by X1
    assert exc.value.field == "member"
    assert exc.value.messages == ["The person must belong to a union under Unit X1."]
    outsider = make_member(s.tree.Q1, "Người Ngoài Cuộc")
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        propose(s, member=outsider, unit=s.tree.X)
    assert "Người Ngoài" not in exc.value.messages[0]
    assert snapshot() == before


def test_houses_are_for_members(shelter: Setup) -> None:
    worker = make_member(shelter.tree.X1, "Lê Văn Tám", sex="male", admit_on=None)
    before = snapshot()
    with pytest.raises(ServiceError, match="is not a union member now"):
        propose(shelter, member=worker)
    assert snapshot() == before


def test_the_fund_must_be_a_house_or_social_fund_above(shelter: Setup) -> None:
    s = shelter
    loan_fund = make_fund(s.tree.P, "Quỹ trợ vốn", FundKind.LOAN, 0)
    y_fund = make_fund(s.tree.Y, "Quỹ xã hội huyện Y", FundKind.SOCIAL, 0)
    x1_fund = make_fund(s.tree.X1, "Quỹ xã hội CĐCS X1", FundKind.SOCIAL, 0)
    assert list(houses.funds_for_proposal(s.tree.X1)) == [s.p_fund, s.x_fund, x1_fund]
    before = snapshot()
    for fund in (loan_fund, y_fund, s.q_fund):
        with pytest.raises(ServiceError) as exc:
            propose(s, to_fund=fund)
        assert exc.value.field == "to_fund"
    with pytest.raises(ServiceError):
        propose(s, unit=s.tree.X, actor=s.cast.x_officer, to_fund=x1_fund)  # below X: no
    assert snapshot() == before


def test_steps_move_only_forward(shelter: Setup) -> None:
    s, officer = shelter, shelter.cast.province_officer
    case = propose(s)
    before = snapshot()
    with pytest.raises(ServiceError, match="moves only forward"):
        houses.house_start(actor=officer, case=case, date=D(2024, 4, 1))
    with pytest.raises(ServiceError, match="moves only forward"):
        houses.house_hand_over(actor=officer, case=case, date=D(2024, 4, 1))
    assert snapshot() == before
    houses.house_approve(actor=officer, case=case, date=D(2024, 3, 15), decision_ref="1")
    houses.house_start(actor=officer, case=case, date=D(2024, 4, 1))
    houses.house_hand_over(actor=officer, case=case, date=D(2024, 5, 1))
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        houses.house_approve(actor=officer, case=case, date=D(2024, 5, 2), decision_ref="2")
    assert exc.value.messages == [
        "“Approved” cannot be recorded on a case that is handed over: a case moves only "
        "forward, proposed → approved → building → handed over."
    ]
    with pytest.raises(ServiceError, match="moves only forward"):
        houses.house_start(actor=officer, case=case, date=D(2024, 5, 2))
    with pytest.raises(ServiceError, match="cannot be cancelled"):
        houses.house_cancel(actor=officer, case=case, date=D(2024, 5, 2), reason="x")
    assert snapshot() == before


def test_dates_in_the_future_or_before_the_previous_step_are_refused(shelter: Setup) -> None:
    s, officer = shelter, shelter.cast.province_officer
    tomorrow = today() + datetime.timedelta(days=1)
    before = snapshot()
    with pytest.raises(ServiceError, match="is in the future") as exc:
        propose(s, proposed_on=tomorrow)
    assert exc.value.field == "proposed_on"
    assert snapshot() == before
    case = propose(s)
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        houses.house_approve(actor=officer, case=case, date=D(2024, 2, 28), decision_ref="1")
    assert exc.value.messages == ["The date 28/02/2024 is before the proposal (01/03/2024)."]
    with pytest.raises(ServiceError, match="is in the future"):
        houses.house_approve(actor=officer, case=case, date=tomorrow, decision_ref="1")
    with pytest.raises(ServiceError, match="decision"):
        houses.house_approve(actor=officer, case=case, date=D(2024, 3, 15), decision_ref=" ")
    assert snapshot() == before
    houses.house_approve(actor=officer, case=case, date=D(2024, 3, 15), decision_ref="1")
    before = snapshot()
    with pytest.raises(ServiceError, match="before the approval"):
        houses.house_start(actor=officer, case=case, date=D(2024, 3, 14))
    with pytest.raises(ServiceError, match="is in the future"):
        houses.house_start(actor=officer, case=case, date=tomorrow)
    assert snapshot() == before
    houses.house_start(actor=officer, case=case, date=D(2024, 4, 1))
    before = snapshot()
    with pytest.raises(ServiceError, match="before the start of building"):
        houses.house_hand_over(actor=officer, case=case, date=D(2024, 3, 31))
    with pytest.raises(ServiceError, match="is in the future"):
        houses.house_hand_over(actor=officer, case=case, date=tomorrow)
    assert snapshot() == before


def test_contributions_from_funds_and_sponsors(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    officer = s.cast.province_officer
    from_fund = houses.house_contribution_add(
        actor=officer, case=case, amount_vnd=40 * MILLION, date=D(2024, 3, 20), fund=s.p_fund
    )
    houses.house_contribution_add(
        actor=s.cast.chair,
        case=case,
        amount_vnd=15 * MILLION,
        date=D(2024, 3, 25),
        sponsor=" Công ty May Sông Hồng ",
    )
    entry = from_fund.entry
    assert entry is not None
    assert (entry.fund, entry.kind, entry.amount_vnd, entry.date, entry.house, entry.reference) == (
        s.p_fund,
        EntryKind.GRANT,
        -40 * MILLION,
        D(2024, 3, 20),
        case,
        "15/QĐ-LĐLĐ",
    )
    assert balance(s.p_fund) == 160 * MILLION
    assert houses.contributed_vnd(case) == 55 * MILLION
    assert [(c.sponsor, c.fund, c.amount_vnd) for c in houses.contributions_of(case)] == [
        ("", s.p_fund, 40 * MILLION),
        ("Công ty May Sông Hồng", None, 15 * MILLION),
    ]
    # 5 million remain: one đồng more is refused, whoever gives it.
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        houses.house_contribution_add(
            actor=officer,
            case=case,
            amount_vnd=5 * MILLION + 1,
            date=D(2024, 3, 26),
            sponsor="Ai đó",
        )
    assert exc.value.messages == [
        "Contributions would come to 60.000.001 đ, more than the 60.000.000 đ approved; "
        "5.000.000 đ remain to be given."
    ]
    assert snapshot() == before
    houses.house_contribution_add(
        actor=officer, case=case, amount_vnd=5 * MILLION, date=D(2024, 3, 26), fund=s.x_fund
    )
    assert balance(s.x_fund) == 15 * MILLION
    assert houses.contributed_vnd(case) == 60 * MILLION
    assert AuditEvent.objects.filter(action="house.contribution").count() == 3
    assert AuditEvent.objects.get(
        target_id=str(from_fund.pk), target_type="care.housecontribution"
    ).changes == {
        "fund": [None, s.p_fund.pk],
        "sponsor": [None, ""],
        "amount_vnd": [None, 40 * MILLION],
        "date": [None, "2024-03-20"],
    }


def test_a_fund_without_the_money_pays_nothing(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        houses.house_contribution_add(
            actor=s.cast.x_officer,
            case=case,
            amount_vnd=30 * MILLION,
            date=D(2024, 3, 20),
            fund=s.x_fund,
        )
    assert exc.value.messages == [
        "Quỹ xã hội huyện X would be short by 10.000.000 đ on 20/03/2024; the movement was not "
        "recorded."
    ]
    assert snapshot() == before
    assert balance(s.x_fund) == 20 * MILLION


def test_bad_contributions_are_refused(shelter: Setup) -> None:
    s = shelter
    officer = s.cast.province_officer
    case = propose(s)
    before = snapshot()
    with pytest.raises(ServiceError, match="approved cases and houses being built"):
        houses.house_contribution_add(
            actor=officer, case=case, amount_vnd=MILLION, date=D(2024, 3, 20), fund=s.p_fund
        )
    assert snapshot() == before
    houses.house_approve(actor=officer, case=case, date=D(2024, 3, 15), decision_ref="1")
    before = snapshot()
    bad: list[dict[str, Any]] = [
        {"amount_vnd": MILLION, "date": D(2024, 3, 20)},  # neither fund nor sponsor
        {"amount_vnd": MILLION, "date": D(2024, 3, 20), "fund": s.p_fund, "sponsor": "A"},
        {"amount_vnd": 0, "date": D(2024, 3, 20), "fund": s.p_fund},
        {"amount_vnd": -MILLION, "date": D(2024, 3, 20), "sponsor": "A"},
        {"amount_vnd": 1.5, "date": D(2024, 3, 20), "sponsor": "A"},
        {"amount_vnd": MILLION, "date": D(2024, 3, 14), "sponsor": "A"},  # before approval
        {"amount_vnd": MILLION, "date": today() + datetime.timedelta(days=1), "sponsor": "A"},
        {"amount_vnd": MILLION, "date": D(2024, 3, 20), "fund": s.q_fund},  # another province
    ]
    for kw in bad:
        with pytest.raises(ServiceError):
            houses.house_contribution_add(actor=officer, case=case, **kw)
    assert snapshot() == before
    assert balance(s.q_fund) == 100 * MILLION


def test_no_money_after_hand_over(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    houses.house_start(actor=None, case=case, date=D(2024, 4, 1))
    houses.house_contribution_add(
        actor=None, case=case, amount_vnd=MILLION, date=D(2024, 4, 2), sponsor="A"
    )
    houses.house_hand_over(actor=None, case=case, date=D(2024, 5, 1))
    before = snapshot()
    with pytest.raises(ServiceError, match="this case is handed over"):
        houses.house_contribution_add(
            actor=None, case=case, amount_vnd=MILLION, date=D(2024, 5, 2), sponsor="B"
        )
    assert snapshot() == before


def test_cancelling_returns_fund_money_by_reversal(shelter: Setup) -> None:
    s = shelter
    officer = s.cast.province_officer
    case = approved(s)
    paid = houses.house_contribution_add(
        actor=officer, case=case, amount_vnd=30 * MILLION, date=D(2024, 3, 20), fund=s.p_fund
    )
    houses.house_contribution_add(
        actor=officer, case=case, amount_vnd=5 * MILLION, date=D(2024, 3, 21), sponsor="Công ty A"
    )
    assert balance(s.p_fund) == 170 * MILLION
    before = snapshot()
    with pytest.raises(ServiceError, match="Say why"):
        houses.house_cancel(actor=officer, case=case, date=D(2024, 4, 1), reason="  ")
    with pytest.raises(ServiceError, match="before the last step recorded"):
        houses.house_cancel(actor=officer, case=case, date=D(2024, 3, 20), reason="x")
    assert snapshot() == before
    houses.house_cancel(actor=officer, case=case, date=D(2024, 4, 1), reason="Gia đình chuyển đi")
    case.refresh_from_db()
    assert case.status == HouseStatus.CANCELLED
    assert balance(s.p_fund) == 200 * MILLION
    assert balance(s.p_fund, D(2024, 3, 31)) == 170 * MILLION
    reversal = FundEntry.objects.get(reverses=paid.entry)
    assert (reversal.kind, reversal.amount_vnd, reversal.date, reversal.note, reversal.house) == (
        EntryKind.REVERSAL,
        30 * MILLION,
        D(2024, 4, 1),
        "Gia đình chuyển đi",
        case,
    )
    assert houses.contributed_vnd(case) == 5 * MILLION  # the sponsor's gift stays recorded
    assert [c.returned for c in houses.contributions_of(case)] == [True, False]  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="house.cancel")
    assert event.summary == "01/04/2024: Gia đình chuyển đi · 30.000.000 đ returned to the funds"
    before = snapshot()
    with pytest.raises(ServiceError, match="already cancelled"):
        houses.house_cancel(actor=officer, case=case, date=D(2024, 4, 2), reason="x")
    with pytest.raises(ServiceError, match="was cancelled"):
        houses.house_start(actor=officer, case=case, date=D(2024, 4, 2))
    assert snapshot() == before


def test_amount_warnings() -> None:
    assert houses.amount_warning("build", 60 * MILLION) == ""
    assert houses.amount_warning("build", 50 * MILLION) == ""
    assert houses.amount_warning("build", 70 * MILLION) == ""
    assert houses.amount_warning("repair", 30 * MILLION) == ""
    assert houses.amount_warning("build", 6 * MILLION) == (
        "6.000.000 đ is outside the usual 50.000.000 đ to 70.000.000 đ for building a house; "
        "check the amount."
    )
    assert houses.amount_warning("repair", 300 * MILLION) == (
        "300.000.000 đ is outside the usual 20.000.000 đ to 40.000.000 đ for repairing a house; "
        "check the amount."
    )


def test_a_list_with_totals_by_status(shelter: Setup) -> None:
    s = shelter
    one = approved(s)  # 60 million, proposed 2024
    propose(s, kind="repair", amount_vnd=30 * MILLION, proposed_on=D(2023, 12, 1))
    three = propose(s, amount_vnd=50 * MILLION)
    houses.house_cancel(actor=None, case=three, date=D(2024, 3, 2), reason="x")
    propose(s, actor=s.cast.y_officer, unit=s.tree.Y1, member=s.lan, to_fund=None)
    x = houses.houses_of(s.tree.X)
    assert x.count() == 3
    t = houses.totals(x)
    assert [(r["status"], r["count"], r["amount_vnd"]) for r in t["by_status"]] == [
        ("proposed", 1, 30 * MILLION),
        ("approved", 1, 60 * MILLION),
        ("building", 0, 0),
        ("handed_over", 0, 0),
        ("cancelled", 1, 50 * MILLION),
    ]
    assert (t["count"], t["amount_vnd"]) == (2, 90 * MILLION)
    assert houses.totals(houses.houses_of(s.tree.P))["count"] == 3
    assert list(houses.houses_of(s.tree.X, status="approved")) == [one]
    assert houses.houses_of(s.tree.X, kind="repair").count() == 1
    assert houses.houses_of(s.tree.X, year=2023).count() == 1
    assert houses.houses_of(s.tree.X, year=2024).count() == 2
    assert houses.houses_of(s.tree.X, year=2022).count() == 0
    assert set(houses.houses_visible(s.cast.x_officer)) == set(x)
    assert houses.houses_visible(s.cast.nobody).count() == 0
    assert houses.houses_visible(s.cast.superuser).count() == 4
