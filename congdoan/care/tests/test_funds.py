"""Funds and their ledgers: creating funds, donations, grants, allocations between funds,
reversals, refusals that write nothing, the period report and the pages and API."""

import datetime
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.care import funds
from congdoan.care.models import EntryKind, Fund, FundEntry, FundKind
from congdoan.conftest import Cast, Tree
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
    """Everything a refused write must leave as it was."""
    return (
        list(Fund.objects.values_list("pk", "name", "kind", "allow_overdraft").order_by("pk")),
        list(
            FundEntry.objects.values_list("pk", "fund_id", "amount_vnd", "pair_id").order_by("pk")
        ),
        AuditEvent.objects.count(),
    )


def social(unit: Any, name: str = "Quỹ xã hội", **kw: Any) -> Fund:
    return funds.fund_create(actor=None, unit=unit, name=name, kind=FundKind.SOCIAL, **kw)


def give(fund: Fund, amount: int, day: datetime.date, **kw: Any) -> FundEntry:
    kw.setdefault("donor", "Công ty TNHH Hảo Tâm")
    return funds.donation_record(actor=None, fund=fund, amount_vnd=amount, date=day, **kw)


# ---- Services ---------------------------------------------------------------------------------


def test_fund_create_is_audited_and_names_are_unique_per_unit(tree: Tree, cast: Cast) -> None:
    fund = funds.fund_create(
        actor=cast.province_officer,
        unit=tree.P,
        name="  Quỹ  Mái ấm Công đoàn ",
        kind=FundKind.HOUSE,
        allow_overdraft=False,
    )
    assert (fund.name, fund.kind, fund.unit_id) == ("Quỹ Mái ấm Công đoàn", "house", tree.P.pk)
    event = AuditEvent.objects.get(action="fund.create")
    assert (event.actor_id, event.unit_id, event.target_id) == (
        cast.province_officer.pk,
        tree.P.pk,
        str(fund.pk),
    )
    before = state()
    with pytest.raises(ServiceError, match="already has a fund named"):
        funds.fund_create(actor=None, unit=tree.P, name="quỹ mái ấm công đoàn", kind="house")
    with pytest.raises(ServiceError, match="Give the fund a name"):
        funds.fund_create(actor=None, unit=tree.P, name="  ", kind="social")
    with pytest.raises(ServiceError, match="Choose the kind of fund"):
        funds.fund_create(actor=None, unit=tree.P, name="Quỹ khác", kind="gold")
    with pytest.raises(ServiceError, match="may not keep funds"):
        funds.fund_create(actor=cast.x_officer, unit=tree.Y, name="Quỹ Y", kind="social")
    assert state() == before
    # The same name in another unit is another fund.
    assert social(tree.X, "Quỹ Mái ấm Công đoàn").unit_id == tree.X.pk


def test_donations_grants_and_interest(tree: Tree, cast: Cast) -> None:
    fund = social(tree.X)
    give(fund, 30_000_000, D(2024, 1, 10), source_unit=tree.X1, donor="")
    give(fund, 5_000_000, D(2024, 2, 1), reference="PT-02")
    funds.grant_record(
        actor=cast.x_officer, fund=fund, amount_vnd=12_000_000, date=D(2024, 3, 1),
        recipient="Gia đình chị Lan", reference="QĐ 12",
    )  # fmt: skip
    funds.movement_record(
        actor=cast.x_officer, fund=fund, kind=EntryKind.INTEREST, amount_vnd=150_000,
        date=D(2024, 3, 31), counterpart="Ngân hàng",
    )  # fmt: skip
    rows = list(fund.entries.order_by("date").values_list("kind", "amount_vnd", "source_unit"))
    assert rows == [
        ("donation", 30_000_000, tree.X1.pk),
        ("donation", 5_000_000, None),
        ("grant", -12_000_000, None),
        ("interest", 150_000, None),
    ]
    assert funds.balance(fund) == 23_150_000
    assert funds.balance(fund, D(2024, 1, 31)) == 30_000_000
    assert funds.balance(fund, D(2024, 1, 9)) == 0
    assert funds.balance(fund, D(2024, 3, 1)) == 23_000_000


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "The amount must be more than zero."),
        (-5_000, "The amount must be more than zero."),
        (1500.5, "Amounts are whole numbers of đồng, without decimals."),
        (Decimal("1000"), "Amounts are whole numbers of đồng, without decimals."),
        ("1000", "Amounts are whole numbers of đồng, without decimals."),
        (True, "Amounts are whole numbers of đồng, without decimals."),
    ],
)
def test_bad_amounts_are_refused(tree: Tree, amount: Any, message: str) -> None:
    fund = social(tree.X)
    give(fund, 1_000_000, D(2024, 1, 1))
    before = state()
    for call in (
        lambda: give(fund, amount, D(2024, 2, 1)),
        lambda: funds.grant_record(
            actor=None, fund=fund, amount_vnd=amount, date=D(2024, 2, 1), recipient="A"
        ),
        lambda: funds.allocation_record(
            actor=None, source=fund, target=social(tree.Y), amount_vnd=amount, date=D(2024, 2, 1)
        ),
    ):
        with pytest.raises(ServiceError) as caught:
            call()
        assert caught.value.messages == [message]
        assert caught.value.field == "amount_vnd"
    Fund.objects.filter(unit=tree.Y).delete()  # made by the third call's arguments
    assert state()[:2] == before[:2]


def test_bad_dates_and_donors_are_refused(tree: Tree, cast: Cast) -> None:
    fund = social(tree.X)
    give(fund, 1_000_000, D(2024, 1, 1))
    before = state()
    tomorrow = today() + datetime.timedelta(days=1)
    with pytest.raises(ServiceError, match="is in the future"):
        give(fund, 1_000, tomorrow)
    with pytest.raises(ServiceError, match="Say who gave the money"):
        give(fund, 1_000, D(2024, 1, 2), donor="")
    with pytest.raises(ServiceError, match="must be Unit X or one of its units"):
        give(fund, 1_000, D(2024, 1, 2), source_unit=tree.Y1)
    with pytest.raises(ServiceError, match="Say who received the money"):
        funds.grant_record(actor=None, fund=fund, amount_vnd=1, date=D(2024, 1, 2), recipient="")
    with pytest.raises(ServiceError, match="recorded on their own pages"):
        funds.movement_record(
            actor=None, fund=fund, kind=EntryKind.LOAN_OUT, amount_vnd=1, date=D(2024, 1, 2)
        )
    assert state() == before


def test_an_out_may_not_take_a_fund_below_zero_on_any_later_day(tree: Tree) -> None:
    fund = social(tree.X)
    give(fund, 10_000_000, D(2024, 1, 1))
    funds.grant_record(
        actor=None, fund=fund, amount_vnd=8_000_000, date=D(2024, 3, 1), recipient="A"
    )
    before = state()
    # On 1 February there are 10 million, but 8 million leave on 1 March: 5 million would leave
    # the fund 3 million short then.
    with pytest.raises(ServiceError) as caught:
        funds.grant_record(
            actor=None, fund=fund, amount_vnd=5_000_000, date=D(2024, 2, 1), recipient="B"
        )
    assert caught.value.messages == [
        "Quỹ xã hội would be short by 3.000.000 đ on 01/03/2024; the movement was not recorded."
    ]
    assert state() == before
    funds.grant_record(
        actor=None, fund=fund, amount_vnd=2_000_000, date=D(2024, 2, 1), recipient="B"
    )
    assert funds.balance(fund) == 0
    # A fund that may be overdrawn takes it.
    loose = social(tree.X, "Quỹ tạm ứng", allow_overdraft=True)
    funds.grant_record(actor=None, fund=loose, amount_vnd=1_000, date=D(2024, 2, 1), recipient="C")
    assert funds.balance(loose) == -1_000


def test_allocation_writes_both_halves_linked(tree: Tree, cast: Cast) -> None:
    province = social(tree.P)
    district = social(tree.X, "Quỹ xã hội huyện X")
    give(province, 50_000_000, D(2024, 1, 1))
    out, into = funds.allocation_record(
        actor=cast.province_officer, source=province, target=district, amount_vnd=20_000_000,
        date=D(2024, 1, 15), reference="QĐ 5/LĐLĐ",
    )  # fmt: skip
    out.refresh_from_db()
    into.refresh_from_db()
    assert (out.kind, out.amount_vnd, out.fund_id, out.pair_id) == (
        "allocation_out",
        -20_000_000,
        province.pk,
        into.pk,
    )
    assert (into.kind, into.amount_vnd, into.fund_id, into.pair_id) == (
        "allocation_in",
        20_000_000,
        district.pk,
        out.pk,
    )
    assert (into.source_unit_id, into.counterpart, out.counterpart) == (
        tree.P.pk,
        "Quỹ xã hội",
        "Quỹ xã hội huyện X",
    )
    assert (funds.balance(province), funds.balance(district)) == (30_000_000, 20_000_000)
    assert AuditEvent.objects.filter(action="fund.allocation").count() == 1


def test_allocation_refusals_write_nothing(tree: Tree, cast: Cast) -> None:
    province = social(tree.P)
    district = social(tree.X, "Quỹ X")
    other = social(tree.Y, "Quỹ Y")
    give(province, 5_000_000, D(2024, 1, 1))
    before = state()
    with pytest.raises(ServiceError, match=re.escape("short by 1.000.000 đ")):
        funds.allocation_record(
            actor=None, source=province, target=district, amount_vnd=6_000_000, date=D(2024, 2, 1)
        )
    with pytest.raises(ServiceError, match="Choose another fund"):
        funds.allocation_record(
            actor=None, source=province, target=province, amount_vnd=1, date=D(2024, 2, 1)
        )
    with pytest.raises(ServiceError, match="a fund you may write to"):
        funds.allocation_record(
            actor=cast.x_officer, source=district, target=other, amount_vnd=1, date=D(2024, 2, 1)
        )
    assert state() == before


def test_reversal_keeps_history_and_reverses_both_halves(tree: Tree, cast: Cast) -> None:
    province = social(tree.P)
    district = social(tree.X, "Quỹ X")
    gift = give(province, 50_000_000, D(2024, 1, 1))
    out, into = funds.allocation_record(
        actor=None, source=province, target=district, amount_vnd=20_000_000, date=D(2024, 1, 15)
    )
    reversal = funds.movement_reverse(
        actor=cast.province_officer, entry=into, date=D(2024, 1, 20), reason="Nhầm quỹ"
    )
    assert (reversal.kind, reversal.amount_vnd, reversal.reverses_id, reversal.note) == (
        "reversal",
        -20_000_000,
        into.pk,
        "Nhầm quỹ",
    )
    back = FundEntry.objects.get(reverses=out)
    assert (back.amount_vnd, back.fund_id, back.date) == (20_000_000, province.pk, D(2024, 1, 20))
    assert (funds.balance(province), funds.balance(district)) == (50_000_000, 0)
    assert funds.balance(district, D(2024, 1, 19)) == 20_000_000
    assert FundEntry.objects.count() == 5  # nothing edited or deleted
    before = state()
    with pytest.raises(ServiceError, match="already reversed"):
        funds.movement_reverse(actor=None, entry=out, date=D(2024, 1, 21), reason="x")
    with pytest.raises(ServiceError, match="cannot itself be reversed"):
        funds.movement_reverse(actor=None, entry=reversal, date=D(2024, 1, 21), reason="x")
    with pytest.raises(ServiceError, match="Say why"):
        funds.movement_reverse(actor=None, entry=gift, date=D(2024, 1, 21), reason=" ")
    with pytest.raises(ServiceError, match=r"before the entry it reverses \(01/01/2024\)"):
        funds.movement_reverse(actor=None, entry=gift, date=D(2023, 12, 31), reason="x")
    with pytest.raises(ServiceError, match="in the future"):
        funds.movement_reverse(
            actor=None, entry=gift, date=today() + datetime.timedelta(days=1), reason="x"
        )
    assert state() == before


def test_a_reversal_that_would_overdraw_is_refused(tree: Tree) -> None:
    fund = social(tree.X)
    gift = give(fund, 10_000_000, D(2024, 1, 1))
    funds.grant_record(actor=None, fund=fund, amount_vnd=7_000_000, date=D(2024, 2, 1),
                       recipient="A")  # fmt: skip
    before = state()
    with pytest.raises(ServiceError, match=re.escape("short by 7.000.000 đ on 01/02/2024")):
        funds.movement_reverse(actor=None, entry=gift, date=D(2024, 1, 5), reason="Trả lại")
    with pytest.raises(ServiceError, match=re.escape("short by 7.000.000 đ")):
        funds.movement_reverse(actor=None, entry=gift, date=D(2024, 3, 1), reason="Trả lại")
    assert state() == before


def test_money_of_a_case_is_reversed_from_the_case(tree: Tree) -> None:
    from congdoan.care.models import HouseCase
    from congdoan.conftest import make_member

    fund = social(tree.X)
    give(fund, 10_000_000, D(2024, 1, 1))
    house = HouseCase.objects.create(
        unit=tree.X1, member=make_member(tree.X1, "Lê Thị Mơ"), kind="build",
        amount_vnd=5_000_000, proposed_on=D(2024, 1, 2),
    )  # fmt: skip
    entry = funds.entry_record(
        actor=None, fund=fund, kind=EntryKind.GRANT, amount_vnd=5_000_000, date=D(2024, 1, 3),
        house=house,
    )  # fmt: skip
    with pytest.raises(ServiceError, match="reverse it from the case"):
        funds.movement_reverse(actor=None, entry=entry, date=D(2024, 1, 4), reason="x")
    assert funds.reversible(entry) is False
    # The house service itself may still reverse it.
    funds.entry_reverse(actor=None, entry=entry, date=D(2024, 1, 4), reason="Huỷ")
    assert funds.balance(fund) == 10_000_000


# ---- The period report ------------------------------------------------------------------------


def _report_fixture(tree: Tree) -> tuple[Fund, Fund, Fund]:
    province = social(tree.P)
    district = social(tree.X, "Quỹ X")
    school = social(tree.Y2, "Quỹ Y2")
    give(province, 100_000_000, D(2023, 12, 1))
    give(province, 40_000_000, D(2024, 2, 1), source_unit=tree.X1, donor="")
    funds.allocation_record(
        actor=None, source=province, target=district, amount_vnd=30_000_000, date=D(2024, 3, 1)
    )
    funds.grant_record(actor=None, fund=district, amount_vnd=12_500_000, date=D(2024, 4, 1),
                       recipient="A")  # fmt: skip
    wrong = funds.grant_record(
        actor=None, fund=province, amount_vnd=1_000_000, date=D(2024, 5, 1), recipient="B"
    )
    funds.movement_reverse(actor=None, entry=wrong, date=D(2024, 5, 2), reason="Nhầm")
    funds.grant_record(actor=None, fund=province, amount_vnd=9_000_000, date=D(2025, 1, 5),
                       recipient="C")  # fmt: skip
    give(school, 700_000, D(2024, 6, 1))
    return province, district, school


def test_period_report(tree: Tree) -> None:
    province, district, school = _report_fixture(tree)
    report = funds.fund_report(unit=tree.P, start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert [r.fund for r in report.rows] == [province, district, school]
    assert report.in_kinds == ["donation", "allocation_in", "reversal"]
    assert report.out_kinds == ["grant", "allocation_out"]
    p, x, y = report.rows
    assert (p.opening_vnd, p.in_cells, p.out_cells, p.closing_vnd) == (
        100_000_000,
        [40_000_000, 0, 1_000_000],
        [1_000_000, 30_000_000],
        110_000_000,
    )
    assert (x.opening_vnd, x.in_cells, x.out_cells, x.closing_vnd) == (
        0,
        [0, 30_000_000, 0],
        [12_500_000, 0],
        17_500_000,
    )
    assert (y.opening_vnd, y.total_in_vnd, y.total_out_vnd, y.closing_vnd) == (
        0,
        700_000,
        0,
        700_000,
    )
    t = report.totals
    assert (t.opening_vnd, t.total_in_vnd, t.total_out_vnd, t.closing_vnd) == (
        100_000_000,
        71_700_000,
        43_500_000,
        128_200_000,
    )
    for row in [*report.rows, report.totals]:
        assert row.opening_vnd + row.total_in_vnd - row.total_out_vnd == row.closing_vnd
    # A district sees its own subtree only; a later period starts from the closing balance.
    later = funds.fund_report(unit=tree.X, start=D(2025, 1, 1), end=D(2025, 6, 30))
    assert [(r.fund, r.opening_vnd, r.closing_vnd) for r in later.rows] == [
        (district, 17_500_000, 17_500_000)
    ]
    with pytest.raises(ServiceError, match="ends before it starts"):
        funds.fund_report(unit=tree.P, start=D(2024, 2, 1), end=D(2024, 1, 1))


def test_report_page_and_xlsx(tree: Tree, cast: Cast) -> None:
    _report_fixture(tree)
    client = login(cast.viewer)
    url = reverse("fund_report", args=[tree.P.pk])
    body = client.get(url, {"start": "01/01/2024", "end": "31/12/2024"}).content.decode()
    assert "100.000.000" in body and "110.000.000" in body and "128.200.000" in body
    assert "Amounts in đồng." in body
    response = client.get(url, {"start": "01/01/2024", "end": "31/12/2024", "format": "xlsx"})
    assert response["Content-Disposition"] == (
        'attachment; filename="quy-P-20240101-20241231.xlsx"'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    for text in ("Opening balance", "In: Donation in", "Out: Grant out", "Quỹ xã hội",
                 "128200000", "Total"):  # fmt: skip
        assert text in sheet, text
    bad = client.get(url, {"start": "01/02/2024", "end": "01/01/2024"})
    assert "The period ends before it starts." in bad.content.decode()
    assert login(cast.y_officer).get(url).status_code == 404


# ---- Pages ------------------------------------------------------------------------------------


def test_unit_funds_page_lists_the_subtree_with_balances(tree: Tree, cast: Cast) -> None:
    province = social(tree.P)
    district = social(tree.X, "Quỹ X")
    social(tree.Y, "Quỹ Y")
    give(province, 2_500_000, D(2024, 1, 1))
    give(district, 1_000_000, D(2024, 1, 1))
    body = login(cast.x_officer).get(reverse("unit_funds", args=[tree.X.pk])).content.decode()
    assert "Quỹ X" in body and "1.000.000 đ" in body
    assert "Quỹ Y" not in body and "Quỹ xã hội" not in body
    body = login(cast.viewer).get(reverse("unit_funds", args=[tree.P.pk])).content.decode()
    assert "Quỹ xã hội" in body and "Quỹ Y" in body and "3.500.000 đ" in body
    assert "Create the fund" not in body


def test_create_a_fund_on_the_page(tree: Tree, cast: Cast) -> None:
    client = login(cast.x_officer)
    url = reverse("unit_funds", args=[tree.X.pk])
    response = client.post(
        url, {"name": "Quỹ trợ vốn CNLĐ nghèo", "kind": "loan", "allow_overdraft": ""}
    )
    fund = Fund.objects.get(name="Quỹ trợ vốn CNLĐ nghèo")
    assert response.status_code == 302 and response["Location"] == reverse(
        "fund_detail", args=[fund.pk]
    )
    assert (fund.unit_id, fund.kind, fund.allow_overdraft) == (tree.X.pk, "loan", False)
    again = client.post(url, {"name": "Quỹ trợ vốn CNLĐ nghèo", "kind": "loan"})
    assert "already has a fund named" in again.content.decode()
    assert Fund.objects.count() == 1
    # A viewer reads the page but cannot post to it.
    viewer = login(cast.viewer)
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {"name": "Quỹ khác", "kind": "social"}).status_code == 404
    assert Fund.objects.count() == 1


def test_record_movements_on_the_page(tree: Tree, cast: Cast) -> None:
    fund = social(tree.X)
    client = login(cast.x_officer)
    url = reverse("fund_entry_create", args=[fund.pk])
    assert client.get(url).status_code == 200
    ok = client.post(
        url, {"kind": "donation", "date": "10/01/2024", "amount_vnd": "20.000.000", "unit": "X1"}
    )
    assert ok.status_code == 302
    entry = FundEntry.objects.get()
    assert (entry.amount_vnd, entry.source_unit_id, entry.recorded_by_id) == (
        20_000_000,
        tree.X1.pk,
        cast.x_officer.pk,
    )
    before = state()
    cases = [
        ({"amount_vnd": "1500000,5"}, "Amounts are whole numbers of đồng, without decimals."),
        ({"amount_vnd": "1.5"}, "Amounts are whole numbers of đồng, without decimals."),
        ({"amount_vnd": "0"}, "The amount must be more than zero."),
        ({"amount_vnd": "-100"}, "The amount must be more than zero."),
        ({"unit": "Y1"}, "No unit with code Y1 among your units."),
        ({"unit": "P"}, "No unit with code P among your units."),
        ({"kind": "grant", "amount_vnd": "30.000.000", "counterpart": "A"}, "would be short by"),
        ({"date": "01/01/2999"}, "is in the future"),
    ]
    for change, message in cases:
        data = {"kind": "donation", "date": "11/01/2024", "amount_vnd": "1000", "unit": "X2"}
        body = client.post(url, {**data, **change}).content.decode()
        assert message in body, (change, message)
    assert state() == before
    # A viewer may not record anything.
    viewer = login(cast.viewer)
    assert viewer.get(url).status_code == 404
    assert viewer.post(url, {"kind": "donation", "amount_vnd": "1", "date": "11/01/2024",
                             "counterpart": "A"}).status_code == 404  # fmt: skip
    assert state() == before


def test_allocate_and_reverse_on_the_pages(tree: Tree, cast: Cast) -> None:
    province = social(tree.P)
    district = social(tree.X, "Quỹ X")
    social(tree.Q, "Quỹ Q")
    give(province, 10_000_000, D(2024, 1, 1))
    client = login(cast.province_officer)
    url = reverse("fund_allocate", args=[province.pk])
    body = client.get(url).content.decode()
    assert "Quỹ X — Unit X" in body and "Quỹ Q" not in body and "Quỹ xã hội —" not in body
    response = client.post(
        url, {"target": district.pk, "date": "02/01/2024", "amount_vnd": "4000000"}
    )
    assert response.status_code == 302
    assert (funds.balance(province), funds.balance(district)) == (6_000_000, 4_000_000)
    out = FundEntry.objects.get(kind="allocation_out")
    reverse_url = reverse("fund_entry_reverse", args=[out.pk])
    assert "Reverse" in client.get(reverse_url).content.decode()
    assert (
        "This field is required."
        in client.post(reverse_url, {"date": "03/01/2024"}).content.decode()
    )
    assert FundEntry.objects.filter(kind="reversal").count() == 0
    done = client.post(reverse_url, {"date": "03/01/2024", "reason": "Nhầm"})
    assert done.status_code == 302
    assert (funds.balance(province), funds.balance(district)) == (10_000_000, 0)
    # The district officer may reverse in their fund, not in the province's.
    x = login(cast.x_officer)
    assert x.get(reverse_url).status_code == 404
    assert x.get(reverse("fund_allocate", args=[province.pk])).status_code == 404
    assert x.get(reverse("fund_detail", args=[province.pk])).status_code == 404
    assert login(cast.viewer).get(reverse_url).status_code == 404


def test_fund_detail_ledger_with_running_balance(tree: Tree, cast: Cast) -> None:
    fund = social(tree.X)
    give(fund, 10_000_000, D(2023, 12, 20))
    give(fund, 5_000_000, D(2024, 1, 5), donor="Ông Ba")
    funds.grant_record(actor=None, fund=fund, amount_vnd=3_000_000, date=D(2024, 2, 1),
                       recipient="Chị Tư")  # fmt: skip
    client = login(cast.viewer)
    url = reverse("fund_detail", args=[fund.pk])
    body = client.get(url, {"start": "01/01/2024", "end": "31/03/2024"}).content.decode()
    assert body.index("Ông Ba") < body.index("Chị Tư")
    assert "15.000.000 đ" in body and "12.000.000 đ" in body  # running balances
    assert "Opening balance" in body and "10.000.000 đ" in body
    assert "Reverse" not in body  # a viewer
    running = funds.ledger(fund).values_list("running_vnd", flat=True)
    assert list(running) == [10_000_000, 15_000_000, 12_000_000]
    only_grants = funds.ledger(fund, kind="grant").values_list("amount_vnd", "running_vnd")
    assert list(only_grants) == [(-3_000_000, 12_000_000)]
    on = client.get(url, {"on": "10/01/2024"}).content.decode()
    assert "Balance at the end of 10/01/2024: <strong>15.000.000 đ</strong>" in on
    assert "Reverse" in login(cast.x_officer).get(url, {"start": "01/01/2023"}).content.decode()


def test_fund_detail_opens_on_the_latest_page_with_fixed_queries(
    tree: Tree, cast: Cast, django_assert_num_queries: Any
) -> None:
    fund = social(tree.X)
    other = social(tree.X, "Quỹ khác")
    first = D(2024, 1, 1)
    for i in range(55):
        give(fund, 1_000_000 + i, first + datetime.timedelta(days=i), source_unit=tree.X1)
    for i in range(5):
        funds.allocation_record(
            actor=None, source=fund, target=other, amount_vnd=1000, date=D(2024, 3, 1 + i)
        )
    client = login(cast.x_officer)
    url = reverse("fund_detail", args=[fund.pk])
    body = client.get(url).content.decode()
    assert "2 / 2" in body and body.count("btn-outline-danger") == 10
    assert "Closing balance" in body and "Opening balance" not in body
    first_page = client.get(url, {"page": 1}).content.decode()
    assert first_page.count("btn-outline-danger") == 50 and "Closing balance" not in first_page
    client.get(url, {"start": "01/01/2024"})
    # session, user, roles, fund, count, page, opening balance, today's balance
    with django_assert_num_queries(8):
        response = client.get(url, {"start": "01/01/2024"})
    assert response.content.decode().count("btn-outline-danger") == 10


def test_unit_funds_query_count_is_fixed(
    tree: Tree, cast: Cast, django_assert_num_queries: Any
) -> None:
    for unit in (tree.P, tree.X, tree.Y, tree.X1, tree.Y2):
        give(social(unit, f"Quỹ {unit.code}"), 1_000_000, D(2024, 1, 1))
    client = login(cast.province_officer)
    url = reverse("unit_funds", args=[tree.P.pk])
    client.get(url)
    with django_assert_num_queries(5):  # session, user, unit, roles, funds with balances
        assert client.get(url).status_code == 200


# ---- API --------------------------------------------------------------------------------------


def test_api_lists_the_funds_and_ledger_of_a_subtree(tree: Tree, cast: Cast) -> None:
    province = social(tree.P)
    district = social(tree.X, "Quỹ X")
    give(province, 9_000_000, D(2024, 1, 1))
    funds.allocation_record(
        actor=None, source=province, target=district, amount_vnd=2_000_000, date=D(2024, 2, 1)
    )
    client = api(cast.x_officer)
    body = client.get("/api/v1/care/funds", {"unit": "X"}).json()
    assert body == [
        {
            "id": district.pk,
            "name": "Quỹ X",
            "kind": "social",
            "unit_code": "X",
            "allow_overdraft": False,
            "balance_vnd": 2_000_000,
        }
    ]
    assert client.get("/api/v1/care/funds", {"unit": "P"}).status_code == 404
    assert client.get("/api/v1/care/funds", {"unit": "X1"}).json() == []
    everything = api(cast.province_officer).get("/api/v1/care/funds", {"unit": "P"}).json()
    assert [(f["name"], f["balance_vnd"]) for f in everything] == [
        ("Quỹ xã hội", 7_000_000),
        ("Quỹ X", 2_000_000),
    ]
    old = api(cast.province_officer).get("/api/v1/care/funds", {"unit": "P", "on": "2024-01-15"})
    assert [f["balance_vnd"] for f in old.json()] == [9_000_000, 0]
    ledger = api(cast.province_officer).get(
        f"/api/v1/care/funds/{province.pk}/entries", {"from": "2024-01-15", "to": "2024-12-31"}
    )
    data = ledger.json()
    assert (data["opening_vnd"], data["closing_vnd"], data["start"], data["end"]) == (
        9_000_000,
        7_000_000,
        "2024-01-15",
        "2024-12-31",
    )
    assert [(e["kind"], e["amount_vnd"], e["balance_vnd"]) for e in data["entries"]] == [
        ("allocation_out", -2_000_000, 7_000_000)
    ]
    assert data["entries"][0]["pair_id"] is not None
    assert client.get(f"/api/v1/care/funds/{province.pk}/entries").status_code == 404
    assert client.get("/api/v1/care/funds/999999/entries").status_code == 404
    assert Client().get("/api/v1/care/funds", {"unit": "X"}).status_code == 401


def test_schema_lists_our_endpoints(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    ours = {
        p for p in schema["paths"] if p.startswith(("/api/v1/care/funds", "/api/v1/care/loans"))
    }
    assert ours == {
        "/api/v1/care/funds",
        "/api/v1/care/funds/{fund_id}/entries",
        "/api/v1/care/loans",
    }
    params = {p["name"] for p in schema["paths"]["/api/v1/care/funds/{fund_id}/entries"]["get"]
              ["parameters"]}  # fmt: skip
    assert params == {"fund_id", "from", "to"}
