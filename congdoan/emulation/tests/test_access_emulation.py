"""Every emulation URL with an id answers 404 outside the user's reach, for GET and POST, and a
POST outside changes nothing (the same walk as org's test_access, for this app's URLs only, so
it runs while other apps are being written)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.models import AuditEvent
from congdoan.emulation.models import Bloc, BlocMember, Movement, Pact, PactSignature, Registration
from congdoan.org.tests.test_access import our_patterns, outsider

from .outside_emulation import outside_ids

__all__ = ["outsider"]


def _state() -> tuple[Any, ...]:
    return (
        list(Movement.objects.values_list("id", "name", "start", "end")),
        list(Registration.objects.values_list("id", "cancelled_on")),
        list(Bloc.objects.values_list("id", "name", "leader_id")),
        BlocMember.objects.count(),
        list(Pact.objects.values_list("id", "state", "title")),
        PactSignature.objects.count(),
        AuditEvent.objects.filter(action__contains=".")
        .exclude(action__startswith="member")
        .count(),
    )


def test_every_emulation_id_url_is_listed(tree: Tree, cast: Cast) -> None:
    mine = {p.name for route, p in our_patterns() if route.startswith("emulation/")}
    with_ids = {
        p.name
        for route, p in our_patterns()
        if route.startswith("emulation/") and p.pattern.converters
    }
    assert with_ids == set(outside_ids(tree, cast))
    assert "emulation_home" in mine


@pytest.mark.parametrize(
    "who",
    ["province_admin", "province_officer", "x_officer", "y_officer", "viewer", "chair", "nobody"],
)
def test_outside_ids_answer_404(tree: Tree, cast: Cast, outsider: None, who: str) -> None:
    user = getattr(cast, who)
    client = Client()
    client.force_login(user)
    ids = outside_ids(tree, cast)
    for name in ids:
        ids[name](user)
    before = _state()
    data = {
        "name": "x",
        "start": "01/01/2025",
        "end": "31/12/2025",
        "date": "01/01/2025",
        "year": "2024",
        "title": "x",
        "dated": "01/01/2025",
        "targets": "a; 1",
        "signed_on": "01/03/2024",
        "signer_name": "x",
        "signer_position": "x",
        "action": "target",
        "t-indicator": "members_admitted",
        "t-value": "5",
    }
    for name, make in ids.items():
        url = reverse(name, kwargs={"pk": make(user)})
        for method in ("get", "post"):
            response = getattr(client, method)(url, data)
            expected = {404, 405} if method == "get" else {404}
            assert response.status_code in expected, (who, method, url, response.status_code)
            assert b"Unit Q1" not in response.content
    assert _state() == before


def test_anonymous_is_sent_to_log_in(tree: Tree, cast: Cast, outsider: None) -> None:
    client = Client()
    ids = outside_ids(tree, cast)
    for name, make in ids.items():
        url = reverse(name, kwargs={"pk": make(None)})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/")
