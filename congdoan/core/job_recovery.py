"""Jobs whose worker died: found and marked as failed, so that the user sees them as failed
(with a Retry button) instead of a progress bar that never moves.

A job runs in one database transaction, so a worker killed in the middle (kill -9, a crash, a
power cut, an out-of-memory kill) leaves the database as it was; only the Job row still says
"running". Two ways to find such jobs:

* on the worker's start (`fail_interrupted_jobs(older_than=0)`): with one worker, as the
  systemd unit deploy/congdoan-worker.service runs it (ExecStartPre), every job still marked
  running was interrupted, since no worker is running yet;
* by heartbeat (`fail_interrupted_jobs()`): a running job whose progress file (see core.jobs)
  has not been touched for `jobs.STALE_SECONDS` is interrupted. Safe with several workers, and
  cheap enough to call when a job's page is shown.

A failed job is run again with `jobs.retry(job)` (the Retry button of an upload's page).
"""

import time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs
from .models import Job, JobStatus


def fail_interrupted_jobs(
    older_than: float = jobs.STALE_SECONDS, *, job_ids: list[int] | None = None
) -> list[int]:
    """Mark as failed every running job (of `job_ids`, or all) silent for more than
    `older_than` seconds; 0 marks every running job. Returns the ids marked."""
    running = Job.objects.filter(status=JobStatus.RUNNING)
    if job_ids is not None:
        running = running.filter(pk__in=job_ids)
    now = time.time()
    marked = []
    for job in running:
        at = jobs.last_sign_of_life(job)
        if older_than > 0 and at is not None and now - at <= older_than:
            continue
        # Only if it is still running: a worker that finished meanwhile keeps its outcome.
        changed = Job.objects.filter(Q(pk=job.pk) & Q(status=JobStatus.RUNNING)).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_(
                "The job was interrupted (the background worker stopped) and nothing was "
                "saved. Try again."
            ),
        )
        if changed:
            marked.append(job.pk)
    return marked
