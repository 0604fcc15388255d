"""Inspection and supervision (kiểm tra, giám sát): a unit's plan for a year, and its
inspections of units of its subtree (charter, finance) or of employers (labour law, the Trade
Union Law, social insurance), with findings, recommendations and their follow-up
(planned → done → recommendations followed up → closed). Seen and changed by whoever reaches
the plan's unit; every write is one transaction, validated and audited.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import Unit

from .models import (
    Inspection,
    InspectionMode,
    InspectionPlan,
    InspectionState,
    InspectionSubject,
    Subject,
)
from .services import Actor, _user

PLAN_FIELDS = ["year", "name", "decision_ref"]
FIELDS = [
    "mode",
    "inspected_unit",
    "employer_name",
    "employer_tax_code",
    "employer_address",
    "start_date",
    "end_date",
    "team",
    "findings",
    "recommendations",
    "state",
    "done_on",
    "followed_up_on",
    "closed_on",
]
_TAX_CODE = re.compile(r"\d{10}(-\d{3})?")
STEPS = [
    InspectionState.PLANNED,
    InspectionState.DONE,
    InspectionState.FOLLOWED_UP,
    InspectionState.CLOSED,
]


@dataclass
class InspectionData:
    start_date: datetime.date
    subjects: list[str]
    mode: str = InspectionMode.INSPECTION
    inspected_unit: str = ""  # a unit code, or
    employer_name: str = ""
    employer_tax_code: str = ""
    employer_address: str = ""
    end_date: datetime.date | None = None
    team: str = ""
    findings: str = ""
    recommendations: str = ""
    state: str = InspectionState.PLANNED
    done_on: datetime.date | None = None
    followed_up_on: datetime.date | None = None
    closed_on: datetime.date | None = None


# ---------------------------------------------------------------------------------------------
# Reads


def _with_subjects(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return qs.select_related("inspected_unit", "plan").prefetch_related(
        Prefetch("subject_rows", queryset=InspectionSubject.objects.order_by("id"))
    )


def plans_of(unit: Unit, *, year: int | None = None) -> QuerySet[InspectionPlan]:
    qs = InspectionPlan.objects.filter(unit__path__gte=unit.path, unit__path__lt=unit.path_end)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("unit").order_by("-year", "name", "id")


def inspections_of(
    unit: Unit, *, year: int | None = None, state: str = "", subject: str = ""
) -> QuerySet[Inspection]:
    """Inspections run by `unit`'s subtree, newest first."""
    qs = Inspection.objects.filter(unit__path__gte=unit.path, unit__path__lt=unit.path_end)
    if year:
        qs = qs.filter(plan__year=year)
    if state:
        qs = qs.filter(state=state)
    if subject:
        qs = qs.filter(subject_rows__subject=subject)
    return _with_subjects(qs).order_by("-start_date", "-id")


def plan_for_view(user: AnyUser, pk: int) -> InspectionPlan:
    plan = InspectionPlan.objects.select_related("unit", "unit__parent").filter(pk=pk).first()
    if plan is None or not access.can_see(user, plan.unit):
        raise Http404
    return plan


def plan_for_write(user: AnyUser, pk: int) -> InspectionPlan:
    plan = plan_for_view(user, pk)
    if not access.can_write(user, plan.unit):
        raise Http404
    return plan


def inspection_for_view(user: AnyUser, pk: int) -> Inspection:
    found = _with_subjects(Inspection.objects.filter(pk=pk)).select_related("unit").first()
    if found is None or not access.can_see(user, found.unit):
        raise Http404
    return found


def inspection_for_write(user: AnyUser, pk: int) -> Inspection:
    found = inspection_for_view(user, pk)
    if not access.can_write(user, found.unit):
        raise Http404
    return found


# ---------------------------------------------------------------------------------------------
# Plans


def _clean_plan(year: int, name: str, decision_ref: str) -> dict[str, object]:
    if not 2000 <= year <= 2100:
        raise ServiceError(_("Type the year of the plan, e.g. 2022."), field="year")
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("Type the name of the plan."), field="name")
    return {"year": year, "name": name[:255], "decision_ref": (decision_ref or "").strip()[:120]}


@audited
def plan_create(
    *, actor: Actor, unit: Unit, year: int, name: str, decision_ref: str = "", is_demo: bool = False
) -> InspectionPlan:
    if actor is not None and not access.can_write(actor, unit):
        raise Http404
    values = _clean_plan(year, name, decision_ref)
    plan = InspectionPlan.objects.create(
        unit=unit, created_by=_user(actor), is_demo=is_demo, **values
    )
    audit_record(
        actor=actor,
        action="inspection_plan.create",
        target=plan,
        unit_id=unit.pk,
        changes=snapshot(plan, PLAN_FIELDS),
        summary=plan.name,
    )
    return plan


@audited
def plan_update(
    *, actor: Actor, plan: InspectionPlan, year: int, name: str, decision_ref: str = ""
) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if actor is not None and not access.can_write(actor, plan.unit):
        raise Http404
    values = _clean_plan(year, name, decision_ref)
    if values["year"] != plan.year:
        outside = plan.inspections.exclude(start_date__year=values["year"]).count()
        if outside:
            raise ServiceError(
                _(
                    "%(n)s inspections of the plan are dated in another year; the plan's year "
                    "cannot change."
                )
                % {"n": outside},
                field="year",
            )
    before = snapshot(plan, PLAN_FIELDS)
    for name_, value in values.items():
        setattr(plan, name_, value)
    plan.save()
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    audit_update(
        actor=actor,
        action="inspection_plan.update",
        target=plan,
        unit_id=plan.unit_id,
        changes=changes,
        summary=plan.name,
    )
    return plan


# ---------------------------------------------------------------------------------------------
# Inspections


def _clean(plan: InspectionPlan, data: InspectionData) -> tuple[dict[str, object], list[str]]:
    unit = plan.unit
    if data.mode not in InspectionMode.values:
        raise ServiceError(_("Choose inspection or supervision."), field="mode")
    subjects = [s for s in Subject.values if s in set(data.subjects)]
    if not subjects or len(subjects) != len(set(data.subjects)):
        raise ServiceError(_("Choose at least one subject from the list."), field="subjects")
    code = (data.inspected_unit or "").strip()
    employer = " ".join((data.employer_name or "").split())
    inspected: Unit | None = None
    if code and employer:
        raise ServiceError(
            _("Inspect either a union unit or an employer, not both."), field="employer_name"
        )
    if code:
        inspected = Unit.objects.filter(code=code).first()
        if inspected is None or inspected.pk == unit.pk or not inspected.path.startswith(unit.path):
            raise ServiceError(
                _(
                    "The unit %(code)s is not a unit under %(unit)s; a plan inspects units of its "
                    "own subtree."
                )
                % {"code": code, "unit": unit.name},
                field="inspected_unit",
            )
    elif not employer:
        raise ServiceError(
            _("Give the unit inspected (its code) or the employer's name."), field="inspected_unit"
        )
    tax_code = (data.employer_tax_code or "").replace(" ", "")
    if tax_code and not _TAX_CODE.fullmatch(tax_code):
        raise ServiceError(
            _("A tax code has 10 digits, or 13 written as 10-3."), field="employer_tax_code"
        )
    if inspected is not None and (tax_code or data.employer_address.strip()):
        raise ServiceError(
            _("A tax code and address are for an employer, not a union unit."),
            field="employer_tax_code",
        )
    if data.start_date.year != plan.year:
        raise ServiceError(
            _("The inspection starts in %(y)s, outside the plan's year %(year)s.")
            % {"y": data.start_date.year, "year": plan.year},
            field="start_date",
        )
    if data.end_date is not None and data.end_date < data.start_date:
        raise ServiceError(_("The last day is before the first day."), field="end_date")
    if data.state not in InspectionState.values:
        raise ServiceError(_("Choose the state from the list."), field="state")
    step = STEPS.index(InspectionState(data.state))
    done_on = data.done_on if step >= 1 else None
    followed = data.followed_up_on if step >= 2 else None
    closed = data.closed_on if step >= 3 else None
    if step >= 1:
        if done_on is None:
            raise ServiceError(_("Give the day the inspection was done."), field="done_on")
        if done_on < data.start_date:
            raise ServiceError(
                _("The inspection cannot be done before it starts."), field="done_on"
            )
    if step >= 2 and data.state == InspectionState.FOLLOWED_UP:
        if not data.recommendations.strip():
            raise ServiceError(
                _("There are no recommendations to follow up."), field="recommendations"
            )
        if followed is None:
            raise ServiceError(
                _("Give the day the recommendations were followed up."), field="followed_up_on"
            )
    if followed is not None and done_on is not None and followed < done_on:
        raise ServiceError(
            _("Recommendations cannot be followed up before the inspection was done."),
            field="followed_up_on",
        )
    if step >= 3:
        if closed is None:
            raise ServiceError(_("Give the day the inspection was closed."), field="closed_on")
        if closed < (followed or done_on):  # type: ignore[operator]
            raise ServiceError(
                _("An inspection cannot be closed before its earlier steps."), field="closed_on"
            )
    values: dict[str, object] = {
        "mode": data.mode,
        "inspected_unit": inspected,
        "employer_name": "" if inspected else employer[:255],
        "employer_tax_code": "" if inspected else tax_code,
        "employer_address": "" if inspected else data.employer_address.strip()[:255],
        "start_date": data.start_date,
        "end_date": data.end_date,
        "team": data.team.strip(),
        "findings": data.findings.strip(),
        "recommendations": data.recommendations.strip(),
        "state": data.state,
        "done_on": done_on,
        "followed_up_on": followed,
        "closed_on": closed,
    }
    return values, subjects


def _subjects_text(inspection: Inspection) -> str:
    return ", ".join(
        InspectionSubject.objects.filter(inspection=inspection)
        .order_by("subject")
        .values_list("subject", flat=True)
    )


@audited
def inspection_create(
    *, actor: Actor, plan: InspectionPlan, data: InspectionData, is_demo: bool = False
) -> Inspection:
    if actor is not None and not access.can_write(actor, plan.unit):
        raise Http404
    values, subjects = _clean(plan, data)
    inspection = Inspection.objects.create(
        plan=plan,
        unit=plan.unit,
        created_by=_user(actor),
        is_demo=is_demo,
        **values,
    )
    InspectionSubject.objects.bulk_create(
        [InspectionSubject(inspection=inspection, subject=s) for s in subjects]
    )
    audit_record(
        actor=actor,
        action="inspection.create",
        target=inspection,
        unit_id=plan.unit_id,
        changes={**snapshot(inspection, FIELDS), "subjects": _subjects_text(inspection)},
        summary=inspection.target_name,
    )
    return inspection


@audited
def inspection_update(*, actor: Actor, inspection: Inspection, data: InspectionData) -> Inspection:
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__unit", "inspected_unit")
        .get(pk=inspection.pk)
    )
    if actor is not None and not access.can_write(actor, inspection.unit):
        raise Http404
    before = {**snapshot(inspection, FIELDS), "subjects": _subjects_text(inspection)}
    values, subjects = _clean(inspection.plan, data)
    for name, value in values.items():
        setattr(inspection, name, value)
    inspection.save()
    InspectionSubject.objects.filter(inspection=inspection).exclude(subject__in=subjects).delete()
    have = set(
        InspectionSubject.objects.filter(inspection=inspection).values_list("subject", flat=True)
    )
    InspectionSubject.objects.bulk_create(
        [InspectionSubject(inspection=inspection, subject=s) for s in subjects if s not in have]
    )
    changes = diff(before, {**snapshot(inspection, FIELDS), "subjects": _subjects_text(inspection)})
    action = "inspection.update"
    if "state" in changes:
        action = f"inspection.{inspection.state}"
    audit_update(
        actor=actor,
        action=action,
        target=inspection,
        unit_id=inspection.unit_id,
        changes=changes,
        summary=inspection.target_name,
    )
    return inspection


def data_of(inspection: Inspection) -> InspectionData:
    return InspectionData(
        start_date=inspection.start_date,
        subjects=inspection.subject_list(),
        mode=inspection.mode,
        inspected_unit=inspection.inspected_unit.code if inspection.inspected_unit else "",
        employer_name=inspection.employer_name,
        employer_tax_code=inspection.employer_tax_code,
        employer_address=inspection.employer_address,
        end_date=inspection.end_date,
        team=inspection.team,
        findings=inspection.findings,
        recommendations=inspection.recommendations,
        state=inspection.state,
        done_on=inspection.done_on,
        followed_up_on=inspection.followed_up_on,
        closed_on=inspection.closed_on,
    )
