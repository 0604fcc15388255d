"""Access rules on every URL: walks the URL configuration, so a new page without a check fails.

A role on a unit reaches the unit and everything below it, and nothing else; outside ids
answer 404 (never 403), for reading and for writing.
"""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congdoan.conftest import Cast, Tree, make_member, make_unit
from congdoan.core.models import ApiToken
from congdoan.core.tokens import api_token_create
from congdoan.members import services as member_services
from congdoan.members.models import Member, RosterUpload, Transfer
from congdoan.org import access
from congdoan.org.models import Kind, RestructurePlan, Role, Unit

SKIP_PREFIXES = ("admin/", "i18n/", "api/v1/", "accounts/login/", "accounts/logout/")


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def our_patterns() -> list[tuple[str, URLPattern]]:
    return [
        (route, p)
        for route, p in walk(get_resolver().url_patterns)
        if not route.startswith(SKIP_PREFIXES) and p.name
    ]


def _app_outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    """Apps above the tree list their own id URLs in `congdoan/<app>/tests/outside*.py`, each
    with an `outside_ids(tree, cast)` function like the one below."""
    import importlib
    from pathlib import Path

    found: dict[str, Callable[[Any], int]] = {}
    base = Path(__file__).resolve().parents[2]
    for module in sorted(base.glob("*/tests/outside*.py")):
        name = ".".join(module.relative_to(base.parent).with_suffix("").parts)
        found.update(importlib.import_module(name).outside_ids(tree, cast))
    return found


# For every URL that takes an id: how to make a record the user must not reach.
def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def plan(user: Any) -> int:
        return RestructurePlan.objects.create(
            file_name="p.csv",
            rows=[],
            effective_on=datetime.date(2025, 1, 1),
            decision_ref="1",
            created_by=cast.superuser,
        ).pk

    def outsider_role(user: Any) -> int:
        return Role.objects.get(user__username="outsider").pk

    def outsider(user: Any) -> int:
        return Role.objects.get(user__username="outsider").user_id

    def token(user: Any) -> int:
        return ApiToken.objects.get(user__username="outsider").pk

    def unit(user: Any) -> int:
        return tree.Q1.pk

    def member(user: Any) -> int:
        return Member.objects.get(full_name="Người Ngoài Cuộc").pk

    def transfer(user: Any) -> int:
        return Transfer.objects.get(member__full_name="Người Ngoài Cuộc").pk

    def job(user: Any) -> int:
        from congdoan.core.models import Job

        return Job.objects.create(
            kind="members.check",
            title="t",
            created_by=Role.objects.get(user__username="outsider").user,
        ).pk

    def upload(user: Any) -> int:
        return RosterUpload.objects.create(
            unit=tree.Q1,
            file_name="r.csv",
            content=b"x",
            sha256="0",
            created_by=Role.objects.get(user__username="outsider").user,
        ).pk

    return {
        **_app_outside_ids(tree, cast),
        "unit_detail": unit,
        "unit_children": unit,
        "unit_create": unit,
        "unit_edit": unit,
        "unit_rename": unit,
        "unit_move": unit,
        "unit_merge": unit,
        "unit_dissolve": unit,
        "restructure_preview": plan,
        "restructure_apply": plan,
        "user_detail": outsider,
        "role_revoke": outsider_role,
        "token_revoke": token,
        "unit_members": unit,
        "member_create": unit,
        "unit_transfers": unit,
        "unit_targets": unit,
        "member_detail": member,
        "member_edit": member,
        "member_personal": member,
        "member_admit": member,
        "member_leave": member,
        "member_transfer": member,
        "member_card": member,
        "transfer_decide": transfer,
        "unit_members_template": unit,
        "unit_members_export": unit,
        "unit_members_import": unit,
        "roster_upload": upload,
        "job_progress": job,
    }


@pytest.fixture
def outsider(tree: Tree, cast: Cast) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("outsider", "", "pw")
    Role.objects.create(user=user, unit=tree.Q, kind="admin")
    api_token_create(actor=user, name="t")
    q2 = make_unit(tree.Q, "Q2", Kind.ENTERPRISE)
    member = make_member(tree.Q1, "Người Ngoài Cuộc", cccd="020190001234")
    member_services.transfer_request(
        actor=None, member=member, to_unit=q2, date=datetime.date(2024, 1, 1)
    )


def every_table() -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table but the sessions (logging in writes one)."""
    from congdoan.core.backup import fingerprint

    return {t: rows for t, rows in fingerprint().items() if t != "django_session"}


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_every_id_url_is_in_the_map(tree: Tree, cast: Cast) -> None:
    ids = outside_ids(tree, cast)
    with_ids = {p.name for _route, p in our_patterns() if p.pattern.converters}
    assert with_ids == set(ids), "add the new URL to outside_ids() with an outside record"


def test_anonymous_is_sent_to_log_in(tree: Tree, cast: Cast, outsider: None) -> None:
    client = Client()
    ids = outside_ids(tree, cast)
    for _route, p in our_patterns():
        kwargs = {"pk": ids[p.name](None)} if p.pattern.converters else {}
        url = reverse(p.name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize(
    "who",
    ["province_admin", "province_officer", "x_officer", "y_officer", "viewer", "chair", "nobody"],
)
def test_outside_ids_answer_404(tree: Tree, cast: Cast, outsider: None, who: str) -> None:
    user = getattr(cast, who)
    client = login(user)
    ids = outside_ids(tree, cast)
    # The records outside are made first, so that the tables can be compared before and after.
    made = {name: make(user) for name, make in ids.items()}
    before = every_table()
    for _route, p in our_patterns():
        if not p.pattern.converters:
            continue
        url = reverse(p.name, kwargs={"pk": made[p.name]})
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, {"name": "x", "effective_on": "01/01/2025", "decision_ref": "1"}
            )
            expected = {404, 405} if method == "get" else {404}
            assert response.status_code in expected, (who, method, url, response.status_code)
            assert b"Unit Q1" not in response.content
            assert "Người Ngoài Cuộc".encode() not in response.content
    changed = [t for t, rows in every_table().items() if before.get(t) != rows]
    assert changed == []


def test_sibling_districts_do_not_see_each_other(tree: Tree, cast: Cast) -> None:
    x, y = login(cast.x_officer), login(cast.y_officer)
    assert x.get(reverse("unit_detail", args=[tree.X1.pk])).status_code == 200
    assert x.get(reverse("unit_detail", args=[tree.Y1.pk])).status_code == 404
    assert y.get(reverse("unit_detail", args=[tree.Y1.pk])).status_code == 200
    assert y.get(reverse("unit_detail", args=[tree.X1.pk])).status_code == 404
    # Not even the parent province, nor the search results.
    assert x.get(reverse("unit_detail", args=[tree.P.pk])).status_code == 404
    body = x.get(reverse("unit_tree"), {"q": "unit"}).content.decode()
    assert "Unit X1" in body
    assert "Unit Y1" not in body


def test_roles_on_two_units_see_both_subtrees(tree: Tree, cast: Cast) -> None:
    Role.objects.create(user=cast.x_officer, unit=tree.Q, kind="viewer")
    visible = set(access.units_visible(cast.x_officer).values_list("code", flat=True))
    assert visible == {"X", "X1", "X2", "X3", "X1T", "Q", "Q1"}
    assert {u.code for u in access.top_units(cast.x_officer)} == {"X", "Q"}
    assert access.can_write(cast.x_officer, tree.X1)
    assert not access.can_write(cast.x_officer, tree.Q1)


def test_viewer_reads_but_cannot_write(tree: Tree, cast: Cast) -> None:
    client = login(cast.viewer)
    assert client.get(reverse("unit_detail", args=[tree.X1.pk])).status_code == 200
    for name in ("unit_edit", "unit_move", "unit_rename", "unit_dissolve", "unit_create"):
        assert client.get(reverse(name, args=[tree.X1.pk])).status_code == 404
    assert client.get(reverse("restructure_upload")).status_code == 404
    assert client.get(reverse("user_list")).status_code == 404


def test_officer_cannot_move_a_unit_outside_their_reach(tree: Tree, cast: Cast) -> None:
    client = login(cast.x_officer)
    response = client.post(
        reverse("unit_move", args=[tree.X1.pk]),
        {"new_parent": "Y", "effective_on": "01/07/2025", "decision_ref": "1/QĐ"},
    )
    assert response.status_code == 200
    assert "No unit with code Y among your units." in response.content.decode()
    tree.X1.refresh_from_db()
    assert tree.X1.parent_id == tree.X.pk


def test_pages_inside_reach_open(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_admin)
    for name in (
        "unit_detail",
        "unit_children",
        "unit_create",
        "unit_edit",
        "unit_rename",
        "unit_move",
        "unit_merge",
        "unit_dissolve",
    ):
        assert client.get(reverse(name, args=[tree.X.pk])).status_code == 200, name
    for name in (
        "home",
        "unit_tree",
        "unit_lookup",
        "restructure_upload",
        "user_list",
        "user_create",
        "profile",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("user_detail", args=[cast.x_officer.pk])).status_code == 200


def test_back_office_is_for_superusers_and_read_only(tree: Tree, cast: Cast) -> None:
    assert login(cast.province_admin).get("/admin/org/unit/").status_code == 302
    admin = login(cast.superuser)
    assert admin.get("/admin/org/unit/").status_code == 200
    assert admin.get(f"/admin/org/unit/{tree.X.pk}/change/").status_code == 200
    admin.post(f"/admin/org/unit/{tree.X.pk}/change/", {"code": "HACK"})
    assert admin.get("/admin/org/unit/add/").status_code == 403
    tree.X.refresh_from_db()
    assert tree.X.code == "X"


def test_viewer_posts_change_nothing(tree: Tree, cast: Cast) -> None:
    client = login(cast.viewer)
    before = (
        list(Unit.objects.values_list("code", "parent_id", "status", "name")),
        Role.objects.count(),
    )
    data = {
        "new_parent": "Z",
        "target": "Z",
        "name": "Hacked",
        "effective_on": "01/01/2025",
        "decision_ref": "1",
        "code": "NEW",
        "kind": "enterprise",
        "founded_on": "01/01/2025",
    }
    for name in (
        "unit_edit",
        "unit_move",
        "unit_rename",
        "unit_dissolve",
        "unit_create",
        "unit_merge",
    ):
        assert client.post(reverse(name, args=[tree.X1.pk]), data).status_code == 404, name
    assert client.post(reverse("user_create"), {"username": "x"}).status_code == 404
    assert client.post(reverse("restructure_upload"), {}).status_code == 404
    after = (
        list(Unit.objects.values_list("code", "parent_id", "status", "name")),
        Role.objects.count(),
    )
    assert after == before


def test_structural_changes_are_decided_above(tree: Tree, cast: Cast) -> None:
    """A grassroots chair edits their union's details but cannot dissolve, move, rename or
    merge it: that is the upper union's decision."""
    client = login(cast.chair)
    assert client.get(reverse("unit_edit", args=[tree.X1.pk])).status_code == 200
    for name in ("unit_dissolve", "unit_move", "unit_rename", "unit_merge"):
        assert client.get(reverse(name, args=[tree.X1.pk])).status_code == 404, name
    assert login(cast.x_officer).get(reverse("unit_dissolve", args=[tree.X1.pk])).status_code == 200


def test_plan_preview_does_not_reveal_parents_outside_reach(tree: Tree, cast: Cast) -> None:
    from congdoan.org import restructure

    rows = [{"row": 2, "unit_code": "X1", "new_parent_code": "X1T", "merge_into_code": ""}]
    result = restructure.run_plan(
        actor=cast.chair,
        rows=rows,
        effective_on=datetime.date(2025, 1, 1),
        decision_ref="1",
        decision_date=None,
        commit=False,
    )
    assert [p.code for p in result.parents] == ["X1T"]
    assert result.rows[0].from_name == ""


def test_user_pages_show_only_roles_within_reach(tree: Tree, cast: Cast) -> None:
    from django.contrib.auth import get_user_model

    both = get_user_model().objects.create_user("both", "", "pw")
    Role.objects.create(user=both, unit=tree.X, kind="viewer")
    Role.objects.create(user=both, unit=tree.Q, kind="admin")
    x_admin = get_user_model().objects.create_user("xadmin", "", "pw")
    Role.objects.create(user=x_admin, unit=tree.X, kind="admin")
    client = login(x_admin)
    for url in (reverse("user_list"), reverse("user_detail", args=[both.pk])):
        body = client.get(url).content.decode()
        assert "Unit X" in body and "Unit Q" not in body, url
