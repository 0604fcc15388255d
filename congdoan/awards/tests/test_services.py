"""Award rules: eligibility, nominations, the council's review and decisions, each refusal with
its message and nothing written."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from congdoan.awards import eligibility, services
from congdoan.awards.models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    BatchStatus,
    DecisionStatus,
    Discipline,
    NominationBatch,
    Nominee,
    Review,
)
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.grading import assessments
from congdoan.grading.models import Scorecard
from congdoan.grading.tests.setup import build_card
from congdoan.members.models import Member

D = datetime.date


@dataclass
class Setup:
    tree: Tree
    cast: Cast
    hoa: Member  # X1, joined 2015
    lan: Member  # X2, joined March 2020
    binh: Member  # Y1 (outside X)


@pytest.fixture
def s(tree: Tree, cast: Cast) -> Setup:
    return Setup(
        tree=tree,
        cast=cast,
        hoa=make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190000001"),
        lan=make_member(tree.X2, "Trần Thị Lan", admit_on=D(2020, 3, 15)),
        binh=make_member(tree.Y1, "Lê Văn Bình"),
    )


# Scores of the four criteria (40, 20, 30, 10 points) earning each grade under the default
# thresholds (90, 70, 50).
SCORES = {
    "HTXSNV": ("36", "18", "27", "9"),
    "HTTNV": ("28", "14", "21", "7"),
    "HTNV": ("20", "10", "15", "5"),
}


def graded(s: Setup, unit: Any, year: int, grade: str) -> None:
    """The unit's real assessment for the year: scored and submitted by its grassroots chair
    or district officer, approved by the province officer against P's scorecard."""
    if not Scorecard.objects.filter(owner=s.tree.P, year=year).exists():
        build_card(s.cast.province_officer, s.tree.P, year)
    author = s.cast.chair if unit == s.tree.X1 else s.cast.x_officer
    a = assessments.assessment_start(actor=author, unit=unit, year=year)
    criteria = list(a.scorecard.criteria.order_by("code"))
    a = assessments.assessment_self_save(
        actor=author,
        assessment=a,
        submit=True,
        date=D(year + 1, 1, 10),
        entries={c.pk: (v, "Báo cáo") for c, v in zip(criteria, SCORES[grade], strict=True)},
    )
    a = assessments.assessment_review(
        actor=s.cast.province_officer, assessment=a, entries={}, approve=True,
        date=D(year + 1, 1, 20),
    )  # fmt: skip
    assert a.grade == grade


def form(code: str) -> AwardForm:
    return AwardForm.objects.get(code=code)


def check(s: Setup, code: str, year: int, **who: Any) -> list[str]:
    return eligibility.failures(eligibility.Nominated(form=form(code), year=year, **who))


def decide(s: Setup, by: Any, code: str, year: int, number: str, date: D, **who: Any) -> Any:
    decision = services.decision_create(
        actor=s.cast.province_officer,
        unit=by,
        form=form(code),
        year=year,
        number=number,
        date=date,
        signer="Hoàng Văn A",
        signer_position="Chủ tịch",
    )
    services.recipient_add(actor=None, decision=decision, override_reason="giấy", **who)
    return services.decision_issue(actor=None, decision=decision)


def test_the_catalogue_holds_the_real_forms(db: None) -> None:
    assert list(AwardForm.objects.values_list("code", "authority")) == [
        ("huan-chuong-lao-dong", "state"),
        ("bk-thu-tuong", "prime_minister"),
        ("co-tld", "tld"),
        ("bk-tld", "tld"),
        ("bang-ldst", "tld"),
        ("knc-cong-doan", "tld"),
        ("bk-ubnd-tinh", "province_pc"),
        ("co-ldld-tinh", "province_union"),
        ("bk-ldld-tinh", "province_union"),
        ("gk-cong-doan-cap-tren", "upper_union"),
        ("gk-cdcs", "grassroots"),
    ]
    assert [eligibility.describe(r) for r in form("bk-ldld-tinh").rules.all()] == [
        "Grade of the year at least HTXSNV",
        "No discipline in the year",
        "Giấy khen của Chủ tịch công đoàn cấp trên trực tiếp cơ sở in one of the 2 previous years",
    ]


def test_grade_rule_for_collectives_and_individuals(s: Setup) -> None:
    gk = "gk-cong-doan-cap-tren"  # collectives need HTTNV at least
    assert check(s, gk, 2024, unit=s.tree.X1) == [
        "The grade of the union for 2024 is not known (approved); the form needs at least HTTNV."
    ]
    graded(s, s.tree.X3, 2024, "HTNV")
    assert check(s, gk, 2024, unit=s.tree.X3) == [
        "The grade of the union for 2024 is HTNV; the form needs at least HTTNV."
    ]
    graded(s, s.tree.X1, 2024, "HTXSNV")
    assert check(s, gk, 2024, unit=s.tree.X1) == []
    assert check(s, gk, 2023, unit=s.tree.X1) == [
        "The grade of the union for 2023 is not known (approved); the form needs at least HTTNV."
    ]
    # An individual: the grade of the member's union, unless a personal rating is typed.
    bk = "bk-ubnd-tinh"
    assert check(s, bk, 2024, member=s.hoa) == []
    assert check(s, bk, 2024, member=s.hoa, personal_rating="HTTNV") == [
        "The personal rating for 2024 is HTTNV; the form needs at least HTXSNV."
    ]
    assert check(s, bk, 2024, member=s.lan) == [
        "The grade of the member's grassroots union for 2024 is not known (approved); the form "
        "needs at least HTXSNV."
    ]
    assert check(s, bk, 2024, member=s.lan, personal_rating="HTXSNV") == []


def test_several_nominees_read_their_grades_at_once(
    s: Setup, django_assert_num_queries: Any
) -> None:
    graded(s, s.tree.X1, 2024, "HTXSNV")
    graded(s, s.tree.X3, 2024, "HTNV")
    gk = form("gk-cong-doan-cap-tren")  # collectives: HTTNV at least
    rules = [r for r in gk.rules.select_related("form", "lower_form") if r.kind == "grade"]
    who = [
        eligibility.Nominated(form=gk, year=2024, unit=u) for u in (s.tree.X1, s.tree.X2, s.tree.X3)
    ]
    with django_assert_num_queries(1):
        found = eligibility.failures_many(who, rules)
    assert found == [
        [],
        ["The grade of the union for 2024 is not known (approved); the form needs at least HTTNV."],
        ["The grade of the union for 2024 is HTNV; the form needs at least HTTNV."],
    ]
    assert found == [eligibility.failures(n) for n in who]


def test_discipline_in_the_year_bars_the_award(s: Setup) -> None:
    services.discipline_record(
        actor=s.cast.x_officer,
        unit=s.tree.X,
        member=s.hoa,
        date=D(2023, 6, 5),
        form="warning",
        decision_ref="7/QĐ-CĐ",
        reason="Vi phạm nội quy",
    )
    assert check(s, "gk-cdcs", 2023, member=s.hoa) == [
        "Disciplined in 2023: Warning (cảnh cáo), decision 7/QĐ-CĐ of 05/06/2023."
    ]
    assert check(s, "gk-cdcs", 2024, member=s.hoa) == []
    assert AuditEvent.objects.filter(action="discipline.record").count() == 1
    with pytest.raises(ServiceError, match="Lê Văn Bình is not a member of a union under"):
        services.discipline_record(
            actor=None,
            unit=s.tree.X,
            member=s.binh,
            date=D(2023, 6, 5),
            form="warning",
            decision_ref="8",
        )
    row = Discipline.objects.get()
    with pytest.raises(ServiceError, match="Say why"):
        services.discipline_delete(actor=None, discipline=row, reason=" ")
    services.discipline_delete(actor=None, discipline=row, reason="Nhập nhầm")
    assert not Discipline.objects.exists()
    assert AuditEvent.objects.get(action="discipline.delete").summary == (
        "Nguyễn Thị Hoa: Nhập nhầm"
    )


def test_service_months_count_to_the_end_of_the_year(s: Setup) -> None:
    # Lan joined on 15/03/2020: 9 months by 31/12/2020, the Giấy khen needs 10.
    assert check(s, "gk-cdcs", 2020, member=s.lan) == [
        "Only 9 months of union membership by 31/12/2020; the form needs 10."
    ]
    assert check(s, "gk-cdcs", 2021, member=s.lan) == []


def test_years_since_the_same_form_and_lower_forms_before(s: Setup) -> None:
    for year in (2022, 2023, 2024):
        graded(s, s.tree.X1, year, "HTXSNV")
    # Bằng khen of LĐLĐ for an individual needs a Giấy khen of the upper union in the 2 years
    # before.
    assert check(s, "bk-ldld-tinh", 2024, member=s.hoa) == [
        "Needs Giấy khen của Chủ tịch công đoàn cấp trên trực tiếp cơ sở in one of the 2 previous "
        "years (2022-2023)."
    ]
    decide(s, s.tree.X, "gk-cong-doan-cap-tren", 2021, "1/QĐ", D(2022, 1, 10), member=s.hoa)
    assert len(check(s, "bk-ldld-tinh", 2024, member=s.hoa)) == 1  # 2021 is too long ago
    decide(s, s.tree.X, "gk-cong-doan-cap-tren", 2022, "2/QĐ", D(2023, 1, 10), member=s.hoa)
    assert check(s, "bk-ldld-tinh", 2024, member=s.hoa) == []
    # Bằng khen of TLĐ: not twice within 2 years to the same recipient.
    decide(s, s.tree.C, "bk-tld", 2022, "5/QĐ-TLĐ", D(2023, 1, 5), unit=s.tree.X1)
    assert check(s, "bk-tld", 2023, unit=s.tree.X1) == [
        "Already received this form for 2022; it may be given again for 2024 at the earliest."
    ]
    assert check(s, "bk-tld", 2024, unit=s.tree.X1) == []
    # A revoked decision does not count.
    AwardDecision.objects.filter(number="5/QĐ-TLĐ").update(status=DecisionStatus.REVOKED)
    assert check(s, "bk-tld", 2023, unit=s.tree.X1) == []


def proposal(s: Setup, code: str = "gk-cong-doan-cap-tren", unit: Any = None) -> NominationBatch:
    return services.batch_create(
        actor=s.cast.x_officer,
        unit=unit or s.tree.X,
        form=form(code),
        year=2024,
        date=D(2025, 1, 5),
        number="3/TTr",
    )


def test_a_proposal_goes_to_the_council_of_the_granting_union(s: Setup) -> None:
    assert proposal(s).council_unit == s.tree.X  # Giấy khen of the upper union: X itself
    assert proposal(s, unit=s.tree.X1).council_unit == s.tree.X
    assert proposal(s, "bk-ldld-tinh", unit=s.tree.X1).council_unit == s.tree.P
    assert proposal(s, "co-tld", unit=s.tree.X1).council_unit == s.tree.C
    with pytest.raises(ServiceError, match="No union at or above Unit P grants Giấy khen của"):
        proposal(s, unit=s.tree.P)


def test_nominees_are_checked_and_bad_ones_refused(s: Setup) -> None:
    batch = proposal(s)
    before = Nominee.objects.count()
    with pytest.raises(ServiceError, match="Lê Văn Bình is outside Unit X; a unit proposes only"):
        services.nominee_add(actor=None, batch=batch, member=s.binh, achievements="Tốt")
    with pytest.raises(ServiceError, match="Unit Y1 is outside Unit X"):
        services.nominee_add(actor=None, batch=batch, unit=s.tree.Y1, achievements="Tốt")
    knc = proposal(s, "knc-cong-doan")
    with pytest.raises(ServiceError, match="is not awarded to collectives"):
        services.nominee_add(actor=None, batch=knc, unit=s.tree.X1, achievements="Tốt")
    flag = proposal(s, "co-ldld-tinh")
    with pytest.raises(ServiceError, match="is not awarded to individuals"):
        services.nominee_add(actor=None, batch=flag, member=s.hoa, achievements="Tốt")
    with pytest.raises(ServiceError, match="Describe the achievements"):
        services.nominee_add(actor=None, batch=batch, member=s.hoa, achievements=" ")
    assert Nominee.objects.count() == before
    services.nominee_add(actor=None, batch=batch, member=s.hoa, achievements="Tốt")
    with pytest.raises(ServiceError, match="Nguyễn Thị Hoa is already in this proposal"):
        services.nominee_add(actor=None, batch=batch, member=s.hoa, achievements="Lần hai")
    assert batch.nominees.count() == 1


def test_submit_needs_a_reason_for_each_nominee_who_fails(s: Setup) -> None:
    graded(s, s.tree.X1, 2024, "HTXSNV")
    batch = proposal(s)
    with pytest.raises(ServiceError, match="Add at least one nominee"):
        services.batch_submit(actor=None, batch=batch)
    ok = services.nominee_add(actor=None, batch=batch, unit=s.tree.X1, achievements="Vững mạnh")
    weak = services.nominee_add(actor=None, batch=batch, unit=s.tree.X2, achievements="Khá")
    assert (ok.failures, weak.failures) == (
        [],
        ["The grade of the union for 2024 is not known (approved); the form needs at least HTTNV."],
    )
    with pytest.raises(ServiceError) as refused:
        services.batch_submit(actor=s.cast.x_officer, batch=batch)
    assert refused.value.messages == [
        "Some nominees do not meet the form's conditions; give a reason to propose each of them "
        "anyway, or remove them. Unit X2: The grade of the union for 2024 is not known "
        "(approved); the form needs at least HTTNV."
    ]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT
    services.nominee_update(
        actor=s.cast.x_officer,
        nominee=weak,
        achievements="Khá",
        override_reason="Xếp loại đang chờ phê duyệt",
    )
    services.batch_submit(actor=s.cast.x_officer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    event = AuditEvent.objects.get(action="award_batch.submit")
    assert event.changes["overrides"] == ["Unit X2: Xếp loại đang chờ phê duyệt"]
    with pytest.raises(ServiceError, match="already submitted"):
        services.nominee_add(actor=None, batch=batch, member=s.hoa, achievements="Tốt")


def test_review_then_decision_from_accepted_nominees(s: Setup) -> None:
    graded(s, s.tree.X1, 2024, "HTTNV")
    graded(s, s.tree.X2, 2024, "HTTNV")
    batch = proposal(s, unit=s.tree.X1)
    services.nominee_add(actor=None, batch=batch, unit=s.tree.X1, achievements="Vững mạnh")
    services.nominee_add(actor=None, batch=batch, member=s.hoa, achievements="Giỏi")
    other = proposal(s, unit=s.tree.X2)
    lan = services.nominee_add(actor=None, batch=other, member=s.lan, achievements="Giỏi")
    services.batch_submit(actor=None, batch=batch)
    services.batch_submit(actor=None, batch=other)
    first, second = batch.nominees.order_by("id")
    with pytest.raises(ServiceError, match="Say why the nominee is rejected"):
        services.nominee_review(actor=s.cast.x_officer, nominee=second, accept=False)
    services.nominee_review(actor=s.cast.x_officer, nominee=first, accept=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED  # one still waits
    services.nominee_review(
        actor=s.cast.x_officer, nominee=second, accept=False, note="Chưa đủ thành tích"
    )
    services.nominee_review(actor=s.cast.x_officer, nominee=lan, accept=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REVIEWED
    decision = services.decision_create(
        actor=s.cast.x_officer,
        unit=s.tree.X,
        form=form("gk-cong-doan-cap-tren"),
        year=2024,
        number="9/QĐ-LĐLĐ",
        date=D(2025, 1, 14),
        signer="Hoàng Văn A",
        signer_position="CHỦ TỊCH",
    )
    with pytest.raises(ServiceError, match="The decision has no recipients"):
        services.decision_issue(actor=None, decision=decision)
    assert services.decision_add_accepted(actor=None, decision=decision) == 2
    assert [r.name for r in decision.recipients.order_by("id")] == ["Unit X1", "Trần Thị Lan"]
    with pytest.raises(ServiceError, match="No accepted nominee is waiting"):
        services.decision_add_accepted(actor=None, decision=decision)
    services.decision_issue(actor=s.cast.x_officer, decision=decision)
    with pytest.raises(ServiceError, match="already on a decision"):
        services.nominee_review(actor=None, nominee=first, accept=False, note="x")
    assert Nominee.objects.get(pk=first.pk).review == Review.ACCEPTED


def test_decision_rules(s: Setup) -> None:
    gk = form("gk-cong-doan-cap-tren")
    make = dict(signer="A", signer_position="CHỦ TỊCH", year=2024)
    with pytest.raises(ServiceError, match="is granted by Chair of the upper union; Unit P cannot"):
        services.decision_create(
            actor=None, unit=s.tree.P, form=gk, number="1/QĐ", date=D(2025, 1, 2), **make
        )
    decision = services.decision_create(
        actor=None, unit=s.tree.X, form=gk, number="1/QĐ", date=D(2025, 1, 2), **make
    )
    # The same number by the same unit in the same year (of the date) is refused; another
    # unit, or another year, may use it.
    with pytest.raises(
        ServiceError, match="Decision number 1/QĐ is already used by Unit X in 2025"
    ):
        services.decision_create(
            actor=None, unit=s.tree.X, form=gk, number="1/QĐ", date=D(2025, 3, 2), **make
        )
    services.decision_create(
        actor=None, unit=s.tree.Y, form=gk, number="1/QĐ", date=D(2025, 1, 2), **make
    )
    services.decision_create(
        actor=None, unit=s.tree.X, form=gk, number="1/QĐ", date=D(2024, 12, 30), **make
    )
    with pytest.raises(ServiceError, match="Lê Văn Bình is outside Unit X; a decision awards"):
        services.recipient_add(actor=None, decision=decision, member=s.binh, override_reason="x")
    with pytest.raises(
        ServiceError, match="Unit X1 does not meet the form's conditions: The grade"
    ):
        services.recipient_add(actor=None, decision=decision, unit=s.tree.X1)
    services.recipient_add(actor=None, decision=decision, member=s.hoa)
    with pytest.raises(ServiceError, match="Nguyễn Thị Hoa is already listed in this decision"):
        services.recipient_add(actor=None, decision=decision, member=s.hoa)
    services.decision_update(actor=None, decision=decision, signer="Hoàng Văn B")
    services.decision_issue(actor=s.cast.x_officer, decision=decision)
    assert decision.recipients.get().path == s.tree.X1.path
    # Issued: never edited, only revoked.
    with pytest.raises(ServiceError, match="An issued decision cannot be edited"):
        services.decision_update(actor=None, decision=decision, signer="C")
    with pytest.raises(ServiceError, match="An issued decision cannot be edited"):
        services.recipient_add(actor=None, decision=decision, member=s.lan, override_reason="x")
    with pytest.raises(ServiceError, match="An issued decision cannot be edited"):
        services.recipient_remove(actor=None, recipient=decision.recipients.get())
    with pytest.raises(ServiceError, match="An issued decision cannot be edited"):
        services.decision_delete(actor=None, decision=decision)
    with pytest.raises(ServiceError, match="Say why the decision is revoked"):
        services.decision_revoke(actor=None, decision=decision, date=D(2025, 2, 1), reason="")
    services.decision_revoke(
        actor=s.cast.x_officer, decision=decision, date=D(2025, 2, 1), reason="Sai đối tượng"
    )
    decision.refresh_from_db()
    assert (decision.status, decision.revoke_reason) == (DecisionStatus.REVOKED, "Sai đối tượng")
    actions = list(
        AuditEvent.objects.filter(target_type="awards.awarddecision", target_id=str(decision.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "award_decision.create",
        "award_recipient.add",
        "award_decision.update",
        "award_decision.issue",
        "award_decision.revoke",
    ]
    assert AwardRecipient.objects.filter(decision=decision).count() == 1


def test_a_draft_is_deleted_with_its_trail_kept(s: Setup) -> None:
    decision = services.decision_create(
        actor=None,
        unit=s.tree.X,
        form=form("gk-cong-doan-cap-tren"),
        year=2024,
        number="4/QĐ",
        date=D(2025, 1, 2),
        signer="A",
        signer_position="CHỦ TỊCH",
    )
    pk = decision.pk
    services.decision_delete(actor=s.cast.x_officer, decision=decision)
    assert not AwardDecision.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="award_decision.delete", target_id=str(pk)).exists()


def test_a_federation_adds_its_own_form_and_rules(s: Setup) -> None:
    own = services.form_create(
        actor=s.cast.province_admin,
        unit=s.tree.P,
        code="gk-p",
        name="Giấy khen P",
        kind="commendation",
        authority="upper_union",
        recipients="individual",
        phrase="tặng Giấy khen",
    )
    assert own in services.forms_for(s.tree.X1)
    assert own not in services.forms_for(s.tree.Q1)
    with pytest.raises(ServiceError, match="The code gk-p is already used"):
        services.form_create(
            actor=None,
            unit=s.tree.P,
            code="gk-p",
            name="x",
            kind="commendation",
            authority="upper_union",
            recipients="both",
            phrase="x",
        )
    with pytest.raises(ServiceError, match="Choose the lower form"):
        services.rule_add(actor=None, form=own, kind="lower_form", number=1)
    services.rule_add(actor=None, form=own, kind="service_months", number=24)
    assert check(s, "gk-p", 2020, member=s.lan) == [
        "Only 9 months of union membership by 31/12/2020; the form needs 24."
    ]
    with pytest.raises(ServiceError, match="This award form is not in use for Unit Q1"):
        services.batch_create(actor=None, unit=s.tree.Q1, form=own, year=2024, date=D(2025, 1, 1))
