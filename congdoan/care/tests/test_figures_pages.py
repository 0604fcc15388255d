"""The care home and a unit's care page: who sees what, the period, exact figures with words,
links to the other care pages when they exist, and a query count that does not grow."""

import datetime
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, path, reverse

from congdoan.care.tests.test_figures import Data, grow, make_data
from congdoan.care.views_overview import UNIT_LISTS, preset_period
from congdoan.conftest import Cast, Tree
from congdoan.members.services import today
from congdoan.org import figures_cache

D = datetime.date
YEAR_2025 = {"start": "01/01/2025", "end": "31/12/2025"}


@pytest.fixture
def data(tree: Tree) -> Data:
    return make_data(tree)


def login(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_unit_page_shows_the_figures_of_the_period(tree: Tree, cast: Cast, data: Data) -> None:
    client = login(cast.x_officer)
    response = client.get(reverse("unit_care", args=[tree.X.pk]), YEAR_2025)
    assert response.status_code == 200
    body = response.content.decode()
    assert "from 01/01/2025 to 31/12/2025" in body
    figures = response.context["figures"]
    assert (figures["people_supported"], figures["support_vnd"]) == (4, 7_000_000)
    assert "7.000.000 đ" in body and "7 million VND" in body
    assert "6.500.000 đ" in body and "6.5 million VND" in body  # cash
    assert "100.000.000 đ" in body and "100 million VND" in body  # houses
    assert "26.000.000 đ" in body  # loans outstanding
    assert "7.900.000 đ" in body and "7.9 million VND" in body  # donations
    assert "4 members and workers were supported (5 times), 7 million VND in all" in body
    assert "Covid-19 support" in body and "Tết Sum vầy 2025" in body
    # Support by sub-unit: every branch, linked to its own care page with the same period.
    children = {c["unit"].code: (c["people"], c["acts"], c["amount"]) for c in
                response.context["children"]}  # fmt: skip
    assert children == {
        "X": (1, 1, 3_000_000),
        "X1": (2, 2, 2_500_000),
        "X2": (1, 1, 500_000),
        "X3": (1, 1, 1_000_000),
    }
    assert reverse("unit_care", args=[tree.X1.pk]) + "?start=01%2F01%2F2025" in body
    # Outside the officer's subtree: not found; the parent is not linked.
    assert reverse("unit_care", args=[tree.P.pk]) not in body
    assert client.get(reverse("unit_care", args=[tree.Y.pk])).status_code == 404


def test_unit_page_in_vietnamese(tree: Tree, cast: Cast, data: Data, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    client = login(cast.province_officer, "vi")
    body = client.get(reverse("unit_care", args=[tree.X.pk]), YEAR_2025).content.decode()
    assert "7 triệu đồng" in body and "6,5 triệu đồng" in body
    assert "7,9 triệu đồng" in body
    assert "01/01/2025" in body and "31/12/2025" in body


def test_presets_and_a_wrong_period(tree: Tree, cast: Cast, data: Data) -> None:
    client = login(cast.viewer)  # read-only roles see the figures too
    url = reverse("unit_care", args=[tree.X.pk])
    now = today()
    for name, expected in [
        ("this_year", (D(now.year, 1, 1), D(now.year, 12, 31))),
        ("last_year", (D(now.year - 1, 1, 1), D(now.year - 1, 12, 31))),
        ("first_half", (D(now.year, 1, 1), D(now.year, 6, 30))),
    ]:
        assert preset_period(name, now) == expected
        response = client.get(url, {"period": name})
        assert (response.context["start"], response.context["end"]) == expected
        # The boxes show the preset's dates.
        assert f'value="{expected[0]:%d/%m/%Y}"' in response.content.decode()
        assert f'value="{expected[1]:%d/%m/%Y}"' in response.content.decode()
    default = client.get(url)
    assert (default.context["start"], default.context["end"]) == (
        D(now.year, 1, 1),
        D(now.year, 12, 31),
    )
    backwards = client.get(url, {"start": "01/02/2025", "end": "31/01/2025"})
    assert "The end of the period is before its start." in backwards.content.decode()
    assert 'class="form-control is-invalid"' in backwards.content.decode()
    assert 'value="01/02/2025"' in backwards.content.decode()  # what was typed, to correct
    # A date left empty is the year's: from 01/03/2025 to the end of this year.
    open_end = client.get(url, {"start": "01/03/2025"})
    assert (open_end.context["start"], open_end.context["end"]) == (
        D(2025, 3, 1),
        D(now.year, 12, 31),
    )
    assert backwards.context["start"] == D(now.year, 1, 1)
    bad = client.get(url, {"start": "32/01/2025"})
    assert bad.status_code == 200 and bad.context["form"].errors
    # Only reading: a POST is not allowed, and answers 404 outside.
    assert client.post(url).status_code == 405
    assert login(cast.chair).post(url).status_code == 404


def test_care_home_lists_the_top_units(tree: Tree, cast: Cast, data: Data) -> None:
    body = login(cast.x_officer).get(reverse("care_home")).content.decode()
    assert reverse("unit_care", args=[tree.X.pk]) in body
    assert reverse("unit_care", args=[tree.P.pk]) not in body
    home = login(cast.province_officer).get(reverse("care_home"))
    assert [row["unit"].code for row in home.context["units"]] == ["P"]
    assert home.context["start"] == D(today().year, 1, 1)
    nobody = login(cast.nobody).get(reverse("care_home"))
    assert nobody.status_code == 200
    assert "You have no role on any unit yet" in nobody.content.decode()
    assert [r["unit"].code for r in login(cast.superuser).get(reverse("care_home")).context[
        "units"]] == ["C"]  # fmt: skip


def fake_list(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("")


# The URL map with the other care areas' pages, for the test below (their real pages may not
# exist yet; the links must follow whichever do).
def _with_other_pages() -> list[Any]:
    from congdoan.urls import urlpatterns

    extra = []
    for name in (*UNIT_LISTS, "programme_detail"):
        try:
            reverse(name, args=[1])
        except NoReverseMatch:
            extra.append(path(f"fake/{name}/<int:pk>/", fake_list, name=name))
    return [*urlpatterns, *extra]


urlpatterns: list[Any] = []


def test_figures_link_to_the_lists_when_they_exist(
    tree: Tree, cast: Cast, data: Data, settings: Any
) -> None:
    client = login(cast.x_officer)
    url = reverse("unit_care", args=[tree.X.pk])
    body = client.get(url, YEAR_2025).content.decode()
    for name in UNIT_LISTS:
        try:
            expected = reverse(name, args=[tree.X.pk])
        except NoReverseMatch:
            continue
        assert f'href="{expected}"' in body, name
    urlpatterns[:] = _with_other_pages()
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    try:
        body = client.get(url, YEAR_2025).content.decode()
        home = client.get(reverse("care_home")).content.decode()
        for name in UNIT_LISTS:
            assert f'href="{reverse(name, args=[tree.X.pk])}"' in body, name
            assert f'href="{reverse(name, args=[tree.X.pk])}"' in home, name
        assert f'href="{reverse("programme_detail", args=[data.tet.pk])}"' in body
    finally:
        urlpatterns.clear()
    clear_url_caches()


@pytest.mark.parametrize("page", ["unit_care", "care_home"])
def test_query_count_does_not_grow(
    tree: Tree, cast: Cast, data: Data, django_assert_num_queries: Any, page: str
) -> None:
    client = login(cast.province_officer)
    url = reverse(page, args=[tree.P.pk]) if page == "unit_care" else reverse(page)
    params = YEAR_2025 if page == "unit_care" else {}
    client.get(url, params)
    # From the cache: the figures' six queries are replaced by three (the stamps of the tree
    # and of care, the stored figures). Stale: the six, six to store them, and for a past year
    # (2025 on the unit page) three to find the subtree as it stood then.
    hit = 9 if page == "unit_care" else 7
    past = 3 if page == "unit_care" else 0
    with django_assert_num_queries(hit):
        assert client.get(url, params).status_code == 200
    grow(tree, data, 12)
    figures_cache.bump("care")  # grow() writes rows directly, not through the services
    with django_assert_num_queries(hit + 12 + past):
        assert client.get(url, params).status_code == 200
    with django_assert_num_queries(hit):
        assert client.get(url, params).status_code == 200
