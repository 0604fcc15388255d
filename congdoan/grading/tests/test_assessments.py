"""Assessments: self-assessment by the grassroots union, review by the union above (approve or
adjust with a comment), caps, reopening; the grade read by award eligibility."""

import pytest

from congdoan.conftest import make_unit
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.grading import assessments, grades
from congdoan.grading.models import Assessment, Score
from congdoan.grading.tests.setup import YEAR, D, Setup, approved, grading, ids, submitted
from congdoan.org.models import Kind

__all__ = ["grading"]


def test_self_assess_submit_review_approve(grading: Setup) -> None:
    s = grading
    c11, c12, c21, c22 = ids(s)
    a = assessments.assessment_start(actor=s.cast.chair, unit=s.tree.X1, year=YEAR)
    assert (a.status, a.scorecard_id, Score.objects.filter(assessment=a).count()) == (
        "draft",
        s.card.pk,
        4,
    )
    a = assessments.assessment_self_save(
        actor=s.cast.chair,
        assessment=a,
        entries={c11: ("38", "Kết nạp 20 ĐV"), c12: ("18,5", ""), c21: ("29", "")},
    )
    assert (a.status, a.self_total_tenths) == ("draft", 855)
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_self_save(actor=s.cast.chair, assessment=a, entries={}, submit=True)
    assert exc.value.messages == ["Score every criterion before submitting; missing: 2.2."]
    a = assessments.assessment_self_save(
        actor=s.cast.chair,
        assessment=a,
        submit=True,
        entries={c22: ("9,5", "")},
        date=D(2022, 1, 10),
    )
    assert (a.status, a.self_total_tenths, a.submitted_on) == ("submitted", 950, D(2022, 1, 10))
    # The province keeps 1.1 and 2.2, lowers 1.2 and 2.1 with comments.
    a = assessments.assessment_review(
        actor=s.cast.province_officer,
        assessment=a,
        approve=True,
        date=D(2022, 1, 20),
        entries={c11: ("", ""), c12: ("16", "Thiếu biên bản"), c21: ("27", "Chưa đủ hồ sơ")},
    )
    assert (a.status, a.approved_total_tenths, a.score_grade, a.grade, a.strong) == (
        "approved",
        905,
        "HTXSNV",
        "HTXSNV",
        True,
    )
    scores = {
        sc.criterion.code: (sc.self_tenths, sc.approved_tenths, sc.comment)
        for sc in a.scores.select_related("criterion")
    }
    assert scores == {
        "1.1": (380, 380, ""),
        "1.2": (185, 160, "Thiếu biên bản"),
        "2.1": (290, 270, "Chưa đủ hồ sơ"),
        "2.2": (95, 95, ""),
    }
    assert grades.grade_of(s.tree.X1.pk, YEAR) == "HTXSNV"
    assert grades.grade_of(s.tree.X1.pk, YEAR - 1) is None
    actions = list(
        AuditEvent.objects.filter(target_type="grading.assessment")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "assessment.start",
        "assessment.self_score",
        "assessment.self_score",
        "assessment.submit",
        "assessment.review",
        "assessment.approve",
    ]


def test_grade_bands_and_the_strong_title(grading: Setup) -> None:
    s = grading
    results = {}
    for unit, scores in (
        (s.tree.X1, ("36", "18", "27", "9")),  # 90 → HTXSNV
        (s.tree.X2, ("30", "15", "20", "4,5")),  # 69,5 → HTNV
        (s.tree.X3, ("30", "15", "20", "5")),  # 70 → HTTNV
        (s.tree.Y1, ("20", "10", "15", "4,5")),  # 49,5 → KHTNV
    ):
        a = approved(s, unit, scores)
        results[unit.code] = (a.approved_total_tenths, a.grade, a.strong)
    assert results == {
        "X1": (900, "HTXSNV", True),
        "X2": (695, "HTNV", False),
        "X3": (700, "HTTNV", True),
        "Y1": (495, "KHTNV", False),
    }
    assert grades.grades_of([s.tree.X1.pk, s.tree.X2.pk, s.tree.Y2.pk], YEAR) == {
        s.tree.X1.pk: "HTXSNV",
        s.tree.X2.pk: "HTNV",
    }
    assert grades.strong_of([s.tree.X1.pk, s.tree.X2.pk, s.tree.X3.pk], YEAR) == {
        s.tree.X1.pk,
        s.tree.X3.pk,
    }


def test_a_cap_limits_the_grade_whatever_the_score(grading: Setup) -> None:
    s = grading
    a = approved(
        s,
        s.tree.X1,
        ("40", "20", "30", "10"),
        cap="HTNV",
        cap_reason="Vi phạm nghiêm trọng về tài chính",
    )
    assert (a.approved_total_tenths, a.score_grade, a.grade, a.strong) == (
        1000,
        "HTXSNV",
        "HTNV",
        False,
    )
    assert grades.grade_of(s.tree.X1.pk, YEAR) == "HTNV"
    b = approved(
        s,
        s.tree.X2,
        ("40", "20", "30", "10"),
        cap="not_graded",
        cap_reason="Thành lập chưa đủ 6 tháng",
    )
    assert (b.grade, b.strong) == ("", False)
    assert grades.grade_of(s.tree.X2.pk, YEAR) is None


def test_a_cap_needs_a_reason(grading: Setup) -> None:
    a = submitted(grading)
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_review(
            actor=grading.cast.province_officer, assessment=a, entries={}, cap="HTNV", approve=True
        )
    assert (exc.value.messages, exc.value.field) == (["Say why the grade is capped."], "cap_reason")
    a.refresh_from_db()
    assert (a.status, a.cap) == ("submitted", "")


def test_scores_above_the_maximum_or_negative_are_refused(grading: Setup) -> None:
    s = grading
    c11, c12, *_ = ids(s)
    a = assessments.assessment_start(actor=s.cast.chair, unit=s.tree.X1, year=YEAR)
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_self_save(
            actor=s.cast.chair, assessment=a, entries={c11: ("30", ""), c12: ("20,5", "")}
        )
    assert (exc.value.messages, exc.value.field) == (
        ["Criterion 1.2: the score 20,5 is above the maximum of 20."],
        f"self_{c12}",
    )
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_self_save(
            actor=s.cast.chair, assessment=a, entries={c11: ("-3", "")}
        )
    assert exc.value.messages == ["Criterion 1.1: a score cannot be negative."]
    assert list(Score.objects.filter(assessment=a).values_list("self_tenths", flat=True)) == [
        None,
        None,
        None,
        None,
    ]
    sub = submitted(s, s.tree.X2, actor=s.cast.x_officer)
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_review(
            actor=s.cast.province_officer,
            assessment=sub,
            entries={c11: ("41", "Quá")},
            approve=True,
        )
    assert exc.value.messages == ["Criterion 1.1: the score 41 is above the maximum of 40."]


def test_an_adjusted_score_needs_a_comment(grading: Setup) -> None:
    s = grading
    a = submitted(s)
    c12 = ids(s)[1]
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_review(
            actor=s.cast.province_officer, assessment=a, entries={c12: ("15", "  ")}, approve=True
        )
    assert (exc.value.messages, exc.value.field) == (
        ["Criterion 1.2: the score was changed from 18 to 15; write a comment saying why."],
        f"comment_{c12}",
    )
    a.refresh_from_db()
    assert (a.status, a.grade) == ("submitted", "")
    assert Score.objects.get(assessment=a, criterion_id=c12).approved_tenths is None


def test_nobody_approves_their_own_self_assessment(grading: Setup) -> None:
    s = grading
    a = submitted(s, s.tree.X2, actor=s.cast.province_officer)
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_review(
            actor=s.cast.province_officer, assessment=a, entries={}, approve=True
        )
    assert exc.value.messages == [
        "You submitted this self-assessment; someone else at the union above must approve it."
    ]
    a.refresh_from_db()
    assert a.status == "submitted"
    a = assessments.assessment_review(
        actor=s.cast.x_officer, assessment=a, entries={}, approve=True
    )
    assert a.grade == "HTXSNV"


def test_an_approved_assessment_is_not_edited_until_reopened(grading: Setup) -> None:
    s = grading
    a = approved(s)
    c11 = ids(s)[0]
    message = (
        "This assessment was approved and can no longer be changed; the union above may reopen it."
    )
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_self_save(
            actor=s.cast.chair, assessment=a, entries={c11: ("40", "")}
        )
    assert exc.value.messages == [message]
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_review(
            actor=s.cast.province_officer, assessment=a, entries={c11: ("30", "x")}
        )
    assert exc.value.messages == [message]
    with pytest.raises(ServiceError, match=r"Say why the assessment is reopened\."):
        assessments.assessment_reopen(actor=s.cast.province_officer, assessment=a, reason="")
    a = assessments.assessment_reopen(
        actor=s.cast.province_officer, assessment=a, reason="Phát hiện sai sót"
    )
    assert (a.status, a.grade, a.approved_total_tenths) == ("submitted", "", None)
    assert grades.grade_of(s.tree.X1.pk, YEAR) is None
    a = assessments.assessment_reopen(
        actor=s.cast.province_officer, assessment=a, reason="Đơn vị chấm lại"
    )
    assert a.status == "draft"
    a = assessments.assessment_self_save(
        actor=s.cast.chair, assessment=a, entries={c11: ("40", "")}, submit=True
    )
    assert a.self_total_tenths == 940
    reopen = AuditEvent.objects.filter(action="assessment.reopen").order_by("id")
    assert list(reopen.values_list("summary", "changes")) == [
        ("Phát hiện sai sót", {"status": ["approved", "submitted"]}),
        ("Đơn vị chấm lại", {"status": ["submitted", "draft"]}),
    ]


def test_a_submitted_self_assessment_is_not_changed_by_the_unit(grading: Setup) -> None:
    a = submitted(grading)
    with pytest.raises(ServiceError, match="The self-assessment was submitted"):
        assessments.assessment_self_save(actor=grading.cast.chair, assessment=a, entries={})


def test_only_units_the_scorecard_applies_to_are_assessed(grading: Setup) -> None:
    s = grading
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_start(actor=None, unit=s.tree.Q1, year=YEAR)
    assert exc.value.messages == ["No published scorecard grades Unit Q1 for 2021."]
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_start(actor=None, unit=s.tree.X1, year=2020)
    assert exc.value.messages == ["No published scorecard grades Unit X1 for 2020."]
    late = make_unit(s.tree.X, "X4", Kind.ENTERPRISE, founded=D(2022, 3, 1))
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_start(actor=None, unit=late, year=YEAR)
    assert exc.value.messages == [
        "The scorecard “Bảng điểm CĐCS năm 2021” does not apply to Unit X4 (it grades the units "
        "that existed under Unit P on 31/12/2021)."
    ]
    assessments.assessment_start(actor=None, unit=s.tree.X1, year=YEAR)
    with pytest.raises(ServiceError) as exc:
        assessments.assessment_start(actor=None, unit=s.tree.X1, year=YEAR)
    assert exc.value.messages == ["Unit X1 already has an assessment for 2021."]
    assert Assessment.objects.count() == 1


def test_the_nearest_scorecard_grades_the_unit(grading: Setup) -> None:
    from congdoan.grading.tests.setup import build_card

    district = build_card(None, grading.tree.X)
    a = assessments.assessment_start(actor=None, unit=grading.tree.X1, year=YEAR)
    b = assessments.assessment_start(actor=None, unit=grading.tree.Y1, year=YEAR)
    assert (a.scorecard_id, b.scorecard_id) == (district.pk, grading.card.pk)


def test_a_draft_self_assessment_may_be_deleted(grading: Setup) -> None:
    a = assessments.assessment_start(actor=grading.cast.chair, unit=grading.tree.X1, year=YEAR)
    assessments.assessment_delete(actor=grading.cast.chair, assessment=a)
    assert not Assessment.objects.exists()
    b = submitted(grading)
    with pytest.raises(ServiceError):
        assessments.assessment_delete(actor=grading.cast.chair, assessment=b)


def test_who_may_self_assess_and_review(grading: Setup) -> None:
    s = grading
    a = submitted(s)
    assert assessments.can_self_assess(s.cast.chair, a)
    assert not assessments.can_review(s.cast.chair, a)
    assert assessments.can_review(s.cast.x_officer, a)  # the union directly above
    assert assessments.can_review(s.cast.province_officer, a)  # the scorecard's owner
    assert not assessments.can_review(s.cast.y_officer, a)
    assert not assessments.can_review(s.cast.viewer, a)
