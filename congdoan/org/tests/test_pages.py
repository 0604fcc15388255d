"""Pages do what they say, and their number of queries does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_unit
from congdoan.core.models import AuditEvent
from congdoan.org.models import EventKind, Kind, Role, Status, Unit, UnitEvent


def login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def count_queries(client: Client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def org_part(figures: dict) -> tuple[int, int, int]:  # type: ignore[type-arg]
    return figures["child_units"], figures["grassroots_units"], figures["workforce"]


def grow(tree: Tree, n: int) -> None:
    """Add n grassroots unions under X and Y with a member each, n users with roles, and n
    changes to X's and P's details (their audit trails)."""
    from django.contrib.auth import get_user_model

    from congdoan.conftest import make_member
    from congdoan.org import services

    for i in range(n):
        services.unit_update(actor=None, unit=tree.X, address=f"Số {i}")
        services.unit_update(actor=None, unit=tree.P, address=f"Số {i}")
        make_member(tree.X1, f"Nguyễn Văn Số{i}", sex="male")
        make_unit(tree.X, f"XG{i}", Kind.ENTERPRISE, workforce=10)
        make_unit(tree.Y, f"YG{i}", Kind.AGENCY)
        user = get_user_model().objects.create_user(f"u{i}", "", "pw")
        Role.objects.create(user=user, unit=tree.X, kind="viewer")


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("unit_tree", None, 7),
        ("unit_children", "X", 6),
        # 16 of the unit page itself and 7 of the panels (emulation 4, initiatives 1 here,
        # grading 1, awards 1), each a fixed number whatever the data.
        ("unit_detail", "X", 23),
        ("unit_detail", "P", 23),
        ("user_list", None, 6),
        ("unit_members", "X", 8),
    ],
)
def test_query_counts_are_pinned(
    tree: Tree, cast: Cast, name: str, kind: str | None, expected: int
) -> None:
    """The same number of queries with a few units and users as with many more (and with a
    longer audit trail on the unit shown), once the figures cache is warm."""
    client = login(cast.province_admin)

    def url() -> str:
        return reverse(name, args=[getattr(tree, kind).pk]) if kind else reverse(name)

    count_queries(client, url())  # the first view fills the figures cache
    assert count_queries(client, url()) == expected
    grow(tree, 15)
    client = login(cast.province_admin)
    count_queries(client, url())
    assert count_queries(client, url()) == expected


def test_search_page_query_count(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_admin)
    small = count_queries(client, reverse("unit_tree"), q="unit")
    grow(tree, 15)
    client = login(cast.province_admin)
    assert count_queries(client, reverse("unit_tree"), q="unit") == small


def test_tree_as_of_a_past_date(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_admin)
    for u in (tree.X1, tree.X2):
        client.post(
            reverse("unit_move", args=[u.pk]),
            {
                "new_parent": "Z",
                "effective_on": "01/07/2025",
                "decision_ref": "12/QĐ-LĐLĐ",
                "decision_date": "20/06/2025",
            },
        )
    assert Unit.objects.filter(parent=tree.Z).count() == 2
    old = client.get(reverse("unit_children", args=[tree.X.pk]), {"as_of": "31/12/2024"})
    assert old.content.decode().count('href="/units/') == 3
    now = client.get(reverse("unit_children", args=[tree.X.pk]))
    assert now.content.decode().count('href="/units/') == 1
    page = client.get(reverse("unit_detail", args=[tree.X.pk]), {"as_of": "31/12/2024"})
    assert org_part(page.context["figures"]) == (3, 3, 157)
    page = client.get(reverse("unit_detail", args=[tree.X.pk]))
    assert org_part(page.context["figures"]) == (1, 1, 7)
    event = UnitEvent.objects.get(unit=tree.X1, kind=EventKind.MOVED)
    assert (event.decision_ref, event.decision_date) == ("12/QĐ-LĐLĐ", datetime.date(2025, 6, 20))
    assert event.recorded_by == cast.province_admin


def test_create_edit_rename_merge_dissolve_through_forms(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_admin)
    response = client.post(
        reverse("unit_create", args=[tree.Z.pk]),
        {
            "code": "Z1",
            "name": "Công đoàn cơ sở Công ty May Hưng Phát",
            "kind": "enterprise",
            "founded_on": "15/03/2021",
            "founded_decision": "45/QĐ",
            "employer_name": "Hưng Phát",
            "employer_tax_code": "0101234567",
            "employer_ownership": "private",
            "employer_workforce": "320",
        },
    )
    z1 = Unit.objects.get(code="Z1")
    assert response.status_code == 302 and response["Location"] == f"/units/{z1.pk}/"
    assert z1.employer is not None and z1.employer.workforce == 320
    response = client.post(
        reverse("unit_edit", args=[z1.pk]),
        {
            "address": "KCN Phúc Khánh",
            "founded_decision": "45/QĐ",
            "employer_name": "Hưng Phát",
            "employer_tax_code": "0101234567",
            "employer_ownership": "fdi",
            "employer_workforce": "350",
        },
    )
    z1.refresh_from_db()
    assert z1.address == "KCN Phúc Khánh" and z1.employer.workforce == 350  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(unit_id=z1.pk, action="unit.update").get().changes == {
        "address": ["", "KCN Phúc Khánh"],
        "employer.ownership": ["private", "fdi"],
        "employer.workforce": [320, 350],
    }
    client.post(
        reverse("unit_rename", args=[tree.Y.pk]),
        {
            "name": "LĐLĐ thị xã Y",
            "short_name": "",
            "effective_on": "01/01/2022",
            "decision_ref": "7/QĐ",
        },
    )
    tree.Y.refresh_from_db()
    assert tree.Y.name == "LĐLĐ thị xã Y"
    client.post(
        reverse("unit_merge", args=[tree.Y.pk]),
        {"target": "Z", "effective_on": "01/07/2025", "decision_ref": "8/QĐ"},
    )
    tree.Y.refresh_from_db()
    assert tree.Y.status == Status.MERGED
    assert Unit.objects.filter(parent=tree.Z, status="active").count() == 3
    client.post(
        reverse("unit_dissolve", args=[z1.pk]),
        {"effective_on": "02/07/2025", "decision_ref": "9/QĐ"},
    )
    z1.refresh_from_db()
    assert z1.status == Status.DISSOLVED
    detail = client.get(reverse("unit_detail", args=[z1.pk])).content.decode()
    assert "9/QĐ" in detail and "45/QĐ" in detail


def test_form_shows_the_service_error_and_changes_nothing(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_admin)
    response = client.post(
        reverse("unit_dissolve", args=[tree.X.pk]),
        {"effective_on": "01/07/2025", "decision_ref": "1"},
    )
    assert response.status_code == 200
    assert "Unit X still has 3 active sub-units" in response.content.decode()
    tree.X.refresh_from_db()
    assert tree.X.status == Status.ACTIVE


def test_admin_creates_account_and_gives_roles(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_admin)
    response = client.post(
        reverse("user_create"),
        {
            "username": "lan.nguyen",
            "full_name": "Nguyễn Thị Lan",
            "email": "lan@example.vn",
            "password": "Hoa-sen-2026!",
            "unit": "X",
            "kind": "officer",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    lan = get_user_model().objects.get(username="lan.nguyen")
    assert (lan.first_name, lan.last_name) == ("Lan", "Nguyễn Thị")
    assert list(Role.objects.filter(user=lan).values_list("unit__code", "kind")) == [
        ("X", "officer")
    ]
    client.post(reverse("user_detail", args=[lan.pk]), {"unit": "Y", "kind": "viewer"})
    assert set(Role.objects.filter(user=lan).values_list("unit__code", "kind")) == {
        ("X", "officer"),
        ("Y", "viewer"),
    }
    # Outside the admin's subtree: refused with a message, nothing given.
    response = client.post(reverse("user_detail", args=[lan.pk]), {"unit": "Q", "kind": "viewer"})
    assert "No unit with code Q among your units." in response.content.decode()
    role = Role.objects.get(user=lan, unit=tree.Y)
    client.post(reverse("role_revoke", args=[role.pk]))
    assert not Role.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(action__in=["role.grant", "role.revoke"]).count() == 3


def test_officer_is_not_an_administrator(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_officer)
    assert client.get(reverse("user_list")).status_code == 404
    assert client.post(reverse("user_create"), {"username": "x"}).status_code == 404


def test_login_is_rate_limited(tree: Tree, cast: Cast) -> None:
    client = Client()
    for attempt in range(1, 6):
        response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
        assert response.status_code == (429 if attempt == 5 else 200)
    response = client.post(reverse("login"), {"username": "bob", "password": "pw"})
    assert response.status_code == 429
    other = Client()
    response = other.post(reverse("login"), {"username": "carol", "password": "pw"})
    assert response.status_code == 302


def test_language_switch(tree: Tree, cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "vi"
    client = login(cast.province_admin)
    assert 'lang="vi"' in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body and "Members" in body


def test_vietnamese_whatever_the_browser_asks(tree: Tree, cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "vi"
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    client.force_login(cast.province_admin)
    assert 'lang="vi"' in client.get(reverse("home")).content.decode()


def test_unit_picker_puts_the_phrase_and_higher_levels_first(tree: Tree, cast: Cast) -> None:
    from congdoan.org import services

    services.unit_rename(
        actor=None,
        unit=tree.Z,
        name="Công đoàn xã Công Sơn",
        short_name="",
        effective_on=datetime.date(2020, 1, 1),
        decision_ref="1",
    )
    services.unit_rename(
        actor=None,
        unit=tree.X1,
        name="Công đoàn cơ sở Trường huyện Mẫu Sơn",
        short_name="",
        effective_on=datetime.date(2020, 1, 1),
        decision_ref="1",
    )
    client = login(cast.province_admin)
    body = client.get(reverse("unit_lookup"), {"new_parent": "cong son"}).content.decode()
    assert body.index('value="Z"') < body.index('value="X1"')
    exact = client.get(reverse("unit_lookup"), {"q": "Y1"}).content.decode()
    assert exact.count("<option") == 1
    outside = client.get(reverse("unit_lookup"), {"q": "Q1"}).content.decode()
    assert outside.count("<option") == 0
