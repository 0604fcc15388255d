"""Locking a period's figures: the snapshot, reports from it after later corrections, what
changed since, unlocking (the right role and a reason), and the audit trail."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from congdoan.conftest import make_member
from congdoan.core.admin_docx import document_text
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.reports import build, queries, services
from congdoan.reports.models import ReportLock
from congdoan.reports.periods import make

from .conftest import Year

D = datetime.date
SENTENCE = (
    "Tính đến ngày 31/12/2024, Liên đoàn Lao động huyện hiện có 3 công đoàn cơ sở trực "
    "thuộc với {} đoàn viên ({} nữ, 1 đảng viên)."
)


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_locked_period_is_reported_from_its_snapshot(year: Year) -> None:
    lock = services.lock_create(
        actor=year.cast.x_officer, unit=year.tree.X, period=make(2024), note="Hội nghị tổng kết"
    )
    assert (lock.start, lock.end, lock.locked_by, lock.note) == (
        D(2024, 1, 1),
        D(2024, 12, 31),
        year.cast.x_officer,
        "Hội nghị tổng kết",
    )
    assert lock.snapshot["org"]["members"] == 3
    assert [c["code"] for c in lock.snapshot["children"]] == ["X1", "X2", "X3"]
    # A member admitted later with a date in 2024 (a correction) changes the live figures...
    make_member(year.tree.X3, "Phạm Thị Mai", admit_on=D(2024, 5, 1))
    # ...but not the report of the locked period, which says it was locked.
    report = build.produce(year.tree.X, make(2024), "docx")
    lines = document_text(report.content)
    assert SENTENCE.format(3, 2) in lines
    assert any(line.startswith("Số liệu đã chốt ngày") for line in lines)
    assert report.lock == lock
    # What changed since locking, figure by figure.
    rows = {
        r["path"]: r
        for r in queries.changes(
            lock.snapshot, build.figures.collect_period(year.tree.X, make(2024))
        )
    }
    assert rows["org.members"] == {"path": "org.members", "locked": 3, "current": 4, "diff": 1}
    assert rows["org.female_members"]["diff"] == 1
    # The workbook of the locked period comes from the snapshot too.
    wb = load_workbook(io.BytesIO(build.produce(year.tree.X, make(2024), "xlsx").content))
    assert [row[3].value for row in wb["Tổ chức, đoàn viên"].iter_rows(min_row=3)] == [2, 1, 0, 3]
    # Unlocked: the live figures again.
    services.lock_release(actor=year.cast.province_officer, lock=lock, reason="Bổ sung đoàn viên")
    assert SENTENCE.format(4, 3) in document_text(
        build.produce(year.tree.X, make(2024), "docx").content
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="report.")
        .order_by("id")
        .values_list("action", "unit_id", "summary")
    ) == [
        ("report.lock", year.tree.X.pk, "01/01/2024 – 31/12/2024"),
        ("report.unlock", year.tree.X.pk, "Bổ sung đoàn viên"),
    ]


def test_locking_twice_and_unlocking_rules(year: Year) -> None:
    lock = services.lock_create(actor=year.cast.x_officer, unit=year.tree.X, period=make(2024))
    with pytest.raises(ServiceError, match="already locked"):
        services.lock_create(actor=year.cast.province_officer, unit=year.tree.X, period=make(2024))
    # Another period, or another unit, can be locked.
    services.lock_create(actor=year.cast.x_officer, unit=year.tree.X, period=make(2024, 1))
    with pytest.raises(ServiceError, match="may not lock"):
        services.lock_create(actor=year.cast.viewer, unit=year.tree.X, period=make(2023))
    with pytest.raises(ServiceError, match="may not lock"):
        services.lock_create(actor=year.cast.y_officer, unit=year.tree.X, period=make(2023))
    # The officer of X may lock but not unlock (that takes an administrator of X or the
    # union above); a reason is needed.
    with pytest.raises(ServiceError, match="administrator"):
        services.lock_release(actor=year.cast.x_officer, lock=lock, reason="x")
    with pytest.raises(ServiceError, match="reason") as caught:
        services.lock_release(actor=year.cast.province_admin, lock=lock, reason="  ")
    assert caught.value.field == "reason"
    assert ReportLock.objects.get(pk=lock.pk).is_active
    services.lock_release(actor=year.cast.province_admin, lock=lock, reason="Sửa số liệu")
    with pytest.raises(ServiceError, match="not locked"):
        services.lock_release(actor=year.cast.province_admin, lock=lock, reason="again")
    # Locked again after unlocking: a new lock; the old one stays in the history.
    again = services.lock_create(actor=year.cast.x_officer, unit=year.tree.X, period=make(2024))
    assert [
        (x.pk, x.is_active) for x in queries.locks_of(year.tree.X) if x.end == D(2024, 12, 31)
    ] == [(again.pk, True), (lock.pk, False)]


def test_lock_pages(year: Year) -> None:
    x = login(year.cast.x_officer)
    page = x.get(f"/reports/unit/{year.tree.X.pk}/?year=2024")
    assert "Lock the figures" in page.content.decode()
    response = x.post(f"/reports/unit/{year.tree.X.pk}/lock/?year=2024", {"note": "Chốt"})
    lock = ReportLock.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/lock/{lock.pk}/"
    again = x.post(f"/reports/unit/{year.tree.X.pk}/lock/?year=2024", {"note": ""}, follow=True)
    assert "already locked" in again.content.decode()
    assert ReportLock.objects.count() == 1
    make_member(year.tree.X3, "Phạm Thị Mai", admit_on=D(2024, 5, 1))
    body = x.get(f"/reports/lock/{lock.pk}/").content.decode()
    assert "What changed since locking" in body and "Organisation and members" in body
    assert "Unlock" not in body.split("What changed")[0].split("</dl>")[1]
    # The officer of X may not unlock (404); the province's may, with a reason.
    assert x.get(f"/reports/lock/{lock.pk}/unlock/").status_code == 404
    p = login(year.cast.province_officer)
    missing = p.post(f"/reports/lock/{lock.pk}/unlock/", {"reason": ""})
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()
    done = p.post(f"/reports/lock/{lock.pk}/unlock/", {"reason": "Bổ sung"})
    assert done.status_code == 302
    lock.refresh_from_db()
    assert (lock.is_active, lock.unlock_reason, lock.unlocked_by) == (
        False,
        "Bổ sung",
        year.cast.province_officer,
    )
    # A viewer sees the lock but cannot lock.
    viewer = login(year.cast.viewer)
    assert viewer.get(f"/reports/lock/{lock.pk}/").status_code == 200
    assert viewer.post(f"/reports/unit/{year.tree.X.pk}/lock/?year=2023").status_code == 404
    assert ReportLock.objects.count() == 1


def test_changed_figures_are_named() -> None:
    assert queries.label_of("org.members") == ("Organisation and members", "Số đoàn viên")
    assert queries.label_of("sections.care.people_supported") == (
        "Care and welfare",
        "Số người được thăm hỏi, hỗ trợ",
    )
    assert queries.label_of("sections.care.by_programme[Tết].support_vnd") == (
        "Care and welfare",
        "by programme[Tết].support vnd",
    )
    locked = {
        "org": {"members": 3},
        "awards": [{"form": "Bằng khen", "giver_kind": "x", "collectives": 1}],
    }
    now = {"org": {"members": 3}, "awards": []}
    assert queries.changes(locked, now) == [
        {"path": "awards[Bằng khen / x].collectives", "locked": 1, "current": None, "diff": -1}
    ]
