"""Pages of targets: a unit's targets for a year (achieved / target / "vượt 31%"), with the
forms to assign a target (the union above) and type a result (the unit); the grid of an upper
union's direct sub-units for one indicator; the indicators a federation defines. Thin."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.org import access
from congdoan.org.models import Status

from . import targets
from .forms import AchievementForm, GridChoiceForm, IndicatorForm, TargetForm, WholeNumberField
from .models import Indicator
from .views_common import year_of


def _back(pk: int, year: int) -> HttpResponse:
    return redirect(f"{reverse('emulation_targets', args=[pk])}?year={year}")


@login_required
def unit_targets(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    year = year_of(request)
    refs = targets.indicator_choices(unit)
    may_assign = targets.may_assign(request.user, unit)
    may_type = access.can_write(request.user, unit)
    action = request.POST.get("action", "")
    target_form = TargetForm(request.POST if action == "target" else None, refs=refs,
                             prefix="t")  # fmt: skip
    result_form = AchievementForm(request.POST if action == "result" else None, refs=refs,
                                  prefix="r")  # fmt: skip
    if request.method == "POST":
        if action == "target" and may_assign and target_form.is_valid():
            d = target_form.cleaned_data

            def assign() -> bool:
                ref = targets.indicator_ref(unit, d["indicator"])
                targets.target_set(actor=user_of(request), unit=unit, year=year, ref=ref,
                                   value=d["value"])  # fmt: skip
                return True

            if run_service(target_form, assign):
                messages.success(request, _("The target was saved."))
                return _back(unit.pk, year)
        elif action == "result" and may_type and result_form.is_valid():
            d = result_form.cleaned_data

            def record() -> Any:
                ref = targets.indicator_ref(unit, d["indicator"])
                return targets.achievement_set(actor=user_of(request), unit=unit, year=year,
                                               ref=ref, value=d["value"],
                                               note=d.get("note") or "")  # fmt: skip

            if run_service(result_form, record) is not None:
                messages.success(request, _("The result was saved."))
                return _back(unit.pk, year)
        else:
            allowed = (
                may_assign if action == "target" else may_type if action == "result" else False
            )
            if not allowed:
                raise Http404
    context = {
        "unit": unit,
        "year": year,
        "rows": targets.target_rows(unit, year),
        "target_form": target_form if may_assign else None,
        "result_form": result_form
        if may_type and getattr(result_form.fields["indicator"], "choices", None)
        else None,
        "can_write": may_type,
        "has_children": unit.children.filter(status=Status.ACTIVE).exists(),
    }
    return render(request, "emulation/targets.html", context)


@login_required
def targets_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator and year for every direct sub-unit of the unit: achieved, target, and an
    input per unit for those who may assign (write access to this unit)."""
    owner = access.unit_for_view(request.user, pk)
    refs = targets.indicator_choices(owner)
    data = request.GET if request.GET.get("indicator") else None
    choice = GridChoiceForm(data, refs=refs, initial={"year": year_of(request),
                                                      "indicator": refs[0].key})  # fmt: skip
    key = choice.cleaned_data["indicator"] if choice.is_valid() else refs[0].key
    year = choice.cleaned_data["year"] if choice.is_valid() else year_of(request)
    ref = targets.indicator_ref(owner, key)
    children = list(owner.children.filter(status=Status.ACTIVE).order_by("level", "code"))
    may_set = access.can_write(request.user, owner)
    errors: dict[int, str] = {}
    if request.method == "POST":
        if not may_set:
            raise Http404
        values: dict[int, Any] = {}
        parse = WholeNumberField(required=False)
        for unit in children:
            raw = request.POST.get(f"u{unit.pk}", "").strip()
            if not raw:
                continue
            try:
                values[unit.pk] = parse.clean(raw)
            except Exception as exc:  # a ValidationError: shown beside the unit
                errors[unit.pk] = " ".join(getattr(exc, "messages", [str(exc)]))
        if not errors:
            try:
                n = targets.targets_set_many(actor=user_of(request), owner=owner, year=year,
                                             ref=ref, values=values)  # fmt: skip
                messages.success(request, _("%(n)s targets were saved.") % {"n": n})
                url = reverse("targets_grid", args=[owner.pk])
                return redirect(f"{url}?indicator={ref.key}&year={year}")
            except ServiceError as exc:
                messages.error(request, " ".join(exc.messages))
    rows = targets.targets_by_unit(children, year, ref)
    for row in rows:
        row["error"] = errors.get(row["unit"].pk, "")
        row["typed"] = (
            request.POST.get(f"u{row['unit'].pk}", "") if request.method == "POST" else ""
        )
    total_target = sum(r["target"] or 0 for r in rows)
    total = targets._row(ref, sum(r["achieved"] for r in rows), total_target)
    context = {
        "unit": owner, "year": year, "ref": ref, "choice": choice, "rows": rows, "total": total,
        "may_set": may_set,
    }  # fmt: skip
    return render(request, "emulation/targets_grid.html", context)


@login_required
def unit_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicators defined by the unit (and above it); a new one (write access)."""
    unit = access.unit_for_view(request.user, pk)
    may_define = access.can_write(request.user, unit)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        if not may_define:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            done = run_service(form, lambda: targets.indicator_create(
                actor=user_of(request), owner=unit, key=d["key"], name=d["name"],
                measure=d.get("measure") or ""))  # fmt: skip
            if done is not None:
                messages.success(request, _("The indicator was defined."))
                return redirect("unit_indicators", pk=unit.pk)
    context = {
        "unit": unit,
        "year": year_of(request),  # the tabs keep the year
        "builtins": [r for r in targets.indicator_choices(unit) if r.builtin],
        "defined": Indicator.objects.filter(owner__path__in=[*unit.ancestor_paths(), unit.path])
        .select_related("owner")
        .order_by("name"),
        "form": form if may_define else None,
    }
    return render(request, "emulation/indicators.html", context)
