"""The reports pages (thin: reads through scoped queries, writes through services).

Files are produced in the request: a province's year report takes a few seconds at national
scale (see `manage.py bench_report`), less than a job's round trip would save. Locking a
period, which writes, is a stored job (see jobs.py): the worker collects and stores the
figures in one transaction while the page shows its progress, and a job interrupted or failed
can be tried again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core import jobs as core_jobs
from congdoan.core.downloads import download
from congdoan.core.formatting import date_vi
from congdoan.core.forms import run_service
from congdoan.core.models import Job, JobStatus
from congdoan.core.users import user_of
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org import queries as org_queries

from . import build, jobs, queries, services
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
    """Hand the locking of the period's figures to the worker; then the job's page."""
    unit = access.unit_for_write(request.user, pk)
    period, _form = period_from_params(request.GET)
    form = LockForm(request.POST)
    if form.is_valid():
        if queries.active_lock(unit, period) is not None:  # the job would fail; say it now
            form.add_error(None, _("The figures of this period are already locked."))
        else:
            job = _pending_lock_job(request, unit.pk, period) or core_jobs.enqueue(
                kind=jobs.KIND,
                title=_("Locking the figures of %(unit)s from %(start)s to %(end)s")
                % {"unit": unit.name, "start": date_vi(period.start), "end": date_vi(period.end)},
                params=jobs.lock_params(unit, period, form.cleaned_data["note"]),
                user=user_of(request),
                unit_id=unit.pk,
            )
            return _lock_job_redirect(request, job)
    for error in form.errors.values():
        messages.error(request, " ".join(str(e) for e in error))
    return redirect(_unit_url(unit.pk, period))


def _pending_lock_job(request: HttpRequest, unit_id: int, period: Period) -> Job | None:
    """The user's lock job of this unit and period still waiting or running (a second click
    follows it rather than starting another, which would fail)."""
    pending = Job.objects.filter(
        kind=jobs.KIND,
        created_by=user_of(request),
        unit_id=unit_id,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
    ).order_by("-pk")
    return next((j for j in pending if j.params.get("period") == period.to_dict()), None)


def _lock_job_redirect(request: HttpRequest, job: Job) -> HttpResponse:
    """To the lock once the job is done (at once when jobs run in the request), else to the
    job's page."""
    if job.status == JobStatus.DONE and job.result.get("lock"):
        messages.success(request, _("The figures of the period are locked."))
        return redirect("report_lock", job.result["lock"])
    return redirect("report_lock_job", job.pk)


@login_required
def report_lock_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A lock job, seen by the user who started it while they may see its unit: its progress
    while the worker collects the figures; once done, the lock; if it failed (or its worker
    died), why, and a button to try again (POST action=retry)."""
    job = Job.objects.filter(pk=pk, kind=jobs.KIND, created_by=user_of(request)).first()
    if job is None or job.unit_id is None:
        raise Http404
    unit = access.unit_for_view(request.user, job.unit_id)
    if request.method == "POST":
        if request.POST.get("action") == "retry" and job.status == JobStatus.FAILED:
            access.unit_for_write(request.user, unit.pk)
            return _lock_job_redirect(request, core_jobs.retry(job))
        return redirect("report_lock_job", job.pk)
    progress = core_jobs.read_progress(job)  # (a job whose worker died is marked failed here)
    if job.status == JobStatus.DONE and job.result.get("lock"):
        return _lock_job_redirect(request, job)
    period = Period.from_dict(job.params["period"])
    context = {
        "job": job,
        "job_progress": progress,
        "running": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "can_retry": job.status == JobStatus.FAILED and access.can_write(request.user, unit),
        "unit": unit,
        "period": period,
        "params": urlencode(period.params()),
    }
    return render(request, "reports/lock_job.html", context)


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
