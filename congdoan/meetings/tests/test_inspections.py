"""Inspection plans and inspections: their rules, follow-up steps and audit trail."""

import datetime

import pytest
from django.http import Http404

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.meetings import inspections
from congdoan.meetings.inspections import InspectionData
from congdoan.meetings.models import Inspection, InspectionPlan

D = datetime.date


@pytest.fixture
def plan(tree: Tree, cast: Cast) -> InspectionPlan:
    return inspections.plan_create(
        actor=cast.x_officer,
        unit=tree.X,
        year=2024,
        name=" Kế hoạch  kiểm tra 2024 ",
        decision_ref="3/KH",
    )


def of_unit(**kwargs: object) -> InspectionData:
    values: dict[str, object] = {
        "start_date": D(2024, 5, 10),
        "subjects": ["finance", "charter"],
        "inspected_unit": "X1",
    }
    values.update(kwargs)
    return InspectionData(**values)  # type: ignore[arg-type]


def test_a_plan_and_its_inspections(plan: InspectionPlan, tree: Tree, cast: Cast) -> None:
    assert (plan.name, plan.unit, plan.year) == ("Kế hoạch kiểm tra 2024", tree.X, 2024)
    one = inspections.inspection_create(actor=cast.x_officer, plan=plan, data=of_unit())
    assert (one.inspected_unit, one.unit, one.state) == (tree.X1, tree.X, "planned")
    assert one.subject_list() == ["charter", "finance"]
    employer = inspections.inspection_create(
        actor=cast.x_officer,
        plan=plan,
        data=InspectionData(
            start_date=D(2024, 6, 1),
            subjects=["labour_law", "social_insurance"],
            employer_name=" Công ty  A ",
            employer_tax_code="0101234567-001",
            employer_address="KCN B",
        ),
    )
    assert (employer.target_name, employer.employer_tax_code) == ("Công ty A", "0101234567-001")
    assert (
        AuditEvent.objects.get(action="inspection.create", target_id=str(one.pk)).changes[
            "subjects"
        ]
        == "charter, finance"
    )
    assert AuditEvent.objects.filter(action="inspection_plan.create").count() == 1


def test_follow_up_steps_with_dates(plan: InspectionPlan, cast: Cast, english: None) -> None:
    one = inspections.inspection_create(actor=cast.x_officer, plan=plan, data=of_unit())
    done = of_unit(
        state="done",
        done_on=D(2024, 5, 12),
        findings="Sổ sách chưa cập nhật",
        recommendations="Cập nhật hằng tháng",
    )
    inspections.inspection_update(actor=cast.x_officer, inspection=one, data=done)
    event = AuditEvent.objects.get(action="inspection.done")
    assert event.changes["state"] == ["planned", "done"]
    assert event.changes["done_on"] == [None, "2024-05-12"]
    followed = of_unit(**{**done.__dict__, "state": "followed_up", "followed_up_on": D(2024, 8, 1)})
    inspections.inspection_update(actor=cast.x_officer, inspection=one, data=followed)
    closed = of_unit(
        **{
            **followed.__dict__,
            "state": "closed",
            "closed_on": D(2024, 9, 1),
            "subjects": ["finance"],
        }
    )
    inspections.inspection_update(actor=cast.x_officer, inspection=one, data=closed)
    one.refresh_from_db()
    assert (one.state, one.done_on, one.followed_up_on, one.closed_on) == (
        "closed",
        D(2024, 5, 12),
        D(2024, 8, 1),
        D(2024, 9, 1),
    )
    assert one.subject_list() == ["finance"]
    assert AuditEvent.objects.get(action="inspection.closed").changes["subjects"] == [
        "charter, finance",
        "finance",
    ]
    with pytest.raises(ServiceError) as caught:
        inspections.inspection_update(
            actor=cast.x_officer,
            inspection=one,
            data=of_unit(**{**closed.__dict__, "closed_on": D(2024, 7, 1)}),
        )
    assert caught.value.messages == ["An inspection cannot be closed before its earlier steps."]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"inspected_unit": "Y1"},
            "inspected_unit",
            "The unit Y1 is not a unit under Unit X; a plan inspects units of its own subtree.",
        ),
        (
            {"inspected_unit": "X"},
            "inspected_unit",
            "The unit X is not a unit under Unit X; a plan inspects units of its own subtree.",
        ),
        (
            {"inspected_unit": ""},
            "inspected_unit",
            "Give the unit inspected (its code) or the employer's name.",
        ),
        (
            {"employer_name": "Công ty A"},
            "employer_name",
            "Inspect either a union unit or an employer, not both.",
        ),
        (
            {"inspected_unit": "", "employer_name": "Công ty A", "employer_tax_code": "12345"},
            "employer_tax_code",
            "A tax code has 10 digits, or 13 written as 10-3.",
        ),
        ({"subjects": []}, "subjects", "Choose at least one subject from the list."),
        (
            {"subjects": ["finance", "sport"]},
            "subjects",
            "Choose at least one subject from the list.",
        ),
        (
            {"start_date": D(2023, 12, 1)},
            "start_date",
            "The inspection starts in 2023, outside the plan's year 2024.",
        ),
        ({"end_date": D(2024, 5, 9)}, "end_date", "The last day is before the first day."),
        ({"state": "done"}, "done_on", "Give the day the inspection was done."),
        (
            {"state": "done", "done_on": D(2024, 5, 1)},
            "done_on",
            "The inspection cannot be done before it starts.",
        ),
        (
            {"state": "followed_up", "done_on": D(2024, 5, 11)},
            "recommendations",
            "There are no recommendations to follow up.",
        ),
    ],
)
def test_bad_inspections_are_refused(
    plan: InspectionPlan,
    cast: Cast,
    english: None,
    kwargs: dict[str, object],
    field: str,
    message: str,
) -> None:
    with pytest.raises(ServiceError) as caught:
        inspections.inspection_create(actor=cast.x_officer, plan=plan, data=of_unit(**kwargs))
    assert (caught.value.field, caught.value.messages) == (field, [message])
    assert Inspection.objects.count() == 0


def test_the_plan_s_year_holds_its_inspections(
    plan: InspectionPlan, cast: Cast, english: None
) -> None:
    inspections.inspection_create(actor=cast.x_officer, plan=plan, data=of_unit())
    with pytest.raises(ServiceError) as caught:
        inspections.plan_update(actor=cast.x_officer, plan=plan, year=2025, name="KH")
    assert caught.value.messages == [
        "1 inspections of the plan are dated in another year; the plan's year cannot change."
    ]
    inspections.plan_update(
        actor=cast.x_officer, plan=plan, year=2024, name="KH mới", decision_ref="3/KH"
    )
    assert AuditEvent.objects.get(action="inspection_plan.update").changes == {
        "name": ["Kế hoạch kiểm tra 2024", "KH mới"]
    }


def test_access(plan: InspectionPlan, tree: Tree, cast: Cast) -> None:
    one = inspections.inspection_create(actor=None, plan=plan, data=of_unit())
    for user in (cast.x_officer, cast.province_officer, cast.viewer):
        assert inspections.inspection_for_view(user, one.pk) == one
        assert inspections.plan_for_view(user, plan.pk) == plan
    for user in (cast.y_officer, cast.chair, cast.nobody):
        with pytest.raises(Http404):
            inspections.inspection_for_view(user, one.pk)
    with pytest.raises(Http404):
        inspections.inspection_for_write(cast.viewer, one.pk)
    with pytest.raises(Http404):
        inspections.inspection_create(actor=cast.y_officer, plan=plan, data=of_unit())
    with pytest.raises(Http404):
        inspections.plan_create(actor=cast.chair, unit=tree.X, year=2024, name="KH")
