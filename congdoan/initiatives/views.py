"""The initiatives pages: programmes with their progress by unit and their targets, a subtree's
initiatives, one initiative with its authors, the council's decision and its trail. Thin:
access → form → service → redirect."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_display
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.models import AuditEvent
from congdoan.core.users import user_of
from congdoan.members import queries as member_queries
from congdoan.org import access
from congdoan.org.models import Unit

from . import queries, services
from .forms import (
    DecideForm,
    FilterForm,
    InitiativeForm,
    PortalForm,
    ProgrammeForm,
    ReasonForm,
    TargetsForm,
    members_of,
)
from .models import Initiative, InitiativeProgramme, ProgrammeTarget

PAGE_SIZE = 50
T = TypeVar("T")


def _call(form: Any, call: Callable[[], T], fields: dict[str, str] | None = None) -> T | None:
    """run_service, with the service's field names mapped to the form's."""
    try:
        return call()
    except ServiceError as exc:
        name = (fields or {}).get(exc.field or "", exc.field)
        for message in exc.messages:
            form.add_error(name if name in form.fields else None, message)
        return None


# ---------------------------------------------------------------------------------------------
# Programmes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The programmes the user takes part in, each with its progress where the user sees its
    owner, and the user's units."""
    programmes = list(
        queries.programmes_visible(request.user).select_related("unit").order_by("-start", "name")
    )
    owned = [p for p in programmes if access.can_see(request.user, p.unit)]
    counts = dict(
        Initiative.objects.filter(programme__in=owned)
        .values("programme")
        .annotate(n=Count("id"))
        .values_list("programme", "n")
        .order_by()
    )
    targets = dict(
        ProgrammeTarget.objects.filter(
            programme__in=owned, unit_id=F("programme__unit_id")
        ).values_list("programme", "target")
    )
    rows = []
    for p in programmes:
        seen = p in owned
        submitted = counts.get(p.pk, 0) if seen else None
        target = targets.get(p.pk, 0) if seen else 0
        rows.append({
            "programme": p, "submitted": submitted, "target": target,
            "row": queries.ProgressRow(p.unit, submitted or 0, 0, 0, 0, target),
        })  # fmt: skip
    tops = list(access.top_units(request.user).order_by("path"))
    writable = [u for u in tops if access.can_write(request.user, u) and u.is_active]
    return render(request, "initiatives/home.html",
                  {"rows": rows, "tops": tops, "writable": writable})  # fmt: skip


@login_required
def programme_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        programme = run_service(
            form,
            lambda: services.programme_create(
                actor=user_of(request), unit=unit,
                data=services.ProgrammeData(name=d["name"], start=d["start"], end=d["end"],
                                            description=d.get("description") or "",
                                            decision_ref=d.get("decision_ref") or ""),
            ),
        )  # fmt: skip
        if programme is not None:
            messages.success(request, _("The programme was created; now set its targets."))
            return redirect("initiative_programme_targets", pk=programme.pk)
    return render(request, "initiatives/programme_form.html", {"form": form, "unit": unit})


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = queries.programme_for_write(request.user, pk)
    initial = {f: getattr(programme, f)
               for f in ("name", "start", "end", "description", "decision_ref")}  # fmt: skip
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.programme_update(
                actor=user_of(request), programme=programme,
                data=services.ProgrammeData(name=d["name"], start=d["start"], end=d["end"],
                                            description=d.get("description") or "",
                                            decision_ref=d.get("decision_ref") or ""),
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("The programme was changed."))
            return redirect("initiative_programme_detail", pk=programme.pk)
    return render(request, "initiatives/programme_form.html",
                  {"form": form, "unit": programme.unit, "programme": programme})  # fmt: skip


def _root(request: HttpRequest, programme: InitiativeProgramme) -> Unit:
    """The unit whose progress is shown: `?unit=` (a unit of the programme's subtree the user
    sees), else the programme's owner, else the user's highest unit inside the programme."""
    wanted = request.GET.get("unit", "")
    if wanted.isdigit():
        unit = access.unit_for_view(request.user, int(wanted))
        if not services.in_subtree_of(unit, programme.unit):
            raise Http404
        return unit
    if access.can_see(request.user, programme.unit):
        return programme.unit
    inside = [u for u in access.top_units(request.user).order_by("path")
              if services.in_subtree_of(u, programme.unit)]  # fmt: skip
    if not inside:
        raise Http404
    return inside[0]


def _chain(programme: InitiativeProgramme, root: Unit, user: Any) -> list[Unit]:
    """The units from the programme's owner down to `root` (excluded) that the user sees."""
    paths = [p for p in root.ancestor_paths() if p.startswith(programme.unit.path)]
    units = Unit.objects.filter(path__in=paths).order_by("path")
    return [u for u in units if access.can_see(user, u)]


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme's progress at a unit of its subtree and at each of its sub-units."""
    programme = queries.programme_for_view(request.user, pk)
    root = _root(request, programme)
    rows = queries.progress(programme, root)
    context = {
        "programme": programme,
        "root": root,
        "chain": _chain(programme, root, request.user),
        "total": rows[0],
        "rows": rows[1:],
        "can_manage": access.can_write(request.user, programme.unit),
        "can_record": queries.recording_units(request.user, programme).exists(),
        "root_writable": access.can_write(request.user, root) and root.is_active,
    }
    return render(request, "initiatives/programme_detail.html", context)


@login_required
def programme_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """The targets of a unit of the programme's subtree and of its direct sub-units."""
    programme = queries.programme_for_write(request.user, pk)
    root = _root(request, programme)
    units = [root, *Unit.objects.filter(parent=root, status="active").order_by("name")]
    current = dict(
        ProgrammeTarget.objects.filter(programme=programme, unit__in=units).values_list(
            "unit_id", "target"
        )
    )
    form = TargetsForm(request.POST or None, units=units, current=current)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.targets_set(
                actor=user_of(request), programme=programme, targets=form.targets()
            ),
        )
        if done is not None:
            messages.success(request, _("The targets were saved."))
            url = f"{request.path}?unit={root.pk}" if root != programme.unit else request.path
            return redirect(url)
    children_total = sum(v for k, v in current.items() if k != root.pk)
    context = {
        "programme": programme,
        "root": root,
        "chain": _chain(programme, root, request.user),
        "form": form,
        "children_total": children_total,
        "root_target": current.get(root.pk, 0),
        "child_rows": [(u, form[f"target_{u.pk}"]) for u in units[1:]],
        "root_field": form[f"target_{root.pk}"],
    }
    return render(request, "initiatives/programme_targets.html", context)


# ---------------------------------------------------------------------------------------------
# Initiatives


@login_required
def unit_initiatives(request: HttpRequest, pk: int) -> HttpResponse:
    """The initiatives recorded by a unit's subtree, filtered, with their totals."""
    unit = access.unit_for_view(request.user, pk)
    programmes = queries.programmes_for_unit(unit)
    form = FilterForm(request.GET or None, programmes=programmes)
    f = form.cleaned_data if form.is_valid() else {}
    qs = queries.initiatives_of(
        unit, programme=f.get("programme"), status=f.get("status") or "",
        year=f.get("year"), field=f.get("field") or "", text=f.get("q") or "",
    )  # fmt: skip
    page = Paginator(queries.with_authors(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "totals": queries.totals(qs),
        "base_query": params.urlencode(),
        "can_write": access.can_write(request.user, unit) and unit.is_active,
    }
    return render(request, "initiatives/unit_initiatives.html", context)


@login_required
def initiative_member_options(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the unit's subtree matching the text typed, as <option>s (htmx)."""
    unit = access.unit_for_write(request.user, pk)
    text = ""
    for key in request.GET:
        if key.startswith("author_"):
            text = request.GET.get(key, "").strip() or text
    found = []
    if len(text) >= 2:
        found = list(
            member_queries.search(members_of(unit), text)
            .select_related("unit")
            .order_by("sort_key", "id")[:20]
        )
    return render(request, "initiatives/member_options.html", {"members": found})


AUTHOR_FIELDS = {"authors": "author_1", "value_vnd": "value_vnd", "unit": "programme"}


def _data(d: dict[str, Any]) -> services.InitiativeData:
    return services.InitiativeData(
        title=d["title"], field=d["field"], submitted_on=d["submitted_on"],
        value_vnd=d.get("value_vnd") or 0, description=d.get("description") or "",
        co_authors=d.get("co_authors") or "", authors=d.get("authors") or [],
    )  # fmt: skip


@login_required
def initiative_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    if not unit.is_active:
        raise Http404
    programmes = queries.programmes_for_unit(unit)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("programme", "")
    if chosen.isdigit():
        initial["programme"] = int(chosen)
    elif (latest := programmes.first()) is not None:
        initial["programme"] = latest.pk
    form = InitiativeForm(request.POST or None, unit=unit, programmes=programmes,
                          initial=initial)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        initiative = _call(
            form,
            lambda: services.initiative_create(
                actor=user_of(request), programme=d["programme"], unit=unit, data=_data(d)
            ),
            AUTHOR_FIELDS,
        )
        if initiative is not None:
            messages.success(request, _("The initiative “%(title)s” was recorded.")
                             % {"title": initiative.title})  # fmt: skip
            if "again" in request.POST:
                return redirect(f"{request.path}?programme={initiative.programme_id}")
            return redirect("initiative_detail", pk=initiative.pk)
    context = {"form": form, "unit": unit, "no_programme": not programmes.exists()}
    return render(request, "initiatives/initiative_form.html", context)


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = queries.initiative_for_write(request.user, pk)
    unit = initiative.unit
    programmes = InitiativeProgramme.objects.filter(pk=initiative.programme_id)
    form = InitiativeForm(request.POST or None, unit=unit, programmes=programmes,
                          initial=InitiativeForm.initial_for(initiative))  # fmt: skip
    form.fields["programme"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _call(
            form,
            lambda: services.initiative_update(
                actor=user_of(request), initiative=initiative, data=_data(d)
            ),
            AUTHOR_FIELDS,
        )
        if done is not None:
            messages.success(request, _("The initiative was changed."))
            return redirect("initiative_detail", pk=initiative.pk)
    return render(request, "initiatives/initiative_form.html",
                  {"form": form, "unit": unit, "initiative": initiative})  # fmt: skip


def _relabelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trail with the authors' change named in words, and the action with its summary."""
    names = {"Author_names": _("Authors")}
    for row in rows:
        row["changes"] = [(names.get(label, label), a, b) for label, a, b in row["changes"]]
        summary = row["event"].summary
        if row["event"].action in ("initiative.reopen", "initiative.reject") and summary:
            row["action"] = f"{row['action']}: {summary}"
    return rows


def _detail(request: HttpRequest, initiative: Initiative, *, action: str = "",
            form: Any = None) -> HttpResponse:  # fmt: skip
    authors = list(initiative.authors.select_related("member", "member__unit").order_by("order"))
    reach = access.reach(request.user)
    events = list(
        AuditEvent.objects.filter(target_type="initiatives.initiative",
                                  target_id=str(initiative.pk))
        .select_related("actor").order_by("-at")[:100]
    )  # fmt: skip
    writes = access.can_write(request.user, initiative.unit)
    decides = queries.can_decide(request.user, initiative)
    forms_by_action: dict[str, Any] = {}
    if decides and not initiative.is_decided:
        forms_by_action["decide"] = DecideForm(prefix="decide")
    if decides and initiative.is_decided:
        forms_by_action["reopen"] = ReasonForm(prefix="reopen")
    if writes:
        forms_by_action["portal"] = PortalForm(prefix="portal")
    if writes and not initiative.is_decided:
        forms_by_action["delete"] = ReasonForm(prefix="delete")
    if form is not None:
        forms_by_action[action] = form
    context = {
        "initiative": initiative,
        "authors": [(a, reach.covers(a.member.unit.path)) for a in authors],
        "co_authors": [line for line in initiative.co_authors.splitlines() if line.strip()],
        "audit": _relabelled(audit_display(events)),
        "forms": forms_by_action,
        "open_action": action,
        "can_write": writes,
        "can_decide": decides,
    }
    return render(request, "initiatives/initiative_detail.html", context)


@login_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.initiative_for_view(request.user, pk))


@login_required
@require_POST
def initiative_decide(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = queries.initiative_for_decision(request.user, pk)
    form = DecideForm(request.POST, prefix="decide")
    if form.is_valid():
        d = form.cleaned_data
        recognised = d["decision"] == "recognised"
        done = run_service(
            form,
            lambda: services.initiative_decide(
                actor=user_of(request), initiative=initiative, recognised=recognised,
                decided_on=d["decided_on"], decision_ref=d.get("decision_ref") or "",
                comment=d.get("comment") or "",
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("The initiative was recorded as recognised.") if recognised
                             else _("The initiative was recorded as not recognised."))  # fmt: skip
            return redirect("initiative_detail", pk=initiative.pk)
    initiative.refresh_from_db()
    return _detail(request, initiative, action="decide", form=form)


@login_required
@require_POST
def initiative_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = queries.initiative_for_decision(request.user, pk)
    form = ReasonForm(request.POST, prefix="reopen")
    if form.is_valid() and (
        run_service(
            form,
            lambda: services.initiative_reopen(
                actor=user_of(request), initiative=initiative, reason=form.cleaned_data["reason"]
            ),
        )
        is not None
    ):
        messages.success(request, _("The decision was reopened; the initiative is submitted "
                                    "again."))  # fmt: skip
        return redirect("initiative_detail", pk=initiative.pk)
    initiative.refresh_from_db()
    return _detail(request, initiative, action="reopen", form=form)


@login_required
@require_POST
def initiative_portal(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = queries.initiative_for_write(request.user, pk)
    form = PortalForm(request.POST, prefix="portal")
    if form.is_valid():
        undo = form.cleaned_data.get("undo")
        done = run_service(
            form,
            lambda: services.initiative_portal(
                actor=user_of(request), initiative=initiative, uploaded=not undo,
                uploaded_on=form.cleaned_data.get("portal_on"),
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("The national portal record was saved."))
            return redirect("initiative_detail", pk=initiative.pk)
    initiative.refresh_from_db()
    return _detail(request, initiative, action="portal", form=form)


@login_required
@require_POST
def initiative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = queries.initiative_for_write(request.user, pk)
    form = ReasonForm(request.POST, prefix="delete")
    unit_id = initiative.unit_id
    if form.is_valid() and run_service(
        form,
        lambda: (
            services.initiative_delete(
                actor=user_of(request), initiative=initiative, reason=form.cleaned_data["reason"]
            )
            or True
        ),
    ):
        messages.success(request, _("The initiative was removed."))
        return redirect("unit_initiatives", pk=unit_id)
    initiative.refresh_from_db()
    return _detail(request, initiative, action="delete", form=form)
