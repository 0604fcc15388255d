"""House grant pages: the list with its totals and a pinned number of queries, proposing a
case, each step by the roles allowed to take it (404 for the others), contributions, and
access from outside the reach."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.care import houses
from congdoan.care.funds import balance
from congdoan.care.models import HouseCase, HouseContribution, HouseStatus
from congdoan.care.tests.test_houses import MILLION, Setup, approved, propose, shelter, snapshot
from congdoan.conftest import make_member
from congdoan.core.models import AuditEvent
from congdoan.org.tests.test_access import our_patterns

D = datetime.date
__all__ = ["shelter"]  # the fixture, imported for these tests


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_list_shows_cases_and_totals(shelter: Setup) -> None:
    s = shelter
    approved(s)
    propose(s, kind="repair", amount_vnd=30 * MILLION, proposed_on=D(2023, 5, 1))
    propose(s, actor=s.cast.y_officer, unit=s.tree.Y1, member=s.lan, to_fund=None)
    client = login(s.cast.x_officer)
    body = client.get(reverse("unit_houses", args=[s.tree.X.pk])).content.decode()
    assert body.count("Nguyễn Thị Hoa") == 2
    assert "Trần Thị Lan" not in body
    assert "90.000.000 đ" in body  # the two cases together
    assert "Propose a house" in body
    filtered = client.get(reverse("unit_houses", args=[s.tree.X.pk]), {"kind": "repair"})
    assert "30.000.000 đ" in filtered.content.decode()
    assert "60.000.000 đ" not in filtered.content.decode()
    year = client.get(reverse("unit_houses", args=[s.tree.X.pk]), {"year": "2023"})
    assert year.content.decode().count('href="/care/houses/') == 1
    bad = client.get(reverse("unit_houses", args=[s.tree.X.pk]), {"year": "abc"})
    assert bad.status_code == 200
    # The viewer reads the list but is not offered to propose.
    viewer = login(s.cast.viewer).get(reverse("unit_houses", args=[s.tree.X.pk]))
    assert viewer.status_code == 200
    assert "Propose a house" not in viewer.content.decode()
    assert (
        login(s.cast.y_officer).get(reverse("unit_houses", args=[s.tree.X.pk])).status_code == 404
    )


def test_the_list_page_does_not_query_per_row(
    shelter: Setup, django_assert_num_queries: Any
) -> None:
    s = shelter
    for i in range(12):
        member = make_member(s.tree.X2 if i % 2 else s.tree.X1, f"Phạm Văn Số{i}", sex="male")
        unit = member.unit
        case = propose(s, member=member, unit=unit, actor=None)
        if i % 3 == 0:
            case = houses.house_approve(
                actor=None, case=case, date=D(2024, 3, 15), decision_ref="1"
            )
            houses.house_contribution_add(
                actor=None, case=case, amount_vnd=MILLION, date=D(2024, 3, 16), fund=s.p_fund
            )
    client = login(s.cast.province_officer)
    url = reverse("unit_houses", args=[s.tree.P.pk])
    assert client.get(url).status_code == 200
    # session, user, roles, unit, totals, page count, the rows with their contributions
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count('href="/care/houses/') == 12


def test_proposing_a_house(shelter: Setup) -> None:
    s = shelter
    client = login(s.cast.chair)
    url = reverse("house_create", args=[s.tree.X1.pk])
    page = client.get(url, {"member": s.hoa.pk})
    assert page.status_code == 200
    assert s.hoa.card_number in page.content.decode()
    assert "Quỹ Mái ấm Công đoàn tỉnh P" in page.content.decode()
    assert "Quỹ Mái ấm tỉnh Q" not in page.content.decode()
    options = client.get(reverse("house_member_options", args=[s.tree.X1.pk]), {"member": "hoa"})
    assert f'value="{s.hoa.card_number}"' in options.content.decode()
    response = client.post(
        url,
        {
            "member": s.hoa.card_number,
            "kind": "build",
            "amount_vnd": "45.000.000",
            "to_fund": s.p_fund.pk,
            "proposed_on": "01/03/2024",
            "circumstances": "Nhà dột",
        },
    )
    case = HouseCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("house_detail", args=[case.pk])
    assert (case.member, case.amount_vnd, case.unit, case.to_fund, case.proposed_on) == (
        s.hoa,
        45 * MILLION,
        s.tree.X1,
        s.p_fund,
        D(2024, 3, 1),
    )
    detail = client.get(response["Location"]).content.decode()
    assert "45.000.000 đ is outside the usual 50.000.000 đ to 70.000.000 đ" in detail
    # By CCCD too.
    client.post(
        url,
        {
            "member": "020 190 001 234",
            "kind": "repair",
            "amount_vnd": "30000000",
            "proposed_on": "02/03/2024",
        },
    )
    assert HouseCase.objects.filter(kind="repair", member=s.hoa).count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "The amount must be more than zero."),
        ("-50.000.000", "The amount must be more than zero."),
        ("50000000,5", "Amounts are whole numbers of đồng, without decimals."),
        ("1.5", "Amounts are whole numbers of đồng, without decimals."),
        ("năm mươi triệu", "Type the amount in đồng, e.g. 50.000.000."),
    ],
)
def test_bad_amounts_on_the_form(shelter: Setup, amount: str, message: str) -> None:
    s = shelter
    response = login(s.cast.chair).post(
        reverse("house_create", args=[s.tree.X1.pk]),
        {
            "member": s.hoa.card_number,
            "kind": "build",
            "amount_vnd": amount,
            "proposed_on": "01/03/2024",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert HouseCase.objects.count() == 0


def test_a_member_outside_the_reach_cannot_be_chosen(shelter: Setup) -> None:
    s = shelter
    outsider = make_member(s.tree.Q1, "Người Ngoài Cuộc", cccd="020190005678")
    client = login(s.cast.chair)
    url = reverse("house_create", args=[s.tree.X1.pk])
    for typed in (outsider.card_number, "020190005678", s.lan.card_number, "Người Ngoài"):
        response = client.post(
            url,
            {
                "member": typed,
                "kind": "build",
                "amount_vnd": "60000000",
                "proposed_on": "01/03/2024",
            },
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "No member of the unions under Unit X1 matches" in body
        assert "Người Ngoài Cuộc</" not in body and "Trần Thị Lan" not in body
    options = client.get(reverse("house_member_options", args=[s.tree.X1.pk]), {"member": "ngoai"})
    assert options.content.decode().strip() == ""
    assert HouseCase.objects.count() == 0


def test_only_the_fund_keeper_approves(shelter: Setup) -> None:
    s = shelter
    case = propose(s)
    url = reverse("house_decide", args=[case.pk])
    data = {
        "action": "approve",
        "date": "15/03/2024",
        "decision_ref": "15/QĐ",
        "amount_vnd": "65.000.000",
    }
    before = snapshot()
    for who in (s.cast.chair, s.cast.x_officer, s.cast.viewer, s.cast.y_officer, s.cast.nobody):
        assert login(who).post(url, data).status_code == 404
    assert snapshot() == before
    chair_page = login(s.cast.chair).get(reverse("house_detail", args=[case.pk])).content.decode()
    assert 'value="approve"' not in chair_page
    assert 'value="cancel"' in chair_page
    officer = login(s.cast.province_officer)
    assert (
        'value="approve"' in officer.get(reverse("house_detail", args=[case.pk])).content.decode()
    )
    response = officer.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.amount_vnd, case.decision_ref) == ("approved", 65 * MILLION, "15/QĐ")
    assert login(s.cast.chair).get(url).status_code == 405


def test_steps_by_page_and_their_errors(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    url = reverse("house_decide", args=[case.pk])
    chair = login(s.cast.chair)
    response = chair.post(url, {"action": "start", "start-date": "14/03/2024"})
    assert response.status_code == 200
    assert "The date 14/03/2024 is before the approval (15/03/2024)." in response.content.decode()
    assert (
        chair.post(url, {"action": "hand_over", "hand_over-date": "01/05/2024"}).status_code == 404
    )
    assert chair.post(url, {"action": "start", "start-date": "01/04/2024"}).status_code == 302
    assert (
        chair.post(
            url, {"action": "approve", "date": "01/04/2024", "decision_ref": "2"}
        ).status_code
        == 404
    )
    assert (
        chair.post(url, {"action": "hand_over", "hand_over-date": "01/06/2024"}).status_code == 302
    )
    case.refresh_from_db()
    assert (case.status, case.started_on, case.handed_over_on) == (
        HouseStatus.HANDED_OVER,
        D(2024, 4, 1),
        D(2024, 6, 1),
    )
    officer = login(s.cast.province_officer)
    before = snapshot()
    response = officer.post(
        url, {"action": "cancel", "cancel-date": "02/06/2024", "cancel-reason": "x"}
    )
    assert response.status_code == 404  # nothing to cancel after the hand-over
    assert snapshot() == before
    page = officer.get(reverse("house_detail", args=[case.pk])).content.decode()
    assert "House handed over" in page and "Case approved" in page and "Case proposed" in page


def test_cancelling_by_page(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    houses.house_contribution_add(
        actor=None, case=case, amount_vnd=20 * MILLION, date=D(2024, 3, 20), fund=s.p_fund
    )
    officer = login(s.cast.province_officer)
    url = reverse("house_decide", args=[case.pk])
    response = officer.post(url, {"action": "cancel", "cancel-date": "01/04/2024"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = officer.post(
        url,
        {"action": "cancel", "cancel-date": "01/04/2024", "cancel-reason": "Gia đình không nhận"},
    )
    assert response.status_code == 302
    assert balance(s.p_fund) == 200 * MILLION
    page = officer.get(reverse("house_detail", args=[case.pk])).content.decode()
    assert "Case cancelled: 01/04/2024: Gia đình không nhận" in page
    assert "returned to the fund" in page


def test_contributions_by_page(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    url = reverse("house_contribution_create", args=[case.pk])
    # The chair may record a sponsor but sees no fund to pay from: the funds are above them.
    chair = login(s.cast.chair)
    page = chair.get(url).content.decode()
    assert "Quỹ Mái ấm Công đoàn tỉnh P" not in page
    response = chair.post(
        url, {"fund": s.p_fund.pk, "amount_vnd": "10.000.000", "date": "20/03/2024"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert (
        chair.post(
            url, {"sponsor": "Công ty A", "amount_vnd": "10.000.000", "date": "20/03/2024"}
        ).status_code
        == 302
    )
    officer = login(s.cast.province_officer)
    page = officer.get(url).content.decode()
    assert "Quỹ Mái ấm Công đoàn tỉnh P" in page and "200.000.000 đ" in page
    response = officer.post(
        url, {"fund": s.p_fund.pk, "amount_vnd": "60.000.000", "date": "20/03/2024"}
    )
    assert "remain to be given" in response.content.decode()
    assert (
        officer.post(
            url, {"fund": s.p_fund.pk, "amount_vnd": "50.000.000", "date": "20/03/2024"}
        ).status_code
        == 302
    )
    assert balance(s.p_fund) == 150 * MILLION
    assert HouseContribution.objects.count() == 2
    detail = officer.get(reverse("house_detail", args=[case.pk])).content.decode()
    assert "60.000.000 đ of 60.000.000 đ contributed; 0 đ remain." in detail
    assert login(s.cast.viewer).get(url).status_code == 404
    assert login(s.cast.y_officer).get(url).status_code == 404


def test_contributions_need_an_approved_case(shelter: Setup) -> None:
    s = shelter
    case = propose(s)
    officer = login(s.cast.province_officer)
    url = reverse("house_contribution_create", args=[case.pk])
    assert "approved cases and houses being built" in officer.get(url).content.decode()
    response = officer.post(url, {"sponsor": "A", "amount_vnd": "1.000.000", "date": "20/03/2024"})
    assert response.status_code == 200
    assert HouseContribution.objects.count() == 0


def test_the_audit_trail_names_every_step(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    houses.house_contribution_add(
        actor=s.cast.province_officer,
        case=case,
        amount_vnd=10 * MILLION,
        date=D(2024, 3, 20),
        fund=s.p_fund,
    )
    page = login(s.cast.x_officer).get(reverse("house_detail", args=[case.pk])).content.decode()
    assert "Contribution recorded: Quỹ Mái ấm Công đoàn tỉnh P" in page
    assert "Case approved: 15/QĐ-LĐLĐ" in page
    assert "Case proposed: Nguyễn Thị Hoa" in page
    assert AuditEvent.objects.filter(unit_id=s.tree.X1.pk, action__startswith="house.").count() == 3


HOUSE_URLS = {
    "unit_houses",
    "house_create",
    "house_member_options",
    "house_detail",
    "house_decide",
    "house_contribution_create",
    "house_document_add",
    "care_document",
    "care_document_delete",
}


def test_every_house_url_with_an_id_is_checked() -> None:
    names = {p.name for _route, p in our_patterns() if p.pattern.converters}
    assert {n for n in names if "house" in (n or "") or n.startswith("care_document")} == (
        HOUSE_URLS
    )


@pytest.mark.parametrize(
    "who",
    ["province_admin", "province_officer", "x_officer", "y_officer", "viewer", "chair", "nobody"],
)
def test_outside_records_answer_404(shelter: Setup, who: str) -> None:
    """The same check as congdoan/org/tests/test_access.py, for the house URLs alone."""
    from congdoan.care.tests.outside_houses import outside_ids

    s = shelter
    ids = outside_ids(s.tree, s.cast)
    user = getattr(s.cast, who)
    client = login(user)
    urls = {name: reverse(name, kwargs={"pk": ids[name](user)}) for name in HOUSE_URLS}
    before = snapshot()
    for name, url in sorted(urls.items()):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"action": "cancel", "name": "x"})
            assert response.status_code in ({404, 405} if method == "get" else {404}), (name, who)
            assert "Người Ngoài Cuộc".encode() not in response.content
    assert snapshot() == before
    anonymous = Client()
    for url in urls.values():
        assert anonymous.get(url).status_code == 302
        assert anonymous.post(url).status_code == 302


def test_a_viewer_gets_404_on_every_write_url(shelter: Setup) -> None:
    s = shelter
    case = approved(s)
    client = login(s.cast.viewer)
    assert client.get(reverse("house_detail", args=[case.pk])).status_code == 200
    for name, pk in (
        ("house_create", s.tree.X1.pk),
        ("house_member_options", s.tree.X1.pk),
        ("house_contribution_create", case.pk),
        ("house_document_add", case.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
        assert client.post(reverse(name, args=[pk]), {}).status_code == 404, name
    assert (
        client.post(reverse("house_decide", args=[case.pk]), {"action": "start"}).status_code == 404
    )
    page = client.get(reverse("house_detail", args=[case.pk])).content.decode()
    assert "Record a contribution" not in page and 'name="action"' not in page


def test_houses_home_opens_the_top_unit(shelter: Setup) -> None:
    response = login(shelter.cast.x_officer).get(reverse("houses_home"))
    assert response["Location"] == reverse("unit_houses", args=[shelter.tree.X.pk])
    assert login(shelter.cast.nobody).get(reverse("houses_home")).status_code == 404


def test_a_union_group_does_not_propose(shelter: Setup) -> None:
    client = login(shelter.cast.chair)
    assert client.get(reverse("house_create", args=[shelter.tree.X1T.pk])).status_code == 404
    page = client.get(reverse("unit_houses", args=[shelter.tree.X1T.pk])).content.decode()
    assert "Propose a house" not in page
