"""API for members: the roster of a unit's subtree (keyset pages) and one member, scoped like
the pages; CCCD and phone are masked, as in lists."""

import datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from congdoan.core import jobs
from congdoan.core.models import UploadStatus
from congdoan.core.uploads import upload_create
from congdoan.core.users import user_of
from congdoan.org import access

from . import queries, services
from .models import Member, RosterUpload
from .views import roster_download

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    full_name: str
    birth_date: datetime.date
    sex: str
    ethnicity: str
    status: str
    card_number: str | None
    unit_code: str
    joined_on: datetime.date | None
    party_member: bool
    cccd_masked: str
    phone_masked: str

    @staticmethod
    def resolve_unit_code(obj: Member) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_cccd_masked(obj: Member) -> str:
        return queries.mask_cccd(obj.cccd) if obj.cccd else ""

    @staticmethod
    def resolve_phone_masked(obj: Member) -> str:
        return queries.mask_phone(obj.phone) if obj.phone else ""


class RosterPage(Schema):
    items: list[MemberOut]
    next: str | None


@router.get("/", response=RosterPage)
def roster(request: HttpRequest, unit: str, q: str = "", status: str = "active",
           after: str | None = None, limit: int = 50) -> Any:  # fmt: skip
    """Members of `unit`'s subtree in Vietnamese name order; pass `next` as `after` for the
    following page."""
    root = access.unit_by_code_for_view(request.user, unit)
    f = queries.RosterFilter(status="" if status == "all" else status, q=q)
    qs = queries.roster(root, f, services.today()).select_related("unit")
    rows, cursor = queries.page_after(qs, after, size=max(1, min(limit, 200)))
    return {"items": rows, "next": cursor}


@router.get("/{int:member_id}", response=MemberOut)
def member(request: HttpRequest, member_id: int) -> Any:
    return queries.member_for_view(request.user, member_id)


class UploadOut(Schema):
    id: int
    file_name: str
    status: str
    counts: dict[str, int]
    problems: list[list[Any]]
    job_status: str | None

    @staticmethod
    def resolve_job_status(obj: RosterUpload) -> str | None:
        return obj.job.status if obj.job else None


def _upload_for(request: HttpRequest, upload_id: int) -> RosterUpload:
    upload = (
        RosterUpload.objects.select_related("unit", "job")
        .filter(pk=upload_id, created_by_id=getattr(request.user, "pk", None))
        .first()
    )
    if upload is None or not access.can_write(request.user, upload.unit):
        raise Http404
    return upload


@router.post("/imports", response=UploadOut)
def import_roster(request: HttpRequest, unit: str, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """Upload a roster for `unit`'s subtree; it is checked in the background (poll the import
    until its status is "checked"), and nothing is written until it is applied."""
    root = access.unit_by_code_for_view(request.user, unit)
    if not access.can_write(request.user, root):
        raise Http404
    content = file.read()
    if len(content) > settings.CONGDOAN_MAX_UPLOAD_BYTES:
        raise HttpError(413, "The file is too large.")
    stored = upload_create(actor=user_of(request), model=RosterUpload,
                                   file_name=file.name or "roster", content=content,
                                   unit=root)  # fmt: skip
    _start_job(request, stored, "members.check")
    return _upload_for(request, stored.pk)


@router.get("/imports/{upload_id}", response=UploadOut)
def import_status(request: HttpRequest, upload_id: int) -> Any:
    return _upload_for(request, upload_id)


@router.post("/imports/{upload_id}/apply", response=UploadOut)
def import_apply(request: HttpRequest, upload_id: int) -> Any:
    """Import a checked roster with no problems (all or nothing, in the background)."""
    upload = _upload_for(request, upload_id)
    if upload.status != UploadStatus.CHECKED or upload.problems:
        raise HttpError(409, "Only a checked roster with no problems can be imported.")
    _start_job(request, upload, "members.import")
    return _upload_for(request, upload_id)


def _start_job(request: HttpRequest, upload: RosterUpload, kind: str) -> None:
    job = jobs.enqueue(kind=kind, title=f"{kind} {upload.file_name}", params={"upload": upload.pk},
                       user=request.user, unit_id=upload.unit_id)  # fmt: skip
    RosterUpload.objects.filter(pk=upload.pk).update(job=job)


@router.get("/export")
def export_roster(request: HttpRequest, unit: str, format: str = "csv") -> HttpResponse:
    """The active roster of `unit`'s subtree in the importer's columns (officers; logged)."""
    root = access.unit_by_code_for_view(request.user, unit)
    if not access.can_write(request.user, root):
        raise Http404
    members = queries.roster(root, queries.RosterFilter(), services.today())
    return roster_download(
        actor=request.user, unit=root, members=members, fmt="xlsx" if format == "xlsx" else "csv"
    )
