"""Member pages: the roster, a member's page, and the forms for membership changes."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core import jobs
from congdoan.core.audit import audit_display
from congdoan.core.downloads import download
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.models import AuditEvent, JobStatus, UploadStatus
from congdoan.core.sheets import sheet_names
from congdoan.core.uploads import upload_create
from congdoan.core.users import user_of
from congdoan.org import access, hooks
from congdoan.org.models import Level, Unit

from . import queries, roster_io, services
from .forms import (
    AdmitForm,
    CardForm,
    ColumnMappingForm,
    ImportForm,
    LeaveForm,
    MemberCreateForm,
    MemberForm,
    RosterForm,
    TargetForm,
    TransferForm,
)
from .models import (
    Member,
    MemberTarget,
    RosterUpload,
    Transfer,
    TransferStatus,
)
from .reference import wards_of


@login_required
def members_home(request: HttpRequest) -> HttpResponse:
    """The roster of the user's (first) top unit."""
    top = access.top_units(request.user).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("unit_members", pk=top.pk)


@login_required
def unit_members(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = RosterForm(request.GET or None)
    f = _roster_filter(form)
    cursor = (form.cleaned_data.get("after") or None) if form.is_valid() else None
    qs = queries.roster(unit, f, services.today()).select_related("unit")
    rows, next_cursor = queries.page_after(qs, cursor)
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "unit": unit,
        "form": form,
        "rows": rows,
        "next_cursor": next_cursor,
        "base_query": params.urlencode(),
        "is_first_page": not cursor,
        "can_write": access.can_write(request.user, unit),
        "pending_in": Transfer.objects.filter(
            to_unit__path__startswith=unit.path, status=TransferStatus.PENDING
        ).count()
        if access.can_write(request.user, unit)
        else 0,
    }
    return render(request, "members/roster.html", context)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.member_for_view(request.user, pk)
    events = member.events.select_related("unit", "other_unit", "recorded_by")
    audit = AuditEvent.objects.filter(
        target_type="members.member", target_id=str(member.pk)
    ).select_related("actor")[:50]
    context = {
        "member": member,
        "events": list(events),
        "audit": audit_display(list(audit)),
        "can_write": access.can_write(request.user, member.unit),
        "cccd_masked": queries.mask_cccd(member.cccd),
        "phone_masked": queries.mask_phone(member.phone),
        "transfer": member.transfers.filter(status=TransferStatus.PENDING)
        .select_related("to_unit")
        .first(),
        "ancestors": Unit.objects.filter(pk__in=[member.province_id, member.upper_id]).order_by(
            "depth"
        ),
        "panels": [html for panel in hooks.member_panels if (html := panel(request, member))],
    }
    return render(request, "members/member_detail.html", context)


@login_required
@require_POST
def member_personal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show CCCD and phone in full (an htmx fragment); the viewing is logged."""
    member = queries.member_for_write(request.user, pk)
    services.sensitive_viewed(actor=user_of(request), member=member, fields=["cccd", "phone"])
    return render(request, "members/_personal.html", {"member": member})


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    if unit.level != Level.GRASSROOTS or not unit.is_active:
        raise Http404  # members are recorded in an active grassroots union
    form = MemberCreateForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        member = run_service(
            form,
            lambda: services.member_create(
                actor=user_of(request),
                unit=unit,
                data=form.person(),
                admit_on=d["joined_on"] if d.get("admit") else None,
                decision_ref=d.get("decision_ref") or "",
            ),
        )
        if member is not None:
            messages.success(request, _("%(name)s was recorded.") % {"name": member.full_name})
            return redirect("member_detail", pk=member.pk)
    return render(
        request,
        "members/member_form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("New member of %(unit)s") % {"unit": unit.name},
        },
    )


def _person_initial(member: Member) -> dict[str, Any]:
    fields = services.PERSON_FIELDS
    initial = {f: getattr(member, f) for f in fields if f != "subunit"}
    initial["subunit"] = member.subunit_id
    return initial


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.member_for_write(request.user, pk)
    form = MemberForm(request.POST or None, unit=member.unit, initial=_person_initial(member))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.member_update(
                actor=user_of(request), member=member, data=form.person()
            ),
        )
        if done is not None:
            messages.success(request, _("The details were saved."))
            return redirect("member_detail", pk=member.pk)
    return render(
        request,
        "members/member_form.html",
        {
            "form": form,
            "unit": member.unit,
            "member": member,
            "title": _("Edit %(name)s") % {"name": member.full_name},
        },
    )


def _member_action(
    request: HttpRequest, pk: int, form_class: type, title: str, call: Any, success: str
) -> HttpResponse:
    member = queries.member_for_write(request.user, pk)
    form = form_class(request.POST or None)
    done = request.method == "POST" and form.is_valid()
    if done and run_service(form, lambda: call(member, form.cleaned_data)) is not None:
        messages.success(request, success % {"name": member.full_name})
        return redirect("member_detail", pk=member.pk)
    return render(
        request,
        "members/member_form.html",
        {
            "form": form,
            "unit": member.unit,
            "member": member,
            "title": title % {"name": member.full_name},
        },
    )


@login_required
def member_admit(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(
        request,
        pk,
        AdmitForm,
        _("Admit %(name)s"),
        lambda m, d: services.member_admit(
            actor=user_of(request), member=m, date=d["date"], decision_ref=d["decision_ref"]
        ),
        _("%(name)s was admitted."),
    )


@login_required
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(
        request,
        pk,
        LeaveForm,
        _("%(name)s leaves the union"),
        lambda m, d: services.member_leave(
            actor=user_of(request),
            member=m,
            kind=d["kind"],
            date=d["date"],
            decision_ref=d["decision_ref"],
            note=d["note"],
        ),
        _("The change for %(name)s was recorded."),
    )


@login_required
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    def call(member: Member, d: dict[str, Any]) -> Transfer:
        code = d["to_unit"].strip()
        to_unit = Unit.objects.filter(code=code).first()
        if to_unit is None:
            raise ServiceError(
                _("No grassroots union has the code %(code)s.") % {"code": code}, field="to_unit"
            )
        return services.transfer_request(
            actor=user_of(request),
            member=member,
            to_unit=to_unit,
            date=d["date"],
            decision_ref=d["decision_ref"],
        )

    return _member_action(
        request,
        pk,
        TransferForm,
        _("Transfer %(name)s"),
        call,
        _("The transfer of %(name)s waits for the receiving union."),
    )


@login_required
def member_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(
        request,
        pk,
        CardForm,
        _("Reissue the card of %(name)s"),
        lambda m, d: services.card_reissue(
            actor=user_of(request), member=m, date=d["date"], note=d["note"]
        ),
        _("The card of %(name)s was reissued."),
    )


@login_required
def unit_transfers(request: HttpRequest, pk: int) -> HttpResponse:
    """Transfers waiting for the unit's grassroots unions to receive them."""
    unit = access.unit_for_write(request.user, pk)
    incoming = Transfer.objects.filter(
        to_unit__path__startswith=unit.path, status=TransferStatus.PENDING
    ).select_related("member", "from_unit", "to_unit")
    outgoing = Transfer.objects.filter(
        from_unit__path__startswith=unit.path, status=TransferStatus.PENDING
    ).select_related("member", "from_unit", "to_unit")
    return render(
        request,
        "members/transfers.html",
        {"unit": unit, "incoming": incoming, "outgoing": outgoing},
    )


@login_required
@require_POST
def transfer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = Transfer.objects.select_related("to_unit", "from_unit").filter(pk=pk).first()
    if transfer is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    cancel = request.POST.get("decision") == "cancel"
    side = transfer.from_unit if cancel else transfer.to_unit
    if not access.can_write(request.user, side):
        raise Http404
    try:
        if cancel:
            services.transfer_cancel(actor=user_of(request), transfer=transfer)
        else:
            services.transfer_decide(actor=user_of(request), transfer=transfer, accept=accept)
        messages.success(request, _("The transfer was recorded."))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("unit_transfers", pk=side.pk)


@login_required
def unit_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's member development targets. They are assigned from above: setting one needs
    write access to the unit's parent (for the root, a national administrator)."""
    unit = access.unit_for_write(request.user, pk)
    may_set = access.can_restructure(request.user, unit) or access.reach(request.user).everything
    form = TargetForm(request.POST or None, initial={"year": services.today().year})
    if request.method == "POST":
        if not may_set:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data

            def save() -> Any:
                return services.target_set(
                    actor=user_of(request), unit=unit, year=d["year"], new_members=d["new_members"]
                )

            if run_service(form, save) is not None:
                messages.success(request, _("The target was saved."))
                return redirect("unit_targets", pk=unit.pk)
    targets = MemberTarget.objects.filter(unit=unit).order_by("-year")
    return render(
        request,
        "members/targets.html",
        {"unit": unit, "form": form, "targets": targets, "may_set": may_set},
    )


@login_required
def ward_options(request: HttpRequest) -> HttpResponse:
    """Communes of a province, as <option>s for the member form (htmx)."""
    province = ""
    for key in ("hometown_province", "residence_province", "province"):
        province = province or request.GET.get(key, "")
    wards = wards_of(int(province)) if province.isdigit() else []
    return render(request, "members/_ward_options.html", {"wards": wards})


# ---- Rosters in and out ---------------------------------------------------------------------


@login_required
def unit_members_template(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    return download(roster_io.write_template(unit), f"mau-danh-sach-{unit.code}.xlsx")


@login_required
def unit_members_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster with the page's filters, as .xlsx or .csv; personal data, so officers only,
    and logged."""
    unit = access.unit_for_write(request.user, pk)
    f = _roster_filter(RosterForm(request.GET or None))
    members = queries.roster(unit, f, services.today())
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return roster_download(actor=user_of(request), unit=unit, members=members, fmt=fmt,
                           roster_filter=f)  # fmt: skip


def roster_download(*, actor: Any, unit: Unit, members: QuerySet[Member], fmt: str,
                    roster_filter: queries.RosterFilter | None = None) -> HttpResponse:  # fmt: skip
    """A roster as a file to download (for the page and the API), logged as an export of
    personal data with the filter's status and date."""
    buffer = io.BytesIO()
    count = roster_io.write_roster(members, fmt, buffer)
    f = roster_filter or queries.RosterFilter()
    services.roster_exported(actor=actor, unit=unit, count=count, fmt=fmt, status=f.status,
                             as_of=f.as_of)  # fmt: skip
    return download(buffer.getvalue(), f"doan-vien-{unit.code}.{fmt}")


@login_required
def unit_members_import(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        stored = upload_create(actor=user_of(request), model=RosterUpload,
                                       file_name=upload.name or "", content=content,
                                       unit=unit)  # fmt: skip
        _start(request, stored, "members.check")
        return redirect("roster_upload", pk=stored.pk)
    uploads = RosterUpload.objects.filter(created_by=user_of(request), unit=unit).order_by(
        "-created_at"
    )[:10]
    return render(request, "members/import.html", {"unit": unit, "form": form, "uploads": uploads})


def _start(request: HttpRequest, stored: RosterUpload, kind: str) -> None:
    """Hand a check or an import of `stored` to the worker."""
    title = (_("Checking %(file)s") if kind == "members.check" else _("Importing %(file)s")) % {
        "file": stored.file_name
    }
    job = jobs.enqueue(kind=kind, title=title, params={"upload": stored.pk},
                       user=user_of(request), unit_id=stored.unit_id)  # fmt: skip
    RosterUpload.objects.filter(pk=stored.pk).update(job=job)


@login_required
def roster_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded roster: while the worker checks or imports it, a progress bar; then what the
    import would do (created, updated, transferred, unchanged), every problem, and the column
    each header is read as. POST starts the import (all or nothing), or with action=mapping
    saves the user's columns and checks again; GET ?sheet= reads another sheet."""
    stored = (
        RosterUpload.objects.select_related("unit", "job")
        .filter(pk=pk, created_by=user_of(request))
        .first()
    )
    if stored is None or not access.can_write(request.user, stored.unit):
        raise Http404
    running = stored.job is not None and stored.job.status in (JobStatus.QUEUED,
                                                                JobStatus.RUNNING)  # fmt: skip
    sheets = sheet_names(stored.file_name, bytes(stored.content))
    chosen = request.GET.get("sheet")
    editable = stored.status != UploadStatus.APPLIED and not running
    if editable and chosen in sheets and chosen != stored.sheet:
        RosterUpload.objects.filter(pk=stored.pk).update(sheet=chosen, status="draft")
        _start(request, stored, "members.check")
        return redirect("roster_upload", pk=stored.pk)
    mapping_form = None
    if request.method == "POST" and editable and request.POST.get("action") == "mapping":
        mapping_form = ColumnMappingForm(request.POST, columns=stored.columns)
        if mapping_form.is_valid():
            RosterUpload.objects.filter(pk=stored.pk).update(
                mapping=mapping_form.mapping(), status=UploadStatus.DRAFT
            )
            _start(request, stored, "members.check")
            return redirect("roster_upload", pk=stored.pk)
    elif request.method == "POST" and editable:
        if request.POST.get("action") == "retry" and stored.job is not None:
            jobs.retry(stored.job)
        elif stored.status == UploadStatus.CHECKED and not stored.problems:
            _start(request, stored, "members.import")
        return redirect("roster_upload", pk=stored.pk)
    stored.refresh_from_db()
    problems = [roster_io.RowProblem(*p) for p in stored.problems]
    if mapping_form is None and editable and stored.columns:
        mapping_form = ColumnMappingForm(columns=stored.columns)
    context = {
        "stored": stored,
        "sheets": sheets,
        "job": stored.job,
        "running": running,
        "job_progress": jobs.read_progress(stored.job) if stored.job else None,
        "problems": problems,
        "counts": stored.counts,
        "mapping_form": mapping_form,
        # open when the columns need the user: a required one missing, or a refused choice
        "mapping_open": mapping_form is not None
        and (mapping_form.is_bound or any(p.row == 0 for p in problems)),
    }
    return render(request, "members/import_preview.html", context)


def _roster_filter(form: RosterForm) -> queries.RosterFilter:
    if not form.is_valid():
        return queries.RosterFilter()
    d = form.cleaned_data
    return queries.RosterFilter(
        status="" if d.get("status") == "all" else (d.get("status") or "active"),
        sex=d.get("sex") or "",
        age_band=d.get("age") or "",
        ethnicity=d.get("ethnicity") or "",
        party=d.get("party") or "",
        subunit=d.get("subunit"),
        join_year=d.get("join_year"),
        q=d.get("q") or "",
        as_of=d.get("as_of"),
    )
