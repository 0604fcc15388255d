"""What is kept beyond the people's records: the photos and papers of a leaver's house go with
their anonymisation, and uploaded spreadsheets are emptied or deleted after
CONGDOAN_UPLOAD_RETENTION_DAYS."""

import datetime
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from congdoan.care import documents, houses
from congdoan.care.models import CareDocument, HouseCase
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.models import AuditEvent, Job, JobStatus, UploadStatus
from congdoan.members import services as member_services
from congdoan.members.models import RosterUpload
from congdoan.privacy import services

D = datetime.date
PDF = b"%PDF-1.4 giay xac nhan ho ngheo\n%%EOF\n"


def test_anonymising_deletes_the_photos_and_papers_of_their_house(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    old = make_member(tree.X1, "Trần Thị Hoa", admit_on=D(2010, 1, 1))
    case = houses.house_create(actor=cast.chair, unit=tree.X1, member=old, kind="repair",
                               amount_vnd=30_000_000, proposed_on=D(2016, 5, 1),
                               circumstances="Nhà dột")  # fmt: skip
    doc = documents.document_add(actor=cast.chair, house=case, upload=io.BytesIO(PDF),
                                 name="ho-ngheo.pdf", caption="Giấy xác nhận")  # fmt: skip
    stored = Path(settings.MEDIA_ROOT) / doc.file.name
    assert stored.read_bytes() == PDF
    member_services.member_leave(actor=None, member=old, kind="withdrawn", date=D(2018, 6, 30))

    with django_capture_on_commit_callbacks(execute=True):
        services.anonymise(old, actor=cast.province_admin, as_of=D(2026, 1, 1))

    assert CareDocument.objects.count() == 0
    assert not stored.exists()
    assert HouseCase.objects.get(pk=case.pk).circumstances == ""  # the case itself stays
    event = AuditEvent.objects.get(action="personal.anonymise")
    assert event.changes["documents_deleted"] == [None, 1]


def _upload(tree: Tree, status: str, days_ago: int, name: str) -> RosterUpload:
    upload = RosterUpload.objects.create(
        unit=tree.X1, file_name=name, content=b"PK\x03\x04 roster", sha256="0" * 64,
        status=status, problems=[[3, "B", "Nguyễn Văn A: ngày sinh sai"]],
        counts={"create": 12},
    )  # fmt: skip
    RosterUpload.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return upload


def test_old_uploads_are_emptied_or_deleted(tree: Tree, cast: Cast) -> None:
    imported = _upload(tree, UploadStatus.APPLIED, 31, "imported.xlsx")
    abandoned = _upload(tree, UploadStatus.CHECKED, 45, "abandoned.xlsx")
    recent = _upload(tree, UploadStatus.CHECKED, 29, "recent.xlsx")
    importing = _upload(tree, UploadStatus.CHECKED, 40, "importing.xlsx")
    job = Job.objects.create(kind="members.import", title="t", params={}, status=JobStatus.RUNNING)
    RosterUpload.objects.filter(pk=importing.pk).update(job=job)

    out = io.StringIO()
    call_command("purge_uploads", stdout=out)
    assert out.getvalue().strip() == (
        "1 imported files emptied, 1 files never imported deleted (older than 30 days)."
    )
    imported.refresh_from_db()
    assert (bytes(imported.content), imported.problems, imported.counts) == (
        b"",
        [],
        {"create": 12},
    )
    assert not RosterUpload.objects.filter(pk=abandoned.pk).exists()
    recent.refresh_from_db()
    assert bytes(recent.content) == b"PK\x03\x04 roster"
    assert RosterUpload.objects.filter(pk=importing.pk).exists()  # a job is importing it
    assert sorted(AuditEvent.objects.filter(action__startswith="upload.").values_list(
        "action", "target_id", "actor_id")) == [
        ("upload.clear", str(imported.pk), None),
        ("upload.delete", str(abandoned.pk), None),
    ]  # fmt: skip
    # A second run finds nothing more to do.
    assert services.uploads_purge() == {"cleared": 0, "deleted": 0}
