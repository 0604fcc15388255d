"""Reads of initiatives, scoped to the user through `congdoan.org.access`, and the figures of a
subtree (each an aggregate over a range of unit paths: a handful of queries whatever its size).

An initiative belongs to the unit that recorded it; a programme belongs to its owner and is
also seen by the units below it (they record initiatives under it).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from congdoan.core.text import fold
from congdoan.emulation.wording import target_percent, target_phrase
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_STEP, Unit
from congdoan.org.queries import subtree_on

from .models import Initiative, InitiativeProgramme, InitiativeStatus, ProgrammeTarget

# ---------------------------------------------------------------------------------------------
# Programmes


def programmes_visible(user: AnyUser) -> QuerySet[InitiativeProgramme]:
    """Programmes run by a unit the user reaches, or by a unit above one."""
    return InitiativeProgramme.objects.filter(access.seen_from_below_q(user, "unit__path"))


def programme_for_view(user: AnyUser, pk: int) -> InitiativeProgramme:
    programme = (
        InitiativeProgramme.objects.select_related("unit", "created_by").filter(pk=pk).first()
    )
    if programme is None or not access.can_see_from_below(user, programme.unit):
        raise Http404
    return programme


def programme_for_write(user: AnyUser, pk: int) -> InitiativeProgramme:
    """The programme if the user may change it and its targets (write access to its owner)."""
    programme = programme_for_view(user, pk)
    if not access.can_write(user, programme.unit):
        raise Http404
    return programme


def programmes_for_unit(unit: Unit) -> QuerySet[InitiativeProgramme]:
    """Programmes `unit` may record initiatives under: run by it or a unit above it."""
    chain = [*unit.ancestor_paths(), unit.path]
    return (
        InitiativeProgramme.objects.filter(unit__path__in=chain)
        .select_related("unit")
        .order_by("-start", "name")
    )


def recording_units(user: AnyUser, programme: InitiativeProgramme) -> QuerySet[Unit]:
    """Units of the programme's subtree the user may record initiatives for."""
    return access.units_writable(user).filter(
        path__gte=programme.unit.path, path__lt=programme.unit.path_end, status="active"
    )


# ---------------------------------------------------------------------------------------------
# Initiatives


def initiative_for_view(user: AnyUser, pk: int) -> Initiative:
    initiative = (
        Initiative.objects.select_related(
            "unit", "unit__parent", "programme", "programme__unit", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None or not access.can_see(user, initiative.unit):
        raise Http404
    return initiative


def initiative_for_write(user: AnyUser, pk: int) -> Initiative:
    """The initiative if the user may change it (write access to its unit)."""
    initiative = initiative_for_view(user, pk)
    if not access.can_write(user, initiative.unit):
        raise Http404
    return initiative


def can_decide(user: AnyUser, initiative: Initiative) -> bool:
    """The council's decision is recorded by the programme's owner."""
    return access.can_write(user, initiative.programme.unit)


def initiative_for_decision(user: AnyUser, pk: int) -> Initiative:
    initiative = initiative_for_view(user, pk)
    if not can_decide(user, initiative):
        raise Http404
    return initiative


def in_subtree(unit: Unit, field_name: str = "unit") -> Q:
    """Rows whose `field_name` (a unit) lies in `unit`'s subtree today: a range on its path."""
    return subtree_on(unit).q(field_name)


def in_year(year: int) -> Q:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(submitted_on__gte=first, submitted_on__lte=last)


def initiatives_of(
    unit: Unit,
    *,
    programme: InitiativeProgramme | int | None = None,
    status: str = "",
    year: int | None = None,
    field: str = "",
    text: str = "",
) -> QuerySet[Initiative]:
    """The initiatives recorded by `unit`'s subtree, newest first, filtered."""
    qs = Initiative.objects.filter(in_subtree(unit))
    if programme:
        qs = qs.filter(programme=programme)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(in_year(year))
    if field:
        qs = qs.filter(field=field)
    if text.strip():
        qs = qs.filter(title_key__contains=fold(text))
    return qs.order_by("-submitted_on", "-id")


def _sum(name: str, **kwargs: Any) -> Coalesce:
    return Coalesce(Sum(name, **kwargs), Value(0), output_field=IntegerField())


def totals(qs: QuerySet[Initiative]) -> dict[str, int]:
    """Counts by status and the estimated value, in one query."""
    found = qs.order_by().aggregate(
        count=Count("id"),
        submitted=Count("id", filter=Q(status=InitiativeStatus.SUBMITTED)),
        recognised=Count("id", filter=Q(status=InitiativeStatus.RECOGNISED)),
        not_recognised=Count("id", filter=Q(status=InitiativeStatus.NOT_RECOGNISED)),
        on_portal_count=Count("id", filter=Q(on_portal=True)),
        value=_sum("value_vnd"),
    )
    return {**found, "on_portal": found.pop("on_portal_count"), "value_vnd": found.pop("value")}


def with_authors(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Initiatives with their unit and their authors (in order), in two more queries."""
    from django.db.models import Prefetch

    from .models import InitiativeAuthor

    return qs.select_related("unit", "programme").prefetch_related(
        Prefetch(
            "authors",
            queryset=InitiativeAuthor.objects.select_related("member").order_by("order", "id"),
        )
    )


# ---------------------------------------------------------------------------------------------
# Progress of a programme


@dataclass
class ProgressRow:
    unit: Unit
    submitted: int
    recognised: int
    not_recognised: int
    value_vnd: int
    target: int
    is_total: bool = False

    @property
    def percent(self) -> int | None:
        return target_percent(self.submitted, self.target)

    @property
    def phrase(self) -> str:
        return target_phrase(self.submitted, self.target)

    @property
    def bar(self) -> int:
        """The progress bar's width, 0 to 100."""
        pct = self.percent
        return 0 if pct is None else min(pct, 100)


def progress(programme: InitiativeProgramme, root: Unit, *,
             until: datetime.date | None = None) -> list[ProgressRow]:  # fmt: skip
    """The programme's progress at `root` (a unit of its subtree) and at each of its direct
    sub-units: initiatives submitted, recognised and not, value, and target. The first row is
    `root`'s whole subtree. Three queries."""
    children = list(Unit.objects.filter(parent=root).order_by("name"))
    width = len(root.path) + PATH_STEP
    qs = Initiative.objects.filter(in_subtree(root), programme=programme)
    if until is not None:
        qs = qs.filter(submitted_on__lte=until)
    rows = (
        qs.annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(
            submitted=Count("id"),
            recognised=Count("id", filter=Q(status=InitiativeStatus.RECOGNISED)),
            not_recognised=Count("id", filter=Q(status=InitiativeStatus.NOT_RECOGNISED)),
            value=_sum("value_vnd"),
        )
        .order_by()
    )
    by_branch = {r["branch"]: r for r in rows}
    targets = dict(
        ProgrammeTarget.objects.filter(programme=programme, unit__in=[root, *children]).values_list(
            "unit_id", "target"
        )
    )
    zero = {"submitted": 0, "recognised": 0, "not_recognised": 0, "value": 0}

    def row(unit: Unit, r: dict[str, int], total: bool = False) -> ProgressRow:
        return ProgressRow(unit, r["submitted"], r["recognised"], r["not_recognised"],
                           r["value"], targets.get(unit.pk, 0), total)  # fmt: skip

    whole = {k: sum(r[k] for r in by_branch.values()) for k in zero}
    out = [row(root, whole, True)]
    for child in children:
        if child.is_active or child.path in by_branch or child.pk in targets:
            out.append(row(child, by_branch.get(child.path, zero)))
    own = by_branch.get(root.path)  # recorded by the root unit itself (its path is shorter)
    if own:
        out.append(row(root, own))
    return out


# ---------------------------------------------------------------------------------------------
# Figures of a subtree for a period


def target_for(unit: Unit, start: datetime.date, end: datetime.date) -> int:
    """The targets set for `unit` in the programmes that overlap the period."""
    return int(
        ProgrammeTarget.objects.filter(
            unit=unit, programme__start__lte=end, programme__end__gte=start
        ).aggregate(s=_sum("target"))["s"]
    )


def submitted_count(unit: Unit, start: datetime.date, end: datetime.date) -> int:
    """Initiatives submitted in `unit`'s subtree over the period (the `initiatives` indicator
    of emulation targets)."""
    return Initiative.objects.filter(
        in_subtree(unit), submitted_on__gte=start, submitted_on__lte=end
    ).count()


def initiatives_figures(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Initiatives submitted by `unit`'s subtree in the period [start, end], how many of them
    the council recognised (by `end`), their value, and the target set for `unit` in the
    programmes overlapping the period. Two queries, and up to three more to find the subtree
    as it stood at the end of a past period."""
    period = Initiative.objects.filter(
        subtree_on(unit, end).q("unit"), submitted_on__gte=start, submitted_on__lte=end
    )
    decided_by_end = Q(decided_on__lte=end)
    figures = period.aggregate(
        submitted=Count("id"),
        recognised=Count("id", filter=Q(status=InitiativeStatus.RECOGNISED) & decided_by_end),
        not_recognised=Count(
            "id", filter=Q(status=InitiativeStatus.NOT_RECOGNISED) & decided_by_end
        ),
        portal=Count("id", filter=Q(on_portal=True, portal_on__lte=end)),
        value=_sum("value_vnd"),
        recognised_value=_sum(
            "value_vnd", filter=Q(status=InitiativeStatus.RECOGNISED) & decided_by_end
        ),
    )
    target = target_for(unit, start, end)
    return {
        "submitted": figures["submitted"],
        "recognised": figures["recognised"],
        "target": target,
        "target_pct": target_percent(figures["submitted"], target),
        "target_phrase": target_phrase(figures["submitted"], target),
        "not_recognised": figures["not_recognised"],
        "on_portal": figures["portal"],
        "value_vnd": figures["value"],
        "recognised_value_vnd": figures["recognised_value"],
    }


def initiatives_section(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The `initiatives` object of `stats` and of the API: the period, then the figures."""
    return {"from": start.isoformat(), "to": end.isoformat(),
            **initiatives_figures(unit, start, end)}  # fmt: skip
