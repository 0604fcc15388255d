"""Locking a period as a stored job (reports.lock): the page hands it to the worker (in tests
the jobs run in the request), the job stores the lock and its audit record, the job's page
shows its progress, and a failed or interrupted job can be tried again from it. Only the
user who started the job, while they may see its unit, reaches its page."""

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from congdoan.core import jobs as core_jobs
from congdoan.core.job_recovery import fail_interrupted_jobs
from congdoan.core.models import AuditEvent, Job, JobStatus
from congdoan.org.models import Role
from congdoan.reports import jobs, services
from congdoan.reports.models import ReportLock
from congdoan.reports.periods import make

from .conftest import Year

D = datetime.date
INTERRUPTED = (
    "The job was interrupted (the background worker stopped) and nothing was saved. Try again."
)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lock_url(year: Year, query: str = "year=2024") -> str:
    return f"/reports/unit/{year.tree.X.pk}/lock/?{query}"


def stored_job(year: Year, *, status: str, attempts: int = 0, user: Any = None) -> Job:
    """A lock job of X's 2024 as the page stores it, left where a worker would have left it
    (queued, or running when its worker died)."""
    return Job.objects.create(
        kind=jobs.KIND,
        title="Chốt số liệu",
        params=jobs.lock_params(year.tree.X, make(2024), "Hội nghị"),
        unit_id=year.tree.X.pk,
        created_by=user or year.cast.x_officer,
        status=status,
        attempts=attempts,
        started_at=timezone.now() if status == JobStatus.RUNNING else None,
    )


def test_the_page_enqueues_a_job_that_locks_the_period(year: Year) -> None:
    x = login(year.cast.x_officer)
    response = x.post(lock_url(year), {"note": "  Hội nghị tổng kết "})
    job = Job.objects.get()
    lock = ReportLock.objects.get()
    # Jobs run in the request here: the job is done, and the page goes on to the lock.
    assert (response.status_code, response["Location"]) == (302, f"/reports/lock/{lock.pk}/")
    assert (job.kind, job.unit_id, job.created_by, job.status, job.attempts, job.error) == (
        "reports.lock",
        year.tree.X.pk,
        year.cast.x_officer,
        JobStatus.DONE,
        1,
        "",
    )
    assert job.title == "Locking the figures of Unit X from 01/01/2024 to 31/12/2024"
    assert job.params == {
        "unit": year.tree.X.pk,
        "period": {"kind": "year", "from": "2024-01-01", "to": "2024-12-31", "year": 2024,
                   "half": None},
        "note": "Hội nghị tổng kết",
    }  # fmt: skip
    assert job.result == {"lock": lock.pk, "url": f"/reports/lock/{lock.pk}/"}
    assert (lock.unit, lock.start, lock.end, lock.locked_by, lock.note, lock.is_active) == (
        year.tree.X,
        D(2024, 1, 1),
        D(2024, 12, 31),
        year.cast.x_officer,
        "Hội nghị tổng kết",
        True,
    )
    assert lock.snapshot["org"]["members"] == 3
    assert [c["code"] for c in lock.snapshot["children"]] == ["X1", "X2", "X3"]
    assert lock.snapshot["period"]["from"] == "2024-01-01"
    event = AuditEvent.objects.get(action__startswith="report.")
    assert (event.action, event.actor, event.unit_id, event.target_id, event.summary) == (
        "report.lock",
        year.cast.x_officer,
        year.tree.X.pk,
        str(lock.pk),
        "01/01/2024 – 31/12/2024",
    )
    assert event.changes == {"from": "2024-01-01", "to": "2024-12-31"}
    # Its progress: all done (X's figures, its three sub-units', the lock).
    progress = core_jobs.progress_file(job.pk)
    assert (progress["done"], progress["total"], progress["message"]) == (5, 5, "Locked")
    # The lock page says so; the job's page, visited again, leads to the lock.
    body = x.get(response["Location"]).content.decode()
    assert "The figures of the period are locked." in body
    again = x.get(f"/reports/lock-job/{job.pk}/")
    assert (again.status_code, again["Location"]) == (302, f"/reports/lock/{lock.pk}/")


def test_the_job_page_shows_the_progress_while_the_job_waits_or_runs(year: Year) -> None:
    x = login(year.cast.x_officer)
    job = stored_job(year, status=JobStatus.QUEUED)
    core_jobs.write_progress(job.pk, 0, 0, "")
    body = x.get(f"/reports/lock-job/{job.pk}/").content.decode()
    assert f'hx-get="/accounts/jobs/{job.pk}/progress/"' in body
    assert "Waiting for the worker to start…" in body
    assert "Locking the figures from 01/01/2024 to 31/12/2024" in body
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    core_jobs.write_progress(job.pk, 1, 2, "Collecting the period's figures")
    body = x.get(f"/reports/lock-job/{job.pk}/").content.decode()
    assert 'value="50"' in body and "Collecting the period&#x27;s figures" in body
    assert "Try again" not in body
    # The bar's poll answers while it runs; once the job has ended, it reloads the page.
    assert x.get(f"/accounts/jobs/{job.pk}/progress/").status_code == 200
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="x")
    assert x.get(f"/accounts/jobs/{job.pk}/progress/")["HX-Refresh"] == "true"


def test_a_second_click_follows_the_pending_job(year: Year) -> None:
    pending = stored_job(year, status=JobStatus.QUEUED)
    response = login(year.cast.x_officer).post(lock_url(year), {"note": ""})
    assert response["Location"] == f"/reports/lock-job/{pending.pk}/"
    assert Job.objects.count() == 1 and not ReportLock.objects.exists()


def test_an_invalid_form_or_a_locked_period_starts_no_job(year: Year) -> None:
    x = login(year.cast.x_officer)
    long = x.post(lock_url(year), {"note": "x" * 301}, follow=True)
    assert "Ensure this value has at most 300 characters" in long.content.decode()
    assert long.redirect_chain == [(f"/reports/unit/{year.tree.X.pk}/?year=2024", 302)]
    services.lock_create(actor=year.cast.x_officer, unit=year.tree.X, period=make(2024))
    again = x.post(lock_url(year), {"note": ""}, follow=True)
    assert "The figures of this period are already locked." in again.content.decode()
    assert again.redirect_chain == [(f"/reports/unit/{year.tree.X.pk}/?year=2024", 302)]
    assert not Job.objects.exists() and ReportLock.objects.count() == 1


def test_a_job_whose_worker_died_is_shown_failed_and_a_retry_locks(year: Year) -> None:
    x = login(year.cast.x_officer)
    job = stored_job(year, status=JobStatus.RUNNING, attempts=1)
    assert fail_interrupted_jobs(older_than=0) == [job.pk]
    page = x.get(f"/reports/lock-job/{job.pk}/").content.decode()
    assert "The job failed; nothing was written." in page and INTERRUPTED in page
    assert 'name="action" value="retry"' in page and "hx-get" not in page
    response = x.post(f"/reports/lock-job/{job.pk}/", {"action": "retry"})
    lock = ReportLock.objects.get()
    assert response["Location"] == f"/reports/lock/{lock.pk}/"
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts, job.result["lock"]) == ("done", "", 2, lock.pk)
    assert (lock.note, lock.locked_by, lock.start) == ("Hội nghị", year.cast.x_officer,
                                                        D(2024, 1, 1))  # fmt: skip
    assert AuditEvent.objects.filter(action="report.lock").count() == 1
    # Retrying a job that is not failed does nothing.
    x.post(f"/reports/lock-job/{job.pk}/", {"action": "retry"})
    assert ReportLock.objects.count() == 1 and Job.objects.get().attempts == 2


def test_a_failed_job_shows_why_and_is_retried_once_the_cause_is_gone(year: Year) -> None:
    x = login(year.cast.x_officer)
    first = services.lock_create(
        actor=year.cast.province_admin, unit=year.tree.X, period=make(2024)
    )
    # Enqueued as the page does, but after someone else locked the period: the job fails.
    job = core_jobs.enqueue(kind=jobs.KIND, title="t", user=year.cast.x_officer,
                            params=jobs.lock_params(year.tree.X, make(2024), ""),
                            unit_id=year.tree.X.pk)  # fmt: skip
    assert (job.status, job.error) == ("failed", "The figures of this period are already locked.")
    page = x.get(f"/reports/lock-job/{job.pk}/").content.decode()
    assert "The figures of this period are already locked." in page and "Try again" in page
    assert x.post(f"/reports/lock-job/{job.pk}/", {"action": "retry"})["Location"] == (
        f"/reports/lock-job/{job.pk}/"
    )  # failed again: back to its page
    assert ReportLock.objects.count() == 1
    services.lock_release(actor=year.cast.province_admin, lock=first, reason="Sửa số liệu")
    response = x.post(f"/reports/lock-job/{job.pk}/", {"action": "retry"})
    lock = ReportLock.objects.get(unlocked_at__isnull=True)
    assert response["Location"] == f"/reports/lock/{lock.pk}/"
    assert (lock.locked_by, Job.objects.get().attempts) == (year.cast.x_officer, 3)


def test_a_retry_after_the_lock_was_stored_finds_it_rather_than_failing(year: Year) -> None:
    """A worker killed after the lock committed but before the job was marked done: the retry
    finds the lock its earlier attempt stored (no second lock, no second record)."""
    job = stored_job(year, status=JobStatus.RUNNING, attempts=1)
    lock = services.lock_create(
        actor=year.cast.x_officer, unit=year.tree.X, period=make(2024), note="Hội nghị"
    )
    fail_interrupted_jobs(older_than=0)
    response = login(year.cast.x_officer).post(f"/reports/lock-job/{job.pk}/", {"action": "retry"})
    assert response["Location"] == f"/reports/lock/{lock.pk}/"
    assert Job.objects.get().result["lock"] == lock.pk
    assert ReportLock.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.lock").count() == 1


def test_only_the_author_who_sees_the_unit_reaches_the_job(year: Year) -> None:
    job = stored_job(year, status=JobStatus.RUNNING)
    fail_interrupted_jobs(older_than=0)
    url = f"/reports/lock-job/{job.pk}/"
    for who in ("y_officer", "viewer", "province_admin", "chair", "nobody"):
        client = login(getattr(year.cast, who))
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"action": "retry"}).status_code == 404, who
    assert Client().get(url)["Location"].startswith("/accounts/login/")
    # Another kind of job of the author is not a lock job.
    other = Job.objects.create(kind="members.check", title="t", unit_id=year.tree.X.pk,
                               created_by=year.cast.x_officer)  # fmt: skip
    x = login(year.cast.x_officer)
    assert x.get(f"/reports/lock-job/{other.pk}/").status_code == 404
    assert x.get(f"/reports/lock-job/{other.pk + 1000}/").status_code == 404
    # The author who no longer sees the unit does not see the job either.
    Role.objects.filter(user=year.cast.x_officer).delete()
    x = login(year.cast.x_officer)
    assert x.get(url).status_code == 404
    assert x.post(url, {"action": "retry"}).status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert not ReportLock.objects.exists()


def test_an_author_who_may_only_read_the_unit_now_sees_the_job_but_cannot_retry(
    year: Year,
) -> None:
    job = stored_job(year, status=JobStatus.RUNNING)
    fail_interrupted_jobs(older_than=0)
    Role.objects.filter(user=year.cast.x_officer).update(kind="viewer")
    x = login(year.cast.x_officer)
    page = x.get(f"/reports/lock-job/{job.pk}/").content.decode()
    assert "The job failed; nothing was written." in page and 'value="retry"' not in page
    assert x.post(f"/reports/lock-job/{job.pk}/", {"action": "retry"}).status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
