"""A unit's approved year-end grade (used by award eligibility)."""

from .models import Assessment, AssessmentStatus


def grade_of(unit_id: int, year: int) -> str | None:
    """The approved grade code of the unit for the year ("HTXSNV", "HTTNV", "HTNV", "KHTNV"),
    or None when it has not been graded and approved (or was approved as "not graded")."""
    return grades_of([unit_id], year).get(unit_id)


def grades_of(unit_ids: list[int], year: int) -> dict[int, str]:
    """{unit id: approved grade} for the units that have one for the year (one query)."""
    rows = Assessment.objects.filter(
        unit_id__in=unit_ids, year=year, status=AssessmentStatus.APPROVED
    ).exclude(grade="")
    return dict(rows.values_list("unit_id", "grade"))


def strong_of(unit_ids: list[int], year: int) -> set[int]:
    """The units titled "CĐCS vững mạnh" for the year (approved)."""
    return set(
        Assessment.objects.filter(
            unit_id__in=unit_ids, year=year, status=AssessmentStatus.APPROVED, strong=True
        ).values_list("unit_id", flat=True)
    )
