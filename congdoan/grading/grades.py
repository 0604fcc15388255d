"""A unit's approved year-end grade (used by award eligibility)."""


def grade_of(unit_id: int, year: int) -> str | None:
    """The approved grade code of the unit for the year ("HTXSNV", "HTTNV", "HTNV", "KHTNV"),
    or None when it has not been graded and approved."""
    return None
