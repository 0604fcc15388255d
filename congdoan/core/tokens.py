"""Personal API tokens: shown once, stored as a SHA-256."""

import hashlib
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from .audit import audit_record, audited
from .models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@audited
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `actor`; returns the row and the key (shown only now)."""
    key = "cds_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:100] or "API", key_hash=_hash(key), prefix=key[4:12]
    )
    audit_record(actor=actor, action="token.create", target=token, unit_id=None, summary=token.name)
    return token, key


@audited
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    audit_record(actor=actor, action="token.revoke", target=token, unit_id=None, summary=token.name)
    token.delete()


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
