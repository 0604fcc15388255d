"""Turning a user's two-step verification on and off: one transaction each, audited."""

from django.contrib.auth.models import User
from django.utils import timezone

from . import totp
from .audit import audit_record, audited
from .models import TotpDevice


def _recorded(user: User, on: bool, actor: User | None) -> None:
    audit_record(actor=actor, action="user.2fa_on" if on else "user.2fa_off", target=user,
                 unit_id=None, changes={"two_factor": [not on, on]})  # fmt: skip


@audited
def turn_on(*, actor: User, device: TotpDevice) -> list[str]:
    """Confirm the user's own device (its first code was accepted): log-ins now ask for a
    code. Returns its first recovery codes (issued in the same transaction), to show once."""
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    _recorded(device.user, True, actor)
    return recovery_codes_issue(actor=actor, device=device)


@audited
def turn_off(*, actor: User | None, device: TotpDevice) -> None:
    """Forget the device: log-ins ask for the password only. By the user, or by an operator
    (`manage.py twofactor_reset`, for a lost phone: no actor)."""
    user = device.user
    device.delete()
    _recorded(user, False, actor)


@audited
def recovery_codes_issue(*, actor: User, device: TotpDevice) -> list[str]:
    """New recovery codes for the user's device (the old ones stop working): returned once, to
    be shown once; only their hashes are kept."""
    device = TotpDevice.objects.select_for_update().get(pk=device.pk)
    codes = totp.new_recovery_codes()
    before = len(device.recovery_codes)
    device.recovery_codes = [totp.recovery_hash(c) for c in codes]
    device.save(update_fields=["recovery_codes"])
    audit_record(actor=actor, action="user.2fa_recovery_codes", target=device.user,
                 unit_id=None, changes={"recovery_codes": [before, len(codes)]})  # fmt: skip
    return codes


@audited
def recovery_code_use(*, actor: User, device: TotpDevice, code: str) -> bool:
    """Log-in with a recovery code instead of the app's: true if it is one of the device's
    unused codes, which is then spent (recorded: a lost phone is worth knowing about)."""
    device = TotpDevice.objects.select_for_update().get(pk=device.pk)
    digest = totp.recovery_hash(code)
    if digest not in device.recovery_codes:
        return False
    left = [h for h in device.recovery_codes if h != digest]
    device.recovery_codes = left
    device.save(update_fields=["recovery_codes"])
    audit_record(actor=actor, action="user.2fa_recovery_used", target=device.user, unit_id=None,
                 changes={"recovery_codes": [len(left) + 1, len(left)]})  # fmt: skip
    return True
