"""The care home page (to be completed: programmes, funds, houses and loans of the user's
units, with their figures)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def care_home(request: HttpRequest) -> HttpResponse:
    return render(request, "care/home.html", {})
