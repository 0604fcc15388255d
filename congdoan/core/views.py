"""Account pages: log in and out, and the user's own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .jobs import read_progress
from .models import ApiToken, Job, JobStatus
from .tokens import api_token_create, api_token_revoke
from .users import user_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        _token, new_key = api_token_create(
            actor=user_of(request),
            name=request.POST.get("name", ""),
        )
        messages.success(request, _("Copy the token now: it will not be shown again."))
    tokens = ApiToken.objects.filter(user=user_of(request)).order_by("-created_at")
    return render(request, "core/profile.html", {"tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=user_of(request)).first()
    if token is None:
        raise Http404
    api_token_revoke(actor=user_of(request), token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("profile")


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress bar (htmx polls it); when the job has ended, the page reloads."""
    job = Job.objects.filter(pk=pk, created_by=user_of(request)).first()
    if job is None:
        raise Http404
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "core/_job_progress.html", {"job": job, "p": read_progress(job)})
