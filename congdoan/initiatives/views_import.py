"""Lists of initiatives from spreadsheets: upload, a check by the worker with every problem by
row and column, then the import (all or nothing). Thin: access → form → job → page."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congdoan.core import jobs
from congdoan.core.downloads import download
from congdoan.core.models import JobStatus, UploadStatus
from congdoan.core.sheets import sheet_names
from congdoan.core.uploads import upload_create
from congdoan.core.users import user_of
from congdoan.members.roster_io import RowProblem
from congdoan.org import access

from . import lists, queries
from .forms_import import ListColumnsForm, ListImportForm
from .models import InitiativeUpload


def _start(request: HttpRequest, stored: InitiativeUpload, kind: str) -> None:
    """Hand a check or an import of `stored` to the worker."""
    title = (_("Checking %(file)s") if kind == "initiatives.list_check"
             else _("Importing %(file)s")) % {"file": stored.file_name}  # fmt: skip
    job = jobs.enqueue(kind=kind, title=title, params={"upload": stored.pk},
                       user=user_of(request), unit_id=stored.unit_id)  # fmt: skip
    InitiativeUpload.objects.filter(pk=stored.pk).update(job=job)


@login_required
def initiative_import(request: HttpRequest, pk: int) -> HttpResponse:
    programme = queries.programme_for_view(request.user, pk)
    units = queries.recording_units(request.user, programme)
    if not units.exists():
        raise Http404
    form = ListImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        stored = upload_create(
            actor=user_of(request), model=InitiativeUpload, file_name=upload.name or "",
            content=content, programme=programme, unit=form.cleaned_data["unit"],
        )  # fmt: skip
        _start(request, stored, "initiatives.list_check")
        return redirect("initiative_upload", pk=stored.pk)
    uploads = InitiativeUpload.objects.filter(
        created_by=user_of(request), programme=programme
    ).order_by("-created_at")[:10]
    headers = [vi for vi, _more in lists.COLUMNS.values()]
    return render(request, "initiatives/list_import.html",
                  {"programme": programme, "form": form, "uploads": uploads,
                   "headers": headers})  # fmt: skip


@login_required
def initiative_template(request: HttpRequest, pk: int) -> HttpResponse:
    """An empty list for the programme, to fill in and import."""
    programme = queries.programme_for_view(request.user, pk)
    if not queries.recording_units(request.user, programme).exists():
        raise Http404
    return download(lists.write_template(programme), f"mau-sang-kien-{programme.pk}.xlsx")


@login_required
def initiative_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An uploaded list: the progress while the worker checks or imports it; then how many
    initiatives it records, every problem by row and column, the Columns card and the Import
    button (all or nothing)."""
    stored = (
        InitiativeUpload.objects.select_related("programme", "programme__unit", "unit", "job")
        .filter(pk=pk, created_by=user_of(request))
        .first()
    )
    if stored is None or not access.can_write(request.user, stored.unit):
        raise Http404
    running = stored.job is not None and stored.job.status in (JobStatus.QUEUED,
                                                                JobStatus.RUNNING)  # fmt: skip
    sheets = sheet_names(stored.file_name, bytes(stored.content))
    editable = stored.status != UploadStatus.APPLIED and not running
    chosen = request.GET.get("sheet")
    if editable and chosen in sheets and chosen != stored.sheet:
        InitiativeUpload.objects.filter(pk=stored.pk).update(sheet=chosen,
                                                             status=UploadStatus.DRAFT)  # fmt: skip
        _start(request, stored, "initiatives.list_check")
        return redirect("initiative_upload", pk=stored.pk)
    mapping_form: Any = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "mapping" and editable:
        mapping_form = ListColumnsForm(request.POST, columns=stored.columns)
        if mapping_form.is_valid():
            InitiativeUpload.objects.filter(pk=stored.pk).update(
                mapping=mapping_form.mapping(), status=UploadStatus.DRAFT
            )
            _start(request, stored, "initiatives.list_check")
            return redirect("initiative_upload", pk=stored.pk)
    elif request.method == "POST" and editable:
        if action == "retry" and stored.job is not None:
            jobs.retry(stored.job)
        elif action == "import" and stored.status == UploadStatus.CHECKED and not stored.problems:
            _start(request, stored, "initiatives.list_import")
        return redirect("initiative_upload", pk=stored.pk)
    stored.refresh_from_db()
    problems = [RowProblem(*p) for p in stored.problems]
    if mapping_form is None and editable and stored.columns:
        mapping_form = ListColumnsForm(columns=stored.columns)
    context = {
        "stored": stored,
        "programme": stored.programme,
        "sheets": sheets,
        "job": stored.job,
        "running": running,
        "job_progress": jobs.read_progress(stored.job) if stored.job else None,
        "problems": problems,
        "counts": stored.counts,
        "mapping_form": mapping_form,
        "mapping_open": mapping_form is not None
        and (mapping_form.is_bound or any(p.row == 0 for p in problems)),
        "can_import": stored.status == UploadStatus.CHECKED and not problems,
    }
    return render(request, "initiatives/list_upload.html", context)
