"""The REST API: token authentication, the same scoping as the pages, and the schema."""

import pytest
from django.test import Client

from congdoan.conftest import Cast, Tree
from congdoan.core.tokens import api_token_create
from congdoan.org import services


def api(user) -> Client:  # type: ignore[no-untyped-def]
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_schema_lists_every_endpoint(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    # (care, emulation, grading, initiatives and awards list their own in their tests)
    own = ("/api/v1/units/", "/api/v1/members/")
    assert {p for p in schema["paths"] if p.startswith(own)} == {
        "/api/v1/units/",
        "/api/v1/units/{code}",
        "/api/v1/units/{code}/subtree",
        "/api/v1/units/{code}/figures",
        "/api/v1/members/",
        "/api/v1/members/{member_id}",
        "/api/v1/members/imports",
        "/api/v1/members/imports/{upload_id}",
        "/api/v1/members/imports/{upload_id}/apply",
        "/api/v1/members/export",
    }


def test_no_token_no_data(tree: Tree) -> None:
    assert Client().get("/api/v1/units/").status_code == 401
    bad = Client(headers={"Authorization": "Bearer nope"})
    assert bad.get("/api/v1/units/X").status_code == 401


def test_list_is_scoped(tree: Tree, cast: Cast) -> None:
    body = api(cast.x_officer).get("/api/v1/units/").json()
    assert body["count"] == 5
    assert [u["code"] for u in body["items"]] == ["X", "X1", "X1T", "X2", "X3"]
    assert body["items"][1]["parent_code"] == "X"
    everything = api(cast.superuser).get("/api/v1/units/", {"limit": 100}).json()
    assert everything["count"] == 13


def test_every_code_endpoint_answers_404_outside(tree: Tree, cast: Cast) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    client = api(cast.x_officer)
    for path in schema["paths"]:
        if "{code}" not in path:
            continue
        assert client.get(path.replace("{code}", "Y1")).status_code == 404, path
        assert client.get(path.replace("{code}", "NOPE")).status_code == 404, path
        assert client.get(path.replace("{code}", "X1")).status_code == 200, path
    assert client.get("/api/v1/units/", {"under": "Y"}).status_code == 404


def test_unit_subtree_and_figures(tree: Tree, cast: Cast) -> None:
    client = api(cast.province_officer)
    unit = client.get("/api/v1/units/X1").json()
    assert (unit["code"], unit["level"], unit["workforce"], unit["parent_code"]) == (
        "X1",
        "grassroots",
        100,
        "X",
    )
    sub = client.get("/api/v1/units/X/subtree").json()
    assert [n["code"] for n in sub] == ["X", "X1", "X1T", "X2", "X3"]
    services.unit_move(
        actor=None,
        unit=tree.X1,
        new_parent=tree.Z,
        effective_on=services.today().replace(year=2025, month=7, day=1),
        decision_ref="1",
    )
    old = client.get("/api/v1/units/X/figures", {"as_of": "2024-12-31"}).json()
    assert (old["unit"], old["as_of"]) == ("X", "2024-12-31")
    org = {k: old["figures"][k] for k in ("child_units", "grassroots_units", "workforce")}
    assert org == {"child_units": 3, "grassroots_units": 3, "workforce": 157}
    old_sub = client.get("/api/v1/units/X/subtree", {"as_of": "2024-12-31"}).json()
    assert len(old_sub) == 5
    assert len(client.get("/api/v1/units/X/subtree").json()) == 3


@pytest.mark.parametrize("query", ["tổ", "phan xuong", "PHÂN XƯỞNG x1t"])
def test_search_ignores_diacritics(tree: Tree, cast: Cast, query: str) -> None:
    services.unit_rename(
        actor=None,
        unit=tree.X1T,
        name="Tổ công đoàn Phân xưởng 1",
        short_name="",
        effective_on=services.today(),
        decision_ref="1",
    )
    body = api(cast.x_officer).get("/api/v1/units/", {"q": query}).json()
    codes = [u["code"] for u in body["items"]]
    assert "X1T" in codes
