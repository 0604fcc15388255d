"""The reports' job the worker runs: locking (chốt) a period's figures of a unit.

Collecting the figures of a large unit (a province, with every sub-unit's figures for the
workbook) takes a while, so the lock page hands it to the worker and shows its progress. The
job calls `services.lock_create`, which collects and stores the snapshot in one transaction:
a job interrupted in the middle leaves no lock behind, and can be retried.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from congdoan.core import jobs
from congdoan.core.errors import ServiceError
from congdoan.core.models import Job
from congdoan.org.models import Unit

from . import queries, services
from .models import ReportLock
from .periods import Period

KIND = "reports.lock"
STEPS = 2  # the unit's figures, then its sub-units' (one step each, told by lock_create)


def lock_params(unit: Unit, period: Period, note: str) -> dict[str, Any]:
    """What a lock job needs to know, as JSON (the job's `params`)."""
    return {"unit": unit.pk, "period": period.to_dict(), "note": note}


def _locked_by_earlier_attempt(job: Job, unit: Unit, period: Period) -> ReportLock | None:
    """The lock an earlier attempt of this job stored, if its worker died after committing it
    but before recording that the job was done: a retry then finds its work already done."""
    if not job.attempts:  # `job` was read before this attempt was counted
        return None
    lock = queries.active_lock(unit, period)
    if lock is None or lock.locked_by_id != job.created_by_id or lock.locked_at < job.created_at:
        return None
    return lock


def lock_period(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """Lock the period's figures of the job's unit, as the job's author (whose right to lock
    the unit's figures the service checks again)."""
    unit = Unit.objects.filter(pk=job.params["unit"]).first()
    if unit is None:
        raise ServiceError(_("The unit no longer exists; nothing was locked."))
    actor = job.created_by
    if actor is None:  # a lock names who locked it; the service would take None for the system
        raise ServiceError(_("The job's author no longer has an account; nothing was locked."))
    period = Period.from_dict(job.params["period"])
    progress(0, 0, _("Collecting the period's figures"))
    steps = {"total": STEPS}

    def told(done: int, total: int, name: str) -> None:
        steps["total"] = total
        progress(done, total, name)

    lock = _locked_by_earlier_attempt(job, unit, period) or services.lock_create(
        actor=actor, unit=unit, period=period, note=job.params.get("note", ""), progress=told
    )
    progress(steps["total"], steps["total"], _("Locked"))
    return {"lock": lock.pk, "url": reverse("report_lock", args=[lock.pk])}


jobs.register(KIND, lock_period)
