"""Page details found in review: the overview links the years that have data when the year
shown has none; the tabs keep the year; a union without sub-units is not offered a new bloc."""

from typing import Any

from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.emulation import blocs, targets


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_overview_links_the_years_with_data(tree: Tree, cast: Cast) -> None:
    blocs.bloc_create(
        actor=None, owner=tree.P, year=2021, name="Khối huyện", units=[tree.X, tree.Y],
        leader=tree.X,
    )  # fmt: skip
    ref = targets.indicator_ref(tree.P, "members_admitted")
    targets.target_set(actor=None, unit=tree.P, year=2019, ref=ref, value=5)
    client = login(cast.province_officer)
    page = client.get(reverse("unit_emulation", args=[tree.P.pk]), {"year": 2020})
    text = page.content.decode()
    assert "Years with emulation data: " in text
    assert '<a href="?year=2021">2021</a>, <a href="?year=2019">2019</a>' in text
    assert "Not in a bloc in 2020." in text
    shown = client.get(reverse("unit_emulation", args=[tree.P.pk]), {"year": 2021})
    assert "Years with emulation data" not in shown.content.decode()
    x = client.get(reverse("unit_emulation", args=[tree.X.pk]), {"year": 2021}).content.decode()
    assert "Khối huyện" in x  # X is in the bloc: 2021 has data for it
    indicators = client.get(reverse("unit_indicators", args=[tree.P.pk]), {"year": 2021})
    html = indicators.content.decode()
    assert "year=None" not in html and f"/emulation/units/{tree.P.pk}/blocs/?year=2021" in html


def test_no_new_bloc_without_sub_units(tree: Tree, cast: Cast) -> None:
    client = login(cast.chair)  # X1's chair: X1 has only its union group X1T...
    tree.X1T.status = "dissolved"
    tree.X1T.save(update_fields=["status"])  # ...and here not even that
    listing = client.get(reverse("unit_blocs", args=[tree.X1.pk])).content.decode()
    assert reverse("bloc_create", args=[tree.X1.pk]) not in listing
    response = client.get(reverse("bloc_create", args=[tree.X1.pk]), {"year": 2021})
    assert response.status_code == 302
    assert response["Location"] == f"/emulation/units/{tree.X1.pk}/blocs/?year=2021"
    officer = login(cast.province_officer).get(reverse("unit_blocs", args=[tree.P.pk]))
    assert reverse("bloc_create", args=[tree.P.pk]) in officer.content.decode()
