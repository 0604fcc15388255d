"""Every write of the reports: locking and unlocking a period's figures, and a unit's own
template. Each runs in one transaction, checks the actor's rights and the input, and is audited.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.org import access
from congdoan.org.models import Unit

from . import figures
from .document import check_template
from .models import ReportLock, ReportTemplate
from .periods import Period

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def can_unlock(user: Any, unit: Unit) -> bool:
    """Unlocking reopens figures that may have been filed upward: it takes an administrator
    of the unit, or someone who may write the union above it (the one the report went to)."""
    return access.can_admin(user, unit) or (
        unit.parent is not None and access.can_write(user, unit.parent)
    )


@audited
def lock_create(
    *, actor: Any, unit: Unit, period: Period, note: str = "",
    progress: Callable[[int, int, str], None] | None = None,
) -> ReportLock:  # fmt: skip
    """Lock (chốt) the period's figures of `unit`: the collected figures, and its direct
    sub-units' for the statistics workbook, are stored as they are now. `progress(done,
    total, message)` is told after the unit's figures and after each sub-unit's (the lock
    job's progress bar)."""
    if actor is not None and not access.can_write(actor, unit):
        raise ServiceError(_("You may not lock the figures of this unit."))
    if (
        ReportLock.objects.select_for_update()
        .filter(unit=unit, start=period.start, end=period.end, unlocked_at__isnull=True)
        .exists()
    ):
        raise ServiceError(_("The figures of this period are already locked."), field="period")
    snapshot = figures.collect_period(unit, period)
    if progress is not None:
        progress(1, 2, unit.name)
    snapshot["children"] = figures.child_figures(
        unit, period,
        progress=None if progress is None else (lambda done, total, name: (
            progress(1 + done, total + 2, name))),
    )  # fmt: skip
    lock = ReportLock.objects.create(
        unit=unit,
        start=period.start,
        end=period.end,
        snapshot=snapshot,
        locked_by=_user(actor),
        note=(note or "").strip()[:300],
    )
    audit_record(
        actor=actor,
        action="report.lock",
        target=lock,
        unit_id=unit.pk,
        changes={"from": period.start, "to": period.end},
        summary=f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}",
    )
    return lock


@audited
def lock_release(*, actor: Any, lock: ReportLock, reason: str) -> ReportLock:
    """Unlock: the period's report is produced from the live figures again. The lock is kept
    (with who unlocked it, when and why)."""
    lock = ReportLock.objects.select_for_update().get(pk=lock.pk)
    if not lock.is_active:
        raise ServiceError(_("These figures are not locked any more."))
    if actor is not None and not can_unlock(actor, lock.unit):
        raise ServiceError(
            _("Unlocking needs an administrator of the unit or an officer of the union above it.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for unlocking."), field="reason")
    lock.unlocked_by, lock.unlocked_at = _user(actor), timezone.now()
    lock.unlock_reason = reason[:500]
    lock.save(update_fields=["unlocked_by", "unlocked_at", "unlock_reason"])
    audit_record(
        actor=actor,
        action="report.unlock",
        target=lock,
        unit_id=lock.unit_id,
        changes={"reason": lock.unlock_reason},
        summary=lock.unlock_reason,
    )
    return lock


@audited
def template_upload(*, actor: Any, unit: Unit, name: str, content: bytes) -> ReportTemplate:
    """The unit's own template (for its subtree), replacing the one it had. A file that is not
    a Word document, or lacks a required placeholder, is refused with the reason."""
    if actor is not None and not access.can_write(actor, unit):
        raise ServiceError(_("You may not change the report template of this unit."))
    if not content:
        raise ServiceError(_("The file is empty."), field="file")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ServiceError(_("The file is larger than 5 MB."), field="file")
    check_template(content)
    ReportTemplate.objects.filter(unit=unit, is_active=True).update(is_active=False)
    template = ReportTemplate.objects.create(
        unit=unit,
        name=(name or "mau-bao-cao.docx")[-255:],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="report.template_upload",
        target=template,
        unit_id=unit.pk,
        summary=template.name,
    )
    return template


@audited
def template_remove(*, actor: Any, template: ReportTemplate) -> None:
    """Stop using the unit's own template (the one above it, or the default, applies again)."""
    if actor is not None and not access.can_write(actor, template.unit):
        raise ServiceError(_("You may not change the report template of this unit."))
    ReportTemplate.objects.filter(pk=template.pk).update(is_active=False)
    audit_record(
        actor=actor,
        action="report.template_remove",
        target=template,
        unit_id=template.unit_id,
        summary=template.name,
    )
