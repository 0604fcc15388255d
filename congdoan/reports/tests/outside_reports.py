"""Report URLs with an id, each with a record under Q1 that the cast must not reach (read by
congdoan/org/tests/test_access.py)."""

import datetime
from collections.abc import Callable
from typing import Any

from congdoan.conftest import Cast, Tree
from congdoan.core.models import Job
from congdoan.reports import jobs
from congdoan.reports.models import ReportLock
from congdoan.reports.periods import make


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def lock(user: Any) -> int:
        found = ReportLock.objects.filter(unit=tree.Q1).first()
        if found is not None:
            return found.pk
        return ReportLock.objects.create(
            unit=tree.Q1,
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2024, 12, 31),
            snapshot={"unit": {"name": "Unit Q1"}},
        ).pk

    def lock_job(user: Any) -> int:
        # A failed lock job of Q1 started by the user themself (as if they had a role
        # there once): out of their reach now, its page and its retry answer 404.
        return Job.objects.create(
            kind=jobs.KIND,
            title="t",
            params=jobs.lock_params(tree.Q1, make(2024), ""),
            unit_id=tree.Q1.pk,
            status="failed",
            created_by=user,
        ).pk

    return {
        "unit_reports": unit,
        "unit_report_download": unit,
        "unit_report_lock": unit,
        "unit_report_template": unit,
        "unit_report_template_download": unit,
        "unit_report_template_remove": unit,
        "report_lock": lock,
        "report_lock_unlock": lock,
        "report_lock_job": lock_job,
    }
