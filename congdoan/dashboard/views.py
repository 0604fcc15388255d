"""The home page after logging in: one of the user's units at a glance for this year (or a past
one), every number linking to the list behind it, with charts drawn in the browser from the
same figures."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from congdoan.awards.models import Authority
from congdoan.grading.models import GRADE_ORDER, Grade
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from .figures import dashboard_figures, upcoming_meetings

# Top units offered as buttons; beyond this the chooser is a drop-down list.
CHOOSER_BUTTONS = 8
# Past years offered by the year chooser (any year since FIRST_YEAR can be asked for).
PAST_YEARS = 6
FIRST_YEAR = 1990


def meeting_url(meeting: Any) -> str | None:
    try:
        return reverse("meeting_detail", args=[meeting.pk])
    except NoReverseMatch:
        return None


def chosen_unit(request: HttpRequest, tops: list[Unit]) -> Unit | None:
    """The unit asked for (`?unit=CODE`, any unit the user sees; 404 otherwise), or the first
    of the user's top units."""
    code = request.GET.get("unit", "").strip()
    if code:
        return access.unit_by_code_for_view(request.user, code)
    return tops[0] if tops else None


def chosen_year(request: HttpRequest) -> int:
    """`?year=YYYY` from FIRST_YEAR to this year, else this year."""
    this_year = today().year
    text = request.GET.get("year", "").strip()
    if text.isdigit() and FIRST_YEAR <= int(text) <= this_year:
        return int(text)
    return this_year


def _dmy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _url(name: str, pk: int, **params: Any) -> str:
    url = reverse(name, args=[pk])
    return f"{url}?{urlencode(params)}" if params else url


def links(unit: Unit, figures: dict[str, Any], is_today: bool) -> dict[str, Any]:
    """The list behind each number of the page."""
    pk, year = unit.pk, figures["year"]
    day = datetime.date.fromisoformat(figures["as_of"])
    period = {"start": f"01/01/{year}", "end": _dmy(day)}
    care_period = {} if is_today else {"start": f"01/01/{year}", "end": f"31/12/{year}"}
    on = {} if is_today else {"on": _dmy(day)}
    as_of = {} if is_today else {"as_of": _dmy(day)}
    return {
        "unit": _url("unit_detail", pk, **as_of),
        "members": _url("unit_members", pk, **as_of),
        "new_members": _url("unit_members", pk, join_year=year),
        "member_targets": reverse("unit_targets", args=[pk]),
        "care": _url("unit_care", pk, **care_period),
        "houses": _url("unit_houses", pk, year=year),
        "loans": _url("unit_loans", pk, **on),
        "loans_overdue": _url("unit_loans", pk, overdue=1, **on),
        "awards": _url("unit_award_figures", pk, **period),
        "award_collectives": _url("unit_award_recipients", pk, kind="collective", **period),
        "award_individuals": _url("unit_award_recipients", pk, kind="individual", **period),
        "initiatives": _url("unit_initiatives", pk, year=year),
        "initiatives_recognised": _url("unit_initiatives", pk, year=year, status="recognised"),
        "grading": _url("unit_grading", pk, year=figures["grading"]["year"]),
    }


def page_rows(unit: Unit, figures: dict[str, Any], is_today: bool) -> dict[str, Any]:
    """The figures' tables with their links and labels, for the template."""
    pk, year = unit.pk, figures["year"]
    trend = [
        {
            **row,
            "day": datetime.date.fromisoformat(row["as_of"]),
            "url": _url("unit_members", pk, as_of=_dmy(datetime.date.fromisoformat(row["as_of"]))),
        }
        for row in figures["members_trend"]
    ]
    if is_today:  # today's roster needs no date
        trend[-1]["url"] = reverse("unit_members", args=[pk])
    period = {"start": f"01/01/{year}", "end": _dmy(datetime.date.fromisoformat(figures["as_of"]))}
    forms = [
        {
            **row,
            "authority_label": Authority(row["authority"]).label,
            "collectives_url": _url("unit_award_recipients", pk, form=row["form_id"],
                                    kind="collective", **period),
            "individuals_url": _url("unit_award_recipients", pk, form=row["form_id"],
                                    kind="individual", **period),
        }
        for row in figures["awards"]["by_form"]
    ]  # fmt: skip
    programmes = [
        {**row, "url": reverse("programme_detail", args=[row["programme_id"]])}
        for row in figures["care"]["by_programme"]
    ]
    grades = figures["grading"]
    grade_rows = [
        {"code": str(g), "label": Grade(g).label, "count": grades["grades"][str(g)]}
        for g in GRADE_ORDER
    ]
    return {"trend": trend, "award_forms": forms, "programmes": programmes, "grades": grade_rows}


def chart_data(figures: dict[str, Any], rows: dict[str, Any]) -> dict[str, Any]:
    """What dashboard.js draws (labels and numbers only; the page shows them as tables)."""
    return {
        "trend": {
            "labels": [str(r["year"]) for r in figures["members_trend"]],
            "values": [r["members"] for r in figures["members_trend"]],
        },
        "programmes": {
            "labels": [r["name"] for r in figures["care"]["by_programme"]],
            "values": [r["support_vnd"] for r in figures["care"]["by_programme"]],
        },
        "grades": {
            "labels": [r["code"] for r in rows["grades"]] + ["—"],
            "values": [r["count"] for r in rows["grades"]] + [figures["grading"]["not_graded"]],
        },
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    tops = list(access.top_units(request.user).order_by("path"))
    unit = chosen_unit(request, tops)
    this_year, year = today().year, chosen_year(request)
    years = sorted({*range(this_year - PAST_YEARS, this_year + 1), year}, reverse=True)
    context: dict[str, Any] = {"tops": tops, "unit": unit, "buttons": CHOOSER_BUTTONS,
                               "years": years}  # fmt: skip
    if unit is not None:
        is_today = year == this_year
        figures = dashboard_figures(unit, year)
        rows = page_rows(unit, figures, is_today)
        meetings = upcoming_meetings(request.user)
        context.update(
            figures=figures,
            links=links(unit, figures, is_today),
            rows=rows,
            charts=chart_data(figures, rows),
            meetings=None if meetings is None else [(m, meeting_url(m)) for m in meetings],
            year=figures["year"],
            day=datetime.date.fromisoformat(figures["as_of"]),
            is_today=is_today,
        )
    return render(request, "dashboard/home.html", context)
