"""Turning a user's two-step verification on and off: one transaction each, audited."""

from django.contrib.auth.models import User
from django.utils import timezone

from .audit import audit_record, audited
from .models import TotpDevice


def _recorded(user: User, on: bool, actor: User | None) -> None:
    audit_record(actor=actor, action="user.2fa_on" if on else "user.2fa_off", target=user,
                 unit_id=None, changes={"two_factor": [not on, on]})  # fmt: skip


@audited
def turn_on(*, actor: User, device: TotpDevice) -> None:
    """Confirm the user's own device (its first code was accepted): log-ins now ask for a
    code."""
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    _recorded(device.user, True, actor)


@audited
def turn_off(*, actor: User | None, device: TotpDevice) -> None:
    """Forget the device: log-ins ask for the password only. By the user, or by an operator
    (`manage.py twofactor_reset`, for a lost phone: no actor)."""
    user = device.user
    device.delete()
    _recorded(user, False, actor)
