"""The care pages' entry points: the care home (the user's top units with this year's figures)
and a unit's care page (its subtree's figures for a period, with links to the lists behind
them where the other care pages exist)."""

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import PATH_STEP, Status, Unit

from .figures import care_figures_cached, year_start
from .models import Support, SupportStatus

# Pages of the other care areas a figure links to, all taking the unit's id.
UNIT_LISTS = ("unit_programmes", "unit_funds", "unit_loans", "unit_houses")

PRESETS = [
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
    ("first_half", _("First half of this year")),
]


def preset_period(name: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period a preset names, around `day` (today)."""
    first = year_start(day)
    if name == "last_year":
        return first.replace(year=day.year - 1), first - datetime.timedelta(days=1)
    if name == "first_half":
        return first, first.replace(month=6, day=30)
    return first, first.replace(month=12, day=31)


class PeriodForm(BootstrapFormMixin, forms.Form):
    """The period of the figures: a preset, or from / to (this year when nothing is given)."""

    period = forms.ChoiceField(choices=PRESETS, required=False, widget=forms.HiddenInput)
    start = VnDateField(label=_("From"), required=False)
    end = VnDateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default_start, default_end = preset_period(data.get("period") or "this_year", today())
        if data.get("period"):
            data["start"], data["end"] = default_start, default_end
        else:
            data["start"] = data.get("start") or default_start
            data["end"] = data.get("end") or default_end
        if data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def dates(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for, or this year when the form is empty or wrong."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"
        return preset_period("this_year", today())

    def shown(self, start: datetime.date, end: datetime.date) -> "PeriodForm":
        """The form to show: the period's dates in the boxes (a preset or a date left empty
        included), or the wrong input with its errors."""
        if self.is_bound and self.errors:
            return self
        return PeriodForm(initial={"start": start, "end": end})


def _url(name: str, pk: int) -> str | None:
    """The URL of another care page if it exists (the areas are built side by side)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _unit_links(unit: Unit) -> dict[str, str | None]:
    return {name: _url(name, unit.pk) for name in UNIT_LISTS}


def _support_by_child(unit: Unit, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """Support paid in the period, for the unit itself and each of its sub-units' subtrees
    (two queries: the totals grouped by the first step of the path below the unit, and the
    sub-units)."""
    width = len(unit.path) + PATH_STEP
    rows = (
        Support.objects.filter(
            unit__path__gte=unit.path,
            unit__path__lt=unit.path_end,
            status=SupportStatus.PAID,
            date__gte=start,
            date__lte=end,
        )
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(
            people=Count("person_key", distinct=True),
            acts=Count("id"),
            amount=Coalesce(
                Sum("cash_vnd") + Sum("in_kind_vnd") + Sum("voucher_vnd"),
                Value(0),
                output_field=IntegerField(),
            ),
        )
    )
    totals = {r["branch"]: r for r in rows}
    empty = {"people": 0, "acts": 0, "amount": 0}
    children = Unit.objects.filter(Q(parent=unit) & (Q(status=Status.ACTIVE) | Q(path__in=totals)))
    out = [
        {"unit": child, **{k: totals.get(child.path, empty)[k] for k in empty}}
        for child in children.order_by("name", "code")
    ]
    if unit.path in totals:  # support the unit gave itself
        out.insert(0, {"unit": unit, "itself": True, **{k: totals[unit.path][k] for k in empty}})
    return out


@login_required
def care_home(request: HttpRequest) -> HttpResponse:
    """The user's top units, each with this year's care figures."""
    start, end = preset_period("this_year", today())
    units = [
        {"unit": unit, "figures": care_figures_cached(unit, start, end), "links": _unit_links(unit)}
        for unit in access.top_units(request.user).order_by("path")
    ]
    return render(request, "care/home.html", {"units": units, "start": start, "end": end})


@login_required
def unit_care(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's care figures for a period, for its whole subtree."""
    unit = access.unit_for_view(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    form = PeriodForm(request.GET or None)
    start, end = form.dates()
    figures = care_figures_cached(unit, start, end)
    has_programme_page = _url("programme_detail", 0) is not None
    for row in figures["by_programme"]:
        row["url"] = _url("programme_detail", row["programme_id"]) if has_programme_page else None
    context = {
        "unit": unit,
        "parent_seen": unit.parent is not None and access.can_see(request.user, unit.parent),
        "form": form.shown(start, end),
        "start": start,
        "end": end,
        "figures": figures,
        "links": _unit_links(unit),
        "presets": [
            (name, label, preset_period(name, today()) == (start, end)) for name, label in PRESETS
        ],
        "children": _support_by_child(unit, start, end),
    }
    return render(request, "care/unit_care.html", context)
