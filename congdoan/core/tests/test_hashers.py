"""Passwords are hashed with Argon2id at OWASP's parameters; hashes made at Django's still log
in, and are rehashed at ours."""

from typing import Any

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import User
from django.test import RequestFactory


def authenticate(username: str, password: str) -> Any:
    """A log-in as the log-in page does it (django-axes wants the request)."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), username=username,
                               password=password)  # fmt: skip


PRODUCTION = [
    "congdoan.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.mark.django_db
def test_new_passwords_use_argon2id_at_owasp_parameters(settings: Any) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION
    user = User.objects.create_user("an", password="mật-khẩu-dài-2026")
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert authenticate(username="an", password="mật-khẩu-dài-2026") == user
    assert authenticate(username="an", password="sai") is None


@pytest.mark.django_db
def test_a_hash_at_djangos_parameters_logs_in_and_is_rehashed(settings: Any) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION
    old = Argon2PasswordHasher().encode("mật-khẩu-cũ", "abcdefghijklmnop")
    assert old.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    user = User.objects.create_user("binh")
    User.objects.filter(pk=user.pk).update(password=old)
    assert authenticate(username="binh", password="mật-khẩu-cũ") == user
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert authenticate(username="binh", password="mật-khẩu-cũ") == user
