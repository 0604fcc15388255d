"""API under /api/v1/meetings/: a unit's meetings (filters kind, year), one meeting, a unit's
inspections, one inspection; scoped like the pages (404 outside)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from congdoan.org import access

from . import inspections, services
from .models import Inspection, InspectionState, Meeting, MeetingKind, Subject

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    unit_code: str
    kind: str
    parts: list[str]
    title: str
    date: datetime.date
    start_time: datetime.time | None
    end_date: datetime.date | None
    end_time: datetime.time | None
    place: str
    status: str

    @staticmethod
    def resolve_unit_code(obj: Meeting) -> str:
        return obj.unit.code


class GuestOut(Schema):
    name: str
    title: str
    organisation: str


class MeetingDetailOut(MeetingOut):
    chair_name: str
    chair_position: str
    plenary_number: int | None
    committee_term: str
    expanded: bool
    congress_term: str
    summary: str
    guests: list[GuestOut]
    agenda: list[str]
    units_represented: list[str]
    decisions: list[str]
    pacts: list[str]
    documents: list[str]

    @staticmethod
    def resolve_guests(obj: Meeting) -> list[dict[str, str]]:
        return [
            {"name": g.name, "title": g.title, "organisation": g.organisation}
            for g in obj.guests.all()
        ]

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[str]:
        return [a.text for a in obj.agenda.all()]

    @staticmethod
    def resolve_units_represented(obj: Meeting) -> list[str]:
        return list(obj.units_represented.order_by("code").values_list("code", flat=True))

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list[str]:
        return list(obj.decisions.order_by("date", "id").values_list("number", flat=True))

    @staticmethod
    def resolve_pacts(obj: Meeting) -> list[str]:
        return [
            f"{p.title} · {p.bloc.name}"
            for p in obj.pacts.select_related("bloc").order_by("dated", "id")
        ]

    @staticmethod
    def resolve_documents(obj: Meeting) -> list[str]:
        return list(
            obj.documents.order_by("uploaded_at", "id").values_list("original_name", flat=True)
        )


class MeetingPage(Schema):
    unit: str
    count: int
    items: list[MeetingOut]


class InspectionOut(Schema):
    id: int
    unit_code: str
    plan: str
    year: int
    mode: str
    inspected_unit: str | None
    employer_name: str
    employer_tax_code: str
    subjects: list[str]
    start_date: datetime.date
    end_date: datetime.date | None
    state: str
    done_on: datetime.date | None
    followed_up_on: datetime.date | None
    closed_on: datetime.date | None
    findings: str
    recommendations: str

    @staticmethod
    def resolve_unit_code(obj: Inspection) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_plan(obj: Inspection) -> str:
        return obj.plan.name

    @staticmethod
    def resolve_year(obj: Inspection) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_inspected_unit(obj: Inspection) -> str | None:
        return obj.inspected_unit.code if obj.inspected_unit else None

    @staticmethod
    def resolve_subjects(obj: Inspection) -> list[str]:
        return obj.subject_list()


class InspectionPage(Schema):
    unit: str
    count: int
    items: list[InspectionOut]


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, 500)), max(0, offset)


@router.get("/inspections", response=InspectionPage)
def inspection_list(
    request: HttpRequest,
    unit: str,
    year: int | None = None,
    state: str = "",
    subject: str = "",
    limit: int = 100,
    offset: int = 0,
) -> Any:
    """Inspections run by `unit`'s subtree, newest first."""
    root = access.unit_by_code_for_view(request.user, unit)
    if state and state not in InspectionState.values:
        raise HttpError(422, f"state is one of {', '.join(InspectionState.values)}")
    if subject and subject not in Subject.values:
        raise HttpError(422, f"subject is one of {', '.join(Subject.values)}")
    qs = inspections.inspections_of(root, year=year, state=state, subject=subject)
    limit, offset = _page(limit, offset)
    return {
        "unit": root.code,
        "count": qs.count(),
        "items": list(qs.select_related("unit")[offset : offset + limit]),
    }


@router.get("/inspections/{inspection_id}", response=InspectionOut)
def inspection_detail(request: HttpRequest, inspection_id: int) -> Any:
    return inspections.inspection_for_view(request.user, inspection_id)


@router.get("", response=MeetingPage)
def meeting_list(
    request: HttpRequest,
    unit: str,
    kind: str = "",
    year: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Any:
    """Meetings held by `unit`'s subtree, newest first."""
    root = access.unit_by_code_for_view(request.user, unit)
    if kind and kind not in MeetingKind.values:
        raise HttpError(422, f"kind is one of {', '.join(MeetingKind.values)}")
    qs = services.meetings_of(root, kind=kind, year=year)
    limit, offset = _page(limit, offset)
    return {
        "unit": root.code,
        "count": qs.count(),
        "items": list(qs.select_related("unit")[offset : offset + limit]),
    }


@router.get("/{meeting_id}", response=MeetingDetailOut)
def meeting_detail(request: HttpRequest, meeting_id: int) -> Any:
    return services.meeting_for_view(request.user, meeting_id)
