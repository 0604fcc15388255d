"""Grading figures of a unit's subtree for a year: the grade distribution of its grassroots
unions (one aggregate query over the tree as it stood on the day asked) and the ranking of
units inside their emulation blocs (khối thi đua)."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from congdoan.core.text import sort_key
from congdoan.org import access, queries
from congdoan.org.models import Level, Status, Unit

from .models import GRADE_ORDER, Assessment, AssessmentStatus


def distribution(unit: Unit, year: int, day: datetime.date | None = None) -> dict[str, Any]:
    """How many active grassroots unions of `unit`'s subtree (as the tree stood on `day`,
    31/12 of the year by default) got each approved grade for `year`, how many are "vững
    mạnh", how many were graded and how many were not (no approved grade, or "not graded")."""
    day = day or datetime.date(year, 12, 31)
    versions = queries.subtree_versions_on(unit, day)
    empty = {
        "year": year,
        "grades": {str(g): 0 for g in GRADE_ORDER},
        "strong": 0,
        "graded": 0,
        "not_graded": 0,
    }
    if versions is None:
        return empty
    grassroots = versions.filter(level=Level.GRASSROOTS, status=Status.ACTIVE)
    approved = Q(
        grading_assessments__year=year, grading_assessments__status=AssessmentStatus.APPROVED
    )
    row = Unit.objects.filter(pk__in=grassroots.values("unit_id")).aggregate(
        units=Count("id", distinct=True),
        strong=Count("id", filter=approved & Q(grading_assessments__strong=True)),
        graded=Count("id", filter=approved & ~Q(grading_assessments__grade="")),
        **{
            str(g): Count("id", filter=approved & Q(grading_assessments__grade=str(g)))
            for g in GRADE_ORDER
        },
    )
    return {
        "year": year,
        "grades": {str(g): row[str(g)] for g in GRADE_ORDER},
        "strong": row["strong"],
        "graded": row["graded"],
        "not_graded": row["units"] - row["graded"],
    }


def grading_section(
    unit: Unit, first_day: datetime.date, last_day: datetime.date
) -> dict[str, Any]:
    """The `grading` section of `stats` and of the API: the year of the period's end, over the
    tree as it stood on that day; then the ranking inside each emulation bloc of that year
    (units in no bloc are left out)."""
    year = last_day.year
    section = distribution(unit, year, last_day)
    section["blocs"] = [
        {
            "bloc": g.name,
            "units": [
                {"code": r.code, "rank": r.rank, "points": r.total_tenths / 10, "grade": r.grade}
                for r in g.rows
            ],
        }
        for g in bloc_ranking(unit, year)
        if g.id is not None
    ]
    return section


@dataclass
class Ranked:
    unit_id: int
    code: str
    name: str
    total_tenths: int
    grade: str
    strong: bool
    rank: int = 0


@dataclass
class Group:
    """A bloc (or the units in no bloc) with its units ranked."""

    id: int | None
    name: str
    rows: list[Ranked]


def rank(rows: Iterable[Ranked]) -> list[Ranked]:
    """Highest total first; equal totals share a rank (1, 2, 2, 4) and are ordered by name."""
    ordered = sorted(rows, key=lambda r: (-r.total_tenths, sort_key(r.name), r.unit_id))
    for i, r in enumerate(ordered):
        same = i > 0 and ordered[i - 1].total_tenths == r.total_tenths
        r.rank = ordered[i - 1].rank if same else i + 1
    return ordered


def rank_in_groups(
    rows: list[Ranked], group_of: Callable[[list[int]], dict[int, Any]]
) -> list[Group]:
    """Units ranked inside their group: `group_of(ids)` gives each id its group (an object with
    `id` and `name`, like emulation's BlocRef); units in none come last, ranked together."""
    groups = group_of([r.unit_id for r in rows])
    by: dict[int | None, list[Ranked]] = {}
    names: dict[int | None, str] = {None: _("Not in a bloc")}
    for r in rows:
        g = groups.get(r.unit_id)
        key = g.id if g is not None else None
        if g is not None:
            names[key] = g.name
        by.setdefault(key, []).append(r)
    # Groups in the order they were made (bloc ids): "Cụm số 2" before "Cụm số 10".
    keys: list[int | None] = [*sorted(k for k in by if k is not None)]
    if None in by:
        keys.append(None)
    return [Group(id=k, name=names[k], rows=rank(by[k])) for k in keys]


def approved_rows(unit: Unit, year: int) -> list[Ranked]:
    """Approved assessments of the year of the units in `unit`'s subtree (as it is now)."""
    qs = Assessment.objects.filter(
        access.path_q([unit.path], "unit__path"),
        year=year,
        status=AssessmentStatus.APPROVED,
    ).values_list("unit_id", "unit__code", "unit__name", "approved_total_tenths", "grade", "strong")
    return [
        Ranked(unit_id=u, code=c, name=n, total_tenths=int(t or 0), grade=g, strong=s)
        for u, c, n, t, g, s in qs
    ]


def bloc_ranking(unit: Unit, year: int) -> list[Group]:
    """The ranking inside each emulation bloc of the year."""
    from congdoan.emulation.blocs import bloc_of

    return rank_in_groups(approved_rows(unit, year), lambda ids: bloc_of(ids, year))


def unit_panel(request: Any, unit: Unit) -> str:
    """The unit page's panel: the unit's grade history (one query)."""
    rows = list(
        Assessment.objects.filter(unit=unit, status=AssessmentStatus.APPROVED)
        .order_by("-year")
        .values("id", "year", "approved_total_tenths", "grade", "strong")[:20]
    )
    if not rows:
        return ""
    return render_to_string(
        "grading/_unit_panel.html", {"rows": rows, "unit": unit}, request=request
    )
