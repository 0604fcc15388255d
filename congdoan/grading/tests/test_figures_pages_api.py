"""Grade distribution, bloc ranking, the `grading` stats section, the unit panel, the pages
and the API, with exact values."""

import io
import json
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from congdoan.core.tokens import api_token_create
from congdoan.grading import figures
from congdoan.grading.models import Assessment, Score
from congdoan.grading.tests.setup import YEAR, D, Setup, approved, grading, ids, submitted

__all__ = ["grading"]


def graded(s: Setup) -> None:
    approved(s, s.tree.X1, ("36", "18", "27", "9"))  # 90 HTXSNV
    approved(s, s.tree.X2, ("30", "15", "20", "5"))  # 70 HTTNV
    approved(s, s.tree.X3, ("40", "20", "30", "10"), cap="not_graded", cap_reason="Mới thành lập")
    approved(s, s.tree.Y1, ("30", "15", "20", "5"))  # 70 HTTNV
    submitted(s, s.tree.Y2, actor=s.cast.y_officer)


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_distribution_of_a_subtree(grading: Setup) -> None:
    s = grading
    graded(s)
    assert figures.distribution(s.tree.P, YEAR) == {
        "year": YEAR,
        "grades": {"HTXSNV": 1, "HTTNV": 2, "HTNV": 0, "KHTNV": 0},
        "strong": 3,
        "graded": 3,
        "not_graded": 2,  # X3 "not graded", Y2 still in review
    }
    assert figures.distribution(s.tree.X, YEAR)["grades"] == {
        "HTXSNV": 1, "HTTNV": 1, "HTNV": 0, "KHTNV": 0,
    }  # fmt: skip
    assert figures.distribution(s.tree.P, YEAR - 1)["not_graded"] == 5


def test_stats_prints_the_grading_section_for_the_year_of_the_period_end(grading: Setup) -> None:
    from congdoan.emulation import blocs

    graded(grading)
    blocs.bloc_create(
        actor=None, owner=grading.tree.X, year=YEAR, name="Cụm số 1",
        units=[grading.tree.X2, grading.tree.X1], leader=grading.tree.X1,
    )  # fmt: skip
    out = io.StringIO()
    call_command("stats", "--unit", "X", "--as-of", "2021-12-31", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["grading"] == {
        "year": 2021,
        "grades": {"HTXSNV": 1, "HTTNV": 1, "HTNV": 0, "KHTNV": 0},
        "strong": 2,
        "graded": 2,
        "not_graded": 1,
        "blocs": [
            {
                "bloc": "Cụm số 1",
                "units": [
                    {"code": "X1", "rank": 1, "points": 90.0, "grade": "HTXSNV"},
                    {"code": "X2", "rank": 2, "points": 70.0, "grade": "HTTNV"},
                ],
            }
        ],
    }


def test_ranking_without_blocs_puts_everyone_in_one_group(grading: Setup) -> None:
    graded(grading)
    groups = figures.bloc_ranking(grading.tree.P, YEAR)
    assert [(g.name, [(r.rank, r.code, r.total_tenths) for r in g.rows]) for g in groups] == [
        ("Not in a bloc", [(1, "X3", 1000), (2, "X1", 900), (3, "X2", 700), (3, "Y1", 700)]),
    ]


def test_unit_panel_shows_the_grade_history(grading: Setup) -> None:
    approved(grading)
    body = (
        login(grading.cast.province_officer)
        .get(reverse("unit_detail", args=[grading.tree.X1.pk]))
        .content.decode()
    )
    assert "Year-end grading" in body and ">HTXSNV<" in body and ">90<" in body


def test_the_review_list_in_a_fixed_number_of_queries(
    grading: Setup, django_assert_num_queries: Any
) -> None:
    s = grading
    graded(s)
    client = login(s.cast.province_officer)
    url = reverse("unit_grading", args=[s.tree.P.pk])
    client.get(url, {"year": YEAR})  # warm the session and the reach
    with django_assert_num_queries(12):
        body = client.get(url, {"year": YEAR}).content.decode()
    for name in ("Unit X1", "Unit X2", "Unit X3", "Unit Y1", "Unit Y2"):
        assert name in body
    only = client.get(url, {"year": YEAR, "status": "submitted"}).content.decode()
    x1, y2 = (Assessment.objects.get(unit=u, year=YEAR) for u in (s.tree.X1, s.tree.Y2))
    assert reverse("assessment_detail", args=[y2.pk]) in only
    assert reverse("assessment_detail", args=[x1.pk]) not in only


def test_the_unit_fills_and_submits_its_assessment_on_the_page(grading: Setup) -> None:
    s = grading
    c11, c12, c21, c22 = ids(s)
    client = login(s.cast.chair)
    page = client.get(reverse("unit_grading", args=[s.tree.X1.pk]), {"year": YEAR})
    assert "Start the self-assessment for 2021" in page.content.decode()
    response = client.post(reverse("assessment_start", args=[s.tree.X1.pk]), {"year": YEAR})
    a = Assessment.objects.get(unit=s.tree.X1, year=YEAR)
    assert response["Location"] == reverse("assessment_detail", args=[a.pk])
    url = reverse("assessment_self", args=[a.pk])
    bad = client.post(url, {f"self_{c11}": "45", f"self_{c12}": "10"})
    assert bad.status_code == 200
    assert "Criterion 1.1: the score 45 is above the maximum of 40." in bad.content.decode()
    assert Score.objects.filter(assessment=a, self_tenths__isnull=False).count() == 0
    data = {f"self_{c11}": "38", f"self_{c12}": "17,5", f"self_{c21}": "27",
            f"self_{c22}": "9", f"evidence_{c11}": "Kết nạp 25 ĐV", "submit": "1"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    a.refresh_from_db()
    assert (a.status, a.self_total_tenths) == ("submitted", 915)
    # The chair cannot review their own union.
    assert (
        client.post(reverse("assessment_review", args=[a.pk]), {"approve": "1"}).status_code == 404
    )


def test_the_union_above_reviews_on_the_page(grading: Setup) -> None:
    s = grading
    a = submitted(s)
    c11, c12, *_ = ids(s)
    client = login(s.cast.x_officer)
    url = reverse("assessment_review", args=[a.pk])
    page = client.get(reverse("assessment_detail", args=[a.pk])).content.decode()
    assert f'name="approved_{c11}"' in page
    bad = client.post(url, {f"approved_{c12}": "15", "approve": "1"})
    assert (
        "Criterion 1.2: the score was changed from 18 to 15; write a comment saying why."
        in bad.content.decode()
    )
    ok = client.post(url, {f"approved_{c12}": "15", f"comment_{c12}": "Thiếu minh chứng",
                           "cap": "", "approve": "1"})  # fmt: skip
    assert ok.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.approved_total_tenths, a.grade) == ("approved", 870, "HTTNV")
    again = client.post(url, {"approve": "1"})
    assert "This assessment was approved and can no longer be changed" in again.content.decode()
    reopened = client.post(reverse("assessment_reopen", args=[a.pk]), {"reason": "Sai sót"})
    assert reopened.status_code == 302
    a.refresh_from_db()
    assert a.status == "submitted"


def test_the_scorecard_editor(grading: Setup) -> None:
    s = grading
    client = login(s.cast.x_officer)
    response = client.post(reverse("scorecard_create", args=[s.tree.X.pk]), {
        "year": "2022", "title": "Bảng điểm 2022", "excellent_min_tenths": "90",
        "good_min_tenths": "70", "pass_min_tenths": "50", "strong_from": "HTTNV",
    })  # fmt: skip
    assert response.status_code == 302
    card = s.tree.X.grading_scorecards.get(year=2022)
    client.post(reverse("group_create", args=[card.pk]), {"number": "I", "title": "Tổ chức"})
    group = card.groups.get()
    url = reverse("criterion_create", args=[card.pk])
    client.post(url, {"group": group.pk, "code": "1.1", "text": "A", "max_tenths": "60,5",
                      "source": "typed"})  # fmt: skip
    bad = client.post(reverse("scorecard_action", args=[card.pk]), {"action": "publish"},
                      follow=True)  # fmt: skip
    assert (
        "The maximum scores total 60,5 points; they must total exactly 100 before the scorecard "
        "is published." in bad.content.decode()
    )
    client.post(url, {"group": group.pk, "code": "1.2", "text": "B", "max_tenths": "39,5",
                      "source": "typed"})  # fmt: skip
    client.post(reverse("scorecard_action", args=[card.pk]), {"action": "publish"})
    card.refresh_from_db()
    assert card.status == "published"
    page = client.get(reverse("scorecard_detail", args=[card.pk])).content.decode()
    assert "100 / 100" in page
    # A grassroots chair reads the scorecard that grades it, but cannot change it.
    chair = login(s.cast.chair)
    assert chair.get(reverse("scorecard_detail", args=[card.pk])).status_code == 200
    assert chair.get(reverse("scorecard_edit", args=[card.pk])).status_code == 404


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_api_distribution_ranking_and_assessment(grading: Setup) -> None:
    s = grading
    graded(s)
    client = api(s.cast.x_officer)
    assert client.get("/api/v1/grading/distribution", {"unit": "X", "year": 2021}).json() == {
        "unit": "X",
        "year": 2021,
        "grades": {"HTXSNV": 1, "HTTNV": 1, "HTNV": 0, "KHTNV": 0},
        "strong": 2,
        "graded": 2,
        "not_graded": 1,
    }
    ranking = client.get("/api/v1/grading/ranking", {"unit": "X", "year": 2021}).json()
    assert [(u["rank"], u["unit_code"], u["total"]) for u in ranking[0]["units"]] == [
        (1, "X3", "100"), (2, "X1", "90"), (3, "X2", "70"),
    ]  # fmt: skip
    body = client.get("/api/v1/grading/assessment", {"unit": "X1", "year": 2021}).json()
    assert {k: body[k] for k in ("unit", "year", "status", "self_total", "approved_total",
                                 "grade", "strong", "approved_on")} == {
        "unit": "X1", "year": 2021, "status": "approved", "self_total": "90",
        "approved_total": "90", "grade": "HTXSNV", "strong": True, "approved_on": "2022-01-20",
    }  # fmt: skip
    assert body["scores"][1] == {
        "group": "I. Tổ chức và đoàn viên", "code": "1.2", "criterion": "Tiêu chí 1.2",
        "max": "20", "self_score": "18", "evidence": "Báo cáo", "approved_score": "18",
        "comment": "",
    }  # fmt: skip


def test_api_answers_404_outside(grading: Setup) -> None:
    s = grading
    approved(s, s.tree.Y1, ("30", "15", "20", "5"))
    client = api(s.cast.x_officer)
    for path, params in (
        ("/api/v1/grading/assessment", {"unit": "Y1", "year": 2021}),
        ("/api/v1/grading/assessment", {"unit": "X1", "year": 2021}),  # none yet
        ("/api/v1/grading/distribution", {"unit": "P", "year": 2021}),
        ("/api/v1/grading/ranking", {"unit": "Y", "year": 2021}),
    ):
        assert client.get(path, params).status_code == 404, path
    assert D(2022, 1, 20)  # the approval date used above


def test_the_page_opens_on_the_latest_scorecard_year_and_ranks_only_in_blocs(
    grading: Setup,
) -> None:
    """Without ?year the page shows the year of the latest scorecard (2021 here, whatever
    today is); the ranking appears only once some unit is in a bloc."""
    from congdoan.emulation import blocs

    s = grading
    graded(s)
    client = login(s.cast.province_officer)
    url = reverse("unit_grading", args=[s.tree.P.pk])
    page = client.get(url)
    assert page.context["year"] == YEAR
    assert 'name="year" value="2021"' in page.content.decode()
    assert page.context["ranking"] == [] and "Ranking in the emulation blocs" not in (
        page.content.decode()
    )
    blocs.bloc_create(
        actor=None, owner=s.tree.X, year=YEAR, name="Cụm số 1", units=[s.tree.X1, s.tree.X2],
        leader=s.tree.X1,
    )  # fmt: skip
    ranked = client.get(url)
    assert [(g.name, [r.code for r in g.rows]) for g in ranked.context["ranking"]] == [
        ("Cụm số 1", ["X1", "X2"]),
        ("Not in a bloc", ["X3", "Y1"]),
    ]
