"""Template filters of the grading pages: scores with the decimal comma, grade badges."""

from django import template

from congdoan.grading.models import Grade
from congdoan.grading.scoring import format_score

register = template.Library()

_BADGE = {
    Grade.EXCELLENT: "text-bg-success",
    Grade.GOOD: "text-bg-primary",
    Grade.PASS: "text-bg-warning",
    Grade.FAIL: "text-bg-danger",
}


@register.filter
def score(tenths: int | None) -> str:
    """75 tenths → "7,5"; empty for no score."""
    return format_score(tenths)


@register.filter
def grade_badge(grade: str | None) -> str:
    """The Bootstrap badge class of a grade."""
    return _BADGE.get(grade or "", "text-bg-secondary")  # type: ignore[call-overload]


@register.filter
def grade_label(grade: str | None) -> str:
    return str(Grade(grade).label) if grade in Grade.values else ""


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "")
