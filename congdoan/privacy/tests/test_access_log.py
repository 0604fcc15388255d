"""Who accessed a person's personal data: exactly the viewings and exports made, only for
administrators of a unit reaching the person, paged in a fixed number of queries."""

import csv
import datetime
import io
import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.audit import audit_record
from congdoan.core.models import AuditEvent
from congdoan.members import services as member_services
from congdoan.members.models import Member

D = datetime.date
CCCD = "001190054321"  # a woman born in 1990


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def view_in_full(user: Any, member: Member) -> None:
    response = login(user).post(reverse("member_personal", args=[member.pk]))
    assert response.status_code == 200


def export_roster(user: Any, unit: Any, **params: str) -> None:
    response = login(user).get(
        reverse("unit_members_export", args=[unit.pk]), {"format": "csv", **params}
    )
    assert response.status_code == 200


def log_rows(user: Any, member: Member, page: int = 1) -> list[tuple[str, str]]:
    response = login(user).get(reverse("member_access_log", args=[member.pk]), {"page": page})
    assert response.status_code == 200
    return [(r.event.actor.username, r.what) for r in response.context["rows"]]


def test_the_log_lists_exactly_the_viewings_and_exports_that_included_the_person(
    tree: Tree, cast: Cast
) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD)
    other = make_member(tree.Y1, "Lê Văn Nam", sex="male")
    view_in_full(cast.x_officer, m)  # dave
    view_in_full(cast.chair, m)  # grace
    view_in_full(cast.y_officer, other)  # someone else's data: not in m's log
    export_roster(cast.province_officer, tree.X)  # carol: X's roster has m
    export_roster(cast.y_officer, tree.Y)  # erin: Y's roster has not
    response = login(cast.x_officer).get(reverse("member_record_export", args=[m.pk]))
    assert response.status_code == 200

    rows = log_rows(cast.province_admin, m)
    assert rows == [
        ("dave", "This person's whole record exported (json)"),
        ("carol", "Roster of Unit X exported (1 people, csv)"),
        ("grace", "Viewed in full: CCCD number, phone"),
        ("dave", "Viewed in full: CCCD number, phone"),
    ]
    assert log_rows(cast.superuser, other) == [
        ("erin", "Roster of Unit Y exported (1 people, csv)"),
        ("erin", "Viewed in full: CCCD number, phone"),
    ]


def test_filters_recorded_with_a_roster_export_are_honoured(tree: Tree, cast: Cast) -> None:
    """An export that records its status filter or past date (see the report for the change
    to members.services.roster_exported) counts the person only if they matched it."""
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD, admit_on=D(2015, 3, 1))
    transfer = member_services.transfer_request(
        actor=None, member=m, to_unit=tree.Y1, date=D(2024, 1, 1)
    )
    member_services.transfer_decide(actor=None, transfer=transfer, accept=True)

    def export(user: Any, unit: Any, **filters: Any) -> None:
        audit_record(
            actor=user, action="personal.export", target=unit, unit_id=unit.pk,
            changes={"count": [None, 1], "format": [None, "xlsx"],
                     **{k: [None, v] for k, v in filters.items()}},
            summary=unit.name,
        )  # fmt: skip

    export(cast.chair, tree.X1, status="worker")  # workers only: m is a member
    export(cast.chair, tree.X1, status="")  # everyone, but m is in Y1 now
    export(cast.y_officer, tree.Y, status="active")  # yes
    export(cast.x_officer, tree.X, status="active", as_of="2020-12-31")  # m was in X1 then
    export(cast.y_officer, tree.Y, status="active", as_of="2020-12-31")  # not in Y then
    export(cast.x_officer, tree.X, status="active", as_of="2010-12-31")  # not a member yet
    assert log_rows(cast.province_admin, m) == [
        ("dave", "Roster of Unit X exported (1 people, xlsx)"),
        ("erin", "Roster of Unit Y exported (1 people, xlsx)"),
    ]


def test_a_roster_export_counts_where_the_person_was_when_it_was_made(
    tree: Tree, cast: Cast
) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD)
    export_roster(cast.x_officer, tree.X)  # before the transfer: includes m
    export_roster(cast.y_officer, tree.Y)  # before: does not
    transfer = member_services.transfer_request(
        actor=None, member=m, to_unit=tree.Y1, date=D(2024, 1, 1)
    )
    member_services.transfer_decide(actor=None, transfer=transfer, accept=True)
    export_roster(cast.y_officer, tree.Y)  # after: includes m
    export_roster(cast.x_officer, tree.X)  # after: does not
    export_roster(cast.province_officer, tree.P)  # the province: before and after
    rows = log_rows(cast.province_admin, m)
    assert rows == [
        ("carol", "Roster of Unit P exported (1 people, csv)"),
        ("erin", "Roster of Unit Y exported (1 people, csv)"),
        ("dave", "Roster of Unit X exported (1 people, csv)"),
    ]
    events = AuditEvent.objects.filter(action="personal.export").order_by("pk")
    assert [e.target_id for e in events] == [
        str(u.pk) for u in (tree.X, tree.Y, tree.Y, tree.X, tree.P)
    ]


def test_only_administrators_reaching_the_person_see_the_log(tree: Tree, cast: Cast) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD)
    outside = make_member(tree.Q1, "Người Ở Xa")
    url = reverse("member_access_log", args=[m.pk])
    for user in (cast.province_admin, cast.superuser):
        assert login(user).get(url).status_code == 200
    # Inside the reach without the administrator's role, or outside it: not found.
    for user in (cast.province_officer, cast.x_officer, cast.chair, cast.viewer, cast.y_officer,
                 cast.nobody):  # fmt: skip
        assert login(user).get(url).status_code == 404, user.username
    outside_url = reverse("member_access_log", args=[outside.pk])
    assert login(cast.province_admin).get(outside_url).status_code == 404
    assert login(cast.superuser).get(outside_url).status_code == 200


def test_the_log_pages_in_a_fixed_number_of_queries(tree: Tree, cast: Cast) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD)
    view_in_full(cast.x_officer, m)
    export_roster(cast.province_officer, tree.X)
    admin = login(cast.province_admin)
    url = reverse("member_access_log", args=[m.pk])
    admin.get(url)
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    for _i in range(60):
        view_in_full(cast.chair, m)
    export_roster(cast.province_officer, tree.P)
    member_services.member_leave(actor=None, member=m, kind="suspended", date=D(2025, 1, 1))
    with CaptureQueriesContext(connection) as many:
        first = admin.get(url)
    assert len(many) == len(few) <= 14
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.count == 63
    second = admin.get(url, {"page": 2})
    assert [r.event.actor.username for r in first.context["rows"]][:2] == ["carol", "grace"]
    names = [r.event.actor.username for r in second.context["rows"]]
    assert names == ["grace"] * 11 + ["carol", "dave"]


def test_the_log_downloads_as_csv(tree: Tree, cast: Cast) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD)
    view_in_full(cast.x_officer, m)
    response = login(cast.province_admin).get(
        reverse("member_access_log", args=[m.pk]), {"format": "csv"}
    )
    assert (
        response["Content-Disposition"] == f'attachment; filename="truy-cap-doan-vien-{m.pk}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Time", "User name", "Who", "What"]
    assert [r[1:] for r in rows[1:]] == [["dave", "dave", "Viewed in full: CCCD number, phone"]]


def test_the_own_record_export_holds_the_person_and_is_logged(tree: Tree, cast: Cast) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd=CCCD)
    member_services.card_reissue(actor=None, member=m, date=D(2024, 5, 1), note="lost")
    url = reverse("member_record_export", args=[m.pk])
    assert login(cast.viewer).get(url).status_code == 404
    assert login(cast.y_officer).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="personal.export").exists()
    response = login(cast.chair).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="doan-vien-{m.pk}.json"'
    record = json.loads(response.content)
    assert record["member"]["full_name"] == "Trần Thị Hạnh"
    assert record["member"]["cccd"] == CCCD
    assert record["member"]["birth_date"] == "1990-05-01"
    assert record["member"]["unit_code"] == "X1"
    assert record["member"]["card_number"] == m.card_number
    kinds = [e["kind"] for e in record["related"]["members.memberevent"]]
    assert kinds == ["admitted", "card_issued", "card_reissued"]
    spells = record["related"]["members.membershipspell"]
    assert [(s["start"], s["end"]) for s in spells] == [("2015-03-01", None)]
    assert record["related"]["care.support"] == []
    assert record["related"]["awards.awardrecipient"] == []
    event = AuditEvent.objects.get(action="personal.export")
    assert (event.actor, event.target_type, event.target_id) == (
        cast.chair,
        "members.member",
        str(m.pk),
    )
    assert event.changes == {"format": [None, "json"], "record": [None, "member"]}
