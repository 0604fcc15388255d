"""Every grading URL with an id answers 404 outside the user's reach, for GET and POST, and a
POST outside changes nothing (the same walk as org's test_access, on this app's URLs, so it
runs while other apps are still adding theirs)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.models import AuditEvent
from congdoan.grading.models import Assessment, Criterion, CriterionGroup, Score, Scorecard
from congdoan.grading.tests.outside_grading import outside_ids


def snapshot() -> tuple[Any, ...]:
    return (
        list(Scorecard.objects.values_list("id", "status", "title", "year")),
        list(CriterionGroup.objects.values_list("id", "number", "title")),
        list(Criterion.objects.values_list("id", "code", "max_tenths")),
        list(Assessment.objects.values_list("id", "status", "grade")),
        list(Score.objects.values_list("id", "self_tenths", "approved_tenths")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "who",
    ["province_admin", "province_officer", "x_officer", "y_officer", "viewer", "chair", "nobody"],
)
def test_outside_ids_answer_404(tree: Tree, cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    client = Client()
    client.force_login(user)
    ids = outside_ids(tree, cast)
    for name in ids:
        ids[name](user)  # make every outside record first
    before = snapshot()
    data = {"action": "publish", "year": "2022", "reason": "x", "number": "II", "title": "x",
            "code": "9", "text": "x", "max_tenths": "5", "source": "typed", "submit": "1",
            "approve": "1"}  # fmt: skip
    for name, make in ids.items():
        url = reverse(name, kwargs={"pk": make(user)})
        for method in ("get", "post"):
            response = getattr(client, method)(url, data)
            expected = {404, 405} if method == "get" else {404}
            assert response.status_code in expected, (who, method, url, response.status_code)
            assert b"Unit Q1" not in response.content
    assert snapshot() == before


def test_anonymous_is_sent_to_log_in(tree: Tree, cast: Cast) -> None:
    ids = outside_ids(tree, cast)
    client = Client()
    for name, make in ids.items():
        url = reverse(name, kwargs={"pk": make(None)})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/")
