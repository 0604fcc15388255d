"""Personal-data pages of a member: who accessed their data, their whole record as a file, and
anonymisation after the retention period."""

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.downloads import download
from congdoan.core.errors import ServiceError
from congdoan.core.templatetags.vn import person
from congdoan.core.users import user_of
from congdoan.members import queries
from congdoan.members.models import Member, MemberStatus
from congdoan.members.services import today
from congdoan.org import access

from . import log, services
from .models import Anonymisation

PAGE_SIZE = 50


def _member_for_admin(request: HttpRequest, pk: int) -> Member:
    """The member if the user administers a unit reaching them; 404 otherwise (outside the
    user's reach, or inside it without the administrator's role), as for every admin page."""
    member = queries.member_for_view(request.user, pk)
    if not access.can_admin(request.user, member.unit):
        raise Http404
    return member


@login_required
def member_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who viewed or exported this person's personal data, newest first (administrators)."""
    member = _member_for_admin(request, pk)
    events = log.access_events(member)
    if request.GET.get("format") == "csv":
        return _log_csv(member, events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "member": member,
        "page": page,
        "rows": log.describe(list(page.object_list)),
    }
    return render(request, "privacy/access_log.html", context)


def _log_csv(member: Member, events: object) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(out)
    writer.writerow([_("Time"), _("User name"), _("Who"), _("What")])
    rows = log.describe(list(events))  # type: ignore[call-overload]
    for row in rows:
        actor = row.event.actor
        at = timezone.localtime(row.event.at)
        writer.writerow(
            [
                at.strftime("%d/%m/%Y %H:%M:%S"),
                actor.get_username() if actor else "",
                person(actor) if actor else _("system"),
                row.what,
            ]
        )
    return download(out.getvalue().encode("utf-8"), f"truy-cap-doan-vien-{member.pk}.csv")


@login_required
def member_record_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's whole record as JSON (officers and administrators with reach); logged as
    an export of personal data."""
    member = queries.member_for_write(request.user, pk)
    record = services.member_record(member)
    services.record_exported(actor=user_of(request), member=member, fmt="json")
    body = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    return download(body, f"doan-vien-{member.pk}.json")


@login_required
def member_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then anonymise a person who left before the retention period (administrators)."""
    member = _member_for_admin(request, pk)
    if request.method == "POST":
        try:
            services.anonymise(member, actor=user_of(request))
        except ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The personal data has been anonymised."))
            return redirect("member_detail", pk=member.pk)
    day = today()
    context = {
        "member": member,
        "eligible": services.eligible(day).filter(pk=member.pk).exists(),
        "retention_years": services.retention_years(),
        "cutoff": services.cutoff(day),
        "done": Anonymisation.objects.filter(member=member).first(),
    }
    return render(request, "privacy/anonymise.html", context)


def member_panel(request: HttpRequest, member: Member) -> str:
    """Links on a member's page: the record export (officers), the access log and
    anonymisation (administrators)."""
    if not access.can_write(request.user, member.unit):
        return ""
    is_admin = access.can_admin(request.user, member.unit)
    done = None
    eligible = False
    # Only a leaver can be anonymised: no query for anyone else.
    if member.status == MemberStatus.LEFT and is_admin:
        done = Anonymisation.objects.filter(member=member).first()
        eligible = done is None and services.eligible().filter(pk=member.pk).exists()
    return render_to_string(
        "privacy/_member_panel.html",
        {"member": member, "is_admin": is_admin, "done": done, "eligible": eligible},
        request=request,
    )
