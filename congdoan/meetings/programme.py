"""Working-session programmes (seed 002: the standing committee works with each of 10 emulation
blocs from 01/03 to 09/03/2021): one session per bloc of an owner unit and year, on the working
days of a date range (weekends and public holidays skipped), in the morning, or also in the
afternoon when there are more blocs than days; previewed, then created as meetings, and printed
as a calendar in the administrative format.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.admin_docx import AdminDocument
from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi
from congdoan.emulation.blocs import blocs_of_owner
from congdoan.emulation.models import Bloc, BlocMember
from congdoan.org import access
from congdoan.org.models import Unit

from .models import Holiday, Meeting, MeetingKind, WorkProgramme
from .services import Actor, MeetingData, _user, meeting_create

MORNING = (datetime.time(8, 0), datetime.time(11, 0))
AFTERNOON = (datetime.time(14, 0), datetime.time(17, 0))
LONGEST_DAYS = 92
ONE = datetime.timedelta(days=1)
WEEKDAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


@dataclass(frozen=True)
class Slot:
    """One session of the programme, before it is created."""

    date: datetime.date
    start: datetime.time
    end: datetime.time
    bloc: Bloc
    host: Unit
    place: str
    units: tuple[Unit, ...]

    @property
    def title(self) -> str:
        return f"Ban Thường vụ làm việc với {self.bloc.name}"


def _natural(name: str) -> list[tuple[int, int | str]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p]


def working_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Days from `first` to `last` that are neither Saturday, Sunday nor a public holiday."""
    off = set(
        Holiday.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True)
    )
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += ONE
    return days


def plan_sessions(
    *, owner: Unit, year: int, first_day: datetime.date, last_day: datetime.date, place: str = ""
) -> list[Slot]:
    """The sessions the programme would hold, in order; a ServiceError when it cannot."""
    if last_day < first_day:
        raise ServiceError(_("The last day is before the first day."), field="last_day")
    if (last_day - first_day).days >= LONGEST_DAYS:
        raise ServiceError(
            _("A programme spans at most %(n)s days.") % {"n": LONGEST_DAYS}, field="last_day"
        )
    # Blocs in natural order of their names ("Cụm 2" before "Cụm 10").
    blocs = sorted(blocs_of_owner(owner, year), key=lambda b: (_natural(b.name), b.pk))
    if not blocs:
        raise ServiceError(
            _("%(unit)s has no emulation blocs in %(year)s.") % {"unit": owner.name, "year": year},
            field="year",
        )
    days = working_days(first_day, last_day)
    if not days:
        raise ServiceError(
            _(
                "There is no working day from %(first)s to %(last)s: Saturdays, Sundays and public "
                "holidays are skipped."
            )
            % {"first": date_vi(first_day), "last": date_vi(last_day)},
            field="first_day",
        )
    if len(blocs) > 2 * len(days):
        raise ServiceError(
            _(
                "From %(first)s to %(last)s there are %(days)s working days, so %(slots)s sessions "
                "at most (morning and afternoon), fewer than the %(blocs)s blocs. Choose a longer "
                "range."
            )
            % {
                "first": date_vi(first_day),
                "last": date_vi(last_day),
                "days": len(days),
                "slots": 2 * len(days),
                "blocs": len(blocs),
            },
            field="last_day",
        )
    # The first days hold two sessions (morning and afternoon) when there are more blocs than
    # days; the others one, in the morning; the programme then runs to the range's end.
    doubled = max(len(blocs) - len(days), 0)
    times: list[tuple[datetime.date, tuple[datetime.time, datetime.time]]] = []
    for i, day in enumerate(days):
        times.append((day, MORNING))
        if i < doubled:
            times.append((day, AFTERNOON))
    members: dict[int, list[Unit]] = {}
    rows = (
        BlocMember.objects.filter(bloc__in=blocs).select_related("unit").order_by("position", "id")
    )
    for row in rows:
        members.setdefault(row.bloc_id, []).append(row.unit)
    slots = []
    for bloc, (day, (start, end)) in zip(blocs, times, strict=False):
        host = bloc.leader
        where = place.strip() or f"Trụ sở {host.name}" + (
            f", {host.address}" if host.address else ""
        )
        slots.append(Slot(day, start, end, bloc, host, where, tuple(members.get(bloc.pk, []))))
    return slots


def programme_for_view(user: Actor, pk: int) -> WorkProgramme:
    programme = WorkProgramme.objects.select_related("unit").filter(pk=pk).first()
    if programme is None or user is None or not access.can_see_from_below(user, programme.unit):
        raise Http404
    return programme


def sessions_of(programme: WorkProgramme) -> QuerySet[Meeting]:
    return programme.sessions.select_related("bloc", "host_unit").order_by(
        "date", "start_time", "id"
    )


@audited
def programme_create(
    *,
    actor: Actor,
    owner: Unit,
    year: int,
    first_day: datetime.date,
    last_day: datetime.date,
    title: str = "",
    place: str = "",
    is_demo: bool = False,
) -> WorkProgramme:
    """Create the programme and one working-session meeting per bloc."""
    if actor is not None and not access.can_write(actor, owner):
        raise Http404
    slots = plan_sessions(
        owner=owner, year=year, first_day=first_day, last_day=last_day, place=place
    )
    title = " ".join((title or "").split()) or (
        f"Chương trình làm việc của Ban Thường vụ với các cụm thi đua năm {year}"
    )
    programme = WorkProgramme.objects.create(
        unit=owner,
        year=year,
        title=title[:255],
        first_day=first_day,
        last_day=last_day,
        created_by=_user(actor),
        is_demo=is_demo,
    )
    for slot in slots:
        meeting_create(
            actor=actor,
            unit=owner,
            is_demo=is_demo,
            data=MeetingData(
                kind=MeetingKind.WORKING_SESSION,
                title=slot.title,
                date=slot.date,
                start_time=slot.start,
                end_time=slot.end,
                place=slot.place,
                represented=[u.code for u in slot.units if u.path.startswith(owner.path)],
            ),
            programme=programme,
            bloc=slot.bloc,
            host_unit=slot.host,
        )
    audit_record(
        actor=actor,
        action="work_programme.create",
        target=programme,
        unit_id=owner.pk,
        changes={
            "title": programme.title,
            "first_day": first_day,
            "last_day": last_day,
            "sessions": len(slots),
        },
        summary=programme.title,
    )
    return programme


def _time(meeting: Meeting) -> str:
    if meeting.start_time is None:
        return ""
    part = "Sáng" if meeting.start_time.hour < 12 else "Chiều"
    end = f" - {meeting.end_time:%H}h{meeting.end_time:%M}" if meeting.end_time else ""
    return f"{part} ({meeting.start_time:%H}h{meeting.start_time:%M}{end})"


def calendar_document(programme: WorkProgramme) -> bytes:
    """The calendar as a .docx: the owner's header, the title, one row per session."""
    owner = programme.unit
    sessions = [s for s in sessions_of(programme) if not s.is_cancelled]
    doc = AdminDocument(
        superior=owner.parent.name.upper() if owner.parent is not None else "",
        issuer=owner.name.upper(),
        number="",
        place=owner.address.split(",")[-1].strip() if owner.address else "",
        day=programme.created_at.date() if programme.created_at else None,
        kind="LỊCH LÀM VIỆC CỦA BAN THƯỜNG VỤ VỚI CÁC CỤM THI ĐUA",
        title=f"Từ ngày {date_vi(programme.first_day)} đến ngày {date_vi(programme.last_day)}",
        landscape=True,
    )
    rows = [
        [
            str(i),
            f"{WEEKDAYS_VI[s.date.weekday()]}, {date_vi(s.date)}",
            _time(s),
            s.bloc.name if s.bloc else s.title,
            s.place,
            s.host_unit.name if s.host_unit else "",
        ]
        for i, s in enumerate(sessions, 1)
    ]
    doc.table(
        ["STT", "Ngày", "Thời gian", "Cụm thi đua", "Địa điểm", "Đơn vị chủ trì"],
        rows,
        widths_cm=[1.2, 4.2, 3.6, 5.0, 6.0, 5.0],
    )
    doc.paragraph(
        "Đề nghị các đơn vị trưởng cụm chuẩn bị nội dung báo cáo và bố trí địa điểm làm việc; "
        "các đơn vị trong cụm cử đại diện tham dự đầy đủ."
    )
    doc.closing(
        ["Các cụm thi đua;", "Lưu VT."], position="CHỦ TỊCH", name="", on_behalf="TM. BAN THƯỜNG VỤ"
    )
    return doc.to_bytes()
