"""Meetings URLs with an id, each with a record under Q1 that the cast must not reach (read by
congdoan/org/tests/test_access.py)."""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from congdoan.conftest import Cast, Tree
from congdoan.meetings.models import (
    Inspection,
    InspectionPlan,
    Meeting,
    MeetingDocument,
    WorkProgramme,
)

D = datetime.date
PDF = b"%PDF-1.4\n%outside\n"


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def meeting(user: Any) -> int:
        found = Meeting.objects.filter(unit=tree.Q1).first()
        if found is None:
            found = Meeting.objects.create(
                unit=tree.Q1, kind="other", title="Q1", date=D(2025, 1, 1)
            )
        return found.pk

    def document(user: Any) -> int:
        found = MeetingDocument.objects.filter(meeting_id=meeting(user)).first()
        if found is not None:
            return found.pk
        doc = MeetingDocument(
            meeting_id=meeting(user),
            original_name="q1.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0",
        )
        doc.file.save("outside.pdf", ContentFile(PDF), save=True)
        return doc.pk

    def work_programme(user: Any) -> int:
        return WorkProgramme.objects.get_or_create(
            unit=tree.Q1,
            year=2025,
            title="Q1",
            defaults={"first_day": D(2025, 3, 1), "last_day": D(2025, 3, 9)},
        )[0].pk

    def plan(user: Any) -> int:
        return InspectionPlan.objects.get_or_create(unit=tree.Q1, year=2025, name="Q1")[0].pk

    def inspection(user: Any) -> int:
        return Inspection.objects.get_or_create(
            plan_id=plan(user),
            unit=tree.Q1,
            employer_name="Công ty Q",
            defaults={"start_date": D(2025, 3, 1)},
        )[0].pk

    return {
        "unit_meetings": unit,
        "meeting_create": unit,
        "meeting_detail": meeting,
        "meeting_edit": meeting,
        "meeting_cancel": meeting,
        "meeting_document_add": meeting,
        "meeting_document": document,
        "meeting_document_delete": document,
        "work_programme_create": unit,
        "work_programme_detail": work_programme,
        "work_programme_calendar": work_programme,
        "unit_inspections": unit,
        "inspection_plan_create": unit,
        "inspection_plan_detail": plan,
        "inspection_plan_edit": plan,
        "inspection_create": plan,
        "inspection_detail": inspection,
        "inspection_edit": inspection,
    }
