"""A job whose worker died shows as failed once it has been silent too long, and can be retried;
a job still giving signs of life is left running."""

import json
import time

import pytest
from django.utils import timezone

from congdoan.core import jobs
from congdoan.core.models import Job, JobStatus


def running_job(silent_for: float) -> Job:
    job = Job.objects.create(kind="members.import", title="t", status=JobStatus.RUNNING,
                             started_at=timezone.now(), attempts=1)  # fmt: skip
    path = jobs._progress_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    at = time.time() - silent_for
    path.write_text(json.dumps({"done": 5, "total": 10, "message": "", "at": at}))
    return job


@pytest.mark.django_db
def test_a_silent_running_job_is_marked_failed_when_read() -> None:
    dead = running_job(silent_for=jobs.STALE_SECONDS + 60)
    alive = running_job(silent_for=5)

    assert jobs.read_progress(dead)["stale"] is True
    assert dead.status == JobStatus.FAILED  # the object read is updated too
    assert "interrupted" in Job.objects.get(pk=dead.pk).error

    assert jobs.read_progress(alive)["stale"] is False
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING
