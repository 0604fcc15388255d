"""Pieces the emulation pages share: the year asked for, and the audit trail of records."""

from collections.abc import Sequence

from django.db.models import Model, Q
from django.http import HttpRequest

from congdoan.core.audit import audit_display
from congdoan.core.models import AuditEvent
from congdoan.members.services import today


def year_of(request: HttpRequest) -> int:
    """?year= when it is a sensible year, else this year."""
    text = request.GET.get("year") or request.POST.get("year") or ""
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return today().year


def trail(records: Sequence[Model]) -> list[dict[str, object]]:
    """The audit trail of these records, newest first (one query, plus names)."""
    q = Q(pk__in=[])
    for r in records:
        q |= Q(target_type=r._meta.label_lower, target_id=str(r.pk))
    return audit_display(list(AuditEvent.objects.filter(q).select_related("actor")[:100]))
