"""Gathering a report's figures: everything a review report says about a unit's subtree for a
period, as one JSON-able dict (what a lock stores, and what the documents are written from).

    collect(unit, start, end) -> {
        "version", "unit", "period", "as_of", "provisional", "collected_on",
        "org":        organisation and members as of the period's end (tree as it was then),
        "sections":   every `stats` section for the period (care, emulation, grading, ...),
        "awards":     awards by form and giver (by emulation year for a whole-year report),
        "initiative_programmes": programme-to-date results against the unit's targets,
        "targets":    the unit's emulation targets for the year of the period's end,
        "previous":   the same for the same period a year earlier (for comparisons),
    }

Every part is an aggregate over the subtree (a handful of queries whatever its size); strings
are stored in Vietnamese, the language of the document.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.utils import translation

from congdoan.core.replica import replica_reads
from congdoan.members.services import today
from congdoan.org import hooks
from congdoan.org import queries as org_queries
from congdoan.org.models import PATH_END, Unit

from .periods import Period, custom

VERSION = 1
# The areas a report covers, in the order of its sections; a missing one (an app not installed
# yet) is simply absent from "sections".
AREAS = ("care", "emulation", "grading", "initiatives", "awards", "meetings", "inspections")


def _plain(data: Any) -> Any:
    """Dates, lazy strings and decimals as JSON keeps them."""
    return json.loads(json.dumps(data, default=str))


def unit_info(unit: Unit, day: datetime.date) -> dict[str, Any]:
    """The unit's name, kind and superior body as they were on `day`."""
    version = org_queries.version_on(unit, day)
    ancestors = org_queries.ancestors_on(unit, day)
    parent = ancestors[-1] if ancestors else None
    level = version.level if version else unit.level
    name = version.name if version else unit.name
    province = next((a.name for a in ancestors if a.level == "province"), "")
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": name,
        "short_name": unit.short_name or unit.name,
        "kind": version.kind if version else unit.kind,
        "level": level,
        "superior": parent.name if parent else "",
        "province": name if level == "province" else province,
        "superior_kind": parent.kind if parent else "",
    }


def award_rows(unit: Unit, period: Period) -> list[dict[str, Any]]:
    """Awards to the subtree, by form and by the kind of the unit that decided them (a Giấy khen
    of the district federation's chair reads differently from a commune union's): a whole-year
    report counts the decisions for that emulation year (made at the next January's
    conference), any other period the decisions dated in it. One query."""
    from congdoan.awards.figures import path_then
    from congdoan.awards.models import AwardRecipient, DecisionStatus

    path = path_then(unit, period.end)
    qs = AwardRecipient.objects.filter(
        decision__status=DecisionStatus.ISSUED, path__gte=path, path__lt=path + PATH_END
    )
    if period.year is not None and period.half is None:
        qs = qs.filter(decision__year=period.year)
    else:
        qs = qs.filter(decision__date__gte=period.start, decision__date__lte=period.end)
    rows = (
        qs.values(
            "decision__form__code",
            "decision__form__name",
            "decision__form__phrase",
            "decision__form__authority",
            "decision__form__rank",
            "decision__unit__kind",
        )
        .annotate(
            collectives=Count("id", filter=Q(unit__isnull=False)),
            individuals=Count("id", filter=Q(member__isnull=False)),
        )
        .order_by("-decision__form__rank", "decision__form__code", "decision__unit__kind")
    )
    return [
        {
            "form_code": r["decision__form__code"],
            "form": r["decision__form__name"],
            "phrase": r["decision__form__phrase"],
            "authority": r["decision__form__authority"],
            "giver_kind": r["decision__unit__kind"],
            "collectives": r["collectives"],
            "individuals": r["individuals"],
        }
        for r in rows
    ]


def initiative_programmes(unit: Unit, period: Period) -> list[dict[str, Any]]:
    """The initiative programmes overlapping the period for which the unit has a target, each
    with what its subtree submitted from the programme's start to the period's end ("5.265
    sáng kiến, vượt 31% chỉ tiêu (4.000 sáng kiến)"). Two queries."""
    from congdoan.initiatives.models import Initiative, ProgrammeTarget

    targets = ProgrammeTarget.objects.filter(
        unit=unit, programme__start__lte=period.end, programme__end__gte=period.start
    ).select_related("programme")
    out = []
    for t in targets.order_by("programme__start", "programme_id"):
        p = t.programme
        until = min(p.end, period.end)
        submitted = Initiative.objects.filter(
            unit__path__gte=unit.path,
            unit__path__lt=unit.path_end,
            programme=p,
            submitted_on__lte=until,
        ).count()
        out.append(
            {
                "name": p.name,
                "from": p.start.isoformat(),
                "to": until.isoformat(),
                "programme_to": p.end.isoformat(),
                "submitted": submitted,
                "target": int(t.target),
            }
        )
    return out


def targets(unit: Unit, year: int) -> list[dict[str, Any]]:
    from congdoan.emulation.targets import target_rows

    return [
        {
            "key": r["key"],
            "label": str(r["label"]),
            "achieved": int(r["achieved"]),
            "target": r["target"],
        }
        for r in target_rows(unit, year)
    ]


def sections(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    return {name: fn(unit, start, end) for name, fn in hooks.stats_sections.items()}


def _part(unit: Unit, period: Period, day: datetime.date) -> dict[str, Any]:
    as_of = period.as_of(day)
    return {
        "period": period.to_dict(),
        "as_of": as_of.isoformat(),
        "org": org_queries.unit_figures(unit, as_of),
        "sections": sections(unit, period.start, as_of),
        "awards": award_rows(unit, period),
    }


@replica_reads()
def collect_period(unit: Unit, period: Period) -> dict[str, Any]:
    """The report's figures for `period` (see the module's docstring)."""
    day = today()
    with translation.override("vi"):
        out: dict[str, Any] = {
            "version": VERSION,
            "unit": unit_info(unit, period.as_of(day)),
            "provisional": not period.ended(day),
            "collected_on": day.isoformat(),
            **_part(unit, period, day),
            "initiative_programmes": initiative_programmes(unit, period),
            "targets": targets(unit, period.end.year),
            "previous": _part(unit, period.previous(), day),
        }
        return _plain(out)


def collect(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    return collect_period(unit, custom(start, end))


@replica_reads()
def child_figures(
    unit: Unit, period: Period, progress: Callable[[int, int, str], None] | None = None
) -> list[dict[str, Any]]:
    """For the statistics workbook: each direct sub-unit of `unit` (as the tree stood at the
    period's end) with its organisation figures and sections, computed by the same functions
    as the unit's own. `progress(done, total, name)` is told after each sub-unit."""
    as_of = period.as_of(today())
    children = org_queries.children_on(unit, as_of)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[c.pk for c in children])}
    out = []
    with translation.override("vi"):
        for done, node in enumerate(children, start=1):
            child = units[node.pk]
            out.append(
                _plain(
                    {
                        "code": node.code,
                        "name": node.name,
                        "org": org_queries.unit_figures(child, as_of),
                        "sections": sections(child, period.start, as_of),
                        "awards": award_rows(child, period),
                    }
                )
            )
            if progress is not None:
                progress(done, len(children), node.name)
    return out
