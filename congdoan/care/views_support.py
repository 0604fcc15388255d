"""Pages for care programmes and the support given under them: a unit's programmes, a
programme with its cases, recording a case (by hand or from a list), a case with its workflow."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congdoan.core import jobs
from congdoan.core.audit import audit_trail
from congdoan.core.downloads import download
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.models import JobStatus, UploadStatus
from congdoan.core.sheets import sheet_names
from congdoan.core.uploads import upload_create
from congdoan.core.users import user_of
from congdoan.members.queries import mask_cccd, members_visible
from congdoan.members.roster_io import RowProblem
from congdoan.org import access
from congdoan.org.models import Unit

from . import support as care
from . import support_import as lists
from .forms_support import (
    CategoryFormSet,
    DecideForm,
    GiverCodeField,
    ItemFormSet,
    ProgrammeForm,
    StartImportForm,
    SupportColumnsForm,
    SupportFilterForm,
    SupportForm,
    SupportImportForm,
    programme_data,
)
from .models import FundEntry, Programme, Support, SupportStatus, SupportUpload

PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------
# Programmes


@login_required
def unit_programmes(request: HttpRequest, pk: int) -> HttpResponse:
    """The programmes a unit runs and those of the units above it, with budget used and left."""
    unit = access.unit_for_view(request.user, pk)
    programmes = list(
        care.with_budget_use(care.programmes_of(unit))
        .select_related("unit", "fund")
        .order_by("-start", "name", "id")
    )
    for p in programmes:
        p.left_vnd = None if p.budget_vnd is None else p.budget_vnd - p.used_vnd  # type: ignore[attr-defined]
    context = {
        "unit": unit,
        "programmes": programmes,
        "can_write": access.can_write(request.user, unit),
    }
    return render(request, "care/programme_list.html", context)


def _programme_form_page(
    request: HttpRequest, unit: Unit, programme: Programme | None
) -> HttpResponse:
    """The form of a new programme (programme None) or of an existing one."""
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {}
    cat_initial: list[dict[str, Any]] = []
    item_initial: list[dict[str, Any]] = []
    if programme is not None:
        initial = ProgrammeForm.initial_of(programme)
        cat_initial = [{"name": c.name, "amount_vnd": c.amount_vnd}
                       for c in programme.categories.order_by("id")]  # fmt: skip
        item_initial = [{"name": i.name, "measure": i.measure, "unit_value_vnd": i.unit_value_vnd}
                        for i in programme.items.order_by("id")]  # fmt: skip
    form = ProgrammeForm(data, unit=unit, initial=initial)
    categories = CategoryFormSet(data, prefix="cat", initial=cat_initial)
    items = ItemFormSet(data, prefix="item", initial=item_initial)
    if data is not None and form.is_valid() and categories.is_valid() and items.is_valid():
        d = programme_data(form, categories, items)
        actor = user_of(request)
        saved = run_service(
            form,
            (lambda: care.programme_create(actor=actor, unit=unit, data=d))
            if programme is None
            else (lambda: care.programme_update(actor=actor, programme=programme, data=d)),
        )
        if saved is not None:
            messages.success(request, _("The programme was saved."))
            return redirect("programme_detail", pk=saved.pk)
    title = _("New care programme") if programme is None else programme.name
    return render(
        request,
        "care/programme_form.html",
        {"form": form, "categories": categories, "items": items, "unit": unit,
         "programme": programme, "title": title},
    )  # fmt: skip


@login_required
def programme_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    return _programme_form_page(request, unit, None)


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = care.programme_for_write(request.user, pk)
    return _programme_form_page(request, programme.unit, programme)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme: its rules, gifts, budget and totals, and the cases recorded under it by
    the units the user reaches (filtered by status, searched by name, paged)."""
    programme = care.programme_for_view(request.user, pk)
    form = SupportFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    scope = care.supports_visible(request.user).filter(programme=programme)
    listed = scope.filter(status=f["status"]) if f.get("status") else scope
    listed = listed.order_by("-date", "-id")
    related = ("unit", "member", "category")
    page: Any
    if f.get("q"):
        ids = care.search_supports(listed, f["q"])
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        found = Support.objects.select_related(*related).in_bulk(list(page.object_list))
        rows = [found[i] for i in page.object_list]
    else:
        page = Paginator(listed.select_related(*related), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = list(page.object_list)
    used = care.committed_vnd(programme)
    context = {
        "programme": programme,
        "categories": list(programme.categories.order_by("id")),
        "items": list(programme.items.order_by("id")),
        "used": used,
        "left": None if programme.budget_vnd is None else programme.budget_vnd - used,
        "totals": care.reach_totals(scope),
        "form": form,
        "page": page,
        "rows": rows,
        "can_edit": access.can_write(request.user, programme.unit),
        "can_record": care.recording_units(request.user, programme).exists(),
    }
    return render(request, "care/programme_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Recording a case


def _run(form: SupportForm, call: Any) -> Any:
    """Call a service; its errors go on the form's fields (the giving unit is "giver" in the
    form, the person's union "unit")."""
    rename = {"unit": "giver", "person_unit": "unit", "person": "member_q",
              "member": "member_q", "items": None}  # fmt: skip
    try:
        return call()
    except ServiceError as exc:
        name = rename.get(exc.field, exc.field) if exc.field else None
        if name in ("cash_vnd", "voucher_vnd") and name not in form.fields:
            name = None
        for message in exc.messages:
            form.add_error(name if name in form.fields else None, message)
        return None


def _resolve_person(request: HttpRequest, form: SupportForm) -> tuple[Any, Unit | None] | None:
    """The member chosen (in the user's reach) and the person's union typed by code; None
    (with the error on the form) if either is not found."""
    d = form.cleaned_data
    member = None
    if d.get("who") == "member":
        member = (
            members_visible(request.user)
            .select_related("unit")
            .filter(pk=d.get("member") or 0)
            .first()
        )
        if member is None:
            form.add_error("member_q", _("No such member among your units."))
            return None
        return member, None
    code = (d.get("unit") or "").strip()
    if not code:
        return None, None
    unit = access.units_visible(request.user).filter(code=code).first()
    if unit is None:
        form.add_error("unit", _("No unit with code %(code)s among your units.") % {"code": code})
        return None
    return None, unit


def _support_form_page(request: HttpRequest, programme: Programme,
                       support: Support | None) -> HttpResponse:  # fmt: skip
    units = care.recording_units(request.user, programme)
    if not units.exists():
        raise Http404
    may_approve = support is None and access.can_write(request.user, programme.unit)
    data = request.POST if request.method == "POST" else None
    initial = SupportForm.initial_of(support) if support is not None else {}
    form = SupportForm(data, programme=programme, units=units, may_approve=may_approve,
                       initial=initial)  # fmt: skip
    if support is not None and isinstance(form.fields["giver"], GiverCodeField):
        form.initial["giver"] = support.unit.code
    chosen = None
    if data is not None and form.is_valid():
        person = _resolve_person(request, form)
        if person is not None:
            chosen = person[0]
            d = form.support_data(*person)
            actor = user_of(request)
            if support is None:
                status = form.cleaned_data.get("status") or SupportStatus.PROPOSED
                saved = _run(form, lambda: care.support_record(
                    actor=actor, programme=programme, data=d, status=status))  # fmt: skip
            else:
                saved = _run(form, lambda: care.support_update(
                    actor=actor, support=support, data=d))  # fmt: skip
            if saved is not None:
                messages.success(request, _("The support for %(name)s was recorded.")
                                 % {"name": saved.person_name})  # fmt: skip
                return redirect("support_detail", pk=saved.pk)
    elif data is not None and str(form.data.get("member", "")).isdigit():
        chosen = members_visible(request.user).filter(pk=int(form.data["member"])).first()
    elif support is not None and support.member_id:
        chosen = members_visible(request.user).filter(pk=support.member_id).first()
    title = (_("Record support: %(programme)s") if support is None
             else _("Edit the support: %(programme)s")) % {"programme": programme.name}  # fmt: skip
    return render(
        request,
        "care/support_form.html",
        {"form": form, "programme": programme, "support": support, "chosen": chosen,
         "chosen_list": [chosen] if chosen else [], "title": title},
    )  # fmt: skip


@login_required
def support_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = care.programme_for_view(request.user, pk)
    return _support_form_page(request, programme, None)


@login_required
def support_edit(request: HttpRequest, pk: int) -> HttpResponse:
    support = care.support_for_write(request.user, pk)
    if support.status != SupportStatus.PROPOSED:
        messages.error(
            request,
            _("A paid case is never edited: reverse it (the ledger keeps both) and record it "
              "again.")
            if support.status == SupportStatus.PAID
            else _("Only a proposed case can be edited; this one is %(status)s.")
            % {"status": support.get_status_display().lower()},
        )  # fmt: skip
        return redirect("support_detail", pk=support.pk)
    return _support_form_page(request, support.programme, support)


@login_required
def support_member_search(request: HttpRequest) -> HttpResponse:
    """Members in the user's reach matching what is typed, as choices for the form (htmx)."""
    text = request.GET.get("member_q", "") or request.GET.get("q", "")
    found = care.find_members(request.user, text)
    return render(request, "care/support_member_options.html", {"members": found, "text": text})


@login_required
def support_giver_options(request: HttpRequest) -> HttpResponse:
    """Units the user may record support for matching what is typed, as <option>s (htmx)."""
    from congdoan.org.queries import search_units

    text = (request.GET.get("giver") or request.GET.get("unit") or "").strip()
    units: list[Unit] = []
    if len(text) >= 2:
        qs = access.units_writable(request.user).filter(status="active")
        exact = qs.filter(code=text)
        units = list(exact[:1] if exact.exists() else search_units(qs, text, ranked=True)[:20])
    return render(request, "care/support_giver_options.html", {"units": units})


# ---------------------------------------------------------------------------------------------
# A case and its workflow


@login_required
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    support = care.support_for_view(request.user, pk)
    entries = FundEntry.objects.filter(support=support).select_related("fund").order_by("id")
    context = {
        "support": support,
        "programme": support.programme,
        "items": support.items.select_related("item").order_by("id"),
        "entries": entries,
        "cccd_masked": mask_cccd(support.person_cccd) if support.person_cccd else "",
        "steps": care.next_steps(request.user, support),
        "can_edit": support.status == SupportStatus.PROPOSED
        and access.can_write(request.user, support.unit),
        "audit": audit_trail([support]),
    }
    return render(request, "care/support_detail.html", context)


DONE_MESSAGES = {
    "approve": gettext_lazy("The case was approved."),
    "reject": gettext_lazy("The case was rejected."),
    "pay": gettext_lazy("The case was paid."),
    "reverse": gettext_lazy("The payment was reversed."),
}


@login_required
@require_POST
def support_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, reject (with a reason), pay, or reverse (with a reason) a case: the
    programme's owner decides."""
    support = care.support_for_decision(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, reject, pay or reverse."))
        return redirect("support_detail", pk=support.pk)
    decision = form.cleaned_data["decision"]
    try:
        care.support_decide(actor=user_of(request), support=support, decision=decision,
                            reason=form.cleaned_data.get("reason") or "")  # fmt: skip
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(DONE_MESSAGES[decision]))
    return redirect("support_detail", pk=support.pk)


# ---------------------------------------------------------------------------------------------
# Lists from spreadsheets


def _start(request: HttpRequest, stored: SupportUpload, kind: str, **params: Any) -> None:
    """Hand a check or an import of `stored` to the worker."""
    title = (_("Checking %(file)s") if kind == "care.support_check"
             else _("Importing %(file)s")) % {"file": stored.file_name}  # fmt: skip
    job = jobs.enqueue(kind=kind, title=title, params={"upload": stored.pk, **params},
                       user=user_of(request), unit_id=stored.unit_id)  # fmt: skip
    SupportUpload.objects.filter(pk=stored.pk).update(job=job)


@login_required
def support_import(request: HttpRequest, pk: int) -> HttpResponse:
    programme = care.programme_for_view(request.user, pk)
    units = care.recording_units(request.user, programme)
    if not units.exists():
        raise Http404
    form = SupportImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        stored = upload_create(
            actor=user_of(request), model=SupportUpload, file_name=upload.name or "",
            content=content, programme=programme, unit=form.cleaned_data["unit"],
        )  # fmt: skip
        _start(request, stored, "care.support_check")
        return redirect("support_upload", pk=stored.pk)
    uploads = SupportUpload.objects.filter(
        created_by=user_of(request), programme=programme
    ).order_by("-created_at")[:10]
    columns = lists.columns_for(programme)
    return render(
        request,
        "care/support_import.html",
        {"programme": programme, "form": form, "uploads": uploads,
         "headers": [vi for vi, _more in columns.values()]},
    )  # fmt: skip


@login_required
def support_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty list for the programme, with its columns, to fill in and import."""
    programme = care.programme_for_view(request.user, pk)
    if not care.recording_units(request.user, programme).exists():
        raise Http404
    return download(lists.write_template(programme), f"mau-ho-tro-{programme.pk}.xlsx")


@login_required
def support_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded list: a progress bar while the worker checks or imports it; then how many
    cases it records (and how many were recorded before), every problem by row and column,
    the column each header is read as, and the Import button (all or nothing)."""
    stored = (
        SupportUpload.objects.select_related("programme", "programme__unit", "unit", "job")
        .filter(pk=pk, created_by=user_of(request))
        .first()
    )
    if stored is None or not access.can_write(request.user, stored.unit):
        raise Http404
    programme = stored.programme
    running = stored.job is not None and stored.job.status in (JobStatus.QUEUED,
                                                                JobStatus.RUNNING)  # fmt: skip
    sheets = sheet_names(stored.file_name, bytes(stored.content))
    editable = stored.status != UploadStatus.APPLIED and not running
    may_approve = access.can_write(request.user, programme.unit)
    known = lists.columns_for(programme)
    chosen = request.GET.get("sheet")
    if editable and chosen in sheets and chosen != stored.sheet:
        SupportUpload.objects.filter(pk=stored.pk).update(sheet=chosen, status=UploadStatus.DRAFT)
        _start(request, stored, "care.support_check")
        return redirect("support_upload", pk=stored.pk)
    mapping_form = None
    starting = request.method == "POST" and request.POST.get("action") == "import"
    start_form = StartImportForm(request.POST if starting else None, may_approve=may_approve)
    if request.method == "POST" and editable and request.POST.get("action") == "mapping":
        mapping_form = SupportColumnsForm(request.POST, columns=stored.columns, known=known,
                                          required=lists.REQUIRED)  # fmt: skip
        if mapping_form.is_valid():
            SupportUpload.objects.filter(pk=stored.pk).update(
                mapping=mapping_form.mapping(), status=UploadStatus.DRAFT
            )
            _start(request, stored, "care.support_check")
            return redirect("support_upload", pk=stored.pk)
    elif request.method == "POST" and editable:
        if request.POST.get("action") == "retry" and stored.job is not None:
            jobs.retry(stored.job)
        elif starting and stored.status == UploadStatus.CHECKED and not stored.problems:
            if not start_form.is_valid():
                raise Http404  # a status the user may not record (forged)
            _start(request, stored, "care.support_import",
                   status=start_form.cleaned_data["status"])  # fmt: skip
        return redirect("support_upload", pk=stored.pk)
    stored.refresh_from_db()
    problems = [RowProblem(*p) for p in stored.problems]
    if mapping_form is None and editable and stored.columns:
        mapping_form = SupportColumnsForm(columns=stored.columns, known=known,
                                          required=lists.REQUIRED)  # fmt: skip
    context = {
        "stored": stored,
        "programme": programme,
        "sheets": sheets,
        "job": stored.job,
        "running": running,
        "job_progress": jobs.read_progress(stored.job) if stored.job else None,
        "problems": problems,
        "counts": stored.counts,
        "mapping_form": mapping_form,
        "mapping_open": mapping_form is not None
        and (mapping_form.is_bound or any(p.row == 0 for p in problems)),
        "start_form": start_form if stored.status == UploadStatus.CHECKED else None,
    }
    return render(request, "care/support_upload.html", context)
