"""The reports pages (thin: reads through scoped queries, writes through services).

Files are produced in the request: a province's year report takes a few seconds at national
scale (see `manage.py bench_report`), less than a job's round trip would save."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.downloads import download
from congdoan.core.forms import run_service
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org import queries as org_queries

from . import build, queries, services
from .document import default_template
from .figures import collect_period
from .fonts import FontMissing
from .forms import LockForm, TemplateForm, UnlockForm, period_from_params
from .models import ReportLock
from .periods import Period
from .template_default import REQUIRED


def _unit_url(pk: int, period: Period) -> str:
    return f"{reverse('unit_reports', args=[pk])}?{urlencode(period.params())}"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The units the user reaches (and a search among all they may see), each leading to its
    reports page."""
    text = (request.GET.get("q") or "").strip()
    found = None
    if text:
        found = list(
            org_queries.search_units(access.units_visible(request.user), text, ranked=True)[:20]
        )
    period, form = period_from_params(request.GET)
    context = {
        "units": list(access.top_units(request.user).order_by("path")),
        "q": text,
        "found": found,
        "period": period,
        "form": form,
        "params": urlencode(period.params()),
    }
    return render(request, "reports/home.html", context)


@login_required
def unit_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's reports: choose the period; download the report and the workbook; lock."""
    unit = access.unit_for_view(request.user, pk)
    period, form = period_from_params(request.GET)
    lock = queries.active_lock(unit, period)
    context = {
        "unit": unit,
        "period": period,
        "form": form,
        "params": urlencode(period.params()),
        "lock": lock,
        "locks": list(queries.locks_of(unit)[:50]),
        "can_write": access.can_write(request.user, unit),
        "template": queries.template_for(unit),
        "lock_form": LockForm(),
        "today": today(),
    }
    return render(request, "reports/unit.html", context)


@login_required
def unit_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The report (?format=docx or pdf) or the statistics workbook (xlsx) of the period."""
    unit = access.unit_for_view(request.user, pk)
    fmt = request.GET.get("format") or "docx"
    if fmt not in build.FORMATS:
        raise Http404
    period, _form = period_from_params(request.GET)
    try:
        report = build.produce(unit, period, fmt)
    except FontMissing as exc:
        messages.error(request, str(exc))
        return redirect(_unit_url(unit.pk, period))
    return download(report.content, report.filename)


@login_required
@require_POST
def unit_report_lock(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    period, _form = period_from_params(request.GET)
    form = LockForm(request.POST)
    if form.is_valid():
        lock = run_service(
            form,
            lambda: services.lock_create(
                actor=request.user, unit=unit, period=period, note=form.cleaned_data["note"]
            ),
        )
        if lock is not None:
            messages.success(request, _("The figures of the period are locked."))
            return redirect("report_lock", lock.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(_unit_url(unit.pk, period))


def _lock_for_view(request: HttpRequest, pk: int) -> ReportLock:
    lock = get_object_or_404(
        ReportLock.objects.select_related("unit", "locked_by", "unlocked_by"), pk=pk
    )
    if not access.can_see(request.user, lock.unit):
        raise Http404
    return lock


@login_required
def report_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """A lock: who locked what and when, and figure by figure what changed since."""
    lock = _lock_for_view(request, pk)
    period = Period.from_dict(lock.snapshot["period"])
    current = collect_period(lock.unit, period)
    rows = []
    for row in queries.changes(lock.snapshot, current):
        area, figure = queries.label_of(row["path"])
        rows.append({**row, "area": area, "figure": figure})
    context = {
        "lock": lock,
        "unit": lock.unit,
        "period": period,
        "params": urlencode(period.params()),
        "changes": rows,
        "can_unlock": lock.is_active and services.can_unlock(request.user, lock.unit),
        "form": UnlockForm(),
    }
    return render(request, "reports/lock.html", context)


@login_required
def report_lock_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    lock = _lock_for_view(request, pk)
    if not services.can_unlock(request.user, lock.unit):
        raise Http404
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.lock_release(
                actor=request.user, lock=lock, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The figures are unlocked."))
            return redirect("report_lock", lock.pk)
    return render(request, "reports/unlock.html", {"lock": lock, "unit": lock.unit, "form": form})


@login_required
def unit_report_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The template that applies to the unit's reports; upload the unit's own."""
    unit = access.unit_for_view(request.user, pk)
    can_write = access.can_write(request.user, unit)
    form = TemplateForm()
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = TemplateForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            done = run_service(
                form,
                lambda: services.template_upload(
                    actor=request.user, unit=unit, name=upload.name, content=upload.read()
                ),
            )
            if done is not None:
                messages.success(request, _("The template is saved; the unit's reports use it."))
                return redirect("unit_report_template", unit.pk)
    context = {
        "unit": unit,
        "template": queries.template_for(unit),
        "can_write": can_write,
        "form": form,
        "required": [f"{{{{ {name} }}}}" for name in REQUIRED],
    }
    return render(request, "reports/template.html", context)


@login_required
def unit_report_template_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The template that applies to the unit (its own, one above it, or the default)."""
    unit = access.unit_for_view(request.user, pk)
    template = queries.template_for(unit)
    if template is None:
        return download(default_template(), "mau-bao-cao.docx")
    return download(bytes(template.content), "mau-bao-cao.docx")


@login_required
@require_POST
def unit_report_template_remove(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    template = queries.template_for(unit)
    if template is None or template.unit_id != unit.pk:
        raise Http404
    services.template_remove(actor=request.user, template=template)
    messages.success(request, _("The unit's own template is no longer used."))
    return redirect("unit_report_template", unit.pk)


@login_required
def default_template_download(request: HttpRequest) -> HttpResponse:
    return download(default_template(), "mau-bao-cao-mac-dinh.docx")
