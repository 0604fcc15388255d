"""Two-step verification (TOTP): the algorithm, the log-in with a code, turning it on and off."""

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.conftest import Cast, Tree
from congdoan.core import totp
from congdoan.core.models import AuditEvent, TotpDevice
from congdoan.core.twofactor import recovery_codes_issue

pytestmark = pytest.mark.django_db

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of b"12345678901234567890"


def test_rfc6238_vectors() -> None:
    assert totp.secret_bytes(RFC_SECRET) == b"12345678901234567890"
    assert totp.code_at(RFC_SECRET, 59, digits=8) == "94287082"
    assert totp.code_at(RFC_SECRET, 1111111109, digits=8) == "07081804"
    assert totp.code_at(RFC_SECRET, 1234567890, digits=8) == "89005924"
    assert totp.code_at(RFC_SECRET, 20000000000, digits=8) == "65353130"
    assert totp.code_at(RFC_SECRET, 59) == "287082"


def test_match_step_window_and_replay() -> None:
    at = 1111111109.0
    step = totp.time_step(at)
    assert step == 37037036
    assert totp.match_step(RFC_SECRET, totp.code_at(RFC_SECRET, at), at=at) == step
    assert totp.match_step(RFC_SECRET, totp.code_at(RFC_SECRET, at - 30), at=at) == step - 1
    assert totp.match_step(RFC_SECRET, totp.code_at(RFC_SECRET, at + 30), at=at) == step + 1
    assert totp.match_step(RFC_SECRET, totp.code_at(RFC_SECRET, at - 60), at=at) is None
    assert totp.match_step(RFC_SECRET, totp.code_at(RFC_SECRET, at), at=at, after=step) is None
    assert totp.match_step(RFC_SECRET, "12a456", at=at) is None
    assert totp.match_step(RFC_SECRET, "", at=at) is None
    code = totp.code_at(RFC_SECRET, at)
    assert totp.match_step(RFC_SECRET, f" {code[:3]} {code[3:]} ", at=at) == step


def test_secret_and_uri() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32 and len(totp.secret_bytes(secret)) == 20
    assert totp.new_secret() != secret
    assert totp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
    assert totp.provisioning_uri("ABCD", "bob") == (
        "otpauth://totp/Cong%20doan%20so:bob?secret=ABCD&issuer=Cong%20doan%20so"
        "&algorithm=SHA1&digits=6&period=30"
    )


def turn_on(user: Any) -> TotpDevice:
    return TotpDevice.objects.create(
        user=user, secret=totp.new_secret(), confirmed_at=timezone.now()
    )


def password_step(user: Any, next_url: str = "") -> Client:
    client = Client()
    data = {"username": user.username, "password": "pw"}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("login_code")
    assert SESSION_KEY not in client.session
    return client


def test_login_without_totp_is_one_step(tree: Tree, cast: Cast) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "bob", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(cast.province_admin.pk)


def test_login_with_totp_asks_for_the_code(tree: Tree, cast: Cast) -> None:
    device = turn_on(cast.province_admin)
    client = password_step(cast.province_admin, next_url=reverse("profile"))
    page = client.get(reverse("login_code"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'inputmode="numeric"' in body and 'autocomplete="one-time-code"' in body
    # A wrong code is refused.
    good = totp.code_at(device.secret)
    wrong = "000000" if good != "000000" else "111111"
    response = client.post(reverse("login_code"), {"code": wrong})
    assert response.status_code == 200
    assert "The code is wrong or has already been used." in response.content.decode()
    assert SESSION_KEY not in client.session
    # The right code logs in and goes on to `next`.
    response = client.post(reverse("login_code"), {"code": good})
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    assert client.session[SESSION_KEY] == str(cast.province_admin.pk)
    assert "2fa_user" not in client.session
    device.refresh_from_db()
    assert device.last_step == totp.time_step() or device.last_step == totp.time_step() - 1
    # The same code cannot log in again (replay).
    other = password_step(cast.province_admin)
    response = other.post(reverse("login_code"), {"code": good})
    assert response.status_code == 200
    assert "The code is wrong or has already been used." in response.content.decode()
    assert SESSION_KEY not in other.session


def test_five_wrong_codes_end_the_pending_login(tree: Tree, cast: Cast) -> None:
    device = turn_on(cast.province_admin)
    client = password_step(cast.province_admin)
    good = totp.code_at(device.secret)
    wrong = "000000" if good != "000000" else "111111"
    for _attempt in range(4):
        response = client.post(reverse("login_code"), {"code": wrong})
        assert response.status_code == 200
    # The fifth wrong code ends the pending log-in; wrong codes count as failed log-ins for
    # django-axes, so the user name is now locked out on this address.
    response = client.post(reverse("login_code"), {"code": wrong})
    assert response.status_code == 429
    assert "2fa_user" not in client.session
    response = client.post(reverse("login_code"), {"code": good})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    response = Client().post(reverse("login"), {"username": "bob", "password": "pw"})
    assert response.status_code == 429
    response = Client().post(reverse("login"), {"username": "carol", "password": "pw"})
    assert response.status_code == 302


def test_wrong_codes_and_a_good_one(tree: Tree, cast: Cast) -> None:
    """Four wrong codes, then the right one: logged in, and axes forgets the failures."""
    from axes.models import AccessAttempt

    device = turn_on(cast.province_admin)
    client = password_step(cast.province_admin)
    good = totp.code_at(device.secret)
    wrong = "000000" if good != "000000" else "111111"
    for _attempt in range(4):
        assert client.post(reverse("login_code"), {"code": wrong}).status_code == 200
    assert AccessAttempt.objects.get(username="bob").failures_since_start == 4
    response = client.post(reverse("login_code"), {"code": good})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(
        cast.province_admin.pk
    )
    assert not AccessAttempt.objects.filter(username="bob").exists()


def test_pending_login_expires(tree: Tree, cast: Cast) -> None:
    device = turn_on(cast.province_admin)
    client = password_step(cast.province_admin)
    session = client.session
    session["2fa_user"] = {**session["2fa_user"], "at": session["2fa_user"]["at"] - 301}
    session.save()
    response = client.post(reverse("login_code"), {"code": totp.code_at(device.secret)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_code_page_without_password_step(tree: Tree, cast: Cast) -> None:
    response = Client().get(reverse("login_code"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_wrong_password_still_counted_by_axes(tree: Tree, cast: Cast) -> None:
    turn_on(cast.province_admin)
    client = Client()
    for attempt in range(1, 6):
        response = client.post(reverse("login"), {"username": "bob", "password": "wrong"})
        assert response.status_code == (429 if attempt == 5 else 200)
    response = client.post(reverse("login"), {"username": "bob", "password": "pw"})
    assert response.status_code == 429


def test_setup_confirms_only_with_a_valid_code(tree: Tree, cast: Cast) -> None:
    user = cast.province_officer
    client = Client()
    client.force_login(user)
    page = client.get(reverse("twofactor_setup"))
    device = TotpDevice.objects.get(user=user)
    body = page.content.decode()
    assert device.confirmed_at is None
    assert totp.grouped(device.secret) in body
    assert "otpauth://totp/Cong%20doan%20so:carol?secret=" + device.secret in body
    # Reloading keeps the same secret (the app may already hold it).
    client.get(reverse("twofactor_setup"))
    assert TotpDevice.objects.get(user=user).secret == device.secret
    good = totp.code_at(device.secret)
    wrong = "000000" if good != "000000" else "111111"
    response = client.post(reverse("twofactor_setup"), {"code": wrong})
    assert response.status_code == 200
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    response = client.post(reverse("twofactor_setup"), {"code": good})
    # Confirmed: the page shows the ten recovery codes, this once; only their hashes are kept.
    assert response.status_code == 200
    codes = re.findall(r'<li class="user-select-all">([a-z0-9]{4}-[a-z0-9]{4})</li>',
                       response.content.decode())  # fmt: skip
    assert len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert device.recovery_codes == [totp.recovery_hash(c) for c in codes]
    event = AuditEvent.objects.get(action="user.2fa_on")
    assert (event.actor_id, event.target_type, event.target_id) == (
        user.pk,
        "auth.user",
        str(user.pk),
    )
    assert event.changes == {"two_factor": [False, True]}
    # Once on, the secret is no longer shown.
    body = client.get(reverse("twofactor_setup")).content.decode()
    assert device.secret not in body and totp.grouped(device.secret) not in body
    # From now on, logging in asks for the code.
    password_step(user)


def test_turning_off_needs_the_password(tree: Tree, cast: Cast) -> None:
    user = cast.province_admin
    turn_on(user)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("twofactor_disable"), {"off-password": "wrong"})
    assert response.status_code == 200
    assert "The password is wrong." in response.content.decode()
    assert TotpDevice.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="user.2fa_off").exists()
    response = client.post(reverse("twofactor_disable"), {"off-password": "pw"})
    assert response.status_code == 302 and response["Location"] == reverse("twofactor_setup")
    assert not TotpDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="user.2fa_off")
    assert event.actor_id == user.pk and event.target_id == str(user.pk)
    assert event.changes == {"two_factor": [True, False]}
    assert client.get(reverse("twofactor_disable")).status_code == 405
    # Logging in is one step again.
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "bob", "password": "pw"})
    assert response.status_code == 302 and fresh.session[SESSION_KEY] == str(user.pk)


def test_pages_need_a_login(tree: Tree, cast: Cast) -> None:
    client = Client()
    for name in ("twofactor_setup", "twofactor_disable"):
        response = client.post(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


PROFILE_SNIPPET = (
    "{% load i18n %}{% if user.totp_device.confirmed_at %}{% translate 'On' %}"
    "{% else %}{% translate 'Off' %}{% endif %} {% url 'twofactor_setup' %}"
)


def test_profile_snippet_shows_on_or_off(tree: Tree, cast: Cast) -> None:
    from django.template import Context, Template

    template = Template(PROFILE_SNIPPET)
    user = cast.province_admin
    assert template.render(Context({"user": user})) == "Off /accounts/2fa/"
    turn_on(user)
    user.refresh_from_db()
    assert template.render(Context({"user": user})) == "On /accounts/2fa/"


def test_admin_login_goes_through_our_login() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_an_operator_resets_a_lost_phone(tree: Tree, cast: Cast) -> None:
    import io

    from django.core.management import call_command

    user = cast.province_admin
    turn_on(user)
    out = io.StringIO()
    call_command("twofactor_reset", user.username, stdout=out)
    assert out.getvalue() == f"Two-step verification turned off for {user.username}.\n"
    assert not TotpDevice.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="user.2fa_off")
    assert (event.actor_id, event.target_id) == (None, str(user.pk))
    # The password alone logs in again.
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": "pw"})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)
    out = io.StringIO()
    call_command("twofactor_reset", user.username, stdout=out)
    assert out.getvalue() == f"{user.username} has no two-step verification.\n"


def _recovery_login(user: Any, code: str) -> tuple[Client, Any]:
    client = password_step(user)
    client.get(reverse("login_code") + "?recovery=1")
    response = client.post(reverse("login_code") + "?recovery=1", {"code": code})
    return client, response


def test_a_recovery_code_logs_in_once_when_the_phone_is_lost(tree: Tree, cast: Cast) -> None:
    user = cast.province_admin
    device = turn_on(user)
    codes = recovery_codes_issue(actor=user, device=device)
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes)
    # The code page offers the way in without the phone.
    page = password_step(user).get(reverse("login_code")).content.decode()
    assert reverse("login_code") + "?recovery=1" in page
    # Typed in capitals and without the dash, it still counts.
    client, response = _recovery_login(user, codes[3].upper().replace("-", " "))
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)
    device.refresh_from_db()
    assert len(device.recovery_codes) == 9
    assert totp.recovery_hash(codes[3]) not in device.recovery_codes
    event = AuditEvent.objects.get(action="user.2fa_recovery_used")
    assert (event.actor_id, event.changes) == (user.pk, {"recovery_codes": [10, 9]})
    # Spent: the same code is refused, and counts as a wrong code.
    client, response = _recovery_login(user, codes[3])
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "The code is wrong or has already been used." in response.content.decode()
    # An authenticator code is not a recovery code.
    client, response = _recovery_login(user, totp.code_at(device.secret))
    assert SESSION_KEY not in client.session


def test_new_recovery_codes_replace_the_old_ones_after_the_password(tree: Tree, cast: Cast) -> None:
    user = cast.province_admin
    device = turn_on(user)
    old = recovery_codes_issue(actor=user, device=device)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("twofactor_setup")).content.decode()
    assert "10 recovery codes are left" in page
    response = client.post(reverse("twofactor_codes"), {"codes-password": "wrong"})
    assert response.status_code == 200 and "The password is wrong." in response.content.decode()
    device.refresh_from_db()
    assert device.recovery_codes == [totp.recovery_hash(c) for c in old]
    response = client.post(reverse("twofactor_codes"), {"codes-password": "pw"})
    new = re.findall(r'<li class="user-select-all">([a-z0-9]{4}-[a-z0-9]{4})</li>',
                     response.content.decode())  # fmt: skip
    assert len(new) == 10 and not set(new) & set(old)
    device.refresh_from_db()
    assert device.recovery_codes == [totp.recovery_hash(c) for c in new]
    _client, refused = _recovery_login(user, old[0])
    assert refused.status_code == 200
    assert AuditEvent.objects.filter(action="user.2fa_recovery_codes").count() == 2


def test_the_password_asked_on_the_account_page_counts_towards_the_lock(
    tree: Tree, cast: Cast
) -> None:
    """A session left open does not allow unlimited guesses of the password: wrong ones count
    like failed log-ins, and once locked even the right one is refused."""
    user = cast.province_admin
    device = turn_on(user)
    old = recovery_codes_issue(actor=user, device=device)
    client = Client()
    client.force_login(user)
    for _attempt in range(4):
        response = client.post(reverse("twofactor_codes"), {"codes-password": "wrong"})
        assert "The password is wrong." in response.content.decode()
    # The fifth wrong one locks the user name, as five failed log-ins do.
    locked = "Too many failed log-in attempts. Try again in 30 minutes"
    response = client.post(reverse("twofactor_codes"), {"codes-password": "wrong"})
    assert response.status_code == 429 and locked in response.content.decode()
    response = client.post(reverse("twofactor_codes"), {"codes-password": "pw"})
    assert response.status_code == 429 and locked in response.content.decode()
    response = client.post(reverse("twofactor_disable"), {"off-password": "pw"})
    assert response.status_code == 429
    device.refresh_from_db()
    assert device.recovery_codes == [totp.recovery_hash(c) for c in old]
    assert device.confirmed_at is not None
