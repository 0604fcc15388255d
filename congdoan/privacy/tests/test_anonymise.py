"""Anonymising people who left before the retention period: the personal values leave the
member row, the care and award rows and the audit trail; every figure stays the same."""

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from congdoan.care import support as care
from congdoan.care.models import ProgrammeKind, Support, SupportStatus
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.members import services as member_services
from congdoan.members.models import Member, MemberEvent, MembershipSpell
from congdoan.members.services import PersonData
from congdoan.privacy import services
from congdoan.privacy.models import Anonymisation

D = datetime.date
AS_OF = D(2025, 1, 1)  # the retention period (5 years) reaches back to 1 January 2020
CCCD_OLD = "001190054321"  # a woman born in 1990
PHONE = "0912345678"
ADDRESS = "12 ngõ Huế, phố Lò Đúc"
NAME = "Trần Thị Hạnh"


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def stats(code: str, as_of: str, start: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", "--unit", code, "--as-of", as_of, "--from", start, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def all_figures() -> list[dict[str, Any]]:
    return [
        stats(code, day, start)
        for code in ("P", "X", "X1")
        for day, start in (
            ("2016-12-31", "2016-01-01"),
            ("2018-12-31", "2018-01-01"),
            ("2023-12-31", "2016-01-01"),
        )
    ]


@pytest.fixture
def people(tree: Tree, cast: Cast) -> dict[str, Member]:
    old = make_member(
        tree.X1, NAME, cccd=CCCD_OLD, admit_on=D(2012, 3, 1), party=True, birth=D(1990, 7, 15)
    )
    member_services.member_update(
        actor=cast.x_officer,
        member=old,
        data=PersonData(
            full_name=NAME, birth_date=D(1990, 7, 15), sex="female", cccd=CCCD_OLD, phone=PHONE,
            residence_address=ADDRESS, job_title="Kế toán trưởng", party_member=True,
            joined_on=D(2012, 3, 1),
        ),
    )  # fmt: skip

    def programme(name: str, repeat: bool) -> Any:
        return care.programme_create(
            actor=None,
            unit=tree.P,
            data=care.ProgrammeData(
                name=name, kind=ProgrammeKind.TET, start=D(2016, 1, 1), end=D(2016, 12, 31),
                repeat_allowed=repeat,
            ),
        )  # fmt: skip

    visits, tet = programme("Thăm hỏi 2016", True), programme("Tết Sum vầy 2016", False)
    for p, day in ((visits, D(2016, 2, 1)), (visits, D(2016, 8, 1)), (tet, D(2016, 1, 20))):
        care.support_record(
            actor=cast.province_officer,
            programme=p,
            data=care.SupportData(
                unit=tree.X1, person=care.Beneficiary(member=old), date=day, cash_vnd=500_000,
                note="ốm đau, hoàn cảnh khó khăn",
            ),
            status=SupportStatus.PAID,
        )  # fmt: skip
    member_services.member_leave(
        actor=None, member=old, kind="withdrawn", date=D(2018, 6, 30), note="xin ra"
    )
    recent = make_member(tree.X1, "Lê Thị Mai", admit_on=D(2014, 1, 1))
    member_services.member_leave(actor=None, member=recent, kind="withdrawn", date=D(2024, 3, 1))
    active = make_member(tree.X2, "Phạm Văn Hùng", sex="male", birth=D(1980, 2, 2))
    login(cast.x_officer).post(reverse("member_personal", args=[old.pk]))
    return {"old": old, "recent": recent, "active": active}


def test_a_leaver_past_retention_is_anonymised_and_the_figures_stay(
    tree: Tree, cast: Cast, people: dict[str, Member]
) -> None:
    old = people["old"]
    before = all_figures()
    assert before[0]["care"]["people_supported"] == 1
    assert before[0]["members"] == 3  # old, recent, active on 31/12/2016
    assert [m.pk for m in services.eligible(AS_OF)] == [old.pk]
    untouched = {
        m.pk: list(Member.objects.filter(pk=m.pk).values())
        for m in (people["recent"], people["active"])
    }

    done = services.anonymise(old, actor=cast.province_admin, as_of=AS_OF)

    assert all_figures() == before
    old.refresh_from_db()
    assert old.full_name == f"Anonymous {old.pk}"
    assert (old.cccd, old.phone, old.residence_address, old.job_title) == ("", "", "", "")
    assert old.birth_date == D(1990, 1, 1)
    assert old.card_number is None
    assert (old.sex, old.ethnicity, old.party_member, old.unit_id) == (
        "female",
        "01",
        True,
        tree.X1.pk,
    )
    assert old.status == "left" and old.status_since == D(2018, 6, 30)
    assert list(
        MembershipSpell.objects.filter(member=old).values_list("birth_date", flat=True)
    ) == [D(1990, 1, 1)]
    notes = MemberEvent.objects.filter(member=old).order_by("pk").values_list("kind", "note")
    assert list(notes) == [("admitted", ""), ("card_issued", ""), ("withdrawn", "")]
    supports = Support.objects.filter(member=old)
    assert {
        (s.person_name, s.person_cccd, s.person_key, s.person_no, s.note) for s in supports
    } == {(f"Anonymous {old.pk}", "", f"m:{old.pk}", -old.pk, "")}
    assert untouched == {
        m.pk: list(Member.objects.filter(pk=m.pk).values())
        for m in (people["recent"], people["active"])
    }
    # Nothing of the old values anywhere in the audit trail; each scrubbed event says so.
    trail = [
        json.dumps([e.changes, e.summary], ensure_ascii=False) for e in AuditEvent.objects.all()
    ]
    for secret in (NAME, CCCD_OLD, PHONE, ADDRESS, "Kế toán trưởng", "1990-07-15", "ốm đau",
                   "054321", "5678"):  # fmt: skip
        assert not [t for t in trail if secret in t], secret
    scrubbed = AuditEvent.objects.filter(changes__has_key="anonymised")
    assert done.events_scrubbed == 14
    assert sorted(scrubbed.values_list("action", flat=True)) == sorted(
        ["member.create", "member.admitted", "member.update", "member.withdrawn", "personal.view"]
        + ["support.propose", "support.approve", "support.pay"] * 3
    )
    update = AuditEvent.objects.get(action="member.update")
    assert update.changes["residence_address"] == ["", "[anonymised]"]
    assert update.changes["phone"] == ["", "[anonymised]"]
    record = AuditEvent.objects.get(action="personal.anonymise")
    assert (record.actor, record.target_id, record.summary) == (
        cast.province_admin,
        str(old.pk),
        f"Anonymous {old.pk}",
    )
    assert record.changes == {
        "events_scrubbed": [None, done.events_scrubbed],
        "documents_deleted": [None, 0],
    }
    # The viewing before is still in the person's access log.
    rows = login(cast.province_admin).get(reverse("member_access_log", args=[old.pk]))
    assert [(r.event.actor.username, r.what) for r in rows.context["rows"]] == [
        ("dave", "Viewed in full: CCCD number, phone")
    ]
    with pytest.raises(ServiceError):
        services.anonymise(old, actor=None, as_of=AS_OF)


def test_recent_leavers_and_active_members_are_refused(
    tree: Tree, cast: Cast, people: dict[str, Member]
) -> None:
    for who in ("recent", "active"):
        with pytest.raises(ServiceError):
            services.anonymise(people[who], actor=None, as_of=AS_OF)
    assert not Anonymisation.objects.exists()
    # Five years after leaving, the recent leaver is due too.
    assert set(services.eligible(D(2029, 3, 1))) == {people["old"], people["recent"]}
    assert set(services.eligible(D(2029, 2, 28))) == {people["old"]}


def test_the_command_counts_then_anonymises_everyone_due(
    tree: Tree, cast: Cast, people: dict[str, Member]
) -> None:
    before = all_figures()
    out = io.StringIO()
    call_command("anonymise_leavers", "--dry-run", "--as-of", "2029-03-01", stdout=out)
    assert out.getvalue() == "2 people would be anonymised (left on or before 2024-03-01).\n"
    assert not Anonymisation.objects.exists()
    out = io.StringIO()
    call_command("anonymise_leavers", "--as-of", "2025-01-01", stdout=out)
    assert out.getvalue() == "1 people anonymised (left on or before 2020-01-01).\n"
    out = io.StringIO()
    call_command("anonymise_leavers", "--as-of", "2029-03-01", stdout=out)
    assert out.getvalue() == "1 people anonymised (left on or before 2024-03-01).\n"
    assert set(Anonymisation.objects.values_list("member_id", flat=True)) == {
        people["old"].pk, people["recent"].pk
    }  # fmt: skip
    assert all_figures() == before
    assert Member.objects.get(pk=people["active"].pk).full_name == "Phạm Văn Hùng"


def test_the_anonymise_page_is_for_administrators(
    tree: Tree, cast: Cast, people: dict[str, Member]
) -> None:
    old = people["old"]
    url = reverse("member_anonymise", args=[old.pk])
    assert login(cast.province_officer).post(url).status_code == 404
    page = login(cast.province_admin).get(url)
    assert page.status_code == 200 and page.context["eligible"] is True
    detail = login(cast.province_admin).get(reverse("member_detail", args=[old.pk]))
    assert url in detail.content.decode()
    assert reverse("member_access_log", args=[old.pk]) in detail.content.decode()
    officer_page = login(cast.x_officer).get(reverse("member_detail", args=[old.pk])).content
    assert url not in officer_page.decode()
    assert reverse("member_record_export", args=[old.pk]) in officer_page.decode()
    response = login(cast.province_admin).post(url)
    assert response.status_code == 302
    assert Member.objects.get(pk=old.pk).full_name == f"Anonymous {old.pk}"
    recent = reverse("member_anonymise", args=[people["recent"].pk])
    assert login(cast.province_admin).get(recent).context["eligible"] is False
    login(cast.province_admin).post(recent)
    assert Member.objects.get(pk=people["recent"].pk).full_name == "Lê Thị Mai"
