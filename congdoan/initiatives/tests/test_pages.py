"""The pages: lists with pinned query counts, forms feeding the services, outside ids 404."""

import datetime

from django.test import Client
from django.urls import reverse

from congdoan.core.tokens import api_token_create
from congdoan.initiatives.models import Initiative, ProgrammeTarget

from .setup import Setup, record, scene

D = datetime.date
__all__ = ["scene"]


def login(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_lists_keep_their_query_count(scene: Setup, django_assert_num_queries: object) -> None:
    s = scene
    for n in range(3):
        record(s, title=f"Sáng kiến {n}", authors=[(s.hoa, None), (s.lan, None)])
    client = login(s.cast.province_officer)
    url = reverse("unit_initiatives", args=[s.tree.X.pk])
    client.get(url)
    # session, user, roles, unit, programmes, totals, count, page, authors
    with django_assert_num_queries(9):  # type: ignore[operator]
        body = client.get(url).content.decode()
    assert "Sáng kiến 2" in body and "Trần Thị Lan" in body
    for n in range(3, 13):
        record(s, title=f"Sáng kiến {n}", authors=[(s.hoa, None), (s.lan, None)])
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get(url)
    url = reverse("initiative_programme_detail", args=[s.programme.pk])
    client.get(url)
    with django_assert_num_queries(8):  # type: ignore[operator]
        body = client.get(url).content.decode()
    assert "Unit X" in body and "reached 100%" not in body  # 13 of 10 → exceeded by 30%
    assert "exceeded by 30%" in body


def test_recording_through_the_form(scene: Setup) -> None:
    s = scene
    client = login(s.cast.chair)
    url = reverse("initiative_create", args=[s.tree.X1.pk])
    assert client.get(url).status_code == 200
    base = {"programme": s.programme.pk, "title": "Hợp lý hóa kho", "field": "management",
            "submitted_on": "05/03/2024", "value_vnd": "7.500.000"}  # fmt: skip
    r = client.post(url, base)
    assert "Name at least one author who is a union member." in r.content.decode()
    r = client.post(url, {**base, "author_1": "Minh"})
    assert "No member of the unions under Unit X1 matches" in r.content.decode()
    r = client.post(url, {**base, "author_1": "001190000001", "value_vnd": "7,5"})
    assert "without decimals" in r.content.decode()
    r = client.post(url, {**base, "author_1": "001190000001", "submitted_on": "05/03/2023"})
    assert "outside the programme&#x27;s period" in r.content.decode()
    assert Initiative.objects.count() == 0
    r = client.post(url, {**base, "author_1": "001190000001", "share_1": "70",
                          "author_2": "Trần Thị Lan", "share_2": "30"})  # fmt: skip
    one = Initiative.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("initiative_detail", args=[one.pk])
    assert list(one.authors.values_list("member__full_name", "share_pct")) == [
        ("Nguyễn Thị Hoa", 70),
        ("Trần Thị Lan", 30),
    ]
    assert one.value_vnd == 7_500_000
    body = client.get(r["Location"]).content.decode()
    assert "Hợp lý hóa kho" in body and "Initiative recorded" in body
    # the chair cannot record the council's decision: the programme's owner does
    decide = reverse("initiative_decide", args=[one.pk])
    assert client.post(decide, {"decide-decision": "recognised"}).status_code == 404
    officer = login(s.cast.province_officer)
    r = officer.post(decide, {"decide-decision": "recognised", "decide-decided_on": "01/04/2024",
                              "decide-decision_ref": "3/QĐ-HĐSK"})  # fmt: skip
    assert r.status_code == 302
    one.refresh_from_db()
    assert one.status == "recognised"
    r = officer.post(decide, {"decide-decision": "recognised", "decide-decided_on": "02/04/2024",
                              "decide-decision_ref": "4"})  # fmt: skip
    assert "already recognised by decision 3/QĐ-HĐSK" in r.content.decode()
    # editing its value without reopening is refused
    edit = reverse("initiative_edit", args=[one.pk])
    r = client.post(
        edit,
        {
            **base,
            "value_vnd": "9.000.000",
            "author_1": "001190000001",
            "share_1": "70",
            "author_2": "001190000002",
            "share_2": "30",
        },
    )
    assert "cannot be changed unless the decision is reopened" in r.content.decode()


def test_targets_page(scene: Setup) -> None:
    s = scene
    client = login(s.cast.province_officer)
    url = reverse("initiative_programme_targets", args=[s.programme.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {f"target_{s.tree.P.pk}": "12", f"target_{s.tree.X.pk}": "8",
                          f"target_{s.tree.Y.pk}": "", f"target_{s.tree.Z.pk}": "4"})  # fmt: skip
    assert r.status_code == 302
    assert dict(ProgrammeTarget.objects.values_list("unit__code", "target")) == {
        "P": 12,
        "X": 8,
        "Z": 4,
    }
    # a district officer reads the programme but does not set its targets
    x = login(s.cast.x_officer)
    assert x.get(url).status_code == 404
    assert x.get(reverse("initiative_programme_detail", args=[s.programme.pk])).status_code == 200
    assert (
        login(s.cast.y_officer)
        .get(reverse("initiative_programme_detail", args=[s.programme.pk]) + f"?unit={s.tree.X.pk}")
        .status_code
        == 404
    )


def test_api(scene: Setup) -> None:
    s = scene
    one = record(s, authors=[(s.hoa, 60), (s.lan, 40)])
    record(s, unit=s.tree.Y1, authors=[(s.nam, None)], title="Y idea")
    _token, key = api_token_create(actor=s.cast.x_officer, name="t")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    body = api.get("/api/v1/initiatives/programmes").json()
    assert [p["name"] for p in body] == ["1 triệu sáng kiến"]
    body = api.get(f"/api/v1/initiatives/programmes/{s.programme.pk}").json()
    assert body["total"]["unit_code"] == "X" and body["total"]["submitted"] == 1
    assert body["total"]["target"] == 6
    body = api.get("/api/v1/initiatives/initiatives", {"unit": "X", "status": "submitted",
                                                       "year": 2024}).json()  # fmt: skip
    assert (body["count"], body["value_vnd"]) == (1, 12_500_000)
    assert body["items"][0]["authors"] == [
        {"member_id": s.hoa.pk, "name": "Nguyễn Thị Hoa", "order": 1, "share_pct": 60},
        {"member_id": s.lan.pk, "name": "Trần Thị Lan", "order": 2, "share_pct": 40},
    ]
    assert api.get(f"/api/v1/initiatives/initiatives/{one.pk}").json()["title"] == \
        "Cải tiến băng tải"  # fmt: skip
    y = Initiative.objects.get(title="Y idea")
    assert api.get(f"/api/v1/initiatives/initiatives/{y.pk}").status_code == 404
    assert api.get("/api/v1/initiatives/initiatives", {"unit": "Y"}).status_code == 404
    assert api.get(f"/api/v1/initiatives/programmes/{s.programme.pk}",
                   {"unit": "Y"}).status_code == 404  # fmt: skip
