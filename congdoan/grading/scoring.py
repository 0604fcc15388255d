"""Scores as whole tenths of a point, grades from thresholds and caps, and the score of a
criterion computed from a target. Pure functions: no database."""

import re

from django.utils.translation import gettext as _

from congdoan.core.errors import ServiceError

from .models import GRADE_ORDER, Cap, Grade

TOTAL_TENTHS = 1000  # a scorecard's maxima total exactly 100 points

# Defaults of a new scorecard (the brief; DOMAIN.md §4 names the grades of Guidance
# 1294/HD-TLĐ without numbers, and provinces set their own): HTXSNV from 90 points, HTTNV
# from 70, HTNV from 50, below that KHTNV; "CĐCS vững mạnh" for HTTNV or better.
DEFAULT_THRESHOLDS = {"excellent": 900, "good": 700, "pass": 500}

_SCORE = re.compile(r"(\d{1,4})(?:[.,](\d))?")


def format_score(tenths: int | None) -> str:
    """7,5 for 75 tenths; 8 for 80 (the Vietnamese decimal comma)."""
    if tenths is None:
        return ""
    whole, tenth = divmod(int(tenths), 10)
    return f"{whole},{tenth}" if tenth else str(whole)


def parse_score(text: object, *, field: str | None = None, what: str = "") -> int | None:
    """Tenths of a point from "7,5", "7.5" or "8"; None for an empty entry.

    `what` names the criterion in the message ("criterion 1.2: ...")."""
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    prefix = f"{what}: " if what else ""
    if value.startswith("-"):
        raise ServiceError(prefix + _("a score cannot be negative."), field=field)
    found = _SCORE.fullmatch(value)
    if not found:
        if re.fullmatch(r"\d+[.,]\d{2,}", value):
            raise ServiceError(
                prefix + _("scores have at most one decimal place (e.g. 7,5)."), field=field
            )
        raise ServiceError(prefix + _("type a score such as 8 or 7,5."), field=field)
    return int(found.group(1)) * 10 + int(found.group(2) or 0)


def check_score(
    tenths: int | None, max_tenths: int, *, what: str, field: str | None = None
) -> None:
    """A score lies between 0 and the criterion's maximum."""
    if tenths is None:
        return
    if tenths < 0:
        raise ServiceError(_("%(what)s: a score cannot be negative.") % {"what": what}, field=field)
    if tenths > max_tenths:
        raise ServiceError(
            _("%(what)s: the score %(score)s is above the maximum of %(max)s.")
            % {"what": what, "score": format_score(tenths), "max": format_score(max_tenths)},
            field=field,
        )


def grade_for(total_tenths: int, *, excellent: int, good: int, passing: int) -> Grade:
    """The grade a total earns under the thresholds (each inclusive)."""
    if total_tenths >= excellent:
        return Grade.EXCELLENT
    if total_tenths >= good:
        return Grade.GOOD
    if total_tenths >= passing:
        return Grade.PASS
    return Grade.FAIL


def capped(grade: Grade | str, cap: str) -> str:
    """The final grade: the worse of the grade by score and the cap; "" when not graded."""
    if cap == Cap.NOT_GRADED:
        return ""
    if not cap:
        return str(grade)
    worst = max(GRADE_ORDER.index(Grade(grade)), GRADE_ORDER.index(Grade(cap)))
    return str(GRADE_ORDER[worst])


def is_strong(grade: str, strong_from: str) -> bool:
    """ "CĐCS vững mạnh": graded `strong_from` or better."""
    if not grade:
        return False
    return GRADE_ORDER.index(Grade(grade)) <= GRADE_ORDER.index(Grade(strong_from))


def target_score(max_tenths: int, target: int | None, achieved: int | None) -> int:
    """Full marks when achieved ≥ target, proportional below it (rounded down to a tenth),
    0 without a target."""
    if not target or target <= 0 or achieved is None or achieved <= 0:
        return 0
    if achieved >= target:
        return max_tenths
    return max_tenths * achieved // target
