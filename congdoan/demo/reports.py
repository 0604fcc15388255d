"""The demo's reports data, from the seeds (see SEED-FIGURES.md): the district federation of
seed 001 (LĐLĐ huyện Mẫu Sơn) locked its 2020 figures before its year-end conference of
14/01/2021, so its 2020 report is produced from the locked figures (the page of the lock shows
what changed since)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from congdoan.org.models import Unit
from congdoan.reports import services
from congdoan.reports.models import ReportLock
from congdoan.reports.periods import make

LOCKED_AT = datetime.datetime(2021, 1, 12, 8, 30)


def record_reports() -> None:
    """Record the demo data (called once by `manage.py demo`, inside its transaction)."""
    unit = Unit.objects.get(code="LS-MS")
    period = make(2020)
    if ReportLock.objects.filter(unit=unit, start=period.start, end=period.end).exists():
        return
    officer = get_user_model().objects.filter(username="huyen.mauson").first()
    lock = services.lock_create(
        actor=officer,
        unit=unit,
        period=period,
        note="Chốt số liệu phục vụ Hội nghị tổng kết năm 2020",
    )
    ReportLock.objects.filter(pk=lock.pk).update(locked_at=timezone.make_aware(LOCKED_AT))
