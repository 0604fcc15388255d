"""Revoking a personal API token: the key no longer opens the API, the user's other tokens
still do, the trail names who revoked it, and nobody revokes another user's token."""

from django.contrib.auth.models import AbstractBaseUser, User
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.models import ApiToken, AuditEvent
from congdoan.core.tokens import api_token_create, api_token_revoke

UNITS = "/api/v1/units/"  # as in congdoan/org/tests/test_api.py
X_SUBTREE = ["X", "X1", "X1T", "X2", "X3"]


def as_user(user: AbstractBaseUser) -> User:
    assert isinstance(user, User)
    return user


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def units_seen(client: Client) -> list[str]:
    response = client.get(UNITS)
    assert response.status_code == 200
    return [u["code"] for u in response.json()["items"]]


def test_a_revoked_token_no_longer_opens_the_api(tree: Tree, cast: Cast) -> None:
    officer = as_user(cast.x_officer)
    token, key = api_token_create(actor=officer, name="Báo cáo tháng")
    _kept, kept_key = api_token_create(actor=officer, name="Bảng tính")
    assert units_seen(bearer(key)) == X_SUBTREE
    pk = token.pk

    api_token_revoke(actor=officer, token=token)

    assert not ApiToken.objects.filter(pk=pk).exists()
    assert list(ApiToken.objects.filter(user=officer).values_list("name", flat=True)) == [
        "Bảng tính"
    ]
    assert bearer(key).get(UNITS).status_code == 401
    assert bearer(key).get("/api/v1/units/X").status_code == 401
    assert units_seen(bearer(kept_key)) == X_SUBTREE
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        officer.pk,
        "core.apitoken",
        str(pk),
        None,
    )
    assert (event.summary, event.changes) == ("Báo cáo tháng", {})


def test_a_token_is_revoked_from_its_owners_profile_only(tree: Tree, cast: Cast) -> None:
    officer = as_user(cast.x_officer)
    token, key = api_token_create(actor=officer, name="Tích hợp")
    url = reverse("token_revoke", args=[token.pk])

    # Another user (even the province's admin) cannot revoke it: 404, and it still works.
    other = Client()
    other.force_login(as_user(cast.province_admin))
    assert other.post(url).status_code == 404
    assert units_seen(bearer(key)) == X_SUBTREE
    assert not AuditEvent.objects.filter(action="token.revoke").exists()

    owner = Client()
    owner.force_login(officer)
    assert "Tích hợp" in owner.get(reverse("profile")).content.decode()
    assert owner.get(url).status_code == 405  # revoked by POST only
    response = owner.post(url)
    assert (response.status_code, response["Location"]) == (302, reverse("profile"))
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert bearer(key).get(UNITS).status_code == 401
    [event] = AuditEvent.objects.filter(action="token.revoke")
    assert (event.actor_id, event.target_id, event.summary) == (
        officer.pk,
        str(token.pk),
        "Tích hợp",
    )
    # The profile page no longer lists it.
    assert "Tích hợp" not in owner.get(reverse("profile")).content.decode()
