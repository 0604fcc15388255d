"""Care figures of a subtree for a period: exact values on a small hand-made data set with rows
that must not count (outside the subtree, outside the period, in the wrong status), their
query count, `stats` and the API."""

import datetime
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from congdoan.care.figures import CARE_KEYS, care_figures, care_section
from congdoan.care.models import (
    EntryKind,
    Fund,
    FundEntry,
    FundKind,
    HouseCase,
    HouseKind,
    HouseStatus,
    Loan,
    LoanInstalment,
    LoanRepayment,
    LoanStatus,
    Programme,
    ProgrammeItem,
    ProgrammeKind,
    Support,
    SupportItem,
    SupportStatus,
)
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.tokens import api_token_create
from congdoan.members.services import today
from congdoan.org.models import Unit

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 12, 31)


@dataclass
class Data:
    tet: Programme
    covid: Programme
    other: Programme
    m1: Any
    m2: Any
    m3: Any
    q: Any
    y: Any


def support(
    programme: Programme,
    unit: Unit,
    day: datetime.date,
    status: str,
    *,
    key: str,
    person_unit: Unit | None = None,
    member: Any = None,
    cash: int = 0,
    in_kind: int = 0,
    voucher: int = 0,
) -> Support:
    return Support.objects.create(
        programme=programme,
        unit=unit,
        member=member,
        person_name=member.full_name if member else "Worker",
        person_key=key,
        person_unit=person_unit,
        date=day,
        cash_vnd=cash,
        in_kind_vnd=in_kind,
        voucher_vnd=voucher,
        status=status,
    )


def house(
    unit: Unit,
    member: Any,
    kind: str,
    amount: int,
    status: str,
    proposed: datetime.date,
    approved: datetime.date | None = None,
    handed_over: datetime.date | None = None,
) -> HouseCase:
    return HouseCase.objects.create(
        unit=unit,
        member=member,
        kind=kind,
        amount_vnd=amount,
        status=status,
        proposed_on=proposed,
        approved_on=approved,
        handed_over_on=handed_over,
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    first = day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)
    for d in (day.day, 30, 29, 28):  # the 31st of a shorter month is its last day
        try:
            return first.replace(day=d)
        except ValueError:
            continue
    raise AssertionError(day)


def loan(
    fund: Fund,
    unit: Unit,
    member: Any,
    amount: int,
    term: int,
    disbursed: datetime.date | None,
    repayments: list[tuple[datetime.date, int]] = (),  # type: ignore[assignment]
) -> Loan:
    """A loan repaid in `term` equal monthly instalments of principal from a month after
    disbursement; `repayments` are (date, principal) pairs."""
    status = LoanStatus.DISBURSED if disbursed else LoanStatus.APPROVED
    made = Loan.objects.create(
        fund=fund,
        unit=unit,
        member=member,
        amount_vnd=amount,
        monthly_rate_bp=45,
        term_months=term,
        status=status,
        applied_on=(disbursed or D(2025, 1, 1)) - datetime.timedelta(days=30),
        disbursed_on=disbursed,
    )
    if disbursed:
        for n in range(1, term + 1):
            LoanInstalment.objects.create(
                loan=made,
                number=n,
                due_on=add_months(disbursed, n),
                principal_vnd=amount // term,
                interest_vnd=0,
            )
    for day, principal in repayments:
        LoanRepayment.objects.create(loan=made, date=day, principal_vnd=principal)
    return made


def entry(
    fund: Fund, kind: str, amount: int, day: datetime.date, source: Unit | None, **kw: Any
) -> FundEntry:
    return FundEntry.objects.create(
        fund=fund, kind=kind, amount_vnd=amount, date=day, source_unit=source, **kw
    )


@pytest.fixture
def data(tree: Tree) -> Data:
    return make_data(tree)


def make_data(tree: Tree) -> Data:
    """The data set of these tests (and of the pages' tests)."""
    m1 = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190000001")
    m2 = make_member(tree.X2, "Trần Văn Bình", cccd="001190000002")
    m3 = make_member(tree.X3, "Lê Thị Cúc")  # no CCCD: known by member id
    q = make_member(tree.Q1, "Phạm Văn Quý", cccd="001190000009")
    y = make_member(tree.Y1, "Đỗ Thị Yến", cccd="001190000008")
    tet = Programme.objects.create(
        unit=tree.P, name="Tết Sum vầy 2025", kind=ProgrammeKind.TET,
        start=D(2025, 1, 1), end=D(2025, 2, 28),
    )  # fmt: skip
    covid = Programme.objects.create(
        unit=tree.X, name="Covid-19 support", kind=ProgrammeKind.COVID,
        start=D(2024, 12, 1), end=D(2025, 12, 31), repeat_allowed=True,
    )  # fmt: skip
    other = Programme.objects.create(
        unit=tree.Q, name="Q gifts", kind=ProgrammeKind.GIFTS,
        start=D(2025, 1, 1), end=D(2025, 12, 31),
    )  # fmt: skip
    PAID = SupportStatus.PAID
    k1, k2, k3 = "c:001190000001", "c:001190000002", f"m:{m3.pk}"
    worker = "c:079200000123"
    # Counted for X: five paid acts for four people.
    gifted = support(tet, tree.X1, D(2025, 1, 20), PAID, key=k1, member=m1,
                     person_unit=tree.X1, cash=500_000, in_kind=300_000)  # fmt: skip
    rice = ProgrammeItem.objects.create(programme=tet, name="Gạo", unit_value_vnd=150_000)
    milk = ProgrammeItem.objects.create(programme=tet, name="Sữa", unit_value_vnd=10_000)
    SupportItem.objects.create(support=gifted, item=rice, quantity=1, value_vnd=150_000)
    SupportItem.objects.create(support=gifted, item=milk, quantity=15, value_vnd=150_000)
    support(tet, tree.X2, D(2025, 1, 21), PAID, key=k2, member=m2, person_unit=tree.X2,
            cash=500_000)  # fmt: skip
    support(covid, tree.X, D(2025, 6, 1), PAID, key=k1, member=m1, person_unit=tree.X1,
            cash=3_000_000)  # fmt: skip
    support(covid, tree.X1, D(2025, 6, 2), PAID, key=worker, cash=1_500_000, voucher=200_000)
    support(covid, tree.X3, D(2025, 12, 31), PAID, key=k3, member=m3, person_unit=tree.X3,
            cash=1_000_000)  # fmt: skip
    # Not counted: not paid, outside the period, outside the subtree.
    unpaid = support(tet, tree.X1, D(2025, 1, 22), SupportStatus.PROPOSED, key="c:1",
                     cash=500_000)  # fmt: skip
    SupportItem.objects.create(support=unpaid, item=milk, quantity=7, value_vnd=70_000)
    support(tet, tree.X1, D(2025, 1, 23), SupportStatus.APPROVED, key="c:2", cash=500_000)
    support(covid, tree.X1, D(2025, 6, 3), SupportStatus.REVERSED, key="c:3", cash=3_000_000)
    support(covid, tree.X2, D(2025, 6, 5), SupportStatus.REJECTED, key="c:4", cash=3_000_000)
    support(covid, tree.X1, D(2024, 12, 31), PAID, key="c:5", person_unit=tree.X1, cash=9)
    support(covid, tree.X1, D(2026, 1, 1), PAID, key="c:6", person_unit=tree.X1, cash=9)
    support(tet, tree.Y1, D(2025, 1, 20), PAID, key="c:001190000008", member=y,
            person_unit=tree.Y1, cash=400_000)  # fmt: skip
    support(other, tree.Q1, D(2025, 3, 1), PAID, key="c:001190000009", member=q,
            person_unit=tree.Q1, cash=777_000)  # fmt: skip

    B, R, S = HouseKind.BUILD, HouseKind.REPAIR, HouseStatus
    house(tree.X1, m1, B, 70_000_000, S.HANDED_OVER, D(2024, 11, 1), D(2025, 2, 1), D(2025, 8, 1))
    house(tree.X2, m2, R, 30_000_000, S.BUILDING, D(2025, 3, 1), D(2025, 4, 1))
    house(tree.X1, m1, B, 50_000_000, S.CANCELLED, D(2025, 1, 5), D(2025, 1, 10))
    house(tree.X3, m3, B, 60_000_000, S.PROPOSED, D(2025, 10, 1))
    house(tree.X1, m1, R, 30_000_000, S.APPROVED, D(2025, 12, 1), D(2026, 1, 15))
    house(tree.X1, m1, B, 70_000_000, S.HANDED_OVER, D(2024, 3, 1), D(2024, 5, 1), D(2024, 12, 1))
    house(tree.X2, m2, B, 50_000_000, S.HANDED_OVER, D(2024, 5, 1), D(2024, 6, 1), D(2025, 1, 15))
    house(tree.X3, m3, R, 20_000_000, S.CANCELLED, D(2025, 2, 1))  # refused, not waiting
    house(tree.Q1, q, B, 70_000_000, S.APPROVED, D(2025, 2, 1), D(2025, 3, 1))
    house(tree.Y1, y, B, 40_000_000, S.APPROVED, D(2025, 2, 1), D(2025, 3, 1))

    loans = Fund.objects.create(unit=tree.P, name="Quỹ trợ vốn", kind=FundKind.LOAN)
    monthly = [(add_months(D(2025, 1, 10), n), 1_000_000) for n in range(1, 11)]
    # 11 instalments due by 31/12/2025, 10 repaid: 1,000,000 overdue, 2,000,000 outstanding.
    loan(loans, tree.X1, m1, 12_000_000, 12, D(2025, 1, 10), monthly)
    # Disbursed in 2024, repaid in full in 2025.
    loan(loans, tree.X2, m2, 10_000_000, 10, D(2024, 6, 1), [(D(2025, 4, 1), 10_000_000)])
    # Disbursed in December: nothing due yet.
    loan(loans, tree.X3, m3, 20_000_000, 20, D(2025, 12, 15))
    loan(loans, tree.X1, m1, 5_000_000, 5, None)  # approved, not disbursed
    loan(loans, tree.X1, m1, 6_000_000, 6, D(2026, 2, 1))  # after the period
    # 2024 loan half repaid, the rest paid after the period: 4,000,000 overdue at its end.
    loan(loans, tree.X2, m2, 8_000_000, 8, D(2024, 1, 10),
         [(D(2024, 5, 10), 4_000_000), (D(2026, 1, 5), 2_000_000)])  # fmt: skip
    loan(loans, tree.Q1, q, 10_000_000, 10, D(2025, 3, 1))
    loan(loans, tree.Y1, y, 10_000_000, 10, D(2025, 3, 1))

    social = Fund.objects.create(unit=tree.P, name="Quỹ xã hội", kind=FundKind.SOCIAL)
    DON, REV = EntryKind.DONATION, EntryKind.REVERSAL
    entry(social, DON, 5_000_000, D(2025, 3, 1), tree.X1)
    entry(social, DON, 2_000_000, D(2025, 4, 1), tree.X)
    entry(social, DON, 1_000_000, D(2024, 12, 31), tree.X1)  # before the period
    entry(social, DON, 3_000_000, D(2025, 5, 1), tree.Y1)  # outside the subtree
    undone = entry(social, DON, 700_000, D(2025, 6, 1), tree.X2)
    entry(social, REV, -700_000, D(2025, 6, 10), tree.X2, reverses=undone)
    entry(social, EntryKind.GRANT, -1_000_000, D(2025, 7, 1), tree.X1)  # not a donation
    entry(social, DON, 400_000, D(2025, 9, 1), None)  # from no unit
    late = entry(social, DON, 900_000, D(2025, 11, 1), tree.X3)
    entry(social, REV, -900_000, D(2026, 1, 5), tree.X3, reverses=late)  # after the period
    return Data(tet=tet, covid=covid, other=other, m1=m1, m2=m2, m3=m3, q=q, y=y)


X_2025 = {
    "people_supported": 4,
    "support_acts": 5,
    "cash_vnd": 6_500_000,
    "in_kind_vnd": 300_000,
    "in_kind_items": 16,  # one bag of rice and 15 boxes of milk, paid; 7 more not yet
    "voucher_vnd": 200_000,
    "support_vnd": 7_000_000,
    "grassroots_units_supported": 3,
    "houses": 2,
    "houses_vnd": 100_000_000,
    "houses_build": 1,
    "houses_repair": 1,
    "houses_handed_over": 2,
    "houses_proposed": 2,
    "loans_granted": 2,
    "loans_disbursed_vnd": 32_000_000,
    "loans_outstanding_vnd": 26_000_000,
    "loans_overdue": 2,
    "loans_overdue_vnd": 5_000_000,
    "donations_vnd": 7_900_000,
}


def test_figures_of_a_subtree_for_a_year(tree: Tree, data: Data) -> None:
    figures = care_figures(tree.X, START, END)
    assert list(figures) == list(CARE_KEYS)
    assert {k: v for k, v in figures.items() if k != "by_programme"} == X_2025
    assert figures["by_programme"] == [
        {"programme_id": data.covid.pk, "name": "Covid-19 support", "people": 3, "acts": 3,
         "cash_vnd": 5_500_000, "in_kind_vnd": 0, "voucher_vnd": 200_000,
         "support_vnd": 5_700_000},
        {"programme_id": data.tet.pk, "name": "Tết Sum vầy 2025", "people": 2, "acts": 2,
         "cash_vnd": 1_000_000, "in_kind_vnd": 300_000, "voucher_vnd": 0,
         "support_vnd": 1_300_000},
    ]  # fmt: skip


def test_a_person_is_counted_once_across_programmes_and_units(tree: Tree, data: Data) -> None:
    # The member and a worker recorded by CCCD elsewhere are the same person when their CCCD
    # is; a member without CCCD is one person however often supported.
    support(data.tet, tree.X3, D(2025, 2, 1), SupportStatus.PAID, key="c:079200000123",
            cash=100_000)  # fmt: skip
    support(data.tet, tree.X2, D(2025, 2, 2), SupportStatus.PAID, key=f"m:{data.m3.pk}",
            member=data.m3, person_unit=tree.X3, cash=100_000)  # fmt: skip
    figures = care_figures(tree.X, START, END)
    assert (figures["people_supported"], figures["support_acts"]) == (4, 7)
    assert figures["grassroots_units_supported"] == 3
    assert [(p["name"], p["people"], p["acts"]) for p in figures["by_programme"]] == [
        ("Covid-19 support", 3, 3),
        ("Tết Sum vầy 2025", 4, 4),
    ]


def test_narrower_and_wider_subtrees_and_periods(tree: Tree, data: Data) -> None:
    x1 = care_figures(tree.X1, START, END)
    assert (x1["people_supported"], x1["support_acts"], x1["cash_vnd"]) == (2, 2, 2_000_000)
    assert (x1["houses"], x1["houses_vnd"], x1["houses_proposed"]) == (1, 70_000_000, 1)
    assert (x1["loans_granted"], x1["loans_outstanding_vnd"], x1["loans_overdue"]) == (
        1,
        2_000_000,
        1,
    )
    assert x1["donations_vnd"] == 5_000_000
    p = care_figures(tree.P, START, END)
    assert (p["people_supported"], p["support_acts"], p["cash_vnd"]) == (5, 6, 6_900_000)
    assert (p["houses"], p["loans_granted"], p["donations_vnd"]) == (3, 3, 10_900_000)
    # January only: the two Tết acts, the house handed over, one loan.
    jan = care_figures(tree.X, D(2025, 1, 1), D(2025, 1, 31))
    assert (jan["support_acts"], jan["cash_vnd"], jan["in_kind_vnd"]) == (2, 1_000_000, 300_000)
    assert (jan["houses"], jan["houses_handed_over"], jan["houses_proposed"]) == (0, 1, 0)
    assert (jan["loans_granted"], jan["loans_disbursed_vnd"]) == (1, 12_000_000)
    # At the end of January: 12M lent in 2025 and 10M + 8M earlier, 4M repaid; the 2024 loans
    # are behind (10M loan: 7 due, 0 repaid; 8M loan: 8 due, 4 repaid); the new one owes 0.
    assert (jan["loans_outstanding_vnd"], jan["loans_overdue"], jan["loans_overdue_vnd"]) == (
        26_000_000,
        2,
        11_000_000,
    )
    # The unit with nothing: zeros, not None.
    empty = care_figures(tree.Z, START, END)
    assert {k: v for k, v in empty.items() if k != "by_programme"} == dict.fromkeys(X_2025, 0)
    assert empty["by_programme"] == []


def test_overdue_is_judged_on_today_for_a_period_not_over(tree: Tree, data: Data) -> None:
    """Instalments due after today are not late yet, whatever the end of the period."""
    fund = Fund.objects.get(name="Quỹ trợ vốn")
    start = today() - datetime.timedelta(days=40)
    loan(fund, tree.Y2, data.m2, 6_000_000, 6, start)  # first instalment due ~10 days ago
    far = today() + datetime.timedelta(days=400)
    figures = care_figures(tree.Y2, start, far)
    assert (figures["loans_granted"], figures["loans_overdue"]) == (1, 1)
    assert figures["loans_overdue_vnd"] == 1_000_000


def grow(tree: Tree, data: Data, n: int) -> None:
    """n more rows of every kind, in several units."""
    fund = Fund.objects.get(name="Quỹ trợ vốn")
    social = Fund.objects.get(name="Quỹ xã hội")
    for i in range(n):
        unit = [tree.X1, tree.X2, tree.X3][i % 3]
        support(data.covid, unit, D(2025, 3, 1 + i), SupportStatus.PAID, key=f"c:9{i}",
                person_unit=unit, cash=1000)  # fmt: skip
        house(unit, data.m1, HouseKind.REPAIR, 1000, HouseStatus.APPROVED, D(2025, 3, 1),
              D(2025, 3, 2))  # fmt: skip
        loan(fund, unit, data.m1, 3000, 3, D(2025, 3, 1), [(D(2025, 4, 1), 1000)])
        entry(social, EntryKind.DONATION, 1000, D(2025, 3, 1), unit)


def test_query_count_does_not_grow_with_the_data(
    tree: Tree, data: Data, django_assert_num_queries: Any
) -> None:
    # Six for the figures, three to find the subtree as it stood at the end of 2025.
    with django_assert_num_queries(9):
        care_figures(tree.P, START, END)
    grow(tree, data, 9)
    with django_assert_num_queries(9):
        figures = care_figures(tree.P, START, END)
    assert figures["support_acts"] == 6 + 9
    assert figures["houses"] == 3 + 9
    assert figures["loans_granted"] == 3 + 9
    assert figures["donations_vnd"] == 10_900_000 + 9_000


def stats(*args: str) -> Any:
    out = io.StringIO()
    call_command("stats", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_stats_prints_the_care_object(tree: Tree, data: Data) -> None:
    out = stats("--unit", "X", "--as-of", "2025-12-31", "--from", "2025-01-01")
    assert (out["unit"], out["as_of"], out["grassroots_units"]) == ("X", "2025-12-31", 3)
    care = out["care"]
    assert (care["from"], care["to"]) == ("2025-01-01", "2025-12-31")
    assert {k: care[k] for k in X_2025} == X_2025
    assert [p["name"] for p in care["by_programme"]] == ["Covid-19 support", "Tết Sum vầy 2025"]
    # --from defaults to 1 January of the as-of year.
    assert stats("--unit", "X", "--as-of", "2025-12-31")["care"] == care
    june = stats("--unit", "X", "--as-of", "2025-06-30", "--from", "2025-06-01")["care"]
    assert (june["from"], june["to"], june["support_acts"], june["cash_vnd"]) == (
        "2025-06-01",
        "2025-06-30",
        2,
        4_500_000,
    )


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_api_gives_the_same_object_as_stats(tree: Tree, cast: Cast, data: Data) -> None:
    client = api(cast.x_officer)
    body = client.get("/api/v1/care/figures/X", {"from": "2025-01-01", "as_of": "2025-12-31"})
    assert body.status_code == 200
    assert body.json() == stats("--unit", "X", "--as-of", "2025-12-31")["care"]
    assert body.json() == care_section(tree.X, START, END)
    # Defaults: 1 January of the as-of year; as_of today.
    assert client.get("/api/v1/care/figures/X", {"as_of": "2025-12-31"}).json() == body.json()
    now = client.get("/api/v1/care/figures/X1").json()
    assert (now["from"], now["to"]) == (
        today().replace(month=1, day=1).isoformat(),
        today().isoformat(),
    )
    # Outside the user's reach, or no such unit: 404. A period backwards: 422.
    for code in ("Y1", "P", "Q1", "NOPE"):
        assert client.get(f"/api/v1/care/figures/{code}").status_code == 404, code
    assert (
        client.get("/api/v1/care/figures/X", {"from": "2025-02-01", "as_of": "2025-01-31"})
    ).status_code == 422
    assert Client().get("/api/v1/care/figures/X").status_code == 401


def test_the_overview_endpoints(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/care/figures/{code}" in schema["paths"]
    assert list(schema["paths"]["/api/v1/care/figures/{code}"]) == ["get"]
    params = schema["paths"]["/api/v1/care/figures/{code}"]["get"]["parameters"]
    assert [p["name"] for p in params] == ["code", "from", "as_of"]
