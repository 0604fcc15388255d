"""API under /api/v1/grading/: the grade distribution of a subtree, the ranking inside the
emulation blocs, and a unit's assessment for a year; scoped like the pages."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from congdoan.members.services import today
from congdoan.org import access

from . import assessments, figures
from .models import Assessment
from .scoring import format_score

router = Router(tags=["grading"])


class DistributionOut(Schema):
    unit: str
    year: int
    grades: dict[str, int]
    strong: int
    graded: int
    not_graded: int


class RankedOut(Schema):
    rank: int
    unit_code: str
    unit_name: str
    total: str
    grade: str
    strong: bool


class BlocOut(Schema):
    bloc_id: int | None
    bloc: str
    units: list[RankedOut]


class ScoreOut(Schema):
    group: str
    code: str
    criterion: str
    max: str
    self_score: str | None
    evidence: str
    approved_score: str | None
    comment: str


class AssessmentOut(Schema):
    id: int
    unit: str
    year: int
    scorecard: str
    owner: str
    status: str
    self_total: str
    approved_total: str | None
    score_grade: str | None
    cap: str | None
    cap_reason: str
    grade: str | None
    strong: bool
    submitted_on: datetime.date | None
    approved_on: datetime.date | None
    scores: list[ScoreOut]


def _year(year: int | None) -> int:
    if year is None:
        return today().year - 1
    if not 2000 <= year <= 2100:
        raise HttpError(422, "year is between 2000 and 2100")
    return year


@router.get("/distribution", response=DistributionOut)
def distribution(request: HttpRequest, unit: str, year: int | None = None) -> Any:
    """How many grassroots unions of `unit`'s subtree (as it stood on 31/12 of the year, or
    today for the current year) got each approved grade, "vững mạnh", graded and not graded.
    `year` defaults to last year."""
    root = access.unit_by_code_for_view(request.user, unit)
    y = _year(year)
    day = min(datetime.date(y, 12, 31), today())
    return {"unit": root.code, **figures.distribution(root, y, day)}


@router.get("/ranking", response=list[BlocOut])
def ranking(request: HttpRequest, unit: str, year: int | None = None) -> Any:
    """Units of `unit`'s subtree with an approved assessment, ranked by approved total inside
    their emulation bloc of the year (equal totals share a rank; units in no bloc come last)."""
    root = access.unit_by_code_for_view(request.user, unit)
    groups = figures.bloc_ranking(root, _year(year))
    return [
        {
            "bloc_id": g.id,
            "bloc": g.name,
            "units": [
                {
                    "rank": r.rank,
                    "unit_code": r.code,
                    "unit_name": r.name,
                    "total": format_score(r.total_tenths),
                    "grade": r.grade,
                    "strong": r.strong,
                }
                for r in g.rows
            ],
        }
        for g in groups
    ]


@router.get("/assessment", response=AssessmentOut)
def assessment(request: HttpRequest, unit: str, year: int) -> Any:
    """The unit's assessment for the year with every criterion's scores (404 when there is none
    or the unit is outside the caller's reach). Scores are written with a decimal comma."""
    found = access.unit_by_code_for_view(request.user, unit)
    a = Assessment.objects.filter(unit=found, year=year).first()
    if a is None:
        raise HttpError(404, "Not Found")
    a = assessments.assessment_for_view(request.user, a.pk)
    scores = [
        {
            "group": f"{g.number}. {g.title}",
            "code": r.criterion.code,
            "criterion": r.criterion.text,
            "max": format_score(r.criterion.max_tenths),
            "self_score": format_score(r.score.self_tenths) or None,
            "evidence": r.score.evidence,
            "approved_score": format_score(r.score.approved_tenths) or None,
            "comment": r.score.comment,
        }
        for g, rows in assessments.rows_of(a)
        for r in rows
    ]
    return {
        "id": a.pk,
        "unit": a.unit.code,
        "year": a.year,
        "scorecard": a.scorecard.title,
        "owner": a.scorecard.owner.code,
        "status": a.status,
        "self_total": format_score(a.self_total_tenths) or "0",
        "approved_total": format_score(a.approved_total_tenths) or None,
        "score_grade": a.score_grade or None,
        "cap": a.cap or None,
        "cap_reason": a.cap_reason,
        "grade": a.grade or None,
        "strong": a.strong,
        "submitted_on": a.submitted_on,
        "approved_on": a.approved_on,
        "scores": scores,
    }
