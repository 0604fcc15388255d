"""The API (scoped like the pages), the `emulation` section of `stats`, the unit page panel."""

import datetime
import io
import json
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.tokens import api_token_create
from congdoan.emulation import blocs, movements, pacts, targets
from congdoan.emulation.panels import unit_panel
from congdoan.members.services import today

D = datetime.date


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def setup(tree: Tree) -> Any:
    year = today().year
    m = movements.movement_create(
        actor=None,
        unit=tree.P,
        data=movements.MovementData(name="Lao động giỏi", start=D(year, 1, 1), end=D(year, 12, 31)),
    )
    movements.registration_create(actor=None, movement=m, unit=tree.X1, registered_on=D(year, 1, 1))
    movements.registration_create(actor=None, movement=m, unit=tree.Y1, registered_on=D(year, 1, 1))
    bloc = blocs.bloc_create(
        actor=None,
        owner=tree.P,
        year=year,
        name="Khối huyện",
        units=[tree.X, tree.Y],
        leader=tree.Y,
    )
    pact = pacts.pact_create(
        actor=None,
        bloc=bloc,
        targets=[pacts.TargetLine("a", 1)],
        data=pacts.PactData(title="GIAO ƯỚC", dated=D(year, 1, 1)),
    )
    pacts.pact_open(actor=None, pact=pact, date=D(year, 1, 1))
    pacts.pact_sign(
        actor=None,
        pact=pact,
        unit=tree.X,
        signed_on=D(year, 1, 1),
        signer_name="A",
        signer_position="Chủ tịch",
    )
    make_member(tree.X1, "Nguyễn Thị Hoa", admit_on=D(year, 1, 1))
    ref = targets.indicator_ref(tree.X, "members_admitted")
    targets.target_set(actor=None, unit=tree.X, year=year, ref=ref, value=4)
    return m, bloc, year


def test_the_api(tree: Tree, cast: Cast) -> None:
    m, bloc, year = setup(tree)
    client = api(cast.x_officer)
    body = client.get("/api/v1/emulation/movements", {"unit": "X"}).json()
    assert body["items"] == [
        {
            "id": m.pk,
            "unit_code": "P",
            "name": "Lao động giỏi",
            "theme": "",
            "description": "",
            "start": f"{year}-01-01",
            "end": f"{year}-12-31",
            "registered_units": 1,
        }
    ]
    blocs_x = client.get("/api/v1/emulation/blocs", {"unit": "X"}).json()
    assert blocs_x["blocs"] == []
    assert blocs_x["member_of"] == {
        "id": bloc.pk,
        "name": "Khối huyện",
        "year": year,
        "leader_code": "Y",
        "pact_state": "open",
        "members": [
            {"code": "X", "name": "Unit X", "leader": False, "signed_on": f"{year}-01-01"},
            {"code": "Y", "name": "Unit Y", "leader": True, "signed_on": None},
        ],
    }
    owned = api(cast.province_officer).get("/api/v1/emulation/blocs", {"unit": "P"}).json()
    assert [b["name"] for b in owned["blocs"]] == ["Khối huyện"]
    got = client.get("/api/v1/emulation/targets", {"unit": "X"}).json()
    assert got["items"] == [
        {
            "key": "members_admitted",
            "label": "New members admitted",
            "measure": "members",
            "computed": True,
            "achieved": 1,
            "target": 4,
            "percent": 25,
            "phrase": "reached 25%",
        }
    ]
    for path in ("movements", "blocs", "targets"):
        assert client.get(f"/api/v1/emulation/{path}", {"unit": "Y"}).status_code == 404
        assert client.get(f"/api/v1/emulation/{path}", {"unit": "NOPE"}).status_code == 404
        assert Client().get(f"/api/v1/emulation/{path}", {"unit": "X"}).status_code == 401


def test_the_stats_section_and_the_panel(tree: Tree, cast: Cast) -> None:
    setup(tree)
    out = io.StringIO()
    call_command("stats", "--unit", "P", "--format", "json", stdout=out)
    section = json.loads(out.getvalue())["emulation"]
    assert section["movements"] == 1 and section["movement_registrations"] == 2
    assert section["blocs"] == [{"name": "Khối huyện", "leader": "Y", "members": 2, "pact": "open"}]
    out = io.StringIO()
    call_command("stats", "--unit", "X", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["emulation"]["targets"] == [
        {
            "key": "members_admitted",
            "label": "New members admitted",
            "achieved": 1,
            "target": 4,
            "percent": 25,
            "phrase": "reached 25%",
        }
    ]
    client = Client()
    client.force_login(cast.x_officer)
    page = client.get(reverse("unit_detail", args=[tree.X.pk])).content.decode()
    assert "Khối huyện" in page and "Lao động giỏi" not in page.split("Khối huyện")[0][-10:]
    assert "1 target this year" in page
    x1 = client.get(reverse("unit_detail", args=[tree.X1.pk])).content.decode()
    assert "Lao động giỏi" in x1


def test_the_panel_takes_two_queries(tree: Tree, django_assert_num_queries: Any) -> None:
    setup(tree)
    with django_assert_num_queries(2):
        x = unit_panel(None, tree.X)
    assert "Khối huyện" in x and "1 target this year" in x and "Unit Y" in x
    with django_assert_num_queries(2):
        assert unit_panel(None, tree.Q1) == ""  # in no bloc, no movement, no target
