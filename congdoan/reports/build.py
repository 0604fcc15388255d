"""Producing a report file: the figures of a locked period from its snapshot, of any other
period as they are now; then the Word document, the PDF or the statistics workbook."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from congdoan.core.templatetags.vn import person
from congdoan.members.services import today
from congdoan.org.models import Unit

from . import figures, queries
from .document import render_docx
from .models import ReportLock
from .pdf import render_pdf
from .periods import Period
from .workbook import render_xlsx

FORMATS = ("docx", "pdf", "xlsx")


@dataclass
class Report:
    content: bytes
    filename: str
    lock: ReportLock | None


def lock_info(lock: ReportLock | None) -> dict[str, Any] | None:
    if lock is None:
        return None
    return {
        "on": timezone.localdate(lock.locked_at).isoformat(),
        "by": person(lock.locked_by) if lock.locked_by else "",
    }


def filename(unit: Unit, period: Period, fmt: str) -> str:
    stem = "thong-ke" if fmt == "xlsx" else "bao-cao"
    if period.kind == "year":
        when = str(period.year)
    elif period.kind == "half":
        when = f"{period.year}-6-thang-{'dau' if period.half == 1 else 'cuoi'}"
    else:
        when = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return f"{stem}-{unit.code}-{when}.{fmt}"


def produce(unit: Unit, period: Period, fmt: str, *, day: datetime.date | None = None) -> Report:
    """The report of `unit` for `period` in `fmt` (docx, pdf or xlsx)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt}")
    lock = queries.active_lock(unit, period)
    data = lock.snapshot if lock is not None else figures.collect_period(unit, period)
    day = day or (timezone.localdate(lock.locked_at) if lock is not None else today())
    info = lock_info(lock)
    if fmt == "docx":
        template = queries.template_for(unit)
        content = render_docx(
            data, template=bytes(template.content) if template else None, day=day, lock=info
        )
    elif fmt == "pdf":
        content = render_pdf(data, day=day, lock=info)
    else:
        children = data.get("children") if lock is not None else None
        if children is None:
            children = figures.child_figures(unit, period)
        content = render_xlsx(data, children)
    return Report(content, filename(unit, period, fmt), lock)
