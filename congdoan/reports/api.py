"""API under /api/v1/reports/: a unit's report figures for a period, the report itself (docx,
pdf or xlsx), and locks (read, create). Units and locks outside the caller's reach answer 404."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from congdoan.core.downloads import download
from congdoan.core.errors import ServiceError
from congdoan.org import access

from . import build, figures, queries, services
from .fonts import FontMissing
from .models import ReportLock
from .periods import Period, custom, make

router = Router(tags=["reports"])


def _period(
    year: int | None, half: int | None, start: datetime.date | None, end: datetime.date | None
) -> Period:
    if start or end:
        if not (start and end) or start > end:
            raise HttpError(422, "give both from and to, from not after to")
        return custom(start, end)
    if year is None:
        raise HttpError(422, "give year (and half), or from and to")
    if half not in (None, 1, 2):
        raise HttpError(422, "half is 1 or 2")
    return make(year, half)


class LockOut(Schema):
    id: int
    unit: str
    start: datetime.date
    end: datetime.date
    locked_at: datetime.datetime
    locked_by: str | None
    note: str
    active: bool
    unlocked_at: datetime.datetime | None
    unlock_reason: str

    @staticmethod
    def resolve_unit(obj: ReportLock) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_locked_by(obj: ReportLock) -> str | None:
        return obj.locked_by.get_username() if obj.locked_by else None

    @staticmethod
    def resolve_active(obj: ReportLock) -> bool:
        return obj.is_active


class LockDetail(LockOut):
    snapshot: dict[str, Any]


class LockIn(Schema):
    unit: str
    year: int | None = None
    half: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    note: str = ""


@router.get("/figures", response=dict[str, Any])
def report_figures(
    request: HttpRequest,
    unit: str,
    year: int | None = None,
    half: int | None = None,
    start: datetime.date | None = Query(None, alias="from"),  # noqa: B008
    end: datetime.date | None = Query(None, alias="to"),  # noqa: B008
) -> Any:
    """The figures the report of `unit` for the period is written from (the locked ones, with
    `lock`, if the period is locked)."""
    root = access.unit_by_code_for_view(request.user, unit)
    period = _period(year, half, start, end)
    lock = queries.active_lock(root, period)
    if lock is not None:
        return {**lock.snapshot, "lock": {"id": lock.pk, **(build.lock_info(lock) or {})}}
    return {**figures.collect_period(root, period), "lock": None}


@router.get("/report")
def report_file(
    request: HttpRequest,
    unit: str,
    format: str = "docx",
    year: int | None = None,
    half: int | None = None,
    start: datetime.date | None = Query(None, alias="from"),  # noqa: B008
    end: datetime.date | None = Query(None, alias="to"),  # noqa: B008
) -> HttpResponse:
    """The report of `unit` for the period as a file: format docx, pdf or xlsx."""
    root = access.unit_by_code_for_view(request.user, unit)
    if format not in build.FORMATS:
        raise HttpError(422, "format is docx, pdf or xlsx")
    try:
        report = build.produce(root, _period(year, half, start, end), format)
    except FontMissing as exc:
        raise HttpError(503, str(exc)) from exc
    return download(report.content, report.filename)


@router.get("/locks", response=list[LockOut])
def lock_list(request: HttpRequest, unit: str) -> Any:
    root = access.unit_by_code_for_view(request.user, unit)
    return list(queries.locks_of(root).select_related("unit"))


@router.get("/locks/{lock_id}", response=LockDetail)
def lock_detail(request: HttpRequest, lock_id: int) -> Any:
    lock = ReportLock.objects.select_related("unit", "locked_by").filter(pk=lock_id).first()
    if lock is None or not access.can_see(request.user, lock.unit):
        raise Http404
    return lock


@router.post("/locks", response={201: LockOut})
def lock_create(request: HttpRequest, payload: LockIn) -> Any:
    root = access.unit_by_code_for_view(request.user, payload.unit)
    if not access.can_write(request.user, root):
        raise Http404
    period = _period(payload.year, payload.half, payload.start, payload.end)
    try:
        lock = services.lock_create(actor=request.user, unit=root, period=period, note=payload.note)
    except ServiceError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, lock)
