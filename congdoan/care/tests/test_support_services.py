"""Programmes and support: the rules of a programme, every guard on a case (nothing written when
one refuses), the workflow by role, payments and reversals in the fund's ledger, and the
once-per-programme guard across the whole federation."""

import datetime
from typing import Any

import pytest
from django.http import Http404

from congdoan.care import funds
from congdoan.care import support as care
from congdoan.care.models import (
    EntryKind,
    Fund,
    FundEntry,
    Programme,
    ProgrammeCategory,
    ProgrammeItem,
    ProgrammeKind,
    Support,
    SupportItem,
    SupportStatus,
)
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent

D = datetime.date
CCCD_A = "001090012345"  # a man born in 1990, Hà Nội
CCCD_B = "001190054321"  # a woman born in 1990


def programme(unit: Any, actor: Any = None, **kw: Any) -> Programme:
    fields: dict[str, Any] = {
        "name": "Tết Sum vầy 2024",
        "kind": ProgrammeKind.TET,
        "start": D(2024, 1, 1),
        "end": D(2024, 12, 31),
    }
    fields.update(kw)
    return care.programme_create(actor=actor, unit=unit, data=care.ProgrammeData(**fields))


def fund(unit: Any, amount: int = 0, name: str = "Quỹ xã hội") -> Fund:
    f = Fund.objects.create(unit=unit, name=name, kind="social")
    if amount:
        funds.entry_record(
            actor=None, fund=f, kind=EntryKind.DONATION, amount_vnd=amount, date=D(2024, 1, 1)
        )
    return f


def to_member(unit: Any, member: Any, **kw: Any) -> care.SupportData:
    kw.setdefault("date", D(2024, 2, 1))
    return care.SupportData(unit=unit, person=care.Beneficiary(member=member), **kw)


def to_worker(
    unit: Any, cccd: str = CCCD_A, name: str = "Lò Văn Páo", **kw: Any
) -> care.SupportData:
    kw.setdefault("date", D(2024, 2, 1))
    person = care.Beneficiary(name=name, cccd=cccd, employer_name="Công ty May Sông Hồng")
    return care.SupportData(unit=unit, person=person, **kw)


def state() -> tuple[Any, ...]:
    """Everything a refused write must leave as it was."""
    return (
        list(
            Programme.objects.values_list(
                "pk", "name", "budget_vnd", "start", "end", "repeat_allowed"
            ).order_by("pk")
        ),
        list(ProgrammeCategory.objects.values_list("pk", "name", "amount_vnd").order_by("pk")),
        list(ProgrammeItem.objects.values_list("pk", "name", "unit_value_vnd").order_by("pk")),
        list(
            Support.objects.values_list(
                "pk", "status", "once_key", "cash_vnd", "in_kind_vnd", "person_name", "date"
            ).order_by("pk")
        ),
        SupportItem.objects.count(),
        list(FundEntry.objects.values_list("pk", "amount_vnd").order_by("pk")),
        AuditEvent.objects.count(),
    )


def refused(call: Any, message: str, field: str | None = None) -> None:
    before = state()
    with pytest.raises(ServiceError) as caught:
        call()
    assert " ".join(caught.value.messages) == message
    if field is not None:
        assert caught.value.field == field
    assert state() == before


# ---------------------------------------------------------------------------------------------
# Amounts


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1 500 000 đ", 1_500_000),
        ("3,000,000", 3_000_000),
        ("70.000.000 VND", 70_000_000),
        (2_000_000, 2_000_000),
        ("500000đồng", 500_000),
    ],
)
def test_amounts_as_people_write_them(text: Any, amount: int) -> None:
    assert care.parse_vnd(text) == amount


@pytest.mark.parametrize(
    "text, message",
    [
        ("1500000.5", "Amounts are whole numbers of đồng, without decimals."),
        ("1.500.000,5", "Amounts are whole numbers of đồng, without decimals."),
        ("1,5", "Amounts are whole numbers of đồng, without decimals."),
        (1500000.5, "Amounts are whole numbers of đồng, without decimals."),
        ("0", "The amount must be more than zero."),
        ("-200.000", "The amount must be more than zero."),
        (-5, "The amount must be more than zero."),
        ("ba triệu", "“ba triệu” is not an amount of đồng."),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(text: Any, message: str) -> None:
    with pytest.raises(ServiceError) as caught:
        care.parse_vnd(text, field="cash_vnd")
    assert caught.value.messages == [message]
    assert caught.value.field == "cash_vnd"


# ---------------------------------------------------------------------------------------------
# Programmes


def test_a_programme_with_categories_items_and_a_fund_above(tree: Tree, cast: Cast) -> None:
    province_fund = fund(tree.P)
    p = programme(
        tree.X,
        actor=cast.x_officer,
        kind=ProgrammeKind.COVID,
        name="Hỗ trợ Covid-19",
        allow_in_kind=True,
        budget_vnd="50.000.000",
        fund=province_fund,
        decision_ref="2606/QĐ",
        categories=[
            care.CategoryData("Điều trị", "3.000.000"),
            care.CategoryData("Cách ly", 1_500_000),
        ],
        items=[care.ItemData("Gạo", "250.000", "bao 10 kg")],
    )
    assert (p.unit, p.budget_vnd, p.fund, p.repeat_allowed) == (
        tree.X,
        50_000_000,
        province_fund,
        False,
    )
    assert list(p.categories.order_by("id").values_list("name", "amount_vnd")) == [
        ("Điều trị", 3_000_000),
        ("Cách ly", 1_500_000),
    ]
    assert list(p.items.values_list("name", "measure", "unit_value_vnd")) == [
        ("Gạo", "bao 10 kg", 250_000)
    ]
    event = AuditEvent.objects.get(action="programme.create")
    assert (event.actor, event.unit_id) == (cast.x_officer, tree.X.pk)
    assert event.changes["categories"] == [None, "Điều trị: 3.000.000 đ; Cách ly: 1.500.000 đ"]


@pytest.mark.parametrize(
    "changes, message, field",
    [
        ({"end": D(2023, 12, 31)}, "The programme cannot end before it starts.", "end"),
        (
            {"allow_cash": False},
            "Allow at least one kind of support: cash, gifts in kind or vouchers.",
            "allow_cash",
        ),
        (
            {"budget_vnd": "1.500.000,5"},
            "Amounts are whole numbers of đồng, without decimals.",
            "budget_vnd",
        ),
        ({"budget_vnd": 0}, "The amount must be more than zero.", "budget_vnd"),
        ({"max_per_person_vnd": -1}, "The amount must be more than zero.", "max_per_person_vnd"),
        (
            {"categories": [care.CategoryData("A", 0)]},
            "The amount must be more than zero.",
            "categories",
        ),
        (
            {"categories": [care.CategoryData("Điều trị", 1), care.CategoryData("ĐIỀU TRỊ", 2)]},
            "The category “ĐIỀU TRỊ” is listed twice.",
            "categories",
        ),
        (
            {"max_per_person_vnd": 1_000_000, "categories": [care.CategoryData("Nặng", 2_000_000)]},
            "The amount of “Nặng” is more than the most per person.",
            "categories",
        ),
        (
            {"items": [care.ItemData("Gạo", 250_000)]},
            "Gifts in kind are not allowed, so the programme cannot list gift items.",
            "items",
        ),
        ({"allow_in_kind": True}, "List the gifts in kind with their value per unit.", "items"),
        ({"name": "  "}, "Give the programme a name.", "name"),
    ],
)
def test_bad_programmes_are_refused(
    tree: Tree, changes: dict[str, Any], message: str, field: str
) -> None:
    refused(lambda: programme(tree.X, **changes), message, field)


def test_the_fund_is_kept_by_the_owner_or_above(tree: Tree) -> None:
    sibling = fund(tree.Y)
    refused(
        lambda: programme(tree.X, fund=sibling),
        "The fund must be kept by Unit X or a unit above it.",
        "fund",
    )
    below = fund(tree.X1)
    refused(
        lambda: programme(tree.X, fund=below),
        "The fund must be kept by Unit X or a unit above it.",
        "fund",
    )
    assert programme(tree.X, fund=fund(tree.C)).fund.unit == tree.C


def test_programmes_need_write_access(tree: Tree, cast: Cast) -> None:
    with pytest.raises(Http404):
        programme(tree.X, actor=cast.viewer)
    with pytest.raises(Http404):
        programme(tree.X, actor=cast.y_officer)
    assert Programme.objects.count() == 0


def test_editing_a_programme_keeps_what_is_recorded(tree: Tree, cast: Cast) -> None:
    p = programme(
        tree.P,
        budget_vnd=10_000_000,
        categories=[care.CategoryData("Nặng", 2_000_000), care.CategoryData("Nhẹ", 1_000_000)],
    )
    heavy = p.categories.get(name="Nặng")
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    care.support_record(
        actor=None,
        programme=p,
        status="approved",
        data=to_member(tree.X1, hoa, category=heavy, date=D(2024, 6, 1)),
    )

    def edit(**kw: Any) -> Any:
        fields: dict[str, Any] = {
            "name": p.name,
            "kind": p.kind,
            "start": p.start,
            "end": p.end,
            "budget_vnd": 10_000_000,
            "categories": [
                care.CategoryData("Nặng", 2_000_000),
                care.CategoryData("Nhẹ", 1_000_000),
            ],
        }
        fields.update(kw)
        return care.programme_update(
            actor=cast.province_officer, programme=p, data=care.ProgrammeData(**fields)
        )

    refused(
        lambda: edit(end=D(2024, 5, 31)),
        "Support is already recorded on 01/06/2024, outside the new period.",
        "start",
    )
    refused(
        lambda: edit(budget_vnd=1_000_000),
        "The budget cannot be less than the 2.000.000 đ already approved or paid.",
        "budget_vnd",
    )
    refused(
        lambda: edit(categories=[care.CategoryData("Nhẹ", 1_000_000)]),
        "The category “Nặng” is used by recorded support and cannot be removed.",
        "categories",
    )
    with pytest.raises(Http404):
        care.programme_update(
            actor=cast.x_officer,
            programme=p,
            data=care.ProgrammeData(name="x", kind=p.kind, start=p.start, end=p.end),
        )
    edit(name="Tết 2024 (sửa)", categories=[care.CategoryData("Nặng", 2_500_000)])
    p.refresh_from_db()
    assert p.name == "Tết 2024 (sửa)"
    assert list(p.categories.values_list("pk", "name", "amount_vnd")) == [
        (heavy.pk, "Nặng", 2_500_000)
    ]
    assert Support.objects.get().cash_vnd == 2_000_000  # what was recorded stays
    event = AuditEvent.objects.filter(action="programme.update").get()
    assert event.changes["name"] == ["Tết Sum vầy 2024", "Tết 2024 (sửa)"]


def test_changing_the_repeat_rule_rekeys_live_cases(tree: Tree) -> None:
    p = programme(tree.P, repeat_allowed=True)
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    first = care.support_record(
        actor=None, programme=p, data=to_member(tree.X1, hoa, cash_vnd=100_000)
    )
    assert first.once_key is None

    def switch(repeat: bool) -> Any:
        return care.programme_update(
            actor=None,
            programme=p,
            data=care.ProgrammeData(
                name=p.name, kind=p.kind, start=p.start, end=p.end, repeat_allowed=repeat
            ),
        )

    switch(False)
    first.refresh_from_db()
    assert first.once_key == f"c:{CCCD_B}"
    switch(True)
    care.support_record(actor=None, programme=p, data=to_member(tree.X2, hoa, cash_vnd=1))
    refused(
        lambda: switch(False),
        "Some people already have more than one case under this programme, so it cannot be "
        "changed to support a person only once.",
        "repeat_allowed",
    )


# ---------------------------------------------------------------------------------------------
# Recording a case: every guard refuses with a message and writes nothing


def test_a_case_for_a_member_and_one_for_a_worker(tree: Tree, cast: Cast) -> None:
    p = programme(
        tree.X,
        allow_in_kind=True,
        allow_voucher=True,
        items=[care.ItemData("Gạo", 250_000, "bao"), care.ItemData("Dầu ăn", 45_000)],
    )
    rice, oil = p.items.order_by("id")
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    case = care.support_record(
        actor=cast.chair,
        programme=p,
        data=to_member(
            tree.X1,
            hoa,
            cash_vnd="500.000",
            voucher_vnd=200_000,
            items=[(rice, 2), (oil, 3)],
            reference="PC-01",
        ),
    )
    assert (case.status, case.member, case.person_name, case.person_cccd, case.person_unit) == (
        SupportStatus.PROPOSED,
        hoa,
        "Nguyễn Thị Hoa",
        CCCD_B,
        tree.X1,
    )
    assert (case.cash_vnd, case.in_kind_vnd, case.voucher_vnd, case.total_vnd) == (
        500_000,
        635_000,
        200_000,
        1_335_000,
    )
    assert (case.person_key, case.once_key, case.proposed_by) == (
        f"c:{CCCD_B}",
        f"c:{CCCD_B}",
        cast.chair,
    )
    assert sorted(case.items.values_list("item__name", "quantity", "value_vnd")) == [
        ("Dầu ăn", 3, 135_000),
        ("Gạo", 2, 500_000),
    ]
    event = AuditEvent.objects.get(action="support.propose")
    assert event.changes["person_cccd"] == [None, "001******321"]  # masked in the trail
    worker = care.support_record(
        actor=cast.x_officer, programme=p, data=to_worker(tree.X, cash_vnd=300_000)
    )
    assert (worker.member, worker.person_cccd, worker.employer_name, worker.person_key) == (
        None,
        CCCD_A,
        "Công ty May Sông Hồng",
        f"c:{CCCD_A}",
    )
    no_cccd = make_member(tree.X2, "Trần Văn An")
    third = care.support_record(
        actor=None, programme=p, data=to_member(tree.X2, no_cccd, cash_vnd=1_000)
    )
    assert third.person_key == f"m:{no_cccd.pk}"


@pytest.fixture
def covid(tree: Tree) -> Programme:
    return programme(
        tree.P,
        kind=ProgrammeKind.COVID,
        name="Covid-19 2021",
        start=D(2021, 7, 1),
        end=D(2021, 12, 31),
        categories=[
            care.CategoryData("Điều trị", 3_000_000),
            care.CategoryData("Cách ly", 1_500_000),
        ],
    )


def test_with_categories_the_amount_is_exactly_the_categorys(tree: Tree, covid: Programme) -> None:
    """Categories set the amount exactly (not "up to"): empty amounts give it in cash, any
    other amount is refused."""
    treated = covid.categories.get(name="Điều trị")
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    day = D(2021, 8, 1)
    refused(
        lambda: care.support_record(
            actor=None, programme=covid, data=to_member(tree.X1, hoa, date=day, cash_vnd=1)
        ),
        "Choose the category of the case.",
        "category",
    )
    refused(
        lambda: care.support_record(
            actor=None,
            programme=covid,
            data=to_member(tree.X1, hoa, date=day, category=treated, cash_vnd=2_000_000),
        ),
        "Support for “Điều trị” is exactly 3.000.000 đ per person; this case comes to 2.000.000 đ.",
        "cash_vnd",
    )
    refused(
        lambda: care.support_record(
            actor=None,
            programme=covid,
            data=to_member(tree.X1, hoa, date=day, category=treated, cash_vnd=3_500_000),
        ),
        "Support for “Điều trị” is exactly 3.000.000 đ per person; this case comes to 3.500.000 đ.",
        "cash_vnd",
    )
    case = care.support_record(
        actor=None, programme=covid, data=to_member(tree.X1, hoa, date=day, category=treated)
    )
    assert (case.category, case.cash_vnd) == (treated, 3_000_000)


def test_bad_cases_are_refused_and_nothing_is_written(tree: Tree, cast: Cast) -> None:
    p = programme(tree.X, max_per_person_vnd=1_000_000)
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    rec = care.support_record
    cases = [
        (
            to_member(tree.X1, hoa, cash_vnd="1500000.5"),
            "Amounts are whole numbers of đồng, without decimals.",
            "cash_vnd",
        ),
        (to_member(tree.X1, hoa, cash_vnd=0), "The amount must be more than zero.", "cash_vnd"),
        (
            to_member(tree.X1, hoa, cash_vnd=-100_000),
            "The amount must be more than zero.",
            "cash_vnd",
        ),
        (
            to_member(tree.X1, hoa),
            "Give the cash amount, the gifts in kind or the vouchers.",
            "cash_vnd",
        ),
        (
            to_member(tree.X1, hoa, cash_vnd=1_000_001),
            "At most 1.000.000 đ per person under this programme; this person would receive "
            "1.000.001 đ.",
            "cash_vnd",
        ),
        (
            to_member(tree.X1, hoa, cash_vnd=1, voucher_vnd=5),
            "This programme does not give vouchers.",
            "voucher_vnd",
        ),
        (
            to_member(tree.X1, hoa, cash_vnd=1, date=D(2025, 1, 1)),
            "The date 01/01/2025 is outside the programme's period (01/01/2024 – 31/12/2024).",
            "date",
        ),
        (
            to_member(tree.X1, hoa, cash_vnd=1, date=D(2023, 12, 31)),
            "The date 31/12/2023 is outside the programme's period (01/01/2024 – 31/12/2024).",
            "date",
        ),
        (
            to_worker(tree.X1, cccd="", cash_vnd=1),
            "Give the CCCD number of a person who is not a member.",
            "person_cccd",
        ),
        (
            to_worker(tree.X1, cccd="12345", cash_vnd=1),
            "The CCCD number must have exactly 12 digits (it has 5).",
            "person_cccd",
        ),
        (to_worker(tree.X1, name=" ", cash_vnd=1), "Give the person's full name.", "person_name"),
        (
            care.SupportData(
                unit=tree.X1,
                date=D(2024, 2, 1),
                cash_vnd=1,
                person=care.Beneficiary(name="Lò Văn Páo", cccd=CCCD_A),
            ),
            "Give the person's grassroots union or the name of their employer.",
            "employer_name",
        ),
        (
            care.SupportData(
                unit=tree.X1,
                date=D(2024, 2, 1),
                cash_vnd=1,
                person=care.Beneficiary(name="Lò Văn Páo", cccd=CCCD_A, person_unit=tree.Q1),
            ),
            "No such unit among your units.",
            "person_unit",
        ),
        (
            to_member(tree.Y1, hoa, cash_vnd=1),
            "Unit Y1 is not under Unit X, which runs the programme.",
            "unit",
        ),
        (
            to_member(tree.X1T, hoa, cash_vnd=1),
            "Unit X1T cannot give support: it is not an active union.",
            "unit",
        ),
    ]
    for data, message, field in cases:
        refused(
            lambda d=data: rec(actor=cast.province_officer, programme=p, data=d),  # type: ignore[misc]
            message,
            field,
        )


def test_a_beneficiary_or_giver_outside_the_users_reach_is_not_found(
    tree: Tree, cast: Cast
) -> None:
    p = programme(tree.P)
    far = make_member(tree.Y1, "Lê Văn Xa", cccd=CCCD_A, sex="male")
    before = state()
    with pytest.raises(Http404):  # a member of Y1 for the officer of X
        care.support_record(
            actor=cast.x_officer, programme=p, data=to_member(tree.X1, far, cash_vnd=1)
        )
    with pytest.raises(Http404):  # giving as a unit the officer cannot see
        care.support_record(actor=cast.x_officer, programme=p, data=to_worker(tree.Y1, cash_vnd=1))
    assert state() == before
    refused(
        lambda: care.support_record(
            actor=cast.viewer, programme=p, data=to_worker(tree.X1, cash_vnd=1)
        ),
        "You may only read Unit X1; you cannot record support for it.",
        "unit",
    )


def test_a_person_is_supported_once_across_the_federation(tree: Tree, cast: Cast) -> None:
    """A national programme that supports a person once: Q1 (which the officers of P cannot
    see) has supported a worker; X1 cannot support the same CCCD again, as a worker or as a
    member, and the message names no unit."""
    p = programme(tree.C, name="Tết Sum vầy toàn quốc")
    care.support_record(actor=None, programme=p, data=to_worker(tree.Q1, cash_vnd=500_000))
    message = "This person has already received support under this programme."
    refused(
        lambda: care.support_record(
            actor=cast.chair, programme=p, data=to_worker(tree.X1, cash_vnd=500_000)
        ),
        message,
        "person_cccd",
    )
    member = make_member(tree.X1, "Lò Văn Páo", cccd=CCCD_A, sex="male")
    refused(
        lambda: care.support_record(
            actor=cast.chair, programme=p, data=to_member(tree.X1, member, cash_vnd=500_000)
        ),
        message,
        "member",
    )
    assert "Q1" not in message
    # The database itself refuses a second live case, whatever the checks saw (two at once).
    checked = care.Rules(p, None).check(to_worker(tree.X1, cash_vnd=1), guard=False)
    before = state()
    with pytest.raises(ServiceError) as caught:
        care.insert_support(checked, programme=p, status="proposed", actor=None)
    assert caught.value.messages == [message]
    assert state() == before


def test_a_closed_case_frees_the_person(tree: Tree) -> None:
    p = programme(tree.P)
    first = care.support_record(actor=None, programme=p, data=to_worker(tree.X1, cash_vnd=1))
    care.support_reject(actor=None, support=first, reason="Trùng danh sách")
    first.refresh_from_db()
    assert (first.status, first.once_key, first.reason) == ("rejected", None, "Trùng danh sách")
    again = care.support_record(actor=None, programme=p, data=to_worker(tree.X2, cash_vnd=1))
    assert again.once_key == f"c:{CCCD_A}"


def test_repeats_count_against_the_most_per_person(tree: Tree) -> None:
    p = programme(tree.P, repeat_allowed=True, max_per_person_vnd=1_000_000)
    care.support_record(actor=None, programme=p, data=to_worker(tree.X1, cash_vnd=600_000))
    care.support_record(actor=None, programme=p, data=to_worker(tree.Y1, cash_vnd=400_000))
    refused(
        lambda: care.support_record(actor=None, programme=p, data=to_worker(tree.X2, cash_vnd=1)),
        "At most 1.000.000 đ per person under this programme; this person would receive "
        "1.000.001 đ.",
        "cash_vnd",
    )
    assert Support.objects.filter(person_key=f"c:{CCCD_A}").count() == 2


def test_the_budget_counts_approved_and_paid_cases(tree: Tree, cast: Cast) -> None:
    p = programme(tree.X, budget_vnd=1_000_000, repeat_allowed=True)
    done = care.support_record(
        actor=cast.x_officer,
        programme=p,
        status="approved",
        data=to_worker(tree.X1, cash_vnd=600_000),
    )
    small = care.support_record(
        actor=cast.chair, programme=p, data=to_worker(tree.X1, cccd=CCCD_B, cash_vnd=300_000)
    )
    other = care.support_record(
        actor=cast.chair, programme=p, data=to_worker(tree.X1, cccd=CCCD_B, cash_vnd=200_000)
    )
    assert care.committed_vnd(p) == 600_000  # proposals do not use the budget
    refused(
        lambda: care.support_record(
            actor=cast.chair, programme=p, data=to_worker(tree.X1, cash_vnd=500_000)
        ),
        "The programme's budget is 1.000.000 đ and 600.000 đ of it is approved or paid: "
        "400.000 đ is left, less than this case's 500.000 đ.",
        "cash_vnd",
    )
    care.support_approve(actor=cast.x_officer, support=small)
    refused(
        lambda: care.support_approve(actor=cast.x_officer, support=other),
        "The programme's budget is 1.000.000 đ and 900.000 đ of it is approved or paid: "
        "100.000 đ is left, less than this case's 200.000 đ.",
        "cash_vnd",
    )
    care.support_reject(actor=cast.x_officer, support=done, reason="Sai đối tượng")
    care.support_approve(actor=cast.x_officer, support=other)
    assert care.committed_vnd(p) == 500_000


# ---------------------------------------------------------------------------------------------
# The workflow


def test_proposed_approved_paid_by_the_roles_allowed(tree: Tree, cast: Cast) -> None:
    social = fund(tree.P, 10_000_000)
    p = programme(tree.P, fund=social, allow_in_kind=True, items=[care.ItemData("Gạo", 250_000)])
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    rice = p.items.get()
    # The grassroots chair proposes; only proposals.
    refused(
        lambda: care.support_record(
            actor=cast.chair,
            programme=p,
            status="paid",
            data=to_member(tree.X1, hoa, cash_vnd=1_000_000),
        ),
        "Only Unit P (or a union above it) approves support under this programme; record "
        "the case as proposed.",
        "status",
    )
    case = care.support_record(
        actor=cast.chair,
        programme=p,
        data=to_member(tree.X1, hoa, cash_vnd=1_000_000, items=[(rice, 2)], reference="QĐ 15"),
    )
    for who in (cast.chair, cast.x_officer, cast.viewer):
        refused(
            lambda w=who: care.support_approve(actor=w, support=case),  # type: ignore[misc]
            "Only Unit P (or a union above it) decides on support under this programme.",
        )
    refused(
        lambda: care.support_pay(actor=cast.province_officer, support=case),
        "Only an approved case can be paid; this one is proposed.",
    )
    care.support_approve(actor=cast.province_officer, support=case)
    case.refresh_from_db()
    assert (case.status, case.approved_by) == ("approved", cast.province_officer)
    refused(
        lambda: care.support_approve(actor=cast.province_officer, support=case),
        "Only a proposed case can be approved; this one is approved.",
    )
    care.support_pay(actor=cast.province_admin, support=case)
    case.refresh_from_db()
    assert (case.status, case.paid_by) == ("paid", cast.province_admin)
    grant = FundEntry.objects.get(support=case)
    assert (grant.fund, grant.kind, grant.amount_vnd, grant.date, grant.reference) == (
        social,
        EntryKind.GRANT,
        -1_000_000,
        D(2024, 2, 1),
        "QĐ 15",
    )  # only the cash
    assert funds.balance(social) == 9_000_000
    assert [
        e.action for e in AuditEvent.objects.filter(target_type="care.support").order_by("id")
    ] == ["support.propose", "support.approve", "support.pay"]


def test_a_paid_case_is_reversed_never_edited(tree: Tree, cast: Cast) -> None:
    social = fund(tree.P, 5_000_000)
    p = programme(tree.P, fund=social)
    case = care.support_record(
        actor=cast.province_officer,
        programme=p,
        status="paid",
        data=to_worker(tree.X1, cash_vnd=2_000_000),
    )
    assert funds.balance(social) == 3_000_000
    refused(
        lambda: care.support_update(
            actor=cast.province_officer, support=case, data=to_worker(tree.X1, cash_vnd=1_000_000)
        ),
        "A paid case is never edited: reverse it (the ledger keeps both) and record it again.",
    )
    refused(
        lambda: care.support_reject(actor=cast.province_officer, support=case, reason="x"),
        "Only a proposed or approved case can be rejected; this one is paid.",
    )
    refused(
        lambda: care.support_reverse(actor=cast.province_officer, support=case, reason=" "),
        "Give the reason.",
        "reason",
    )
    care.support_reverse(actor=cast.province_officer, support=case, reason="Chi nhầm người")
    case.refresh_from_db()
    assert (case.status, case.once_key, case.reason, case.closed_by) == (
        "reversed",
        None,
        "Chi nhầm người",
        cast.province_officer,
    )
    assert list(
        FundEntry.objects.filter(support=case).values_list("kind", "amount_vnd").order_by("id")
    ) == [("grant", -2_000_000), ("reversal", 2_000_000)]
    assert funds.balance(social) == 5_000_000
    refused(
        lambda: care.support_reverse(actor=cast.province_officer, support=case, reason="x"),
        "Only a paid case can be reversed; this one is reversed.",
    )
    # the person may be supported again
    care.support_record(actor=None, programme=p, data=to_worker(tree.X1, cash_vnd=1_000_000))


def test_a_proposed_case_can_be_edited_by_its_unit(tree: Tree, cast: Cast) -> None:
    p = programme(tree.P)
    case = care.support_record(
        actor=cast.chair, programme=p, data=to_worker(tree.X1, cash_vnd=100_000)
    )
    care.support_update(
        actor=cast.chair, support=case, data=to_worker(tree.X1, cash_vnd=150_000, reference="PC 2")
    )
    case.refresh_from_db()
    assert (case.cash_vnd, case.reference, case.once_key) == (150_000, "PC 2", f"c:{CCCD_A}")
    event = AuditEvent.objects.get(action="support.update")
    assert event.changes == {"cash_vnd": [100_000, 150_000], "reference": ["", "PC 2"]}
    care.support_approve(actor=cast.province_officer, support=case)
    refused(
        lambda: care.support_update(
            actor=cast.chair, support=case, data=to_worker(tree.X1, cash_vnd=1)
        ),
        "Only a proposed case can be edited; this one is approved.",
    )


def test_paying_needs_money_in_the_fund_and_a_past_date(tree: Tree, cast: Cast) -> None:
    poor = fund(tree.P, 100_000)
    p = programme(tree.P, fund=poor, end=D(2099, 12, 31))
    case = care.support_record(
        actor=None, programme=p, status="approved", data=to_worker(tree.X1, cash_vnd=500_000)
    )
    refused(
        lambda: care.support_pay(actor=cast.province_officer, support=case),
        "Quỹ xã hội would be short by 400.000 đ on 01/02/2024; the movement was not recorded.",
        "amount_vnd",
    )
    case.refresh_from_db()
    assert case.status == "approved"
    later = care.support_record(
        actor=None,
        programme=p,
        status="approved",
        data=to_worker(tree.X1, cccd=CCCD_B, date=D(2099, 1, 1), voucher_vnd=None, cash_vnd=50_000),
    )
    refused(
        lambda: care.support_pay(actor=cast.province_officer, support=later),
        "This case is dated 01/01/2099, in the future; pay it on or after that day.",
        "date",
    )


def test_a_case_without_a_fund_is_paid_without_a_ledger_entry(tree: Tree) -> None:
    p = programme(tree.X, allow_voucher=True)
    case = care.support_record(
        actor=None, programme=p, status="paid", data=to_worker(tree.X1, voucher_vnd=300_000)
    )
    assert (case.status, case.voucher_vnd, FundEntry.objects.count()) == ("paid", 300_000, 0)
    care.support_reverse(actor=None, support=case, reason="Hủy")
    assert Support.objects.get().status == "reversed"


def test_reads_are_scoped(tree: Tree, cast: Cast) -> None:
    national = programme(tree.C, name="C")
    x = programme(tree.X, name="X")
    y = programme(tree.Y, name="Y")
    q = programme(tree.Q1, name="Q1")
    seen = {
        u: set(care.programmes_visible(getattr(cast, u)).values_list("name", flat=True))
        for u in ("chair", "x_officer", "province_officer", "nobody")
    }
    assert seen == {
        "chair": {"C", "X"},
        "x_officer": {"C", "X"},
        "province_officer": {"C", "X", "Y"},
        "nobody": set(),
    }
    assert set(care.programmes_of(tree.X1).values_list("name", flat=True)) == {"C", "X"}
    assert care.programme_for_view(cast.chair, national.pk) == national
    for user, pk in ((cast.chair, y.pk), (cast.province_officer, q.pk)):
        with pytest.raises(Http404):
            care.programme_for_view(user, pk)
    with pytest.raises(Http404):
        care.programme_for_write(cast.x_officer, national.pk)
    assert care.programme_for_write(cast.x_officer, x.pk) == x
    assert list(care.recording_units(cast.chair, national).values_list("code", flat=True)) == ["X1"]
    assert list(care.recording_units(cast.x_officer, x).values_list("code", flat=True)) == [
        "X",
        "X1",
        "X2",
        "X3",
    ]
    assert not care.recording_units(cast.viewer, national).exists()


def test_an_edit_changing_only_the_cccd_or_the_gifts_is_saved_and_recorded(
    tree: Tree, cast: Cast
) -> None:
    """Changes that look alike once masked or totalled are still changes: a CCCD corrected in
    its middle digits, rice swapped for oil of the same value."""
    p = programme(
        tree.P, allow_in_kind=True,
        items=[care.ItemData("Gạo", "100.000", "bao 5 kg"), care.ItemData("Dầu ăn", "200.000")],
    )  # fmt: skip
    rice, oil = p.items.order_by("id")
    case = care.support_record(
        actor=cast.chair, programme=p, data=to_worker(tree.X1, items=[(rice, 2)])
    )
    corrected = "001090099345"  # the same first and last three digits as CCCD_A
    care.support_update(
        actor=cast.chair, support=case, data=to_worker(tree.X1, cccd=corrected, items=[(oil, 1)])
    )
    case.refresh_from_db()
    assert case.person_cccd == corrected
    assert list(case.items.values_list("item__name", "quantity", "value_vnd")) == [
        ("Dầu ăn", 1, 200_000)
    ]
    event = AuditEvent.objects.get(action="support.update")
    assert event.changes == {
        "person_cccd": ["001******345", "001******345"],
        "items": ["Gạo × 2 = 200000", "Dầu ăn × 1 = 200000"],
    }
    # Saved as it is now: nothing written, nothing recorded.
    care.support_update(
        actor=cast.chair, support=case, data=to_worker(tree.X1, cccd=corrected, items=[(oil, 1)])
    )
    assert AuditEvent.objects.filter(action="support.update").count() == 1
