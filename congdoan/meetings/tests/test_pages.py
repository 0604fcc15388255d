"""The meetings pages: lists (with pinned query counts), forms that call the services,
documents checked by content and served only inside the reach, the programme preview."""

import datetime
import io
import zipfile
from typing import Any

from django.test import Client

from congdoan.conftest import Cast, Tree
from congdoan.core.admin_docx import document_text
from congdoan.core.models import AuditEvent
from congdoan.meetings import inspections, services
from congdoan.meetings.inspections import InspectionData
from congdoan.meetings.models import Inspection, Meeting, MeetingDocument, WorkProgramme

from .helpers import bloc, data, decision

D = datetime.date
PDF = b"%PDF-1.4\n%test\n"


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_the_list_filters_and_its_queries_are_fixed(
    tree: Tree, cast: Cast, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        services.meeting_create(actor=None, unit=tree.X1, data=data(title=f"X1 họp {n}"))
    services.meeting_create(
        actor=None, unit=tree.X, data=data(kind="plenary", title="BCH X", date=D(2024, 12, 1))
    )
    client = client_of(cast.x_officer)
    url = f"/meetings/units/{tree.X.pk}/"
    client.get(url)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count("X1 họp") == 3 and "BCH X" in page
    page = client.get(url, {"kind": "plenary"}).content.decode()
    assert "BCH X" in page and "X1 họp" not in page
    page = client.get(url, {"year": "2025"}).content.decode()
    assert "BCH X" not in page and "X1 họp 0" in page
    assert client.get("/meetings/").url == f"/meetings/units/{tree.X.pk}/"


def test_create_edit_and_cancel_through_the_pages(tree: Tree, cast: Cast, english: None) -> None:
    given = decision(tree.X, "9/QĐ", awards=[tree.X1])
    client = client_of(cast.x_officer)
    form = client.get(f"/meetings/units/{tree.X.pk}/new/").content.decode()
    assert "9/QĐ" in form
    answer = client.post(
        f"/meetings/units/{tree.X.pk}/new/",
        {
            "kind": "year_review",
            "parts": ["launch"],
            "title": "Tổng kết 2024",
            "date": "15/01/2025",
            "start_time": "8h00",
            "end_time": "11:30",
            "guests": "Trần Khách | Phó Chủ tịch | LĐLĐ tỉnh\nNgô Mời",
            "agenda": "Báo cáo\nKhen thưởng",
            "represented": "X1, X2",
            "decision_ids": [str(given.pk)],
        },
    )
    meeting = Meeting.objects.get()
    assert answer.url == f"/meetings/{meeting.pk}/"
    assert (meeting.start_time, meeting.end_time) == (datetime.time(8), datetime.time(11, 30))
    assert [g.organisation for g in meeting.guests.all()] == ["LĐLĐ tỉnh", ""]
    detail = client.get(answer.url).content.decode()
    for text in (
        "Tổng kết 2024",
        "Trần Khách",
        "Khen thưởng",
        "Unit X2",
        "9/QĐ",
        "Meeting recorded",
    ):
        assert text in detail
    # A unit outside the subtree is refused with a message naming it, and nothing changes.
    edit = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "kind": "year_review",
            "title": "Tổng kết 2024",
            "date": "15/01/2025",
            "represented": "Y1",
        },
    ).content.decode()
    assert "The unit Y1 is not a unit of Unit X" in edit
    assert list(meeting.units_represented.values_list("code", flat=True).order_by("code")) == [
        "X1",
        "X2",
    ]
    bad_time = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "kind": "year_review",
            "title": "Tổng kết 2024",
            "date": "15/01/2025",
            "start_time": "14:00",
            "end_time": "13:00",
        },
    ).content.decode()
    assert "The meeting ends before it starts" in bad_time
    answer = client.post(
        f"/meetings/{meeting.pk}/cancel/", {"date": "10/01/2025", "reason": "Hoãn"}
    )
    meeting.refresh_from_db()
    assert (answer.status_code, meeting.status) == (302, "cancelled")
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 404


def test_readers_see_but_cannot_change(tree: Tree, cast: Cast) -> None:
    meeting = services.meeting_create(actor=None, unit=tree.X, data=data())
    for user in (cast.viewer, cast.chair):
        client = client_of(user)
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
        assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 404
        assert (
            client.post(
                f"/meetings/{meeting.pk}/cancel/", {"date": "01/01/2025", "reason": "x"}
            ).status_code
            == 404
        )
    assert Meeting.objects.get().status == "scheduled"


def test_documents_are_checked_and_served_inside_the_reach(
    tree: Tree, cast: Cast, english: None
) -> None:
    meeting = services.meeting_create(actor=None, unit=tree.X, data=data())
    client = client_of(cast.x_officer)
    url = f"/meetings/{meeting.pk}/documents/new/"
    refused = client.post(url, {"file": io.BytesIO(b"MZ\x90\x00 not a document")})
    assert "is not a PDF, Word (.docx) or Excel (.xlsx) document" in refused.content.decode()
    pdf = io.BytesIO(PDF)
    pdf.name = "bao-cao.exe"
    client.post(url, {"file": pdf, "caption": "Báo cáo"})
    word = io.BytesIO(docx_bytes())
    word.name = "nghi-quyet.docx"
    client.post(url, {"file": word})
    first, second = MeetingDocument.objects.order_by("id")
    assert (first.content_type, first.original_name) == ("application/pdf", "bao-cao.exe")
    assert second.content_type.endswith("wordprocessingml.document")
    got = client.get(f"/meetings/documents/{first.pk}/")
    assert b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]
    assert got["Content-Type"] == "application/pdf"
    assert "attachment" in client.get(f"/meetings/documents/{second.pk}/")["Content-Disposition"]
    assert client_of(cast.y_officer).get(f"/meetings/documents/{first.pk}/").status_code == 404
    assert client_of(cast.chair).post(f"/meetings/documents/{first.pk}/delete/").status_code == 404
    client.post(f"/meetings/documents/{first.pk}/delete/")
    assert MeetingDocument.objects.count() == 1
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="meeting.document").order_by("id")
    ] == ["meeting.document_add", "meeting.document_add", "meeting.document_delete"]


def test_programme_preview_then_create_then_calendar(tree: Tree, cast: Cast, english: None) -> None:
    bloc(tree.P, [tree.X], "Cụm 1")
    bloc(tree.P, [tree.Y, tree.Z], "Cụm 2")
    client = client_of(cast.province_officer)
    url = f"/meetings/units/{tree.P.pk}/programmes/new/"
    form = {"year": "2021", "first_day": "01/03/2021", "last_day": "09/03/2021"}
    preview = client.post(url, {**form, "preview": "1"}).content.decode()
    assert "Create 2 sessions" in preview and "Trụ sở Unit Y" in preview
    assert Meeting.objects.count() == 0
    holiday = client.post(
        url, {**form, "first_day": "30/04/2022", "last_day": "03/05/2022", "preview": "1"}
    ).content.decode()
    assert "There is no working day from 30/04/2022 to 03/05/2022" in holiday
    answer = client.post(url, {**form, "create": "1"})
    made = WorkProgramme.objects.get()
    assert answer.url == f"/meetings/programmes/{made.pk}/"
    assert Meeting.objects.filter(programme=made).count() == 2
    page = client.get(answer.url).content.decode()
    assert "Cụm 2" in page
    calendar = client.get(f"/meetings/programmes/{made.pk}/calendar.docx")
    assert calendar["Content-Disposition"] == f'attachment; filename="lich-lam-viec-{made.pk}.docx"'
    assert "LỊCH LÀM VIỆC CỦA BAN THƯỜNG VỤ VỚI CÁC CỤM THI ĐUA" in document_text(calendar.content)
    assert client_of(cast.x_officer).post(url, {**form, "create": "1"}).status_code == 404


def test_inspection_pages(
    tree: Tree, cast: Cast, english: None, django_assert_num_queries: Any
) -> None:
    client = client_of(cast.x_officer)
    answer = client.post(
        f"/meetings/units/{tree.X.pk}/inspections/plans/new/",
        {"year": "2024", "name": "KH 2024", "decision_ref": "1/KH"},
    )
    plan = inspections.plans_of(tree.X).get()
    assert answer.url == f"/meetings/inspection-plans/{plan.pk}/"
    answer = client.post(
        f"/meetings/inspection-plans/{plan.pk}/inspections/new/",
        {
            "mode": "inspection",
            "inspected_unit": "Y1",
            "subjects": ["finance"],
            "start_date": "10/05/2024",
            "state": "planned",
        },
    )
    assert "The unit Y1 is not a unit under Unit X" in answer.content.decode()
    answer = client.post(
        f"/meetings/inspection-plans/{plan.pk}/inspections/new/",
        {
            "mode": "inspection",
            "employer_name": "Công ty A",
            "employer_tax_code": "0101234567",
            "subjects": ["labour_law", "social_insurance"],
            "start_date": "10/05/2024",
            "state": "planned",
        },
    )
    found = Inspection.objects.get()
    assert answer.url == f"/meetings/inspections/{found.pk}/"
    client.post(
        f"/meetings/inspections/{found.pk}/edit/",
        {
            "mode": "inspection",
            "employer_name": "Công ty A",
            "subjects": ["labour_law"],
            "start_date": "10/05/2024",
            "state": "done",
            "done_on": "11/05/2024",
            "findings": "Chậm đóng BHXH",
        },
    )
    found.refresh_from_db()
    assert (found.state, found.findings, found.employer_tax_code) == ("done", "Chậm đóng BHXH", "")
    for n in range(3):
        inspections.inspection_create(
            actor=None,
            plan=plan,
            data=InspectionData(
                start_date=D(2024, 6, n + 1), subjects=["charter", "finance"], inspected_unit="X1"
            ),
        )
    url = f"/meetings/units/{tree.X.pk}/inspections/"
    client.get(url)
    with django_assert_num_queries(8):
        page = client.get(url).content.decode()
    assert page.count("Unit X1") == 3 and "Công ty A" in page
    page = client.get(url, {"subject": "labour_law"}).content.decode()
    assert "Công ty A" in page and "Unit X1" not in page
    assert "Inspection done" in client.get(f"/meetings/inspections/{found.pk}/").content.decode()
    assert client_of(cast.viewer).get(f"/meetings/inspections/{found.pk}/edit/").status_code == 404
