"""Reads of the tree, now or as of a past date, and a unit's figures.

Every function takes units the caller already got through `access`; subtree reads use the
materialized path as a range ([path, path + "~")), which both databases answer from a b-tree.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Q, QuerySet, Sum, Value, When

from congdoan.core.text import fold, sort_key

from . import hooks
from .models import (
    PATH_END,
    Employer,
    Level,
    Status,
    SubtreeFigures,
    TreeStamp,
    Unit,
    UnitEvent,
    UnitVersion,
)


def valid_on(day: datetime.date) -> Q:
    """Versions in force on `day`."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def version_on(unit: Unit, day: datetime.date) -> UnitVersion | None:
    """The unit as it was on `day`, or None if it did not exist yet."""
    return UnitVersion.objects.filter(valid_on(day), unit=unit).first()


@dataclass(frozen=True)
class TreeNode:
    """A unit as shown in the tree on some date."""

    pk: int
    code: str
    name: str
    level: str
    kind: str
    status: str
    child_count: int

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


def children_on(
    parent: Unit, day: datetime.date, *, include_closed: bool = False
) -> list[TreeNode]:
    """The sub-units of `parent` on `day`, by name, with their own number of sub-units.

    Two queries whatever the number of children.
    """
    versions = UnitVersion.objects.filter(valid_on(day), parent=parent).select_related("unit")
    if not include_closed:
        versions = versions.filter(status=Status.ACTIVE)
    rows = list(versions)
    counts: dict[int, int] = {}
    if rows:
        for pid in UnitVersion.objects.filter(
            valid_on(day), parent_id__in=[v.unit_id for v in rows], status=Status.ACTIVE
        ).values_list("parent_id", flat=True):
            counts[pid] = counts.get(pid, 0) + 1
    nodes = [
        TreeNode(
            pk=v.unit_id,
            code=v.unit.code,
            name=v.name,
            level=v.level,
            kind=v.kind,
            status=v.status,
            child_count=counts.get(v.unit_id, 0),
        )
        for v in rows
    ]
    return sorted(nodes, key=lambda n: (n.status != Status.ACTIVE, sort_key(n.name)))


def ancestors(unit: Unit) -> list[Unit]:
    """The unit's ancestors today, root first (for breadcrumbs)."""
    return list(Unit.objects.filter(path__in=unit.ancestor_paths()).order_by("depth"))


def ancestors_on(unit: Unit, day: datetime.date) -> list[UnitVersion]:
    """The unit's ancestors as they were on `day`, root first."""
    version = version_on(unit, day)
    if version is None:
        return []
    steps = len(version.path) // 6
    paths = [version.path[: i * 6] for i in range(1, steps)]
    return list(
        UnitVersion.objects.filter(valid_on(day), path__in=paths)
        .select_related("unit")
        .order_by("path")
    )


def subtree_versions_on(unit: Unit, day: datetime.date) -> QuerySet[UnitVersion] | None:
    """Every unit below `unit` (inclusive) as the tree stood on `day`; None if it did not exist."""
    version = version_on(unit, day)
    if version is None:
        return None
    return UnitVersion.objects.filter(
        valid_on(day), path__gte=version.path, path__lt=version.path + PATH_END
    )


@dataclass(frozen=True)
class Subtree:
    """A unit's subtree as the tree stood on a day: a range of today's paths when nothing in it
    changed since, else the ids of its units on that day (from their dated versions)."""

    path: str = ""
    path_end: str = ""
    ids: QuerySet[UnitVersion] | None = None
    empty: bool = False

    def q(self, field_name: str) -> Q:
        """Rows whose `field_name` (a foreign key to Unit) lies in the subtree."""
        if self.empty:
            return Q(pk__in=[])
        if self.ids is not None:
            return Q(**{f"{field_name}_id__in": self.ids})
        return Q(
            **{f"{field_name}__path__gte": self.path, f"{field_name}__path__lt": self.path_end}
        )


def subtree_on(unit: Unit, day: datetime.date | None = None) -> Subtree:
    """`unit`'s subtree as the tree stood on `day` (today's tree without a day). Up to three
    small indexed queries decide whether today's path range still describes it."""
    today = Subtree(path=unit.path, path_end=unit.path_end)
    if day is None or day >= _today():
        return today
    then = version_on(unit, day)
    if then is None:
        return Subtree(empty=True)
    changed_since = (
        UnitVersion.objects.filter(
            path__gte=unit.path, path__lt=unit.path_end, valid_from__gt=day
        ).exists()
        or UnitVersion.objects.filter(
            path__gte=then.path, path__lt=then.path + PATH_END, valid_to__gt=day
        ).exists()
    )
    if not changed_since:
        return today
    ids = UnitVersion.objects.filter(
        valid_on(day), path__gte=then.path, path__lt=then.path + PATH_END
    ).values("unit_id")
    return Subtree(ids=ids)  # type: ignore[arg-type]


EMPLOYERS_INLINE = 5_000


def _tree_figures(unit: Unit, day: datetime.date) -> dict[str, Any]:
    version = version_on(unit, day)
    if version is None:
        return {"child_units": 0, "grassroots_units": 0, "workforce": 0}
    in_force = UnitVersion.objects.filter(valid_on(day), status=Status.ACTIVE)
    subtree = in_force.filter(path__gte=version.path, path__lt=version.path + PATH_END)
    grassroots = subtree.filter(level=Level.GRASSROOTS)
    # Each employer counts once, even if two grassroots unions share it.
    # The ids are read first when they are few: as a subquery, PostgreSQL without fresh
    # statistics on a newly loaded tree plans it as a nested loop taking seconds. Many ids stay
    # a subquery (SQLite caps the parameters of a query).
    with_employer = grassroots.filter(unit__employer__isnull=False)
    ids = list(with_employer.values_list("unit__employer_id", flat=True)[: EMPLOYERS_INLINE + 1])
    employer_ids: Any = set(ids)
    if len(ids) > EMPLOYERS_INLINE:
        employer_ids = with_employer.values("unit__employer_id")
    workforce = Employer.objects.filter(pk__in=employer_ids).aggregate(t=Sum("workforce"))
    return {
        "child_units": in_force.filter(parent=unit).count(),
        "grassroots_units": grassroots.count(),
        "workforce": workforce["t"] or 0,
    }


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def unit_figures(unit: Unit, day: datetime.date) -> dict[str, Any]:
    """The unit's figures on `day`: the tree's own, plus those higher layers register.

    Today's tree figures are cached per unit under the tree stamp (any change to the tree makes
    them stale), so the country's figures cost two small reads, not a count of the whole tree.
    """
    figures: dict[str, Any]
    if day == _today():
        stamp = TreeStamp.objects.filter(pk=1).values_list("version", flat=True).first() or 0
        cached = SubtreeFigures.objects.filter(unit=unit, version=stamp).first()
        if cached is not None:
            figures = {"child_units": cached.child_units,
                       "grassroots_units": cached.grassroots_units,
                       "workforce": cached.workforce}  # fmt: skip
        else:
            figures = _tree_figures(unit, day)
            SubtreeFigures.objects.update_or_create(
                unit=unit, defaults={"version": stamp, **figures}
            )
    else:
        figures = _tree_figures(unit, day)
    for provider in hooks.figure_providers:
        figures.update(provider(unit, day, figures))
    return figures


def unit_history(unit: Unit) -> QuerySet[UnitEvent]:
    """The unit's structural events, newest first."""
    return UnitEvent.objects.filter(unit=unit).select_related(
        "from_parent", "to_parent", "other_unit", "recorded_by"
    )


def search_units(qs: QuerySet[Unit], text: str, *, ranked: bool = False) -> QuerySet[Unit]:
    """Units whose name, short name or code contain every word of `text`, ignoring case and
    diacritics. `ranked` puts the whole phrase and higher levels first (for pickers)."""
    key = fold(text)
    for word in key.split():
        qs = qs.filter(name_key__contains=word)
    if ranked:
        qs = qs.annotate(
            phrase=Case(When(name_key__contains=key, then=Value(0)), default=Value(1))
        ).order_by("phrase", "depth", "name_key")
    return qs
