"""Pages of the organisation tree, users and roles. Thin: access → form → service → redirect."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_display
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.models import AuditEvent
from congdoan.core.users import user_of

from . import access, hooks, queries, restructure, services
from .forms import (
    AsOfForm,
    DissolveForm,
    MergeForm,
    MoveForm,
    RenameForm,
    RestructureUploadForm,
    RoleGrantForm,
    UnitCreateForm,
    UnitEditForm,
    UserCreateForm,
)
from .models import PlanStatus, RestructurePlan, Role, Unit


def _as_of(request: HttpRequest) -> tuple[datetime.date, bool, AsOfForm]:
    """The date the page is about (today unless ?as_of=dd/mm/yyyy) and whether it is today."""
    form = AsOfForm(request.GET)
    today = services.today()
    day = today
    if form.is_valid() and form.cleaned_data.get("as_of"):
        day = min(form.cleaned_data["as_of"], today)
    return day, day == today, form


def _unit_by_code(user: Any, code: str, field: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None or not access.can_see(user, unit):
        raise ServiceError(
            _("No unit with code %(code)s among your units.") % {"code": code}, field=field
        )
    return unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    day = services.today()
    tops = list(access.top_units(request.user).select_related("parent"))
    cards = [(u, queries.unit_figures(u, day)) for u in tops[:20]]
    return render(request, "org/home.html", {"cards": cards, "more": len(tops) > 20})


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The tree from the user's top units, or a search over every unit they may see."""
    day, is_today, form = _as_of(request)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    results = None
    if q:
        qs = queries.search_units(access.units_visible(request.user), q).select_related("parent")
        results = Paginator(qs.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    tops = [
        (version, queries.children_on(u, day))
        for u in access.top_units(request.user)
        for version in [queries.version_on(u, day)]
        if version is not None
    ]
    return render(
        request,
        "org/tree.html",
        {"tops": tops, "day": day, "is_today": is_today, "form": form, "results": results, "q": q},
    )


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The sub-units of a unit on a date (an htmx fragment that expands a tree node)."""
    unit = access.unit_for_view(request.user, pk)
    day, is_today, _form = _as_of(request)
    show_closed = request.GET.get("closed") == "1"
    nodes = queries.children_on(unit, day, include_closed=show_closed)
    return render(
        request,
        "org/_children.html",
        {"nodes": nodes, "day": day, "is_today": is_today, "show_closed": show_closed},
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    day, is_today, form = _as_of(request)
    version = queries.version_on(unit, day)
    context = {
        "unit": unit,
        "version": version,
        "day": day,
        "is_today": is_today,
        "form": form,
        "breadcrumbs": [
            (a, name, access.can_see(request.user, a))
            for a, name in (
                [(a, a.short_name or a.name) for a in queries.ancestors(unit)]
                if is_today
                else [(v.unit, v.short_name or v.name) for v in queries.ancestors_on(unit, day)]
            )
        ],
        "figures": queries.unit_figures(unit, day),
        "children": queries.children_on(unit, day, include_closed=True),
        "events": list(queries.unit_history(unit)[:100]),
        "audit": audit_display(
            list(AuditEvent.objects.filter(unit_id=unit.pk).select_related("actor")[:50])
        ),
        "can_write": access.can_write(request.user, unit),
        "can_admin": access.can_admin(request.user, unit),
        "can_restructure": access.can_restructure(request.user, unit),
        "panels": [html for panel in hooks.unit_panels if (html := panel(request, unit))],
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def unit_lookup(request: HttpRequest) -> HttpResponse:
    """Options for a unit-code input (htmx): units the user may see matching the text."""
    q = request.GET.get("q", "")
    for key in ("new_parent", "target", "unit"):
        q = q or request.GET.get(key, "")
    units = []
    if len(q.strip()) >= 2:
        qs = access.units_visible(request.user).filter(status="active")
        units = list(
            queries.search_units(qs, q, ranked=True).only("code", "name")[:20]
            if not qs.filter(code=q.strip()).exists()
            else qs.filter(code=q.strip())[:1]
        )
    return render(request, "org/_unit_options.html", {"units": units})


@login_required
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = access.unit_for_write(request.user, pk)
    form = UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = run_service(
            form,
            lambda: services.unit_create(
                actor=user_of(request),
                parent=parent,
                code=d["code"],
                name=d["name"],
                short_name=d["short_name"],
                kind=d["kind"],
                founded_on=d["founded_on"],
                founded_decision=d["founded_decision"],
                address=d["address"],
                employer=form.employer_data(),
            ),
        )
        if unit is not None:
            messages.success(request, _("%(unit)s was created.") % {"unit": unit.name})
            return redirect("unit_detail", pk=unit.pk)
    return render(
        request,
        "org/unit_form.html",
        {
            "form": form,
            "unit": parent,
            "title": _("New unit under %(unit)s") % {"unit": parent.name},
        },
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    initial = {
        "address": unit.address,
        "founded_decision": unit.founded_decision,
        **UnitEditForm.employer_initial(unit),
    }
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.unit_update(
                actor=user_of(request),
                unit=unit,
                address=d["address"],
                founded_decision=d["founded_decision"],
                employer=form.employer_data(),
            ),
        )
        if done is not None:
            messages.success(request, _("The details were saved."))
            return redirect("unit_detail", pk=unit.pk)
    return render(
        request, "org/unit_form.html", {"form": form, "unit": unit, "title": _("Edit details")}
    )


def _structural(
    request: HttpRequest, pk: int, form_class: type, title: str, call: Any, success: str
) -> HttpResponse:
    unit = access.unit_for_restructure(request.user, pk)
    initial = {"name": unit.name, "short_name": unit.short_name}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def go() -> Unit:
            return call(unit, d)

        if run_service(form, go) is not None:
            messages.success(request, success % {"unit": unit.name})
            return redirect("unit_detail", pk=unit.pk)
    return render(
        request,
        "org/unit_form.html",
        {"form": form, "unit": unit, "title": title % {"unit": unit.name}, "structural": True},
    )


def _decision(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "effective_on": d["effective_on"],
        "decision_ref": d["decision_ref"],
        "decision_date": d.get("decision_date"),
    }


@login_required
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    return _structural(
        request,
        pk,
        RenameForm,
        _("Rename %(unit)s"),
        lambda unit, d: services.unit_rename(
            actor=user_of(request),
            unit=unit,
            name=d["name"],
            short_name=d["short_name"],
            **_decision(d),
        ),
        _("%(unit)s was renamed."),
    )


@login_required
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    def call(unit: Unit, d: dict[str, Any]) -> Unit:
        target = _unit_by_code(request.user, d["new_parent"], "new_parent")
        if not access.can_write(request.user, target):
            raise ServiceError(
                _("You may not change %(unit)s.") % {"unit": target.name}, field="new_parent"
            )
        return services.unit_move(
            actor=user_of(request), unit=unit, new_parent=target, **_decision(d)
        )

    return _structural(request, pk, MoveForm, _("Move %(unit)s"), call, _("%(unit)s was moved."))


@login_required
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def call(unit: Unit, d: dict[str, Any]) -> Unit:
        target = _unit_by_code(request.user, d["target"], "target")
        if not access.can_write(request.user, target):
            raise ServiceError(
                _("You may not change %(unit)s.") % {"unit": target.name}, field="target"
            )
        sources = [unit]
        for code in d.get("others", "").replace(",", " ").split():
            other = _unit_by_code(request.user, code, "others")
            if not access.can_restructure(request.user, other):
                raise ServiceError(
                    _("You may not change %(unit)s.") % {"unit": other.name}, field="others"
                )
            if other.pk not in {s.pk for s in sources}:
                sources.append(other)
        services.unit_merge(actor=user_of(request), sources=sources, target=target, **_decision(d))
        return unit

    return _structural(
        request,
        pk,
        MergeForm,
        _("Merge %(unit)s into another unit"),
        call,
        _("%(unit)s was merged."),
    )


@login_required
def unit_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _structural(
        request,
        pk,
        DissolveForm,
        _("Dissolve %(unit)s"),
        lambda unit, d: services.unit_dissolve(actor=user_of(request), unit=unit, **_decision(d)),
        _("%(unit)s was dissolved."),
    )


# ---- Bulk restructuring -------------------------------------------------------------------


def _writer_required(request: HttpRequest) -> None:
    if not access.units_writable(request.user).exists():
        raise Http404


@login_required
def restructure_upload(request: HttpRequest) -> HttpResponse:
    _writer_required(request)
    form = RestructureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        d = form.cleaned_data

        def parse() -> RestructurePlan:
            limit = settings.CONGDOAN_MAX_UPLOAD_BYTES
            if upload.size is not None and upload.size > limit:
                raise ServiceError(
                    _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                    field="file",
                )
            return restructure.plan_create(
                actor=user_of(request), file_name=upload.name or "", content=upload.read(),
                effective_on=d["effective_on"], decision_ref=d["decision_ref"],
                decision_date=d.get("decision_date"),
            )  # fmt: skip

        plan = run_service(form, parse)
        if plan is not None:
            return redirect("restructure_preview", pk=plan.pk)
    plans = RestructurePlan.objects.filter(created_by=user_of(request)).order_by("-created_at")[:20]
    return render(request, "org/restructure_upload.html", {"form": form, "plans": plans})


def _plan_for(request: HttpRequest, pk: int) -> RestructurePlan:
    plan = RestructurePlan.objects.filter(pk=pk, created_by=user_of(request)).first()
    if plan is None:
        raise Http404
    return plan


@login_required
def restructure_preview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    result = None
    if plan.status == PlanStatus.DRAFT:
        result = restructure.run_plan(
            actor=user_of(request),
            rows=plan.rows,
            effective_on=plan.effective_on,
            decision_ref=plan.decision_ref,
            decision_date=plan.decision_date,
            commit=False,
            headers=plan.headers,
        )
    return render(request, "org/restructure_preview.html", {"plan": plan, "result": result})


@login_required
@require_POST
def restructure_apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, _("This plan was already applied."))
        return redirect("restructure_preview", pk=plan.pk)
    result = restructure.run_plan(
        actor=user_of(request),
        rows=plan.rows,
        effective_on=plan.effective_on,
        decision_ref=plan.decision_ref,
        decision_date=plan.decision_date,
        commit=True,
        plan_id=plan.pk,
        headers=plan.headers,
    )
    if result.applied:
        messages.success(request, _("The plan was applied: %(n)s rows.") % {"n": len(result.rows)})
    else:
        messages.error(request, _("Nothing was changed: the plan has errors."))
    return redirect("restructure_preview", pk=plan.pk)


# ---- Users and roles --------------------------------------------------------------------------


def _admin_required(request: HttpRequest) -> None:
    if not access.is_admin_anywhere(request.user):
        raise Http404


def _roles_in_reach(request: HttpRequest) -> Any:
    """Roles on units the user administers (the only roles an administrator sees)."""
    r = access.reach(request.user)
    if r.everything:
        return Role.objects.all()
    return Role.objects.filter(access.path_q(r.paths({"admin"}), "unit__path"))


def _users_in_reach(request: HttpRequest) -> Any:
    User = get_user_model()
    if access.reach(request.user).everything:
        return User.objects.all()
    return User.objects.filter(pk__in=_roles_in_reach(request).values("user_id"))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _admin_required(request)
    q = request.GET.get("q", "").strip()
    users = _users_in_reach(request)
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    page = Paginator(users.order_by("first_name", "last_name", "username"), 50).get_page(
        request.GET.get("page")
    )
    roles: dict[int, list[Role]] = {}
    shown = _roles_in_reach(request).filter(user__in=list(page.object_list))
    for role in shown.select_related("unit"):
        roles.setdefault(role.user_id, []).append(role)
    rows = [(u, roles.get(u.pk, [])) for u in page.object_list]
    return render(request, "org/user_list.html", {"page": page, "rows": rows, "q": q})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _admin_required(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def go() -> Any:
            unit = _unit_by_code(request.user, d["unit"], "unit")
            return services.user_create(
                actor=user_of(request),
                username=d["username"],
                full_name=d["full_name"],
                email=d["email"],
                password=d["password"],
                unit=unit,
                kind=d["kind"],
            )

        user = run_service(form, go)
        if user is not None:
            messages.success(
                request, _("The account %(name)s was created.") % {"name": user.get_username()}
            )
            return redirect("user_detail", pk=user.pk)
    return render(request, "org/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_required(request)
    user = _users_in_reach(request).filter(pk=pk).first()
    if user is None:
        raise Http404
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def go() -> Any:
            unit = _unit_by_code(request.user, d["unit"], "unit")
            return services.role_grant(actor=user_of(request), user=user, unit=unit, kind=d["kind"])

        if run_service(form, go) is not None:
            messages.success(request, _("The role was given."))
            return redirect("user_detail", pk=user.pk)
    roles = [
        (role, access.can_admin(request.user, role.unit))
        for role in _roles_in_reach(request).filter(user=user).select_related("unit")
    ]
    return render(request, "org/user_detail.html", {"subject": user, "roles": roles, "form": form})


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_required(request)
    role = Role.objects.select_related("unit", "user").filter(pk=pk).first()
    if role is None or not access.can_admin(request.user, role.unit):
        raise Http404
    try:
        services.role_revoke(actor=user_of(request), role=role)
        messages.success(request, _("The role was removed."))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("user_detail", pk=role.user_id)
