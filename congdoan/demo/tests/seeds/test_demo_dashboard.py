"""The dashboard on the demo federation: seed 001's district in 2020 (124 grassroots unions,
3.032 members, 152 admitted against a target of 140) and seed 003's Quảng Bình in 2022 (33.778
people supported with nearly 23 billion VND, 38 houses, 250 loans), on the page and in the
figures."""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from congdoan.dashboard.figures import dashboard_figures
from congdoan.org.models import Role, RoleKind, Unit


@pytest.mark.django_db
def test_seed_001_district_in_2020(demo: Any) -> None:
    f = dashboard_figures(Unit.objects.get(code="LS-MS"), 2020)
    assert f["as_of"] == "2020-12-31"
    assert (f["organisation"]["grassroots_units"], f["organisation"]["members"]) == (124, 3_032)
    assert f["members_trend"][-1] == {"year": 2020, "as_of": "2020-12-31", "members": 3_032}
    new = f["new_members"]
    assert (new["admitted"], new["target"], new["percent"]) == (152, 140, 108)
    assert new["phrase"] == "exceeded by 8%"


@pytest.mark.django_db
def test_seed_003_quang_binh_care_in_2022(demo: Any) -> None:
    care = dashboard_figures(Unit.objects.get(code="QB"), 2022)["care"]
    assert (care["people_supported"], care["support_vnd"]) == (33_778, 22_869_700_000)
    assert (care["houses"], care["loans_granted"]) == (38, 250)
    # By programme (a person helped by two programmes counts in each).
    assert [row["people"] for row in care["by_programme"]] == [8_000, 46, 20_000, 5_778]


@pytest.mark.django_db
def test_the_page_of_the_district_in_2020(demo: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    district = Unit.objects.get(code="LS-MS")
    user = get_user_model().objects.create_user("dash-demo", "", "pw")
    Role.objects.create(user=user, unit=district, kind=RoleKind.OFFICER)
    client = Client()
    client.force_login(user)
    html = client.get("/", {"year": "2020"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    members = re.search(r'<a id="dash-members" href="([^"]*)">([^<]*)</a>', html)
    assert members is not None
    assert members.groups() == (f"/units/{district.pk}/members/?as_of=31%2F12%2F2020", "3.032")
    assert 'id="dash-grassroots" href="/units/' in html and ">124</a>" in html
    assert ">152</a>" in html and ">140</a>" in html and "vượt 8%" in html
    qb_user = get_user_model().objects.create_user("dash-demo-qb", "", "pw")
    Role.objects.create(user=qb_user, unit=Unit.objects.get(code="QB"), kind=RoleKind.OFFICER)
    client.force_login(qb_user)
    html = client.get("/", {"year": "2022"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ">33.778</a>" in html and "22.869.700.000 đ" in html and "(gần 23 tỷ đồng)" in html
