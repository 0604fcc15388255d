"""The dashboard on the conftest tree with real rows made by the services: members over the
years, a target, a paid support, an award decision, an initiative against its target and a
grade; exact figures on the page and in the API, the links behind them, a pinned number of
queries, the cache of past year ends kept right, and 404 for a unit outside."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from congdoan.awards import services as award_services
from congdoan.awards.models import AwardForm
from congdoan.awards.tests.test_services import Setup as AwardSetup
from congdoan.awards.tests.test_services import graded
from congdoan.care import support as care
from congdoan.care.models import ProgrammeKind, SupportStatus
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.tokens import api_token_create
from congdoan.dashboard.figures import dashboard_figures, members_on
from congdoan.initiatives import services as initiative_services
from congdoan.members import services as member_services
from congdoan.members.models import MemberTarget
from congdoan.members.services import today
from congdoan.org import queries
from congdoan.org.models import Role, RoleKind

D = datetime.date


@dataclass
class Scene:
    tree: Tree
    cast: Cast
    year: int
    hoa: Any
    lan: Any
    minh: Any
    nam: Any
    programme: Any


def year_end(year: int) -> D:
    return D(year, 12, 31)


@pytest.fixture
def scene(tree: Tree, cast: Cast) -> Scene:
    """P's subtree: Hoa (X1, since 2015), Lan (X2, since June three years ago), Nam (Y2, from
    2020 until he withdrew two years ago), Minh (Y1, admitted today); an outsider in Q1."""
    year = today().year
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190000001")
    lan = make_member(tree.X2, "Trần Thị Lan", cccd="001190000002", admit_on=D(year - 3, 6, 1))
    nam = make_member(tree.Y2, "Phạm Văn Nam", cccd="001090000004", sex="male",
                      admit_on=D(2020, 2, 1))  # fmt: skip
    member_services.member_leave(actor=None, member=nam, kind="withdrawn", date=D(year - 2, 5, 4))
    minh = make_member(tree.Y1, "Lê Văn Minh", cccd="001090000003", sex="male", admit_on=today())
    make_member(tree.Q1, "Người Ngoài Cuộc", cccd="001190000009")
    MemberTarget.objects.create(unit=tree.P, year=year, new_members=4)
    programme = care.programme_create(
        actor=cast.province_officer, unit=tree.P,
        data=care.ProgrammeData(name=f"Tết Sum vầy {year}", kind=ProgrammeKind.TET,
                                start=D(year, 1, 1), end=D(year, 12, 31)),
    )  # fmt: skip
    care.support_record(
        actor=cast.province_officer, programme=programme, status=SupportStatus.PAID,
        data=care.SupportData(unit=tree.X1, person=care.Beneficiary(member=hoa),
                              date=D(year, 1, 20), cash_vnd=1_500_000),
    )  # fmt: skip
    decision = award_services.decision_create(
        actor=cast.province_officer, unit=tree.P, form=AwardForm.objects.get(code="bk-ldld-tinh"),
        year=year - 1, number="15/QĐ-LĐLĐ", date=D(year, 1, 10), signer="Hoàng Văn A",
        signer_position="Chủ tịch",
    )  # fmt: skip
    award_services.recipient_add(actor=None, decision=decision, unit=tree.X1, override_reason="x")
    award_services.recipient_add(actor=None, decision=decision, member=hoa, override_reason="x")
    award_services.recipient_add(actor=None, decision=decision, member=lan, override_reason="x")
    award_services.decision_issue(actor=None, decision=decision)
    ideas = initiative_services.programme_create(
        actor=cast.province_officer, unit=tree.P,
        data=initiative_services.ProgrammeData(name="1 triệu sáng kiến", start=D(year, 1, 1),
                                               end=D(year, 12, 31)),
    )  # fmt: skip
    initiative_services.targets_set(
        actor=cast.province_officer, programme=ideas, targets={tree.P.pk: 4}
    )
    for title in ("Cải tiến băng tải", "Tiết kiệm điện", "Số hóa hồ sơ", "Máy cắt vải", "Lò sấy"):
        initiative_services.initiative_create(
            actor=None, programme=ideas, unit=tree.X1,
            data=initiative_services.InitiativeData(
                title=title, field="technical", submitted_on=D(year, 1, 15), value_vnd=0,
                authors=[(hoa, None)], co_authors="",
            ),
        )  # fmt: skip
    graded(AwardSetup(tree=tree, cast=cast, hoa=hoa, lan=lan, binh=minh), tree.X1, year - 1,
           "HTXSNV")  # fmt: skip
    return Scene(tree=tree, cast=cast, year=year, hoa=hoa, lan=lan, minh=minh, nam=nam,
                 programme=programme)  # fmt: skip


def expected_trend(year: int) -> list[int]:
    """Members of P at the end of each of the five years before this one, then today."""
    out = []
    for y in range(year - 5, year):
        n = 1  # Hoa
        n += y >= year - 3  # Lan
        n += y < year - 2  # Nam, who withdrew two years ago
        out.append(n)
    return [*out, 3]


def test_the_figures_of_a_province(scene: Scene) -> None:
    s, year = scene, scene.year
    f = dashboard_figures(s.tree.P)
    assert f["unit"] == {"code": "P", "name": "Unit P", "level": "province"}
    assert f["as_of"] == today().isoformat()
    assert f["organisation"] == {
        "child_units": 3,
        "grassroots_units": 5,
        "workforce": 207,
        "members": 3,
        "female_members": 2,
        "unionised_pct": 1.4,
    }
    assert [(r["year"], r["members"]) for r in f["members_trend"]] == list(
        zip(range(year - 5, year + 1), expected_trend(year), strict=True)
    )
    assert f["members_trend"][0]["as_of"] == f"{year - 5}-12-31"
    assert f["new_members"] == {
        "year": year, "admitted": 1, "target": 4, "percent": 25, "phrase": "reached 25%",
    }  # fmt: skip
    assert f["care"] == {
        "from": f"{year}-01-01",
        "to": f"{year}-12-31",
        "people_supported": 1,
        "support_acts": 1,
        "support_vnd": 1_500_000,
        "houses": 0,
        "houses_vnd": 0,
        "loans_granted": 0,
        "loans_outstanding_vnd": 0,
        "loans_overdue": 0,
        "loans_overdue_vnd": 0,
        "by_programme": [
            {"programme_id": s.programme.pk, "name": f"Tết Sum vầy {year}", "people": 1,
             "acts": 1, "support_vnd": 1_500_000},
        ],
    }  # fmt: skip
    awards = f["awards"]
    assert (awards["collectives"], awards["individuals"]) == (1, 2)
    assert [(r["form_code"], r["collectives"], r["individuals"]) for r in awards["by_form"]] == [
        ("bk-ldld-tinh", 1, 2)
    ]
    assert f["initiatives"] == {
        "from": f"{year}-01-01", "to": f"{year}-12-31", "submitted": 5, "recognised": 0,
        "target": 4, "target_pct": 125, "target_phrase": "exceeded by 25%", "value_vnd": 0,
    }  # fmt: skip
    assert f["grading"] == {
        "year": year - 1,
        "grades": {"HTXSNV": 1, "HTTNV": 0, "HTNV": 0, "KHTNV": 0},
        "strong": 1,
        "graded": 1,
        "not_graded": 4,
    }


def test_a_district_sees_its_own_subtree(scene: Scene) -> None:
    f = dashboard_figures(scene.tree.Y)
    year = scene.year
    assert [r["members"] for r in f["members_trend"]] == [
        int(y < year - 2) for y in range(year - 5, year)
    ] + [1]
    assert (f["care"]["people_supported"], f["awards"]["collectives"]) == (0, 0)
    assert f["new_members"] == {
        "year": year, "admitted": 1, "target": None, "percent": None, "phrase": "",
    }  # fmt: skip


def test_past_year_ends_are_the_members_of_unit_figures(scene: Scene) -> None:
    for unit in (scene.tree.C, scene.tree.P, scene.tree.X, scene.tree.Y2, scene.tree.Q):
        for y in range(scene.year - 6, scene.year):
            day = year_end(y)
            assert members_on(unit, day) == queries.unit_figures(unit, day)["members"]


def test_a_backdated_admission_shows_in_the_cached_trend(scene: Scene) -> None:
    s, year = scene, scene.year
    before = [r["members"] for r in dashboard_figures(s.tree.P)["members_trend"]]
    assert before == expected_trend(year)
    make_member(s.tree.X3, "Đỗ Thị Mai", cccd="001190000005", admit_on=D(year - 4, 3, 1))
    after = [r["members"] for r in dashboard_figures(s.tree.P)["members_trend"]]
    assert after == [before[0], *(n + 1 for n in before[1:])]


def test_a_withdrawal_dated_last_year_shows_too(scene: Scene) -> None:
    s, year = scene, scene.year
    dashboard_figures(s.tree.P)
    member_services.member_leave(actor=None, member=s.lan, kind="withdrawn",
                                 date=D(year - 1, 3, 1))  # fmt: skip
    trend = [r["members"] for r in dashboard_figures(s.tree.P)["members_trend"]]
    assert trend == [*expected_trend(year)[:4], 1, 2]


def page(user: Any, **params: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse("home"), params)


def anchor(html: str, element_id: str) -> tuple[str, str]:
    """(href, text) of the link with this id."""
    found = re.search(rf'<a id="{element_id}" href="([^"]*)"[^>]*>([^<]*)</a>', html)
    assert found is not None, element_id
    return found.group(1).replace("&amp;", "&"), found.group(2)


def test_every_number_links_to_the_list_behind_it(scene: Scene) -> None:
    s, year, p = scene, scene.year, scene.tree.P.pk
    html = page(s.cast.province_officer).content.decode()
    assert anchor(html, "dash-members") == (f"/units/{p}/members/", "3")
    assert anchor(html, "dash-grassroots") == (f"/units/{p}/", "5")
    assert anchor(html, "dash-new-members") == (f"/units/{p}/members/?join_year={year}", "1")
    assert anchor(html, "dash-care") == (f"/care/units/{p}/", "1")
    assert anchor(html, "dash-loans-overdue") == (f"/care/units/{p}/loans/?overdue=1", "0")
    period = f"start=01%2F01%2F{year}&end={today():%d}%2F{today():%m}%2F{year}"
    assert anchor(html, "dash-award-collectives") == (
        f"/awards/units/{p}/recipients/?kind=collective&{period}", "1")  # fmt: skip
    assert anchor(html, "dash-award-individuals") == (
        f"/awards/units/{p}/recipients/?kind=individual&{period}", "2")  # fmt: skip
    assert anchor(html, "dash-initiatives") == (f"/initiatives/units/{p}/?year={year}", "5")
    assert f'href="/units/{p}/members/?as_of=31%2F12%2F{year - 1}">2</a>' in html
    assert f'href="/units/{p}/targets/">4</a>' in html
    assert f'href="/care/programmes/{s.programme.pk}/">Tết Sum vầy {year}</a>' in html
    assert f'href="/grading/units/{p}/?year={year - 1}">1</a>' in html
    assert "1.500.000" in html and "exceeded by 25%" in html and "reached 25%" in html
    # Charts: drawn by the local Chart.js from the figures carried as JSON, no inline script.
    assert '<script id="dashboard-charts" type="application/json">' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "/static/js/dashboard.js" in html
    assert "<script>" not in html and ' style="' not in html


def test_the_lists_behind_the_numbers_agree(scene: Scene) -> None:
    """The roster as of a past year end lists as many members as the trend says."""
    s, year = scene, scene.year
    client = Client()
    client.force_login(s.cast.province_officer)
    roster = client.get(reverse("unit_members", args=[s.tree.P.pk]),
                        {"as_of": f"31/12/{year - 4}"}).content.decode()  # fmt: skip
    assert "Nguyễn Thị Hoa" in roster and "Phạm Văn Nam" in roster
    assert "Trần Thị Lan" not in roster


# Session and user (2), reach and top units (2), today's figures (5), the cached past year ends
# (3), last year's grades (2), the cached care figures (3), awards (2), initiatives (2),
# upcoming meetings (1).
QUERIES = 22


def test_the_number_of_queries_does_not_grow_with_the_data(
    scene: Scene, django_assert_num_queries: Any
) -> None:
    s = scene
    client = Client()
    client.force_login(s.cast.province_officer)
    client.get("/")  # fills the caches
    with django_assert_num_queries(QUERIES):
        assert client.get("/").status_code == 200
    for i in range(3):
        member = make_member(s.tree.Y1, f"Vũ Thị Thu {i}", cccd=f"00119000010{i}",
                             admit_on=D(s.year - 2, 1, 1))  # fmt: skip
        care.support_record(
            actor=s.cast.province_officer, programme=s.programme, status=SupportStatus.PAID,
            data=care.SupportData(unit=s.tree.Y1, person=care.Beneficiary(member=member),
                                  date=D(s.year, 2, 1), cash_vnd=500_000),
        )  # fmt: skip
    client.get("/")
    with django_assert_num_queries(QUERIES):
        html = client.get("/").content.decode()
    assert anchor(html, "dash-members")[1] == "6"
    assert anchor(html, "dash-care")[1] == "4"


def test_a_unit_outside_answers_404(scene: Scene) -> None:
    s = scene
    assert page(s.cast.x_officer, unit="Q").status_code == 404
    assert page(s.cast.x_officer, unit="P").status_code == 404  # above the officer's unit
    assert page(s.cast.x_officer, unit="NOPE").status_code == 404
    assert page(s.cast.x_officer, unit="X1").status_code == 200
    html = page(s.cast.x_officer).content.decode()
    assert anchor(html, "dash-members") == (f"/units/{s.tree.X.pk}/members/", "2")


def test_a_unit_chooser_when_the_user_has_several(scene: Scene) -> None:
    s = scene
    Role.objects.create(user=s.cast.x_officer, unit=s.tree.Q1, kind=RoleKind.VIEWER)
    html = page(s.cast.x_officer).content.decode()
    assert '<a class="nav-link py-1 active" aria-current="page" href="?unit=X">' in html
    assert 'href="?unit=Q1">Unit Q1</a>' in html
    html = page(s.cast.x_officer, unit="Q1").content.decode()
    assert anchor(html, "dash-members") == (f"/units/{s.tree.Q1.pk}/members/", "1")


def test_someone_without_a_role_is_told_so(scene: Scene) -> None:
    response = page(scene.cast.nobody)
    assert response.status_code == 200
    assert "You have no role on any unit yet" in response.content.decode()


def test_login_is_needed(db: None) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_is_in_vietnamese(scene: Scene, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        client = Client()
        client.force_login(scene.cast.province_officer)
        html = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    assert "Đoàn viên" in html and "Số liệu chăm lo" in html and "Tổng cộng" in html
    assert "vượt 25%" in html and "đạt 25%" in html and "(1,5 triệu đồng)" in html


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_api_gives_the_same_figures(scene: Scene) -> None:
    s = scene
    client = api(s.cast.province_officer)
    body = client.get("/api/v1/dashboard/", {"unit": "P"}).json()
    assert body == {**dashboard_figures(s.tree.P), "upcoming_meetings": []}
    assert client.get("/api/v1/dashboard/").json()["unit"]["code"] == "P"
    assert client.get("/api/v1/dashboard/", {"unit": "X"}).json()["organisation"]["members"] == 2


def test_the_api_answers_404_outside(scene: Scene) -> None:
    client = api(scene.cast.x_officer)
    assert client.get("/api/v1/dashboard/", {"unit": "Q"}).status_code == 404
    assert client.get("/api/v1/dashboard/", {"unit": "P"}).status_code == 404
    assert api(scene.cast.nobody).get("/api/v1/dashboard/").status_code == 404
    assert Client().get("/api/v1/dashboard/", {"unit": "X"}).status_code == 401


def test_upcoming_meetings_of_the_user(scene: Scene) -> None:
    from congdoan.meetings.models import Meeting

    s, day = scene, today()
    later = day + datetime.timedelta(days=3)
    ahead = Meeting.objects.create(
        unit=s.tree.X, kind="plenary", title="Hội nghị BCH lần thứ 5", date=later,
        start_time=datetime.time(8, 0), place="Hội trường",
    )  # fmt: skip
    yesterday = day - datetime.timedelta(days=1)
    Meeting.objects.create(unit=s.tree.P, kind="year_review", title="Tổng kết năm", date=yesterday)
    Meeting.objects.create(unit=s.tree.Q, kind="year_review", title="Hội nghị tỉnh Q", date=later)
    html = page(s.cast.x_officer).content.decode()
    assert f'<a href="/meetings/{ahead.pk}/">Hội nghị BCH lần thứ 5</a>' in html
    assert "Tổng kết năm" not in html and "Hội nghị tỉnh Q" not in html
    body = api(s.cast.x_officer).get("/api/v1/dashboard/").json()
    assert body["upcoming_meetings"] == [
        {"id": ahead.pk, "date": later.isoformat(), "start_time": "08:00",
         "title": "Hội nghị BCH lần thứ 5", "place": "Hội trường", "unit": "X"},
    ]  # fmt: skip


def members_then(y: int, year: int) -> int:
    """Members of P at the end of year `y`: Hoa, Nam from 2020 until two years ago, Lan since
    three years ago."""
    return 1 + (2020 <= y < year - 2) + (y >= year - 3)


def test_a_past_year_as_of_its_last_day(scene: Scene) -> None:
    s, year = scene, scene.year
    past = year - 3
    f = dashboard_figures(s.tree.P, past)
    assert (f["year"], f["as_of"]) == (past, f"{past}-12-31")
    assert [(r["year"], r["members"]) for r in f["members_trend"]] == [
        (y, members_then(y, year)) for y in range(past - 5, past + 1)
    ]
    assert f["organisation"]["members"] == 3
    assert f["new_members"] == {
        "year": past, "admitted": 1, "target": None, "percent": None, "phrase": "",
    }  # fmt: skip
    assert (f["care"]["people_supported"], f["awards"]["collectives"]) == (0, 0)
    assert f["initiatives"]["submitted"] == 0
    assert f["grading"]["year"] == past - 1
    # Kept in the cache, and made stale by a backdated admission.
    make_member(s.tree.X3, "Đỗ Thị Mai", cccd="001190000005", admit_on=D(past, 3, 1))
    again = dashboard_figures(s.tree.P, past)
    assert again["organisation"]["members"] == 4
    assert again["new_members"]["admitted"] == 2
    assert again["members_trend"][-1]["members"] == 4


def test_the_page_of_a_past_year_links_to_that_year(scene: Scene) -> None:
    s, year, p = scene, scene.year, scene.tree.P.pk
    past = year - 3
    html = page(s.cast.province_officer, year=str(past)).content.decode()
    assert anchor(html, "dash-members") == (f"/units/{p}/members/?as_of=31%2F12%2F{past}", "3")
    assert anchor(html, "dash-care") == (
        f"/care/units/{p}/?start=01%2F01%2F{past}&end=31%2F12%2F{past}", "0")  # fmt: skip
    assert anchor(html, "dash-loans-overdue") == (
        f"/care/units/{p}/loans/?overdue=1&on=31%2F12%2F{past}", "0")  # fmt: skip
    assert f'<option value="{past}" selected>' in html
    assert f"Loans overdue on 31/12/{past}" in html
    assert anchor(html, "dash-grassroots") == (f"/units/{p}/?as_of=31%2F12%2F{past}", "5")
    # A year before 1990, or not yet begun, shows this year.
    assert (
        anchor(page(s.cast.province_officer, year="1989").content.decode(), "dash-members")[0]
        == f"/units/{p}/members/"
    )
    html = page(s.cast.province_officer, year=str(year + 1)).content.decode()
    assert anchor(html, "dash-members") == (f"/units/{p}/members/", "3")


def test_a_unit_dissolved_last_year_leaves_the_cached_figures(scene: Scene) -> None:
    from congdoan.org import services as org_services

    s, year = scene, scene.year
    assert dashboard_figures(s.tree.P, year - 1)["organisation"]["grassroots_units"] == 5
    org_services.unit_dissolve(
        actor=s.cast.province_admin, unit=s.tree.X3, effective_on=D(year - 1, 6, 1),
        decision_ref="9/QĐ-LĐLĐ",
    )  # fmt: skip
    assert dashboard_figures(s.tree.P, year - 1)["organisation"]["grassroots_units"] == 4


def test_a_transfer_dated_last_year_moves_the_member_in_both_trends(scene: Scene) -> None:
    s, year = scene, scene.year
    before_x = dashboard_figures(s.tree.X)["members_trend"][-2]["members"]
    before_y = dashboard_figures(s.tree.Y)["members_trend"][-2]["members"]
    transfer = member_services.transfer_request(actor=None, member=s.lan, to_unit=s.tree.Y1,
                                                date=D(year - 1, 9, 1))  # fmt: skip
    member_services.transfer_decide(actor=None, transfer=transfer, accept=True)
    assert dashboard_figures(s.tree.X)["members_trend"][-2]["members"] == before_x - 1
    assert dashboard_figures(s.tree.Y)["members_trend"][-2]["members"] == before_y + 1
