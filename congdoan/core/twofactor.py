"""Turning a user's two-step verification on and off: one transaction each, audited."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .audit import audit_record
from .models import TotpDevice


def _recorded(user: User, on: bool, actor: User | None) -> None:
    audit_record(actor=actor, action="user.2fa_on" if on else "user.2fa_off", target=user,
                 unit_id=None, changes={"two_factor": [not on, on]})  # fmt: skip


@transaction.atomic
def turn_on(device: TotpDevice) -> None:
    """Confirm the device (its first code was accepted): log-ins now ask for a code."""
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    _recorded(device.user, True, device.user)


@transaction.atomic
def turn_off(device: TotpDevice, *, by_operator: bool = False) -> None:
    """Forget the device: log-ins ask for the password only. By the user, or by an operator
    (`manage.py twofactor_reset`, for a lost phone; recorded without an actor)."""
    user = device.user
    device.delete()
    _recorded(user, False, None if by_operator else user)
