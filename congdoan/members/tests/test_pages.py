"""Member pages: the roster (order, filters, search, keyset pages), a member's page with its
masked personal data, and the forms for membership changes."""

import datetime
import re

from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.models import AuditEvent
from congdoan.members import queries
from congdoan.members.models import Member, MemberStatus, Transfer, TransferStatus

D = datetime.date


def login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


NAMES = [
    "Nguyễn Văn Bình",
    "Trần Thị An",
    "Lê Văn Ánh",
    "Phạm Thị An",
    "Đỗ Đức Đạt",
    "Nguyễn Thị Hoa",
    "Hoàng Văn Ân",
    "Vũ Thị Ăn",
]


def test_roster_in_vietnamese_order_with_keyset_pages(tree: Tree) -> None:
    for i, name in enumerate(NAMES):
        make_member(tree.X1 if i % 2 else tree.X2, name)
    qs = queries.roster(tree.X, queries.RosterFilter(), D(2026, 1, 1))
    assert [m.full_name for m in qs] == [
        "Phạm Thị An",
        "Trần Thị An",
        "Lê Văn Ánh",
        "Vũ Thị Ăn",
        "Hoàng Văn Ân",
        "Nguyễn Văn Bình",
        "Đỗ Đức Đạt",
        "Nguyễn Thị Hoa",
    ]
    page1, cursor = queries.page_after(qs, None, size=3)
    page2, cursor2 = queries.page_after(qs, cursor, size=3)
    page3, cursor3 = queries.page_after(qs, cursor2, size=3)
    assert [m.full_name for m in page1 + page2 + page3] == [m.full_name for m in qs]
    assert cursor3 is None and len(page3) == 2
    assert queries.page_after(qs, "garbage", size=3)[0] == page1


def test_search_ignores_diacritics_and_finds_cccd_and_code(tree: Tree) -> None:
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="020190001234")
    make_member(tree.X1, "Nguyễn Thị Hòa")
    make_member(tree.X1, "Nguyễn Văn Hoan", sex="male")
    qs = Member.objects.all()
    assert {m.full_name for m in queries.search(qs, "nguyen thi hoa")} == {
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hòa",
    }
    assert list(queries.search(qs, "020 190 001 234")) == [hoa]
    assert list(queries.search(qs, hoa.card_number or "")) == [hoa]


def test_filters(tree: Tree) -> None:
    make_member(tree.X1, "Lò Thị Xuân", birth=D(2000, 1, 1), ethnicity="03", party=True)
    make_member(tree.X2, "Lê Văn Tám", sex="male", birth=D(1970, 1, 1))
    make_member(tree.X2, "Mai Văn Chín", sex="male", admit_on=None)
    today = D(2026, 6, 1)

    def names(**kw) -> list[str]:  # type: ignore[no-untyped-def]
        return [m.full_name for m in queries.roster(tree.X, queries.RosterFilter(**kw), today)]

    assert names(sex="male") == ["Lê Văn Tám"]
    assert names(age_band="under_30") == ["Lò Thị Xuân"]
    assert names(age_band="over_45") == ["Lê Văn Tám"]
    assert names(ethnicity="minority") == ["Lò Thị Xuân"]
    assert names(party="yes") == ["Lò Thị Xuân"]
    assert names(status=MemberStatus.WORKER) == ["Mai Văn Chín"]
    assert names(join_year=2015) == ["Lê Văn Tám", "Lò Thị Xuân"]


def test_roster_page_and_its_links(tree: Tree, cast: Cast) -> None:
    for i in range(60):
        make_member(tree.X1, f"Nguyễn Văn Số{i:02d}", sex="male")
    client = login(cast.x_officer)
    page = client.get(reverse("unit_members", args=[tree.X.pk]))
    body = page.content.decode()
    assert len(re.findall(r'href="/members/\d+/"', body)) == 50
    cursor = page.context["next_cursor"]
    second = client.get(reverse("unit_members", args=[tree.X.pk]), {"after": cursor})
    assert len(re.findall(r'href="/members/\d+/"', second.content.decode())) == 10


def test_personal_data_is_masked_and_full_view_is_logged(tree: Tree, cast: Cast) -> None:
    m = make_member(tree.X1, "Trần Thị Hạnh", cccd="020190001234")
    Member.objects.filter(pk=m.pk).update(phone="0912345678")
    viewer = login(cast.viewer)
    page = viewer.get(reverse("member_detail", args=[m.pk])).content.decode()
    assert "020******234" in page and "020190001234" not in page
    assert "091*****78" in page and "0912345678" not in page
    assert viewer.post(reverse("member_personal", args=[m.pk])).status_code == 404
    officer = login(cast.x_officer)
    full = officer.post(reverse("member_personal", args=[m.pk])).content.decode()
    assert "020190001234" in full and "0912345678" in full
    log = AuditEvent.objects.get(action="personal.view")
    assert (log.actor, log.target_id) == (cast.x_officer, str(m.pk))


def test_record_admit_transfer_and_receive_in_the_browser(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_officer)
    response = client.post(
        reverse("member_create", args=[tree.X1.pk]),
        {
            "full_name": "Đinh Thị Thu",
            "birth_date": "15/08/1992",
            "sex": "female",
            "ethnicity": "01",
            "religion": "none",
            "cccd": "020192004321",
            "joined_on": "01/03/2021",
            "admit": "on",
            "decision_ref": "3/QĐ-CĐCS",
        },
    )
    m = Member.objects.get(full_name="Đinh Thị Thu")
    assert response["Location"] == reverse("member_detail", args=[m.pk])
    assert (m.status, m.joined_on, m.unit_id) == (MemberStatus.ACTIVE, D(2021, 3, 1), tree.X1.pk)
    client.post(
        reverse("member_transfer", args=[m.pk]),
        {"to_unit": "Y1", "date": "01/06/2023", "decision_ref": "7/QĐ"},
    )
    transfer = Transfer.objects.get(member=m)
    # The sending district cannot receive; the receiving district can.
    assert (
        login(cast.x_officer)
        .post(reverse("transfer_decide", args=[transfer.pk]), {"decision": "accept"})
        .status_code
        == 404
    )
    login(cast.y_officer).post(
        reverse("transfer_decide", args=[transfer.pk]), {"decision": "accept"}
    )
    transfer.refresh_from_db()
    m.refresh_from_db()
    assert (transfer.status, m.unit_id) == (TransferStatus.CONFIRMED, tree.Y1.pk)
    assert login(cast.x_officer).get(reverse("member_detail", args=[m.pk])).status_code == 404


def test_form_errors_name_the_field(tree: Tree, cast: Cast) -> None:
    client = login(cast.x_officer)
    response = client.post(
        reverse("member_create", args=[tree.X1.pk]),
        {
            "full_name": "Đinh Thị Thu",
            "birth_date": "15/08/2015",
            "sex": "female",
            "ethnicity": "01",
            "religion": "none",
            "cccd": "12345",
            "joined_on": "01/03/2021",
            "admit": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cccd"] == [
        "The CCCD number must have exactly 12 digits (it has 5)."
    ]
    assert not Member.objects.exists()


def test_api_roster_and_member_are_scoped_and_masked(tree: Tree, cast: Cast) -> None:
    from congdoan.core.tokens import api_token_create

    for i in range(3):
        make_member(tree.X1, f"Nguyễn Thị Số{i}", cccd=f"02019000123{i}")
    outside = make_member(tree.Q1, "Người Tỉnh Khác")
    _token, key = api_token_create(actor=cast.x_officer, name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    page = client.get("/api/v1/members/", {"unit": "X", "limit": 2}).json()
    assert [m["full_name"] for m in page["items"]] == ["Nguyễn Thị Số0", "Nguyễn Thị Số1"]
    assert page["items"][0]["cccd_masked"] == "020******230"
    rest = client.get("/api/v1/members/", {"unit": "X", "after": page["next"]}).json()
    assert [m["full_name"] for m in rest["items"]] == ["Nguyễn Thị Số2"] and rest["next"] is None
    assert client.get("/api/v1/members/", {"unit": "Q"}).status_code == 404
    assert client.get(f"/api/v1/members/{outside.pk}").status_code == 404
    mine = Member.objects.get(full_name="Nguyễn Thị Số0")
    assert client.get(f"/api/v1/members/{mine.pk}").json()["unit_code"] == "X1"


def test_roster_as_of_a_past_date(tree: Tree, cast: Cast) -> None:
    from congdoan.members import services
    from congdoan.members.models import EventKind
    from congdoan.org import services as org_services

    a = make_member(tree.X1, "Trần Thị An", admit_on=D(2015, 1, 1))
    make_member(tree.X2, "Lê Văn Bình", sex="male", admit_on=D(2021, 1, 1))
    services.member_leave(actor=None, member=a, kind=EventKind.WITHDRAWN, date=D(2022, 1, 1))
    org_services.unit_move(
        actor=None, unit=tree.X2, new_parent=tree.Y, effective_on=D(2023, 1, 1), decision_ref="1"
    )

    def names(day: datetime.date) -> list[str]:
        f = queries.RosterFilter(as_of=day)
        return [m.full_name for m in queries.roster(tree.X, f, D(2026, 1, 1))]

    assert names(D(2020, 6, 1)) == ["Trần Thị An"]
    assert names(D(2021, 6, 1)) == ["Trần Thị An", "Lê Văn Bình"]
    assert names(D(2022, 6, 1)) == ["Lê Văn Bình"]
    assert names(D(2023, 6, 1)) == []
    page = login(cast.province_officer).get(
        reverse("unit_members", args=[tree.X.pk]), {"as_of": "01/06/2021"}
    )
    assert [m.full_name for m in page.context["rows"]] == ["Trần Thị An", "Lê Văn Bình"]


def test_targets_are_assigned_from_above(tree: Tree, cast: Cast) -> None:
    from congdoan.members.models import MemberTarget

    chair = login(cast.chair)
    assert chair.get(reverse("unit_targets", args=[tree.X1.pk])).status_code == 200
    assert (
        chair.post(
            reverse("unit_targets", args=[tree.X1.pk]), {"year": 2026, "new_members": 10}
        ).status_code
        == 404
    )
    login(cast.x_officer).post(
        reverse("unit_targets", args=[tree.X1.pk]), {"year": 2026, "new_members": 10}
    )
    assert list(MemberTarget.objects.values_list("unit__code", "year", "new_members")) == [
        ("X1", 2026, 10)
    ]


def test_search_matches_whole_words(tree: Tree) -> None:
    for name in ("Nguyễn Thị Hoa", "Nguyễn Thị Hoàn", "Nguyễn Hoàng Thịnh", "Trần Thị Hoa"):
        make_member(tree.X1, name)
    found = {m.full_name for m in queries.search(Member.objects.all(), "nguyen thi hoa")}
    assert found == {"Nguyễn Thị Hoa", "Nguyễn Thị Hoàn"}
    assert {m.full_name for m in queries.search(Member.objects.all(), "hoa")} == {
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hoàn",
        "Nguyễn Hoàng Thịnh",
        "Trần Thị Hoa",
    }
    assert {m.full_name for m in queries.search(Member.objects.all(), "thi hoa")} == {
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hoàn",
        "Trần Thị Hoa",
    }
