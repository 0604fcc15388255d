"""Bulk restructuring: a plan of moves and merges, previewed, then applied in one transaction.

The 2025 reorganisation moved hundreds of grassroots unions at once by one decision. A plan is
rows of `unit_code` with either `new_parent_code` or `merge_into_code`. The preview runs the
whole plan inside a transaction and rolls it back, so what it shows is exactly what applying
would do; applying runs it again and keeps it only if no row failed.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.sheets import read_table

from . import access, services
from .access import AnyUser
from .models import PATH_END, Level, PlanStatus, RestructurePlan, Status, Unit

COLUMNS = {
    "unit_code": ["mã đơn vị", "mã công đoàn", "mã cđcs", "mã", "unit"],
    "new_parent_code": [
        "mã đơn vị cấp trên mới",
        "mã cấp trên mới",
        "cấp trên mới",
        "đơn vị cấp trên mới",
        "new parent",
    ],
    "merge_into_code": [
        "mã đơn vị sáp nhập vào",
        "sáp nhập vào",
        "hợp nhất vào",
        "mã đơn vị hợp nhất vào",
        "merge into",
    ],
}


@dataclass
class RowOutcome:
    row: int
    unit_code: str
    action: str  # "move" or "merge"
    target_code: str
    unit_name: str = ""
    from_name: str = ""
    target_name: str = ""
    error: str = ""
    column: str = ""


@dataclass
class ParentChange:
    code: str
    name: str
    children_before: int
    children_after: int
    grassroots_before: int
    grassroots_after: int
    joined: list[str] = field(default_factory=list)  # sub-units it gains
    left: list[str] = field(default_factory=list)  # sub-units it loses


@dataclass
class PlanResult:
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[RowOutcome] = field(default_factory=list)
    parents: list[ParentChange] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_plan(name: str, content: bytes) -> tuple[list[dict[str, str | int]], dict[str, str]]:
    """The plan's rows as plain dicts (stored on the RestructurePlan between preview and apply),
    and the headers as the file wrote them (to name columns in messages)."""
    table = read_table(name, content, COLUMNS)
    if "unit_code" not in table.columns:
        raise ServiceError(_("The plan has no unit_code column."))
    if "new_parent_code" not in table.columns and "merge_into_code" not in table.columns:
        raise ServiceError(_("The plan needs a new_parent_code or a merge_into_code column."))
    rows: list[dict[str, str | int]] = [
        {
            "row": number,
            "unit_code": row.get("unit_code", "").strip(),
            "new_parent_code": row.get("new_parent_code", "").strip(),
            "merge_into_code": row.get("merge_into_code", "").strip(),
        }
        for row, number in zip(table.rows, table.row_numbers, strict=True)
    ]
    return rows, table.headers


def _figures(unit: Unit) -> tuple[int, int, set[str]]:
    """(active sub-units, grassroots unions in the subtree, names of the active sub-units)."""
    unit.refresh_from_db()
    children = set(
        Unit.objects.filter(parent=unit, status=Status.ACTIVE).values_list("name", flat=True)
    )
    grassroots = Unit.objects.filter(
        path__gte=unit.path,
        path__lt=unit.path + PATH_END,
        level=Level.GRASSROOTS,
        status=Status.ACTIVE,
    ).count()
    return len(children), grassroots, children


def _in_order(planned: list[tuple[RowOutcome, Unit, Unit]]) -> list[tuple[RowOutcome, Unit, Unit]]:
    """Moves first (by row), then merges so that "A into B" runs before "B into C"."""
    moves = sorted((p for p in planned if p[0].action == "move"), key=lambda p: p[0].row)
    waiting = sorted((p for p in planned if p[0].action == "merge"), key=lambda p: p[0].row)
    merges: list[tuple[RowOutcome, Unit, Unit]] = []
    while waiting:
        targets = {p[2].pk for p in waiting}
        ready = [p for p in waiting if p[1].pk not in targets] or waiting[:1]
        merges.extend(ready)
        waiting = [p for p in waiting if p not in ready]
    return moves + merges


@audited
def run_plan(
    *,
    actor: AnyUser | None,
    rows: list[dict[str, str | int]],
    effective_on: datetime.date,
    decision_ref: str,
    decision_date: datetime.date | None,
    commit: bool,
    plan_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> PlanResult:
    """Run the plan; keep it only if `commit` and every row succeeded."""
    result = PlanResult()

    def visible(code: str) -> Unit | None:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or (actor is not None and not access.can_write(actor, unit)):
            return None
        return unit

    with transaction.atomic():
        seen: dict[str, int] = {}
        planned: list[tuple[RowOutcome, Unit, Unit]] = []
        for r in rows:
            number = int(r["row"])
            code = str(r["unit_code"])
            parent_code = str(r["new_parent_code"])
            merge_code = str(r["merge_into_code"])
            out = RowOutcome(
                row=number,
                unit_code=code,
                action="merge" if merge_code else "move",
                target_code=merge_code or parent_code,
            )
            result.rows.append(out)

            def fail(message: str, column: str, out: RowOutcome = out) -> None:
                out.error, out.column = message, column
                result.errors.append(out)

            if not code:
                fail(_("The unit code is empty."), "unit_code")
                continue
            if code in seen:
                fail(
                    _("Unit %(code)s is already in row %(row)s.")
                    % {"code": code, "row": seen[code]},
                    "unit_code",
                )
                continue
            seen[code] = number
            unit = visible(code)
            if unit is None:
                fail(
                    _("No unit with code %(code)s among your units.") % {"code": code}, "unit_code"
                )
                continue
            out.unit_name = unit.name
            parent = unit.parent
            visible_parent = parent is not None and (actor is None or access.can_see(actor, parent))
            out.from_name = parent.name if parent is not None and visible_parent else ""
            if bool(parent_code) == bool(merge_code):
                fail(
                    _("Give either a new parent code or a merge-into code, not both or neither."),
                    "new_parent_code",
                )
                continue
            column = "merge_into_code" if merge_code else "new_parent_code"
            target = visible(out.target_code)
            if target is None:
                fail(
                    _("No unit with code %(code)s among your units.") % {"code": out.target_code},
                    column,
                )
                continue
            out.target_name = target.name
            planned.append((out, unit, target))

        touched: dict[int, Unit] = {}

        def may_see(unit: Unit) -> bool:
            return actor is None or access.can_see(actor, unit)

        for out, unit, target in planned:
            if out.action == "merge":
                touched.setdefault(unit.pk, unit)
            if unit.parent is not None and may_see(unit.parent):
                touched.setdefault(unit.parent.pk, unit.parent)
            touched.setdefault(target.pk, target)
        before = {pk: _figures(u) for pk, u in touched.items()}

        # Moves first, then merges, so a merge sees the tree the moves made.
        for out, unit, target in _in_order(planned):
            try:
                if out.action == "move":
                    services.unit_move(
                        actor=actor,
                        unit=unit,
                        new_parent=target,
                        effective_on=effective_on,
                        decision_ref=decision_ref,
                        decision_date=decision_date,
                        plan_id=plan_id,
                    )
                else:
                    services.unit_merge(
                        actor=actor,
                        sources=[unit],
                        target=target,
                        effective_on=effective_on,
                        decision_ref=decision_ref,
                        decision_date=decision_date,
                        plan_id=plan_id,
                    )
            except ServiceError as exc:
                out.error = " ".join(exc.messages)
                out.column = (
                    "effective_on"
                    if exc.field == "effective_on"
                    else ("merge_into_code" if out.action == "merge" else "new_parent_code")
                )
                result.errors.append(out)

        for pk, unit in touched.items():
            after = _figures(unit)
            result.parents.append(
                ParentChange(
                    code=unit.code,
                    name=unit.name,
                    children_before=before[pk][0],
                    children_after=after[0],
                    grassroots_before=before[pk][1],
                    grassroots_after=after[1],
                    joined=sorted(after[2] - before[pk][2]),
                    left=sorted(before[pk][2] - after[2]),
                )
            )
        result.parents.sort(key=lambda p: p.code)
        result.errors.sort(key=lambda o: o.row)
        for out in result.errors:
            out.column = (headers or {}).get(out.column, out.column)
        if commit and result.ok:
            result.applied = True
            if plan_id is not None:
                # In the same transaction: a plan is marked applied exactly when it was.
                updated = RestructurePlan.objects.filter(
                    pk=plan_id, status=PlanStatus.DRAFT
                ).update(status=PlanStatus.APPLIED, applied_at=timezone.now())
                if not updated:
                    result.applied = False
                    transaction.set_rollback(True)
        else:
            transaction.set_rollback(True)
    return result


@audited
def plan_create(
    *, actor: AnyUser, file_name: str, content: bytes, effective_on: datetime.date,
    decision_ref: str, decision_date: datetime.date | None = None,
) -> RestructurePlan:  # fmt: skip
    """Read an uploaded plan and keep it for its preview (nothing in the tree changes yet)."""
    rows, headers = parse_plan(file_name, content)
    plan = RestructurePlan.objects.create(
        file_name=file_name[:255], rows=rows, headers=headers, effective_on=effective_on,
        decision_ref=decision_ref, decision_date=decision_date,
        created_by=actor if isinstance(actor, User) else None,
    )  # fmt: skip
    audit_record(actor=actor, action="restructure.plan", target=plan, unit_id=None,
                 changes={"file": [None, plan.file_name], "rows": [None, len(rows)]},
                 summary=plan.file_name)  # fmt: skip
    return plan
