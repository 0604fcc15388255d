"""Pages of meetings and working-session programmes. Thin: access → form → service → redirect."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import ACTION_LABELS, audit_display
from congdoan.core.downloads import download
from congdoan.core.forms import run_service
from congdoan.core.models import AuditEvent
from congdoan.core.users import user_of
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from . import documents, programme, services
from .forms import (
    CancelForm,
    DocumentForm,
    MeetingFilterForm,
    MeetingForm,
    ProgrammeForm,
    meeting_initial,
)
from .models import Meeting, MeetingKind, WorkProgramme

PAGE_SIZE = 50


def _audit(target_type: str, pk: int) -> list[dict[str, Any]]:
    events = list(
        AuditEvent.objects.filter(Q(target_type=target_type, target_id=str(pk)))
        .select_related("actor")
        .order_by("-at")[:100]
    )
    rows = audit_display(events)
    for row in rows:
        event = row["event"]
        label = ACTION_LABELS.get(event.action)
        if label is not None:
            row["action"] = f"{label}: {event.summary}" if event.summary else str(label)
    return rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The meetings of the user's (first) top unit."""
    top = access.top_units(request.user).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("unit_meetings", pk=top.pk)


@login_required
def unit_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = MeetingFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = services.meetings_of(unit, kind=f.get("kind") or "", year=f.get("year"))
    page = Paginator(qs.select_related("unit"), PAGE_SIZE).get_page(request.GET.get("page"))
    programmes = list(WorkProgramme.objects.filter(unit=unit).order_by("-first_day", "-id")[:10])
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "programmes": programmes,
        "can_write": access.can_write(request.user, unit),
        "today": today(),
    }
    return render(request, "meetings/meeting_list.html", context)


def _form(unit: Unit, data: Any = None, initial: dict[str, Any] | None = None) -> MeetingForm:
    return MeetingForm(
        data,
        initial=initial or {},
        decisions=services.decisions_linkable(unit)[:200],
        pacts=services.pacts_linkable(unit)[:100],
    )


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    kind = request.GET.get("kind", "")
    form = _form(unit, request.POST or None, {"kind": kind} if kind in MeetingKind.values else None)
    if request.method == "POST" and form.is_valid():
        meeting = run_service(
            form,
            lambda: services.meeting_create(
                actor=user_of(request), unit=unit, data=form.data_for_service()
            ),
        )
        if meeting is not None:
            messages.success(request, _("The meeting was recorded."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "unit": unit, "heading": _("New meeting")},
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.meeting_for_write(request.user, pk)
    if meeting.is_cancelled:
        raise Http404
    form = _form(meeting.unit, request.POST or None, meeting_initial(services.data_of(meeting)))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.meeting_update(
                actor=user_of(request), meeting=meeting, data=form.data_for_service()
            ),
        )
        if done is not None:
            messages.success(request, _("The meeting was changed."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "unit": meeting.unit,
            "meeting": meeting,
            "heading": _("Change the meeting"),
        },
    )


def _detail(
    request: HttpRequest, meeting: Meeting, cancel_form: CancelForm | None = None
) -> HttpResponse:
    writes = access.can_write(request.user, meeting.unit)
    context = {
        "meeting": meeting,
        "guests": list(meeting.guests.all()),
        "agenda": list(meeting.agenda.all()),
        "represented": list(meeting.units_represented.order_by("path")),
        "decisions": list(meeting.decisions.select_related("form", "unit").order_by("date", "id")),
        "pacts": list(meeting.pacts.select_related("bloc").order_by("dated", "id")),
        "documents": list(meeting.documents.select_related("uploaded_by").order_by("uploaded_at")),
        "can_write": writes,
        "cancel_form": cancel_form or CancelForm(initial={"date": today()}),
        "document_form": DocumentForm(),
        "audit": _audit("meetings.meeting", meeting.pk) if writes else [],
        "unit_visible": access.can_see(request.user, meeting.unit),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, services.meeting_for_view(request.user, pk))


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.meeting_for_write(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.meeting_cancel(
                actor=user_of(request),
                meeting=meeting,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("The meeting was cancelled."))
            return redirect("meeting_detail", pk=meeting.pk)
    return _detail(request, meeting, form)


@login_required
def meeting_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.meeting_for_write(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        done = run_service(
            form,
            lambda: documents.document_add(
                actor=user_of(request),
                meeting=meeting,
                upload=upload,
                name=upload.name or "",
                caption=form.cleaned_data.get("caption") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The document was attached."))
            return redirect("meeting_detail", pk=meeting.pk)
    return render(request, "meetings/document_form.html", {"meeting": meeting, "form": form})


@login_required
def meeting_document(request: HttpRequest, pk: int) -> FileResponse:
    return documents.response(documents.document_for_view(request.user, pk))


@login_required
@require_POST
def meeting_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = documents.document_for_write(request.user, pk)
    documents.document_delete(actor=user_of(request), document=document)
    messages.success(request, _("The document was removed."))
    return redirect("meeting_detail", pk=document.meeting_id)


# ---------------------------------------------------------------------------------------------
# Working-session programmes


@login_required
def programme_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The form; "Preview" shows the sessions it would create, "Create" creates them."""
    unit = access.unit_for_write(request.user, pk)
    form = ProgrammeForm(request.POST or None, initial={"year": today().year})
    slots = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if "create" in request.POST:
            created = run_service(
                form,
                lambda: programme.programme_create(
                    actor=user_of(request),
                    owner=unit,
                    year=d["year"],
                    first_day=d["first_day"],
                    last_day=d["last_day"],
                    title=d.get("title") or "",
                    place=d.get("place") or "",
                ),
            )
            if created is not None:
                messages.success(request, _("The programme and its sessions were created."))
                return redirect("work_programme_detail", pk=created.pk)
        else:
            slots = run_service(
                form,
                lambda: programme.plan_sessions(
                    owner=unit,
                    year=d["year"],
                    first_day=d["first_day"],
                    last_day=d["last_day"],
                    place=d.get("place") or "",
                ),
            )
    return render(
        request, "meetings/programme_form.html", {"form": form, "unit": unit, "slots": slots}
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = programme.programme_for_view(request.user, pk)
    return render(
        request,
        "meetings/programme_detail.html",
        {
            "programme": found,
            "sessions": list(programme.sessions_of(found)),
            "can_write": access.can_write(request.user, found.unit),
        },
    )


@login_required
def programme_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    found = programme.programme_for_view(request.user, pk)
    return download(programme.calendar_document(found), f"lich-lam-viec-{found.pk}.docx")
