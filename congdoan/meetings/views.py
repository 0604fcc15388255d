"""The meetings pages (thin: reads through scoped queries, writes through services)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/home.html", {})
