"""Pieces the emulation pages share: the year asked for."""

from django.http import HttpRequest

from congdoan.members.services import today


def year_of(request: HttpRequest) -> int:
    """?year= when it is a sensible year, else this year."""
    text = request.GET.get("year") or request.POST.get("year") or ""
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return today().year
