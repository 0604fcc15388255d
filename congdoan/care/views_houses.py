"""Pages of house grants (Mái ấm Công đoàn): a subtree's cases with their totals, a case with
its progress, money and documents, and the forms for each step. Thin: access → form →
service → redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congdoan.core import files
from congdoan.core.audit import ACTION_LABELS, audit_display
from congdoan.core.formatting import number_vi, vnd
from congdoan.core.forms import run_service
from congdoan.core.models import AuditEvent
from congdoan.core.users import user_of
from congdoan.members import queries as member_queries
from congdoan.org import access
from congdoan.org.models import Level, Unit

from . import documents, houses
from .forms_houses import (
    ApproveForm,
    CancelForm,
    ContributionForm,
    DocumentForm,
    HouseFilterForm,
    HouseForm,
    StepForm,
    members_of,
)
from .funds import balance
from .models import HouseCase, HouseContribution

PAGE_SIZE = 50


# Labels for fields of the trail whose model label is missing or made for another record
# (HouseCase.kind shares "kind" with a unit's kind).
RELABEL = [
    (HouseCase, "member", gettext_lazy("Member")),
    (HouseCase, "to_fund", gettext_lazy("Proposed to the fund")),
    (HouseCase, "kind", gettext_lazy("Build or repair")),
    (HouseContribution, "fund", gettext_lazy("Fund")),
]


def _relabels() -> dict[str, str]:
    """{label the trail would show: label to show instead}, in the active language."""
    return {
        capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name))): str(label)
        for model, name, label in RELABEL
    }


@login_required
def houses_home(request: HttpRequest) -> HttpResponse:
    """The cases of the user's (first) top unit."""
    top = access.top_units(request.user).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("unit_houses", pk=top.pk)


@login_required
def unit_houses(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = HouseFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = houses.houses_of(
        unit, status=f.get("status") or "", kind=f.get("kind") or "", year=f.get("year")
    )
    page = Paginator(
        houses.with_contributed(qs).select_related("unit", "member", "to_fund"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "totals": houses.totals(qs),
        "base_query": params.urlencode(),
        "can_write": access.can_write(request.user, unit) and _proposes(unit),
    }
    return render(request, "care/house_list.html", context)


@login_required
def house_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    if not _proposes(unit):
        raise Http404
    initial: dict[str, Any] = {}
    chosen = request.GET.get("member", "")
    if chosen.isdigit():
        member = members_of(unit).filter(pk=int(chosen)).first()
        if member is not None:
            initial["member"] = member.card_number or member.cccd
    form = HouseForm(
        request.POST or None, unit=unit, funds=houses.funds_for_proposal(unit), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = run_service(
            form,
            lambda: houses.house_create(
                actor=user_of(request),
                unit=unit,
                member=d["member"],
                kind=d["kind"],
                amount_vnd=d["amount_vnd"],
                proposed_on=d["proposed_on"],
                circumstances=d.get("circumstances") or "",
                to_fund=d.get("to_fund"),
            ),
        )
        if case is not None:
            messages.success(
                request, _("The case of %(name)s was proposed.") % {"name": case.member.full_name}
            )
            warning = houses.amount_warning(case.kind, case.amount_vnd)
            if warning:
                messages.warning(request, warning)
            return redirect("house_detail", pk=case.pk)
    return render(request, "care/house_form.html", {"form": form, "unit": unit})


def _proposes(unit: Unit) -> bool:
    """Houses are proposed by active grassroots unions and the unions above them (not by a
    union group inside a grassroots union)."""
    return unit.is_active and unit.level != Level.SUBUNIT


@login_required
def house_member_options(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the unit's subtree matching the text typed, as <option>s (htmx)."""
    unit = access.unit_for_write(request.user, pk)
    text = request.GET.get("member", "").strip()
    found = []
    if len(text) >= 2:
        found = list(
            member_queries.search(members_of(unit), text)
            .select_related("unit")
            .order_by("sort_key", "id")[:20]
        )
    return render(request, "care/house_member_options.html", {"members": found})


def _detail(
    request: HttpRequest, case: HouseCase, *, action: str = "", form: Any = None
) -> HttpResponse:
    """A case's page; `form` is a step's form sent back with its errors."""
    contributions = houses.contributions_of(case)
    given = houses.standing_vnd(contributions)
    found = AuditEvent.objects.filter(
        Q(target_type="care.housecase", target_id=str(case.pk))
        | Q(target_type="care.housecontribution", target_id__in=[str(c.pk) for c in contributions])
    ).select_related("actor")[:100]
    events = list(found)
    for event in events:  # amounts written the Vietnamese way (in memory only)
        event.changes = {
            k: [vnd(v) if isinstance(v, int) else v for v in pair]
            if k.endswith("_vnd") and isinstance(pair, list)
            else pair
            for k, pair in event.changes.items()
        }
    audit = audit_display(events)
    relabels = _relabels()
    for row in audit:
        row["changes"] = [(relabels.get(label, label), a, b) for label, a, b in row["changes"]]
        event = row["event"]
        label = ACTION_LABELS.get(event.action)  # the care labels, added by the app
        if label is not None:
            row["action"] = f"{label}: {event.summary}" if event.summary else str(label)
    allowed = houses.allowed_actions(request.user, case)
    forms_by_action = {
        "approve": ApproveForm(initial={"amount_vnd": number_vi(case.amount_vnd)}),
        "start": StepForm(prefix="start"),
        "hand_over": StepForm(prefix="hand_over"),
        "cancel": CancelForm(prefix="cancel"),
    }
    if form is not None:
        forms_by_action[action] = form
    writes = access.can_write(request.user, case.unit)
    context = {
        "case": case,
        "contributions": contributions,
        "given_vnd": given,
        "left_vnd": max(case.amount_vnd - given, 0),
        "documents": list(case.documents.select_related("uploaded_by").order_by("uploaded_at")),
        "audit": audit,
        "allowed": allowed,
        "step_forms": {k: v for k, v in forms_by_action.items() if k in allowed},
        "open_action": action,
        "can_write": writes,
        "can_contribute": writes and case.status in houses.OPEN_FOR_MONEY,
        "warning": houses.amount_warning(case.kind, case.amount_vnd),
        "document_form": DocumentForm(),
        "member_visible": access.can_see(request.user, case.member.unit),
    }
    return render(request, "care/house_detail.html", context)


@login_required
def house_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, houses.house_for_view(request.user, pk))


@login_required
@require_POST
def house_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the case: approve, start building, hand over or cancel."""
    case = houses.house_for_view(request.user, pk)
    action = request.POST.get("action", "")
    if action not in houses.allowed_actions(request.user, case):
        raise Http404  # not the user's step to take (or not now): as if the URL did not exist
    actor = user_of(request)
    form: Any
    if action == "approve":
        form = ApproveForm(request.POST)
        done = form.is_valid() and run_service(
            form,
            lambda: houses.house_approve(
                actor=actor,
                case=case,
                date=form.cleaned_data["date"],
                decision_ref=form.cleaned_data["decision_ref"],
                amount_vnd=form.cleaned_data.get("amount_vnd"),
            ),
        )
        success = _("The case was approved.")
    elif action in ("start", "hand_over"):
        form = StepForm(request.POST, prefix=action)
        service = houses.house_start if action == "start" else houses.house_hand_over
        done = form.is_valid() and run_service(
            form, lambda: service(actor=actor, case=case, date=form.cleaned_data["date"])
        )
        success = (
            _("Building was recorded as started.")
            if action == "start"
            else _("The house was recorded as handed over.")
        )
    else:
        form = CancelForm(request.POST, prefix="cancel")
        done = form.is_valid() and run_service(
            form,
            lambda: houses.house_cancel(
                actor=actor,
                case=case,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            ),
        )
        success = _("The case was cancelled.")
    if done:
        messages.success(request, success)
        return redirect("house_detail", pk=case.pk)
    case.refresh_from_db()
    return _detail(request, case, action=action, form=form)


@login_required
def house_contribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = houses.house_for_write(request.user, pk)
    funds = houses.funds_for_contribution(request.user, case)
    form = ContributionForm(request.POST or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: houses.house_contribution_add(
                actor=user_of(request),
                case=case,
                amount_vnd=d["amount_vnd"],
                date=d["date"],
                fund=d.get("fund"),
                sponsor=d.get("sponsor") or "",
                reference=d.get("reference") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The contribution was recorded."))
            return redirect("house_detail", pk=case.pk)
    given = houses.contributed_vnd(case)
    context = {
        "case": case,
        "form": form,
        "fund_balances": [(f, balance(f)) for f in funds],
        "given_vnd": given,
        "left_vnd": max(case.amount_vnd - given, 0),
        "open": case.status in houses.OPEN_FOR_MONEY,
    }
    return render(request, "care/house_contribution_form.html", context)


@login_required
def house_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = houses.house_for_write(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        done = run_service(
            form,
            lambda: documents.document_add(
                actor=user_of(request),
                house=case,
                upload=upload,
                name=upload.name or "",
                caption=form.cleaned_data.get("caption") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The document was attached."))
            return redirect("house_detail", pk=case.pk)
    return render(request, "care/house_document_form.html", {"case": case, "form": form})


@login_required
def care_document(request: HttpRequest, pk: int) -> FileResponse:
    return files.file_response(documents.document_for_view(request.user, pk))


@login_required
@require_POST
def care_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = documents.document_for_write(request.user, pk)
    documents.document_delete(actor=user_of(request), document=document)
    messages.success(request, _("The document was removed."))
    return redirect("house_detail", pk=document.house_id)
