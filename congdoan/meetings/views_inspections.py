"""Pages of inspection plans and inspections. Thin: access → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.members.services import today
from congdoan.org import access

from . import inspections
from .forms import InspectionFilterForm, InspectionForm, PlanForm, inspection_initial
from .views import PAGE_SIZE, _audit


@login_required
def unit_inspections(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = InspectionFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    year = f.get("year")
    qs = inspections.inspections_of(
        unit, year=year, state=f.get("state") or "", subject=f.get("subject") or ""
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "plans": list(inspections.plans_of(unit, year=year)[:50]),
        "can_write": access.can_write(request.user, unit),
    }
    return render(request, "meetings/inspection_list.html", context)


@login_required
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = PlanForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        plan = run_service(
            form,
            lambda: inspections.plan_create(
                actor=user_of(request),
                unit=unit,
                year=d["year"],
                name=d["name"],
                decision_ref=d.get("decision_ref") or "",
            ),
        )
        if plan is not None:
            messages.success(request, _("The inspection plan was created."))
            return redirect("inspection_plan_detail", pk=plan.pk)
    return render(
        request,
        "meetings/simple_form.html",
        {
            "form": form,
            "unit": unit,
            "heading": _("New inspection plan"),
            "back": ("unit_inspections", unit.pk),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = inspections.plan_for_write(request.user, pk)
    form = PlanForm(
        request.POST or None,
        initial={"year": plan.year, "name": plan.name, "decision_ref": plan.decision_ref},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: inspections.plan_update(
                actor=user_of(request),
                plan=plan,
                year=d["year"],
                name=d["name"],
                decision_ref=d.get("decision_ref") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The inspection plan was changed."))
            return redirect("inspection_plan_detail", pk=plan.pk)
    return render(
        request,
        "meetings/simple_form.html",
        {
            "form": form,
            "unit": plan.unit,
            "heading": _("Change the inspection plan"),
            "back": ("inspection_plan_detail", plan.pk),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = inspections.plan_for_view(request.user, pk)
    writes = access.can_write(request.user, plan.unit)
    rows = inspections.inspections_of(plan.unit).filter(plan=plan)
    return render(
        request,
        "meetings/plan_detail.html",
        {
            "plan": plan,
            "inspections": list(rows),
            "can_write": writes,
            "audit": _audit("meetings.inspectionplan", plan.pk) if writes else [],
        },
    )


@login_required
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = inspections.plan_for_write(request.user, pk)
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = run_service(
            form,
            lambda: inspections.inspection_create(
                actor=user_of(request), plan=plan, data=form.data_for_service()
            ),
        )
        if found is not None:
            messages.success(request, _("The inspection was recorded."))
            return redirect("inspection_detail", pk=found.pk)
    return render(
        request,
        "meetings/simple_form.html",
        {
            "form": form,
            "unit": plan.unit,
            "heading": _("New inspection"),
            "subheading": plan.name,
            "back": ("inspection_plan_detail", plan.pk),
        },
    )


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = inspections.inspection_for_write(request.user, pk)
    form = InspectionForm(
        request.POST or None, initial=inspection_initial(inspections.data_of(found))
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: inspections.inspection_update(
                actor=user_of(request), inspection=found, data=form.data_for_service()
            ),
        )
        if done is not None:
            messages.success(request, _("The inspection was changed."))
            return redirect("inspection_detail", pk=found.pk)
    return render(
        request,
        "meetings/simple_form.html",
        {
            "form": form,
            "unit": found.unit,
            "heading": _("Change the inspection"),
            "subheading": found.target_name,
            "back": ("inspection_detail", found.pk),
        },
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = inspections.inspection_for_view(request.user, pk)
    writes = access.can_write(request.user, found.unit)
    return render(
        request,
        "meetings/inspection_detail.html",
        {
            "inspection": found,
            "can_write": writes,
            "inspected_visible": found.inspected_unit is not None
            and access.can_see(request.user, found.inspected_unit),
            "audit": _audit("meetings.inspection", found.pk) if writes else [],
        },
    )
