"""Stored jobs: long work run by the worker, with a progress bar that survives a page reload.

An app registers a handler for a kind of job (`register("members.import", handler)`); the
handler gets the Job and a `progress(done, total, message)` callable, does its work (usually in
one transaction, so that an interrupted or failed job leaves the database as it was), and
returns a JSON-able result. Progress goes to a small file beside the database rather than to a
row, because the job's own transaction would hide it (and SQLite would lock) until the end.
"""

import json
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Job, JobStatus

Progress = Callable[[int, int, str], None]
Handler = Callable[[Job, Progress], dict[str, Any]]
_handlers: dict[str, Handler] = {}
STALE_SECONDS = 600  # a running job silent this long was interrupted (worker killed)


def register(kind: str, handler: Handler) -> None:
    _handlers[kind] = handler


def _progress_path(job_id: int) -> Path:
    return Path(settings.JOBS_PROGRESS_DIR) / f"{job_id}.json"


def write_progress(job_id: int, done: int, total: int, message: str = "") -> None:
    path = _progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total, "message": message,
                               "at": time.time()}))  # fmt: skip
    os.replace(tmp, path)


def progress_file(job_id: int) -> dict[str, Any]:
    """What the job's progress file says: {done, total, message, at (a Unix time)}."""
    try:
        data: dict[str, Any] = json.loads(_progress_path(job_id).read_text())
    except (OSError, ValueError):
        data = {"done": 0, "total": 0, "message": "", "at": None}
    return data


def last_sign_of_life(job: Job, data: dict[str, Any] | None = None) -> float | None:
    """When the job last reported progress (or started), as a Unix time; `data` is its
    progress file if already read."""
    at = (data if data is not None else progress_file(job.pk)).get("at")
    if isinstance(at, int | float):
        return float(at)
    return job.started_at.timestamp() if job.started_at else None


def read_progress(job: Job) -> dict[str, Any]:
    """{done, total, percent, message, stale} for a job, from its progress file. A job found
    stale (its worker died) is marked failed, so that it can be retried."""
    data = progress_file(job.pk)
    total = data.get("total") or 0
    done = data.get("done") or 0
    if job.status == JobStatus.DONE:
        done, total = max(done, total, 1), max(total, 1)
    data["percent"] = int(100 * done / total) if total else 0
    at = last_sign_of_life(job, data)
    data["stale"] = (
        job.status == JobStatus.RUNNING and at is not None and (time.time() - at > STALE_SECONDS)
    )
    if data["stale"]:
        # Its worker died (killed, machine restarted): say so, so that it can be retried.
        from .job_recovery import fail_interrupted_jobs

        if fail_interrupted_jobs(job_ids=[job.pk]):
            job.refresh_from_db(fields=["status", "error", "finished_at"])
    return data


def _hand_over(job_id: int) -> None:
    """Give the job to the worker after the current transaction commits (so the worker finds
    the row); the immediate backend (tests, CONGDOAN_JOBS_IMMEDIATE) runs it here and now."""
    if settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        run_job.enqueue(job_id)
    else:
        transaction.on_commit(lambda: run_job.enqueue(job_id))


def enqueue(*, kind: str, title: str, params: dict[str, Any], user: Any,
            unit_id: int | None) -> Job:  # fmt: skip
    """Store a job and hand it to the worker once the current transaction commits."""
    if kind not in _handlers:
        raise ValueError(f"No handler for jobs of kind {kind}")
    job = Job.objects.create(kind=kind, title=title[:255], params=params, unit_id=unit_id,
                             created_by=user if getattr(user, "pk", None) else None)  # fmt: skip
    write_progress(job.pk, 0, 0, "")
    _hand_over(job.pk)
    job.refresh_from_db()
    return job


def retry(job: Job) -> Job:
    """Run a failed (or interrupted, then marked failed) job again; a job that is not failed
    (already retried by a second click, say) is left as it is."""
    requeued = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
        status=JobStatus.QUEUED, error="", finished_at=None
    )
    if requeued:
        write_progress(job.pk, 0, 0, "")
        _hand_over(job.pk)
    job.refresh_from_db()
    return job


@task()
def run_job(job_id: int) -> None:
    """The worker's entry point: run one stored job and record how it ended."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return
    # Claimed only if still queued: a job is never run twice at once.
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1
    )
    if not claimed:
        return

    def progress(done: int, total: int, message: str = "") -> None:
        write_progress(job.pk, done, total, message)

    try:
        result = _handlers[job.kind](job, progress)
    except Exception as exc:  # the job's error is the user's to read; the worker carries on
        message = " ".join(getattr(exc, "messages", [])) or str(exc) or exc.__class__.__name__
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=message[:5000], finished_at=timezone.now(),
            result={"traceback": traceback.format_exc()[-4000:]},
        )  # fmt: skip
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, result=result,
                                         finished_at=timezone.now())  # fmt: skip
