"""Meetings: recording, changing and cancelling them, with their rules and audit trail."""

import datetime

import pytest
from django.http import Http404

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.meetings import services
from congdoan.meetings.models import Meeting, MeetingKind, MeetingStatus
from congdoan.meetings.services import GuestLine

from .helpers import bloc, data, decision, pact

D = datetime.date
T = datetime.time


def test_a_meeting_with_everything(tree: Tree, cast: Cast) -> None:
    own = decision(tree.X, "1/QĐ-LĐLĐ", awards=[tree.X1])
    above = decision(tree.P, "7/QĐ-LĐLĐ", awards=[tree.X2])
    the_pact = pact(bloc(tree.P, [tree.X, tree.Y], "Khối huyện"))
    meeting = services.meeting_create(
        actor=cast.x_officer,
        unit=tree.X,
        data=data(
            kind=MeetingKind.YEAR_REVIEW,
            parts=["launch", "year_review", "launch"],
            start_time=T(8, 0),
            end_time=T(11, 30),
            place="Hội trường",
            chair_name="Lê Văn Chủ",
            chair_position="Chủ tịch",
            congress_term="2023 - 2028",
            guests=[GuestLine("Trần Khách", "Phó Chủ tịch", "LĐLĐ tỉnh P"), GuestLine("Ngô Mời")],
            agenda=["Báo cáo tổng kết", "  ", "Khen thưởng"],
            represented=["X1", "X2", "X1"],
            decision_ids=[own.pk, above.pk],
            pact_ids=[the_pact.pk],
        ),
    )
    meeting.refresh_from_db()
    assert meeting.parts == ["launch"]
    assert meeting.congress_term == "2023-2028"
    assert [(g.name, g.title, g.organisation) for g in meeting.guests.all()] == [
        ("Trần Khách", "Phó Chủ tịch", "LĐLĐ tỉnh P"),
        ("Ngô Mời", "", ""),
    ]
    assert [a.text for a in meeting.agenda.all()] == ["Báo cáo tổng kết", "Khen thưởng"]
    assert sorted(meeting.units_represented.values_list("code", flat=True)) == ["X1", "X2"]
    assert set(meeting.decisions.all()) == {own, above}
    assert list(meeting.pacts.all()) == [the_pact]
    event = AuditEvent.objects.get(action="meeting.create")
    assert (event.unit_id, event.actor, event.summary) == (
        tree.X.pk,
        cast.x_officer,
        "Hội nghị tổng kết năm 2024",
    )
    assert event.changes["units_represented"] == "X1, X2"
    assert event.changes["guests"] == "Trần Khách, Phó Chủ tịch, LĐLĐ tỉnh P; Ngô Mời"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"date": D(2025, 1, 15), "end_date": D(2025, 1, 14)},
            "end_date",
            "The meeting ends before it starts: the end date is before the date.",
        ),
        (
            {"start_time": T(14, 0), "end_time": T(8, 0)},
            "end_time",
            "The meeting ends before it starts: the end time is not after the start time.",
        ),
        ({"end_time": T(8, 0)}, "start_time", "Type the start time as well as the end time."),
        ({"title": "  "}, "title", "Type the title of the meeting."),
        ({"kind": "party"}, "kind", "Choose the kind of meeting."),
        (
            {"congress_term": "2023"},
            "congress_term",
            "Write the congress term as its two years, e.g. 2023-2028.",
        ),
        (
            {"congress_term": "2023-2020"},
            "congress_term",
            "Write the congress term as its two years, e.g. 2023-2028.",
        ),
        (
            {"committee_term": "18"},
            "committee_term",
            "Write the executive committee's term in Roman numerals, e.g. XVIII.",
        ),
        ({"guests": [GuestLine(" ", "Chủ tịch")]}, "guests", "Guest 1 has no name."),
        (
            {"represented": ["X1", "Y1"]},
            "represented",
            "The unit Y1 is not a unit of Unit X; only units of its subtree can be recorded as "
            "represented.",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    tree: Tree, cast: Cast, english: None, kwargs: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        services.meeting_create(actor=cast.x_officer, unit=tree.X, data=data(**kwargs))
    assert (caught.value.field, caught.value.messages) == (field, [message])
    assert Meeting.objects.count() == 0


def test_only_decisions_and_pacts_seen_from_the_unit(tree: Tree, cast: Cast, english: None) -> None:
    of_y = decision(tree.Y, "2/QĐ", awards=[tree.Y1])
    above_for_y = decision(tree.P, "3/QĐ", awards=[tree.Y1])
    draft = decision(tree.X, "4/QĐ", awards=[tree.X1], status="draft")
    other_province = decision(tree.Q, "5/QĐ", awards=[tree.Q1])
    y_bloc_pact = pact(bloc(tree.Y, [tree.Y1, tree.Y2], "Khối Y"))
    for bad in (of_y, above_for_y, draft, other_province):
        with pytest.raises(ServiceError) as caught:
            services.meeting_create(
                actor=cast.x_officer, unit=tree.X, data=data(decision_ids=[bad.pk])
            )
        assert caught.value.messages == [
            f"Award decision no. {bad.pk} cannot be handed out at a meeting of Unit X: it is not a "
            "decision you can see from this unit, or it was not issued."
        ]
    with pytest.raises(ServiceError) as caught:
        services.meeting_create(
            actor=cast.x_officer, unit=tree.X, data=data(pact_ids=[y_bloc_pact.pk])
        )
    assert caught.value.field == "pacts"
    assert Meeting.objects.count() == 0
    assert list(services.decisions_linkable(tree.Y)) == [above_for_y, of_y] or set(
        services.decisions_linkable(tree.Y)
    ) == {above_for_y, of_y}
    assert list(services.pacts_linkable(tree.Y)) == [y_bloc_pact]
    assert list(services.pacts_linkable(tree.X)) == []


def test_edit_records_what_changed_and_cancel_ends_it(tree: Tree, cast: Cast) -> None:
    meeting = services.meeting_create(
        actor=cast.x_officer, unit=tree.X, data=data(agenda=["Một"], represented=["X1"])
    )
    changed = services.data_of(meeting)
    changed.place = "Nhà văn hóa"
    changed.agenda = ["Một", "Hai"]
    services.meeting_update(actor=cast.x_officer, meeting=meeting, data=changed)
    event = AuditEvent.objects.get(action="meeting.update")
    assert event.changes == {"place": ["", "Nhà văn hóa"], "agenda": ["Một", "Một; Hai"]}
    # Saving the same content again records nothing.
    meeting.refresh_from_db()
    services.meeting_update(actor=cast.x_officer, meeting=meeting, data=services.data_of(meeting))
    assert AuditEvent.objects.filter(action="meeting.update").count() == 1
    # An item split in two reads the same in the trail ("Một; Hai"), but is saved.
    split = services.data_of(meeting)
    split.agenda = ["Một; Hai"]
    services.meeting_update(actor=cast.x_officer, meeting=meeting, data=split)
    assert list(meeting.agenda.values_list("text", flat=True)) == ["Một; Hai"]
    assert AuditEvent.objects.filter(action="meeting.update").count() == 2
    services.meeting_cancel(
        actor=cast.x_officer, meeting=meeting, date=D(2025, 1, 10), reason="Hoãn do thời tiết"
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_on, meeting.cancel_reason) == (
        MeetingStatus.CANCELLED,
        D(2025, 1, 10),
        "Hoãn do thời tiết",
    )
    with pytest.raises(ServiceError):
        services.meeting_update(actor=cast.x_officer, meeting=meeting, data=changed)
    with pytest.raises(ServiceError):
        services.meeting_cancel(
            actor=cast.x_officer, meeting=meeting, date=D(2025, 1, 10), reason="again"
        )


def test_writes_need_write_access_to_the_unit(tree: Tree, cast: Cast) -> None:
    for user in (cast.y_officer, cast.viewer, cast.chair, cast.nobody):
        with pytest.raises(Http404):
            services.meeting_create(actor=user, unit=tree.X, data=data())
    meeting = services.meeting_create(actor=cast.province_officer, unit=tree.X, data=data())
    with pytest.raises(Http404):
        services.meeting_cancel(
            actor=cast.y_officer, meeting=meeting, date=D(2025, 1, 1), reason="x"
        )


def test_a_meeting_is_seen_by_its_subtree_and_above(tree: Tree, cast: Cast) -> None:
    meeting = services.meeting_create(actor=None, unit=tree.X, data=data())
    for user in (cast.x_officer, cast.chair, cast.province_officer, cast.viewer, cast.superuser):
        assert services.meeting_for_view(user, meeting.pk) == meeting
    for user in (cast.y_officer, cast.nobody):
        with pytest.raises(Http404):
            services.meeting_for_view(user, meeting.pk)
    with pytest.raises(Http404):
        services.meeting_for_write(cast.chair, meeting.pk)
    assert services.meeting_for_write(cast.x_officer, meeting.pk) == meeting


def test_meetings_of_a_subtree_by_kind_and_year(tree: Tree) -> None:
    a = services.meeting_create(actor=None, unit=tree.X1, data=data(date=D(2024, 6, 1)))
    b = services.meeting_create(
        actor=None, unit=tree.X, data=data(kind="plenary", date=D(2025, 2, 1))
    )
    services.meeting_create(actor=None, unit=tree.Y, data=data())
    assert list(services.meetings_of(tree.X)) == [b, a]
    assert list(services.meetings_of(tree.X, kind="plenary")) == [b]
    assert list(services.meetings_of(tree.X, year=2024)) == [a]
