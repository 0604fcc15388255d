"""Pages of emulation movements: a unit's emulation overview, a movement with the units
registered, and the forms to launch, change, register and cancel. Thin: access → form →
service → redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_trail
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.members.models import MemberTarget
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from . import blocs, movements, targets
from .forms import CancelForm, MovementForm, RegistrationForm
from .models import Bloc, BlocMember, Movement, Target
from .views_common import year_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The emulation page of the user's (first) top unit."""
    top = access.top_units(request.user).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("unit_emulation", pk=top.pk)


@login_required
def unit_emulation(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's emulation for a year: movements it may take part in or launched below it,
    the blocs it owns, the bloc it is in, and its targets."""
    unit = access.unit_for_view(request.user, pk)
    year = year_of(request)
    found = list(movements.movements_for_unit(unit, year)[:200])
    registered = set(
        movements.Registration.objects.filter(
            unit=unit, movement__in=found, cancelled_on__isnull=True
        ).values_list("movement_id", flat=True)
    )
    member = (
        BlocMember.objects.filter(unit=unit, year=year).select_related("bloc", "bloc__leader")
        .order_by("bloc_id").first()
    )  # fmt: skip
    context = {
        "unit": unit,
        "year": year,
        "years": list(range(today().year + 1, today().year - 6, -1)),
        "movements": found,
        "registered": registered,
        "owned_blocs": list(blocs.blocs_of_owner(unit, year)),
        "bloc": member.bloc if member else None,
        "targets": targets.target_rows(unit, year),
        "can_write": access.can_write(request.user, unit),
        "has_children": unit.children.exists(),
        "data_years": _data_years(unit),
    }
    return render(request, "emulation/unit_emulation.html", context)


def _data_years(unit: Unit) -> list[int]:
    """The years in which the unit owns blocs, is in one, has targets or launched a movement
    (one query), newest first: links when the year shown has nothing."""
    found = (
        Bloc.objects.filter(owner=unit)
        .order_by()
        .values_list("year", flat=True)
        .union(
            BlocMember.objects.filter(unit=unit).order_by().values_list("year", flat=True),
            Target.objects.filter(unit=unit).order_by().values_list("year", flat=True),
            MemberTarget.objects.filter(unit=unit).order_by().values_list("year", flat=True),
            Movement.objects.filter(unit=unit)
            .order_by()
            .annotate(y=ExtractYear("start"))
            .values_list("y", flat=True),
        )
    )
    return sorted({int(y) for y in found}, reverse=True)


def _data(d: dict[str, Any]) -> movements.MovementData:
    return movements.MovementData(
        name=d["name"], start=d["start"], end=d["end"], theme=d.get("theme") or "",
        description=d.get("description") or "",
    )  # fmt: skip


@login_required
def movement_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = MovementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        movement = run_service(
            form,
            lambda: movements.movement_create(
                actor=user_of(request), unit=unit, data=_data(form.cleaned_data)
            ),
        )
        if movement is not None:
            messages.success(request, _("The movement was launched."))
            return redirect("movement_detail", pk=movement.pk)
    return render(request, "emulation/movement_form.html", {"form": form, "unit": unit})


@login_required
def movement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    movement = movements.movement_for_write(request.user, pk)
    initial = {k: getattr(movement, k) for k in movements.MOVEMENT_FIELDS}
    form = MovementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: movements.movement_update(
                actor=user_of(request), movement=movement, data=_data(form.cleaned_data)
            ),
        )
        if done is not None:
            messages.success(request, _("The movement was saved."))
            return redirect("movement_detail", pk=movement.pk)
    return render(
        request,
        "emulation/movement_form.html",
        {"form": form, "unit": movement.unit, "movement": movement},
    )


@login_required
@require_POST
def movement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    movement = movements.movement_for_write(request.user, pk)
    unit_pk = movement.unit_id
    try:
        movements.movement_delete(actor=user_of(request), movement=movement)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("movement_detail", pk=pk)
    messages.success(request, _("The movement was deleted."))
    return redirect("unit_emulation", pk=unit_pk)


def _movement_page(request: HttpRequest, movement: Any, form: Any = None) -> HttpResponse:
    units = movements.units_may_register(request.user, movement)
    if form is None:
        form = RegistrationForm(units=units, initial={"registered_on": today()})
    regs = list(movements.registrations_of(request.user, movement))
    context = {
        "movement": movement,
        "registrations": regs,
        "form": form,
        "may_register": units.exists(),
        "can_write": access.can_write(request.user, movement.unit),
        "cancel_form": CancelForm(initial={"date": today()}),
        "writable": {r.pk for r in regs if access.can_write(request.user, r.unit)}
        | ({r.pk for r in regs} if access.can_write(request.user, movement.unit) else set()),
        "audit": audit_trail([movement], limit=100)
        if access.can_see(request.user, movement.unit)
        else [],
    }
    return render(request, "emulation/movement_detail.html", context)


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _movement_page(request, movements.movement_for_view(request.user, pk))


@login_required
@require_POST
def movement_register(request: HttpRequest, pk: int) -> HttpResponse:
    movement = movements.movement_for_view(request.user, pk)
    units = movements.units_may_register(request.user, movement)
    if not units.exists():
        raise Http404
    form = RegistrationForm(request.POST, units=units)
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: movements.registration_create(
                actor=user_of(request), movement=movement, unit=d["unit"],
                registered_on=d["registered_on"], commitment=d.get("commitment") or "",
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("The registration was recorded."))
            return redirect("movement_detail", pk=movement.pk)
    return _movement_page(request, movement, form)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    reg = movements.registration_for_write(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            movements.registration_cancel(
                actor=user_of(request), registration=reg, date=form.cleaned_data["date"]
            )
            messages.success(request, _("The registration was cancelled."))
        except ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the date of the cancellation as dd/mm/yyyy."))
    return redirect("movement_detail", pk=reg.movement_id)
