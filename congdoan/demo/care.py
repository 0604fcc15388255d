"""The demo federation's care work: programmes, support, funds, Mái ấm Công đoàn houses and
loans, recorded so that the care figures say what the seeds' conference reports say.

- Seed 000, LĐLĐ tỉnh Thái Bình, 2020: Covid-19 support to workers at 16 grassroots unions of
  enterprises, over 1 billion VND in cash ("trên 1 tỷ đồng") and tens of thousands of essential
  goods ("hàng chục nghìn nhu yếu phẩm").
- Seed 001, LĐLĐ huyện Mẫu Sơn, 2020: three members in special hardship proposed to the
  province's social fund for new houses; members contributed over 1.6 billion VND to the funds
  ("trên 1,6 tỷ đồng").
- Seed 003, LĐLĐ tỉnh Quảng Bình, 2022: 33,778 members and workers visited and supported with
  nearly 23 billion VND ("gần 23 tỷ đồng"); 38 Mái ấm Công đoàn houses; 250 members lent money
  from the revolving fund.
- Seed 004, Công đoàn Viên chức tỉnh Hòa Bình, first half of 2022: hundreds of gifts to members
  in hardship, visits to nearly 900 people affected by Covid-19, one member helped to build a
  house with 70 million VND.

Funds, houses, loans and small programmes go through the care services. The tens of thousands
of support cases are written in bulk (like `manage.py synth`): each is a paid case that the
services would accept (its category's amount, a date in the programme's period, one case per
person where the programme pays a person once), and one audit event records each batch.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from congdoan.care import funds, houses, loans
from congdoan.care import support as care
from congdoan.care.models import (
    Fund,
    FundKind,
    HouseCase,
    HouseKind,
    LoanInstalment,
    Programme,
    ProgrammeCategory,
    ProgrammeItem,
    ProgrammeKind,
    Support,
    SupportItem,
    SupportStatus,
    person_number,
)
from congdoan.core import bulk
from congdoan.core.audit import audit_record
from congdoan.core.text import fold, person_sort_key
from congdoan.members.models import Member, MemberStatus
from congdoan.org import figures_cache
from congdoan.org.models import Kind, Level, Unit

from .names import person

D = datetime.date
# Seed 003: people supported and what they received (cash, VND) in 2022.
QB_PEOPLE = 33_778
QB_HOUSES = 38
QB_LOANS = 250
# Serial numbers of invented workers' CCCDs: far from the members' (see names.person).
WORKER_SERIAL = 5_000_000


@dataclass
class Case:
    """One paid support case to write in bulk."""

    unit: Unit  # who gives it
    date: datetime.date
    name: str
    cccd: str
    person_unit: Unit
    category: ProgrammeCategory | None
    cash_vnd: int
    member: Member | None = None
    items: list[tuple[ProgrammeItem, int]] = field(default_factory=list)


class Worker:
    """Invented workers who are not members, each with a CCCD of their own."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = WORKER_SERIAL

    def __call__(self) -> tuple[str, str]:
        self.serial += 1
        p = person(self.rng, born_from=1965, born_to=2003, serial=self.serial)
        return p.full_name, p.cccd


def _write_cases(programme: Programme, cases: Sequence[Case], summary: str) -> int:
    """Paid cases and their gifts, written in bulk; one audit event for the batch."""
    now = timezone.now()
    rows = []
    for c in cases:
        key = care.person_key(c.member, c.cccd)
        in_kind = sum(q * item.unit_value_vnd for item, q in c.items)
        rows.append(Support(
            programme=programme, unit=c.unit, member=c.member, person_name=c.name,
            name_key=fold(c.name), sort_key=person_sort_key(c.name),
            person_cccd=c.cccd if c.member is None else "", person_unit=c.person_unit,
            person_key=key, person_no=person_number(key),
            once_key=None if programme.repeat_allowed else key,
            category=c.category, date=c.date, cash_vnd=c.cash_vnd, in_kind_vnd=in_kind,
            reference=programme.decision_ref, status=SupportStatus.PAID, proposed_at=now,
            approved_at=now, paid_at=now, is_demo=True,
        ))  # fmt: skip
    bulk.create_many(rows)
    items = [
        SupportItem(support=s, item=item, quantity=q, value_vnd=q * item.unit_value_vnd)
        for s, c in zip(rows, cases, strict=True)
        for item, q in c.items
    ]
    bulk.create_many(items)
    audit_record(
        actor=None, action="support.bulk", target=programme, unit_id=programme.unit_id,
        changes={"count": [None, len(rows)]}, summary=summary,
    )  # fmt: skip
    return len(rows)


def _spread(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _members(unit: Unit, count: int | None = None) -> list[Member]:
    qs = Member.objects.filter(
        unit__path__startswith=unit.path, status=MemberStatus.ACTIVE
    ).select_related("unit")
    found = list(qs.order_by("pk"))
    return found if count is None else found[:count]


def _grassroots(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=unit.path, level=Level.GRASSROOTS).order_by("code")
    )


def _programme(unit: Unit, data: care.ProgrammeData) -> Programme:
    return care.programme_create(actor=None, unit=unit, data=data, is_demo=True)


# ---------------------------------------------------------------------------------------------


def thai_binh_2020(rng: random.Random, worker: Worker) -> None:
    """Seed 000: Covid-19 support at 16 grassroots unions of enterprises in 2020."""
    tb = Unit.objects.get(code="TB")
    programme = _programme(tb, care.ProgrammeData(
        name="Hỗ trợ đoàn viên, người lao động bị ảnh hưởng bởi dịch Covid-19 năm 2020",
        kind=ProgrammeKind.COVID, start=D(2020, 4, 1), end=D(2020, 12, 31),
        allow_cash=True, allow_in_kind=True, budget_vnd=1_700_000_000,
        decision_ref="Kế hoạch 45/KH-LĐLĐ",
        description="Theo Quyết định 2606/QĐ-TLĐ của Đoàn Chủ tịch Tổng Liên đoàn.",
        categories=[
            care.CategoryData("Tạm hoãn hợp đồng, nghỉ việc không lương", 1_000_000),
            care.CategoryData("Bị chấm dứt hợp đồng lao động", 1_000_000),
        ],
        items=[
            care.ItemData("Gạo", 150_000, "bao 10 kg"), care.ItemData("Mì tôm", 100_000, "thùng"),
            care.ItemData("Dầu ăn", 45_000, "chai"), care.ItemData("Nước mắm", 30_000, "chai"),
            care.ItemData("Sữa", 8_000, "hộp"),
        ],
    ))  # fmt: skip
    categories = list(programme.categories.order_by("id"))
    rice, noodles, oil, sauce, milk = list(programme.items.order_by("id"))
    enterprises = [
        u for u in _grassroots(tb) if u.kind == Kind.ENTERPRISE and u.founded_on < D(2020, 4, 1)
    ][:16]
    people = 1_023  # 1,023 × 1,000,000 VND: "trên 1 tỷ đồng"
    cases = []
    members = {u.pk: _members(u) for u in enterprises}
    for i in range(people):
        unit = enterprises[i % len(enterprises)]
        pool = members[unit.pk]
        member = pool.pop() if pool and rng.random() < 0.5 else None
        name, cccd = (member.full_name, "") if member else worker()
        cases.append(Case(
            unit=tb, date=_spread(rng, D(2020, 4, 10), D(2020, 9, 30)), name=name, cccd=cccd,
            person_unit=unit, member=member, category=categories[int(rng.random() < 0.3)],
            cash_vnd=1_000_000,
            items=[(rice, 1), (noodles, 2), (oil, 2), (sauce, 2), (milk, 10)],
        ))  # fmt: skip
    _write_cases(programme, cases, "Dữ liệu mẫu: hỗ trợ Covid-19 năm 2020")


def lang_son_2020(rng: random.Random) -> None:
    """Seed 001: contributions to the province's social fund from the district's members, and
    three members proposed to it for new houses."""
    ls, district = Unit.objects.get(code="LS"), Unit.objects.get(code="LS-MS")
    social = funds.fund_create(actor=None, unit=ls, name="Quỹ Xã hội LĐLĐ tỉnh Lạng Sơn",
                               kind=FundKind.SOCIAL, is_demo=True)  # fmt: skip
    for day, amount in [(D(2020, 3, 20), 412_500_000), (D(2020, 5, 28), 385_000_000),
                        (D(2020, 9, 15), 436_000_000), (D(2020, 12, 10), 379_000_000)]:  # fmt: skip
        funds.donation_record(
            actor=None,
            fund=social,
            amount_vnd=amount,
            date=day,
            source_unit=district,
            reference="Phiếu thu",
            note="CNVCLĐ huyện Mẫu Sơn ủng hộ Quỹ Xã hội",
            is_demo=True,
        )  # 1,612,500,000 VND in 2020: "trên 1,6 tỷ đồng"
    # The district proposed three of its members for houses in late 2020. Its grassroots unions
    # have since moved to the commune unions (2025), so the cases are written as the district
    # recorded them then, with their audit events, rather than re-checked against today's tree.
    members = _members(ls, 400)[-3:]
    for i, member in enumerate(members):
        case = HouseCase.objects.create(
            unit=district, member=member, kind=HouseKind.BUILD, amount_vnd=50_000_000,
            circumstances="Đoàn viên có hoàn cảnh đặc biệt khó khăn, chưa có nhà ở ổn định.",
            to_fund=social, proposed_on=D(2020, 11, 5 + i * 7), is_demo=True,
        )  # fmt: skip
        audit_record(actor=None, action="house.create", target=case, unit_id=district.pk,
                     changes={"amount_vnd": [None, case.amount_vnd]},
                     summary=member.full_name)  # fmt: skip


def quang_binh_2022(rng: random.Random, worker: Worker) -> None:
    """Seed 003: 33,778 people supported with nearly 23 billion VND, 38 houses, 250 loans."""
    qb = Unit.objects.get(code="QB")
    grassroots = [u for u in _grassroots(qb) if u.founded_on < D(2022, 1, 1)]
    members = _members(qb)
    rng.shuffle(members)
    # Everyone supported: the province's members first, then workers who are not members.
    people: list[tuple[Member | None, str, str, Unit]] = [
        (m, m.full_name, "", m.unit) for m in members
    ]
    while len(people) < QB_PEOPLE:
        name, cccd = worker()
        people.append((None, name, cccd, grassroots[len(people) % len(grassroots)]))
    year = (D(2022, 1, 1), D(2022, 12, 31))

    def programme(data: care.ProgrammeData) -> tuple[Programme, list[ProgrammeCategory]]:
        p = _programme(qb, data)
        return p, list(p.categories.order_by("id"))

    tet, (tet_gift, tet_hard) = programme(care.ProgrammeData(
        name="Tết Sum vầy – Xuân Nhâm Dần 2022", kind=ProgrammeKind.TET,
        start=D(2022, 1, 5), end=D(2022, 1, 31), budget_vnd=12_000_000_000,
        decision_ref="Kế hoạch 112/KH-LĐLĐ",
        categories=[care.CategoryData("Quà Tết đoàn viên, người lao động", 500_000),
                    care.CategoryData("Quà Tết hoàn cảnh đặc biệt khó khăn", 1_000_000)],
    ))  # fmt: skip
    covid, (covid_ill, covid_isolated, covid_death) = programme(care.ProgrammeData(
        name="Hỗ trợ đoàn viên, người lao động bị ảnh hưởng bởi dịch Covid-19 năm 2022",
        kind=ProgrammeKind.COVID, start=D(2022, 1, 1), end=D(2022, 6, 30),
        budget_vnd=10_500_000_000, decision_ref="Kế hoạch 05/KH-LĐLĐ",
        categories=[care.CategoryData("Mắc Covid-19, điều trị", 3_000_000),
                    care.CategoryData("Cách ly y tế", 1_000_000),
                    care.CategoryData("Tử vong do Covid-19", 5_000_000)],
    ))  # fmt: skip
    month, (month_gift,) = programme(care.ProgrammeData(
        name="Tháng Công nhân năm 2022", kind=ProgrammeKind.WORKERS_MONTH,
        start=D(2022, 5, 1), end=D(2022, 5, 31), budget_vnd=900_000_000,
        categories=[care.CategoryData("Quà Tháng Công nhân", 150_000)],
    ))  # fmt: skip
    visits, _none = programme(care.ProgrammeData(
        name="Thăm hỏi đoàn viên ốm đau, hoàn cảnh khó khăn năm 2022",
        kind=ProgrammeKind.HARDSHIP, start=year[0], end=year[1], repeat_allowed=True,
        max_per_person_vnd=2_000_000, budget_vnd=100_000_000,
    ))  # fmt: skip

    def case(p: tuple[Member | None, str, str, Unit], start: datetime.date, end: datetime.date,
             category: ProgrammeCategory | None, cash: int) -> Case:  # fmt: skip
        member, name, cccd, unit = p
        return Case(unit=unit, date=_spread(rng, start, end), name=name, cccd=cccd,
                    person_unit=unit, member=member, category=category, cash_vnd=cash)  # fmt: skip

    # Tết: 20,000 people (3,000 in special hardship): 11.5 billion.
    _write_cases(tet, [case(p, tet.start, tet.end, tet_hard if i < 3_000 else tet_gift,
                            1_000_000 if i < 3_000 else 500_000)
                       for i, p in enumerate(people[:20_000])],
                 "Dữ liệu mẫu: Tết Sum vầy 2022")  # fmt: skip
    # Covid-19: 8,000 people (20 deaths, 1,200 treated, 6,780 isolated): 10.48 billion.
    amounts = [(covid_death, 5_000_000)] * 20 + [(covid_ill, 3_000_000)] * 1_200
    amounts += [(covid_isolated, 1_000_000)] * 6_780
    _write_cases(covid, [case(p, covid.start, covid.end, c, cash)
                         for p, (c, cash) in zip(people[20_000:28_000], amounts, strict=True)],
                 "Dữ liệu mẫu: hỗ trợ Covid-19 năm 2022")  # fmt: skip
    # Workers' Month: the other 5,778 people: 866.7 million.
    _write_cases(month, [case(p, month.start, month.end, month_gift, 150_000)
                         for p in people[28_000:]],
                 "Dữ liệu mẫu: Tháng Công nhân 2022")  # fmt: skip
    # Visits to 46 of them in hardship: 23 million. In all 22,869,700,000: "gần 23 tỷ đồng".
    _write_cases(visits, [case(p, visits.start, visits.end, None, 500_000)
                          for p in people[:46]],
                 "Dữ liệu mẫu: thăm hỏi 2022")  # fmt: skip

    # Mái ấm Công đoàn: 38 houses approved in 2022 (30 built, 8 repaired), paid by the fund.
    shelter = funds.fund_create(actor=None, unit=qb, name="Quỹ Mái ấm Công đoàn tỉnh Quảng Bình",
                                kind=FundKind.HOUSE, is_demo=True)  # fmt: skip
    funds.donation_record(actor=None, fund=shelter, amount_vnd=2_500_000_000, date=D(2022, 1, 20),
                          donor="Các doanh nghiệp, nhà hảo tâm trong tỉnh", reference="Phiếu thu",
                          is_demo=True)  # fmt: skip
    homeless = members[-QB_HOUSES:]
    for i, member in enumerate(homeless):
        build = i < 30
        proposed = D(2022, 2 + i % 7, 3 + i % 20)
        case_ = houses.house_create(
            actor=None, unit=member.unit, member=member,
            kind=HouseKind.BUILD if build else HouseKind.REPAIR,
            amount_vnd=(60_000_000 + 2_500_000 * (i % 5)) if build else 30_000_000,
            proposed_on=proposed, to_fund=shelter, is_demo=True,
            circumstances="Nhà ở tạm bợ, xuống cấp; gia đình có hoàn cảnh khó khăn.",
        )  # fmt: skip
        approved = proposed + datetime.timedelta(days=20)
        houses.house_approve(actor=None, case=case_, date=approved,
                             decision_ref=f"{40 + i}/QĐ-LĐLĐ")  # fmt: skip
        houses.house_contribution_add(actor=None, case=case_, amount_vnd=case_.amount_vnd,
                                      date=approved, fund=shelter,
                                      reference=f"{40 + i}/QĐ-LĐLĐ")  # fmt: skip
        houses.house_start(actor=None, case=case_, date=approved + datetime.timedelta(days=10))
        houses.house_hand_over(actor=None, case=case_, date=approved + datetime.timedelta(days=80))

    # The revolving fund: 250 loans disbursed in 2022, repaid every quarter; seven borrowers
    # fell behind at the end of the year, and two have not caught up since.
    revolving = funds.fund_create(actor=None, unit=qb, kind=FundKind.LOAN, is_demo=True,
                                  name="Quỹ trợ vốn CNLĐ nghèo tỉnh Quảng Bình")  # fmt: skip
    funds.donation_record(actor=None, fund=revolving, amount_vnd=6_000_000_000,
                          date=D(2019, 6, 1), source_unit=qb, reference="Vốn ban đầu",
                          is_demo=True)  # fmt: skip
    borrowers = members[:QB_LOANS]
    for i, member in enumerate(borrowers):
        applied = D(2022, 1 + i % 12, 1 + i % 25)
        loan = loans.loan_apply(
            actor=None, member=member, fund=revolving, amount_vnd=10_000_000 * (1 + i % 3),
            monthly_rate_bp=45, term_months=(12, 18, 24)[i % 3], applied_on=applied,
            purpose=rng.choice(["Chăn nuôi", "Sửa chữa nhà", "Buôn bán nhỏ", "Trồng trọt"]),
            is_demo=True,
        )  # fmt: skip
        loans.loan_approve(actor=None, loan=loan, date=applied + datetime.timedelta(days=3),
                           decision_ref=f"{100 + i}/QĐ-LĐLĐ")  # fmt: skip
        loan = loans.loan_disburse(actor=None, loan=loan,
                                   date=applied + datetime.timedelta(days=5))  # fmt: skip
        _repay(loan, behind=i % 36 == 5, stopped=i in (5, 41))


def _repay(loan: "loans.Loan", *, behind: bool, stopped: bool) -> None:
    """Pay at each quarter's end what has fallen due; `behind` misses the end of 2022,
    `stopped` pays nothing after it."""
    schedule = list(LoanInstalment.objects.filter(loan=loan).order_by("number"))
    today = timezone.localdate()
    paid = 0
    assert loan.disbursed_on is not None
    quarter = D(loan.disbursed_on.year, 3, 31)
    while schedule and paid < len(schedule):
        if quarter > today:
            break
        skip = (behind and quarter == D(2022, 12, 31)) or (stopped and quarter > D(2022, 12, 31))
        due = [s for s in schedule[paid:] if s.due_on <= quarter]
        if due and not skip:
            loans.repayment_record(
                actor=None, loan=loan, date=quarter, reference="Phiếu thu",
                principal_vnd=sum(s.principal_vnd for s in due),
                interest_vnd=sum(s.interest_vnd for s in due),
            )  # fmt: skip
            paid += len(due)
        month = quarter.month + 3
        year = quarter.year + (month > 12)
        month = month - 12 if month > 12 else month
        quarter = D(year, month, 30 if month in (6, 9) else 31)


def hoa_binh_2022(rng: random.Random, worker: Worker) -> None:
    """Seed 004: gifts, Covid-19 visits and one house in the first half of 2022."""
    vc, hb = Unit.objects.get(code="HB-VC"), Unit.objects.get(code="HB")
    members = _members(vc)
    gifts = _programme(vc, care.ProgrammeData(
        name="Tặng quà đoàn viên có hoàn cảnh khó khăn năm 2022", kind=ProgrammeKind.GIFTS,
        start=D(2022, 1, 1), end=D(2022, 12, 31), max_per_person_vnd=500_000,
        budget_vnd=200_000_000, decision_ref="Kế hoạch 03/KH-CĐVC",
    ))  # fmt: skip
    _write_cases(gifts, [
        Case(unit=vc, date=_spread(rng, D(2022, 1, 10), D(2022, 6, 20)), name=m.full_name,
             cccd="", person_unit=m.unit, member=m, category=None, cash_vnd=500_000)
        for m in members[:320]
    ], "Dữ liệu mẫu: quà đoàn viên khó khăn 6 tháng đầu năm 2022")  # fmt: skip
    visits = _programme(vc, care.ProgrammeData(
        name="Thăm hỏi đoàn viên, người lao động bị ảnh hưởng bởi dịch Covid-19",
        kind=ProgrammeKind.COVID, start=D(2022, 1, 1), end=D(2022, 6, 30),
        budget_vnd=500_000_000, decision_ref="Kế hoạch 01/KH-CĐVC",
        categories=[care.CategoryData("Thăm hỏi người mắc Covid-19", 500_000)],
    ))  # fmt: skip
    (category,) = list(visits.categories.all())
    grassroots = _grassroots(vc)
    people: list[Case] = []
    for m in members[:300]:
        people.append(Case(unit=vc, date=D(2022, 1, 1), name=m.full_name, cccd="",
                           person_unit=m.unit, member=m, category=category,
                           cash_vnd=500_000))  # fmt: skip
    while len(people) < 887:  # "gần 900 người"
        name, cccd = worker()
        people.append(Case(unit=vc, date=D(2022, 1, 1), name=name, cccd=cccd,
                           person_unit=grassroots[len(people) % len(grassroots)], member=None,
                           category=category, cash_vnd=500_000))  # fmt: skip
    for c in people:
        c.date = _spread(rng, D(2022, 2, 1), D(2022, 4, 30))
    _write_cases(visits, people, "Dữ liệu mẫu: thăm hỏi Covid-19 năm 2022")
    shelter = funds.fund_create(actor=None, unit=hb, name="Quỹ Mái ấm Công đoàn tỉnh Hòa Bình",
                                kind=FundKind.HOUSE, is_demo=True)  # fmt: skip
    funds.donation_record(actor=None, fund=shelter, amount_vnd=300_000_000, date=D(2021, 12, 1),
                          source_unit=hb, reference="Phiếu thu", is_demo=True)  # fmt: skip
    member = members[-1]
    case_ = houses.house_create(
        actor=None, unit=vc, member=member, kind=HouseKind.BUILD, amount_vnd=70_000_000,
        proposed_on=D(2022, 3, 10), to_fund=shelter, is_demo=True,
        circumstances="Đoàn viên là giáo viên vùng cao, nhà ở bị sạt lở năm 2021.",
    )  # fmt: skip
    houses.house_approve(actor=None, case=case_, date=D(2022, 4, 5), decision_ref="27/QĐ-LĐLĐ")
    houses.house_contribution_add(actor=None, case=case_, amount_vnd=70_000_000,
                                  date=D(2022, 4, 5), fund=shelter)  # fmt: skip
    houses.house_start(actor=None, case=case_, date=D(2022, 4, 15))
    houses.house_hand_over(actor=None, case=case_, date=D(2022, 6, 25))


def record_care() -> None:
    if Fund.objects.filter(is_demo=True).exists():
        return
    rng = random.Random(2022)
    worker = Worker(rng)
    thai_binh_2020(rng, worker)
    lang_son_2020(rng)
    quang_binh_2022(rng, worker)
    hoa_binh_2022(rng, worker)
    figures_cache.bump("care")  # written in bulk, without the services' audit
