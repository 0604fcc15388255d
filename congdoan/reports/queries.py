"""Reads of the reports: a period's lock, the template that applies to a unit, and what
changed since a lock. Units are ones the caller already got through `access`."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.org.models import Unit

from . import prose
from .models import ReportLock, ReportTemplate
from .periods import Period


def active_lock(unit: Unit, period: Period) -> ReportLock | None:
    return ReportLock.objects.filter(
        unit=unit, start=period.start, end=period.end, unlocked_at__isnull=True
    ).first()


def locks_of(unit: Unit) -> QuerySet[ReportLock]:
    """Every lock of the unit, the current ones and those released, newest period first."""
    return ReportLock.objects.filter(unit=unit).select_related("locked_by", "unlocked_by")


def template_for(unit: Unit) -> ReportTemplate | None:
    """The unit's own template, else the nearest one above it (None: the default applies)."""
    paths = [*unit.ancestor_paths(), unit.path]
    return (
        ReportTemplate.objects.filter(is_active=True, unit__path__in=paths)
        .select_related("unit", "uploaded_by")
        .order_by("-unit__depth")
        .first()
    )


# The figures a lock's change page compares, with their Vietnamese labels (in the order shown).
SKIP = {
    "version",
    "unit",
    "period",
    "provisional",
    "collected_on",
    "previous",
    "children",
    "from",
    "to",
    "as_of",
    "year",
    "programme_id",
    "form_code",
    "key",
    "phrase",
    "authority",
    "giver_kind",
    "percent",
    "target_pct",
    "target_phrase",
}


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Numbers of a collected dict by their path ("sections.care.people_supported"); lists of
    rows are keyed by their name ("sections.care.by_programme[Tết Sum vầy].support_vnd")."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in SKIP and not (key == "year" and not prefix):
                continue
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            name: Any = i
            if isinstance(item, dict):
                name = (
                    item.get("name")
                    or item.get("form")
                    or item.get("label")
                    or item.get("title")
                    or i
                )
                if "giver_kind" in item:
                    name = f"{name} / {item['giver_kind']}"
            out.update(flatten(item, f"{prefix}[{name}]"))
    elif isinstance(data, int | float) and not isinstance(data, bool):
        out[prefix] = data
    return out


def changes(locked: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Figure by figure, those whose value differs: {"path", "locked", "current", "diff"}."""
    before, after = flatten(locked), flatten(current)
    rows = []
    for path in dict.fromkeys([*before, *after]):
        old, new = before.get(path), after.get(path)
        if old != new:
            diff = (new or 0) - (old or 0) if isinstance(old or 0, int | float) else None
            rows.append({"path": path, "locked": old, "current": new, "diff": diff})
    return rows


AREAS = {
    "org": _("Organisation and members"),
    "care": _("Care and welfare"),
    "emulation": _("Emulation"),
    "grading": _("Grading"),
    "initiatives": _("Initiatives"),
    "awards": _("Awards"),
    "meetings": _("Meetings"),
    "inspections": _("Inspections"),
    "initiative_programmes": _("Initiative programmes"),
    "targets": _("Targets"),
}


# The figures' names as the report writes them (in Vietnamese, the document's language).
FIGURE_LABELS = {
    **dict(prose.ORG_ROWS),
    **dict(prose.CARE_ROWS),
    "child_units": "Số đơn vị trực thuộc",
    "kinh_members": "Dân tộc Kinh",
    "support_acts": "Số lượt hỗ trợ",
    "cash_vnd": "Tiền mặt (đồng)",
    "in_kind_vnd": "Hiện vật (đồng)",
    "voucher_vnd": "Phiếu mua hàng (đồng)",
    "submitted": "Sáng kiến đăng ký",
    "recognised": "Sáng kiến được công nhận",
}


def label_of(path: str) -> tuple[str, str]:
    """(area, figure) of a flattened path: ("Care and welfare", "people_supported")."""
    parts = path.split(".")
    if parts[0] == "sections" and len(parts) > 1:
        parts = parts[1:]
    head = parts[0].split("[", 1)
    area = str(AREAS.get(head[0], head[0]))
    rest = ".".join(([f"[{head[1]}"] if len(head) > 1 else []) + parts[1:])
    return area, FIGURE_LABELS.get(rest, rest.replace("_", " "))
