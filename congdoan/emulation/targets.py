"""Targets (chỉ tiêu): the value a unit is to reach on an indicator in a year, assigned by the
union above it, against what its subtree achieved. The achieved value of an indicator the
system counts (new members, people supported, support given, initiatives) is computed; that of
a typed-in indicator (defined by a federation, `models.Indicator`) is the sum of the values its
units typed (`Achievement`). A bloc's target and result are the sums of its units'.

New-member targets are members' own `MemberTarget` rows, written through members' service, so
the member figures (`new_members_target`) and these pages read the same number.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.members import services as member_services
from congdoan.members.models import MemberTarget
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_STEP, Unit

from . import indicators
from .builtin_indicators import MEMBERS_ADMITTED
from .common import Actor, may_write, user_or_none
from .models import Achievement, Bloc, BlocMember, Indicator, Target
from .wording import target_percent, target_phrase


@dataclass(frozen=True)
class IndicatorRef:
    """A registered indicator (`builtin` is its key) or one a federation defined."""

    key: str  # "members_admitted", or "i12" for the defined indicator 12
    label: str
    measure: str
    builtin: str = ""
    defined: Indicator | None = None

    @property
    def computed(self) -> bool:
        entry = indicators.registry.get(self.builtin)
        return entry is not None and entry.compute is not None

    def lookup(self) -> dict[str, Any]:
        """Filter arguments for Target and Achievement rows of this indicator."""
        if self.defined is not None:
            return {"indicator": self.defined}
        return {"builtin": self.builtin, "indicator__isnull": True}


def _ref_builtin(key: str) -> IndicatorRef:
    entry = indicators.registry[key]
    return IndicatorRef(key, str(entry.label), str(entry.measure), builtin=key)


def _ref_defined(ind: Indicator) -> IndicatorRef:
    return IndicatorRef(f"i{ind.pk}", ind.name, ind.measure, defined=ind)


def defined_for(unit: Unit) -> list[Indicator]:
    """Indicators defined by the unit or a unit above it."""
    paths = [*unit.ancestor_paths(), unit.path]
    return list(Indicator.objects.filter(owner__path__in=paths).order_by("name", "id"))


def indicator_choices(unit: Unit) -> list[IndicatorRef]:
    return [_ref_builtin(k) for k in indicators.registry] + [
        _ref_defined(i) for i in defined_for(unit)
    ]


def indicator_ref(unit: Unit, key: str) -> IndicatorRef:
    """The indicator `key` as seen from `unit` (a defined one must be defined above it)."""
    if key in indicators.registry:
        return _ref_builtin(key)
    if key.startswith("i") and key[1:].isdigit():
        for ind in defined_for(unit):
            if ind.pk == int(key[1:]):
                return _ref_defined(ind)
    raise ServiceError(_("Choose an indicator from the list."), field="indicator")


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# ---------------------------------------------------------------------------------------------
# Who may do what


def may_assign(user: AnyUser | None, unit: Unit) -> bool:
    """Targets are assigned from above: write access to the unit's parent (for the root, a
    national administrator)."""
    if user is None:
        return True
    return access.reach(user).everything or access.can_restructure(user, unit)


# ---------------------------------------------------------------------------------------------
# Writes


def _check(year: int, value: Any, field: str = "value") -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ServiceError(_("The value must be a whole number."), field=field)
    if value < 0:
        raise ServiceError(_("The value cannot be negative."), field=field)
    if not 2000 <= year <= datetime.date.today().year + 5:
        raise ServiceError(_("Choose a year between 2000 and %(max)s.")
                           % {"max": datetime.date.today().year + 5}, field="year")  # fmt: skip
    return value


def _set_one(actor: Actor, unit: Unit, year: int, ref: IndicatorRef, value: int) -> None:
    if ref.builtin == MEMBERS_ADMITTED:
        member_services.target_set(actor=actor, unit=unit, year=year, new_members=value)
        return
    row = Target.objects.filter(unit=unit, year=year, **ref.lookup()).first()
    before = row.value if row else None
    if row is None:
        row = Target.objects.create(
            unit=unit, year=year, builtin=ref.builtin, indicator=ref.defined, value=value,
            set_by=user_or_none(actor),
        )  # fmt: skip
    elif row.value != value:
        row.value, row.set_by = value, user_or_none(actor)
        row.save(update_fields=["value", "set_by", "set_at"])
    if before != value:
        audit_record(actor=actor, action="emulation.target_set", target=row, unit_id=unit.pk,
                     changes={"value": [before, value]},
                     summary=f"{year} · {ref.label}")  # fmt: skip


@audited
def target_set(*, actor: Actor, unit: Unit, year: int, ref: IndicatorRef, value: Any) -> None:
    """Set `unit`'s target on `ref` for `year` (by the union above it)."""
    if not may_assign(actor, unit):
        raise Http404
    _set_one(actor, unit, year, ref, _check(year, value))


@audited
def targets_set_many(
    *, actor: Actor, owner: Unit, year: int, ref: IndicatorRef, values: dict[int, Any]
) -> int:
    """Set the targets of several of `owner`'s direct sub-units at once (the grid page), all or
    nothing; `values` is {unit id: value}, units left out keep theirs. Returns how many were
    given."""
    if not may_write(actor, owner):
        raise Http404
    children = {u.pk: u for u in Unit.objects.filter(parent=owner, pk__in=list(values))}
    for unit_id, value in values.items():
        unit = children.get(unit_id)
        if unit is None:
            raise ServiceError(_("Targets here are for the direct sub-units of %(owner)s.")
                               % {"owner": owner.name})  # fmt: skip
        try:
            _check(year, value, field=f"u{unit_id}")
        except ServiceError as exc:
            raise ServiceError(f"{unit.name}: {exc.messages[0]}", field=f"u{unit_id}") from exc
    for unit_id, value in values.items():
        _set_one(actor, children[unit_id], year, ref, value)
    return len(values)


@audited
def achievement_set(
    *, actor: Actor, unit: Unit, year: int, ref: IndicatorRef, value: Any, note: str = ""
) -> Achievement:
    """Type what `unit` itself achieved on a typed-in indicator (write access to the unit)."""
    if not may_write(actor, unit):
        raise Http404
    if ref.computed:
        raise ServiceError(
            _("“%(indicator)s” is counted by the system; it is not typed in.")
            % {"indicator": ref.label},
            field="indicator",
        )
    value = _check(year, value)
    row = Achievement.objects.filter(unit=unit, year=year, **ref.lookup()).first()
    before = (row.value, row.note) if row else (None, "")
    if row is None:
        row = Achievement.objects.create(
            unit=unit, year=year, builtin=ref.builtin, indicator=ref.defined, value=value,
            note=note.strip(), recorded_by=user_or_none(actor),
        )  # fmt: skip
    else:
        row.value, row.note, row.recorded_by = value, note.strip(), user_or_none(actor)
        row.save(update_fields=["value", "note", "recorded_by", "recorded_at"])
    if before != (value, row.note):
        audit_record(actor=actor, action="emulation.achievement_set", target=row,
                     unit_id=unit.pk,
                     changes={"value": [before[0], value], "note": [before[1], row.note]},
                     summary=f"{year} · {ref.label}")  # fmt: skip
    return row


@audited
def indicator_create(
    *, actor: Actor, owner: Unit, key: str, name: str, measure: str = "", is_demo: bool = False
) -> Indicator:
    """An indicator `owner` defines for its subtree, with results typed in."""
    if not may_write(actor, owner):
        raise Http404
    key, name = key.strip().lower(), name.strip()
    if not name:
        raise ServiceError(_("Give the indicator a name."), field="name")
    if not key:
        raise ServiceError(_("Give the indicator a short key."), field="key")
    if key in indicators.registry or Indicator.objects.filter(owner=owner, key=key).exists():
        raise ServiceError(_("The key “%(key)s” is already used.") % {"key": key}, field="key")
    ind = Indicator.objects.create(
        owner=owner, key=key, name=name, measure=measure.strip(), is_demo=is_demo
    )
    audit_record(actor=actor, action="emulation.indicator_create", target=ind,
                 unit_id=owner.pk, changes={"key": [None, key], "name": [None, name],
                                            "measure": [None, ind.measure]},
                 summary=name)  # fmt: skip
    return ind


# ---------------------------------------------------------------------------------------------
# Reads


def achieved_many(units: Sequence[Unit], year: int, ref: IndicatorRef) -> dict[int, int]:
    """{unit id: achieved over its subtree in `year`} for sibling units (or any set of units
    none of which is below another)."""
    first, last = year_bounds(year)
    if ref.computed:
        entry = indicators.registry[ref.builtin]
        found = entry.values_of(units, first, last)
        return dict(found or {})
    by_path = {u.path: u.pk for u in units}
    out = dict.fromkeys(by_path.values(), 0)
    if not units:
        return out
    rows = (
        Achievement.objects.filter(access.path_q(list(by_path), "unit__path"), year=year,
                                   **ref.lookup())
        .values("unit__path")
        .annotate(total=Sum("value"))
    )  # fmt: skip
    for row in rows:
        path = row["unit__path"]
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            unit_id = by_path.get(path[:end])
            if unit_id is not None:
                out[unit_id] += int(row["total"] or 0)
    return out


def target_and_achieved(unit: Unit, key: str, year: int) -> tuple[int, int] | None:
    """(target, achieved over the subtree) of `unit` for indicator `key` in `year`, or None
    when the unit has no target for it (used by grading's computed criteria)."""
    target = _targets_of([unit.pk], year).get((unit.pk, key))
    if target is None:
        return None
    try:
        ref = indicator_ref(unit, key)
    except ServiceError:  # an indicator defined elsewhere in the tree
        return None
    return target, achieved_many([unit], year, ref).get(unit.pk, 0)


def _targets_of(unit_ids: Sequence[int], year: int) -> dict[tuple[int, str], int]:
    """{(unit id, indicator key): target} for these units and year (two queries)."""
    out: dict[tuple[int, str], int] = {}
    for unit_id, value in MemberTarget.objects.filter(unit_id__in=unit_ids, year=year).values_list(
        "unit_id", "new_members"
    ):
        out[(unit_id, MEMBERS_ADMITTED)] = int(value)
    for unit_id, builtin, ind_id, value in Target.objects.filter(
        unit_id__in=unit_ids, year=year
    ).values_list("unit_id", "builtin", "indicator_id", "value"):
        out[(unit_id, builtin or f"i{ind_id}")] = int(value)
    return out


def _refs_by_key(unit: Unit, keys: set[str]) -> list[IndicatorRef]:
    """The refs of these keys, in the order of the choices (registry first)."""
    return [r for r in indicator_choices(unit) if r.key in keys]


def _row(ref: IndicatorRef, achieved: int, target: int | None) -> dict[str, Any]:
    return {
        "key": ref.key,
        "label": ref.label,
        "measure": ref.measure,
        "computed": ref.computed,
        "achieved": achieved,
        "target": target,
        "percent": target_percent(achieved, target) if target is not None else None,
        "phrase": target_phrase(achieved, target) if target else "",
    }


def target_rows(unit: Unit, year: int, *, all_indicators: bool = False) -> list[dict[str, Any]]:
    """For each indicator with a target for `unit` in `year` (or every indicator): achieved,
    target, percent and the Vietnamese phrase ("vượt 31%")."""
    targets = _targets_of([unit.pk], year)
    keys = {k for (_u, k) in targets}
    refs = indicator_choices(unit) if all_indicators else _refs_by_key(unit, keys)
    rows = []
    for ref in refs:
        achieved = achieved_many([unit], year, ref).get(unit.pk, 0)
        rows.append(_row(ref, achieved, targets.get((unit.pk, ref.key))))
    return rows


def targets_by_unit(units: Sequence[Unit], year: int, ref: IndicatorRef) -> list[dict[str, Any]]:
    """One indicator for several sibling units: each with its achieved, target and phrase."""
    targets = _targets_of([u.pk for u in units], year)
    achieved = achieved_many(units, year, ref)
    return [
        {"unit": u, **_row(ref, achieved.get(u.pk, 0), targets.get((u.pk, ref.key)))} for u in units
    ]


def bloc_target_rows(bloc: Bloc) -> list[dict[str, Any]]:
    """For each indicator with a target for any unit of the bloc: the bloc's totals (sum of its
    units' targets and results) and each unit's row."""
    units = [m.unit for m in BlocMember.objects.filter(bloc=bloc).select_related("unit")
             .order_by("position", "id")]  # fmt: skip
    targets = _targets_of([u.pk for u in units], bloc.year)
    keys = {k for (_u, k) in targets}
    out = []
    for ref in _refs_by_key(bloc.owner, keys):
        achieved = achieved_many(units, bloc.year, ref)
        per_unit = [
            {"unit": u, **_row(ref, achieved.get(u.pk, 0), targets.get((u.pk, ref.key)))}
            for u in units
        ]
        total_target = sum(targets.get((u.pk, ref.key), 0) for u in units)
        total = _row(ref, sum(achieved.values()), total_target)
        out.append({**total, "units": per_unit})
    return out
