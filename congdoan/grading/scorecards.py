"""Scorecards (bảng chấm điểm): reads scoped to the user, and every write, audited.

A scorecard belongs to its owner unit and grades the units of one level in the owner's subtree
for a year. It is edited as a draft and published once its maxima total exactly 100; a
published scorecard is fixed (assessments are scored against it), and can be copied to the next
year.
"""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited
from congdoan.core.errors import ServiceError
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import LEVEL_RANK, Level, Unit

from .models import (
    Assessment,
    Criterion,
    CriterionGroup,
    Grade,
    Scorecard,
    ScorecardStatus,
    Source,
)
from .scoring import DEFAULT_THRESHOLDS, TOTAL_TENTHS, format_score

SCORECARD_FIELDS = [
    "title",
    "excellent_min_tenths",
    "good_min_tenths",
    "pass_min_tenths",
    "strong_from",
]
# Levels a scorecard may grade: grassroots unions normally, or the unions directly above them.
GRADED_LEVELS = [Level.GRASSROOTS, Level.UPPER]


# ---------------------------------------------------------------------------------------------
# Reads


def scorecard_for_view(user: AnyUser, pk: int) -> Scorecard:
    """A scorecard the user may read: its owner's subtree, and the units graded by it (who see
    it from below)."""
    card = Scorecard.objects.select_related("owner").filter(pk=pk).first()
    if card is None or not access.can_see_from_below(user, card.owner):
        raise Http404
    return card


def scorecard_for_write(user: AnyUser, pk: int) -> Scorecard:
    card = scorecard_for_view(user, pk)
    if not access.can_write(user, card.owner):
        raise Http404
    return card


def group_for_write(user: AnyUser, pk: int) -> CriterionGroup:
    group = CriterionGroup.objects.select_related("scorecard", "scorecard__owner").filter(pk=pk)
    found = group.first()
    if found is None or not access.can_write(user, found.scorecard.owner):
        raise Http404
    return found


def criterion_for_write(user: AnyUser, pk: int) -> Criterion:
    found = (
        Criterion.objects.select_related("scorecard", "scorecard__owner", "group")
        .filter(pk=pk)
        .first()
    )
    if found is None or not access.can_write(user, found.scorecard.owner):
        raise Http404
    return found


def scorecards_owned(unit: Unit) -> QuerySet[Scorecard]:
    """The unit's own scorecards, newest year first, with their totals."""
    return (
        Scorecard.objects.filter(owner=unit)
        .annotate(
            total_tenths=Sum("criteria__max_tenths"),
            criteria_count=Count("criteria", distinct=True),
        )
        .order_by("-year", "level")
    )


def scorecards_above(unit: Unit) -> QuerySet[Scorecard]:
    """Published scorecards of the units above `unit` that grade its level, newest first."""
    return (
        Scorecard.objects.filter(
            owner__path__in=unit.ancestor_paths(),
            level=unit.level,
            status=ScorecardStatus.PUBLISHED,
        )
        .select_related("owner")
        .order_by("-year", "-owner__depth")
    )


def scorecard_for(unit: Unit, year: int) -> Scorecard | None:
    """The published scorecard that grades `unit` in `year`: the nearest owner above it."""
    return scorecards_above(unit).filter(year=year).first()


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def in_scope_q(card: Scorecard, prefix: str = "") -> Q:
    """Units a scorecard grades: its level, below its owner, and in existence on 31/12 of the
    year (founded by then and not dissolved before it)."""
    end = year_end(card.year)
    return Q(
        **{
            f"{prefix}level": card.level,
            f"{prefix}path__gt": card.owner.path,
            f"{prefix}path__lt": card.owner.path_end,
            f"{prefix}founded_on__lte": end,
        }
    ) & (Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gte": end}))


def applies_to(card: Scorecard, unit: Unit) -> bool:
    return Unit.objects.filter(in_scope_q(card), pk=unit.pk).exists()


def totals(card: Scorecard) -> dict[str, int]:
    """The sum of the maxima and the number of criteria."""
    row = Criterion.objects.filter(scorecard=card).aggregate(t=Sum("max_tenths"), n=Count("id"))
    return {"total_tenths": int(row["t"] or 0), "count": int(row["n"] or 0)}


def structure(card: Scorecard) -> list[tuple[CriterionGroup, list[Criterion]]]:
    """The groups in order, each with its criteria in order (two queries)."""
    groups = list(card.groups.all())
    by_group: dict[int, list[Criterion]] = {g.pk: [] for g in groups}
    for c in card.criteria.all():
        by_group.setdefault(c.group_id, []).append(c)
    return [(g, by_group[g.pk]) for g in groups]


def indicator_choices() -> list[tuple[str, str]]:
    """The emulation indicators a computed criterion may use."""
    from congdoan.emulation.indicators import registry

    return sorted(((k, str(i.label)) for k, i in registry.items()), key=lambda kv: kv[1])


def target_and_achieved(unit: Unit, key: str, year: int) -> tuple[int | None, int | None]:
    """(target, achieved) of `unit` for the emulation indicator in `year`; (None, None) when
    the unit has no target for it (the criterion then scores 0)."""
    from congdoan.emulation.targets import target_and_achieved as found

    result = found(unit, key, year)
    return (None, None) if result is None else result


# ---------------------------------------------------------------------------------------------
# Writes


def _check_draft(card: Scorecard) -> None:
    if card.status != ScorecardStatus.DRAFT:
        raise ServiceError(
            _(
                "This scorecard is published and can no longer be changed; units are assessed "
                "against it."
            )
        )


def _check_year(year: Any) -> int:
    if not isinstance(year, int) or not 2000 <= year <= today().year + 1:
        raise ServiceError(
            _("The year must be between 2000 and %(last)s.") % {"last": today().year + 1},
            field="year",
        )
    return year


def _check_thresholds(excellent: Any, good: Any, passing: Any) -> None:
    for name, value in (
        ("excellent_min_tenths", excellent),
        ("good_min_tenths", good),
        ("pass_min_tenths", passing),
    ):
        if not isinstance(value, int) or not 0 < value <= TOTAL_TENTHS:
            raise ServiceError(_("A threshold lies between 0 and 100 points."), field=name)
    if not excellent > good > passing:
        raise ServiceError(
            _(
                "The thresholds must fall: HTXSNV above HTTNV, HTTNV above HTNV (now %(a)s, %(b)s, "
                "%(c)s)."
            )
            % {"a": format_score(excellent), "b": format_score(good), "c": format_score(passing)},
            field="good_min_tenths",
        )


@audited
def scorecard_create(
    *,
    actor: Any,
    owner: Unit,
    year: Any,
    title: str,
    level: str = Level.GRASSROOTS,
    excellent_min_tenths: int = DEFAULT_THRESHOLDS["excellent"],
    good_min_tenths: int = DEFAULT_THRESHOLDS["good"],
    pass_min_tenths: int = DEFAULT_THRESHOLDS["pass"],
    strong_from: str = Grade.GOOD,
    copied_from: Scorecard | None = None,
    is_demo: bool = False,
) -> Scorecard:
    """A new draft scorecard of `owner` for the units of `level` below it."""
    year = _check_year(year)
    if level not in GRADED_LEVELS:
        raise ServiceError(_("Choose the level of the units graded."), field="level")
    if LEVEL_RANK[Level(owner.level)] >= LEVEL_RANK[Level(level)]:
        raise ServiceError(
            _("%(unit)s cannot grade units of its own level or above it.") % {"unit": owner.name},
            field="level",
        )
    if not owner.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": owner.name})
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the scorecard a title."), field="title")
    _check_thresholds(excellent_min_tenths, good_min_tenths, pass_min_tenths)
    if strong_from not in (Grade.EXCELLENT, Grade.GOOD):
        raise ServiceError(
            _("Choose the grade the “strong union” title starts from."), field="strong_from"
        )
    if Scorecard.objects.filter(owner=owner, year=year, level=level).exists():
        raise ServiceError(
            _("%(unit)s already has a scorecard for %(year)s for these units.")
            % {"unit": owner.name, "year": year},
            field="year",
        )
    card = Scorecard.objects.create(
        owner=owner,
        year=year,
        level=level,
        title=title,
        excellent_min_tenths=excellent_min_tenths,
        good_min_tenths=good_min_tenths,
        pass_min_tenths=pass_min_tenths,
        strong_from=strong_from,
        copied_from=copied_from,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo,
    )
    audit_record(
        actor=actor,
        action="scorecard.create",
        target=card,
        unit_id=owner.pk,
        changes={"year": [None, year], "level": [None, level], "title": [None, title]},
        summary=title,
    )
    return card


@audited
def scorecard_update(
    *,
    actor: Any,
    card: Scorecard,
    title: str,
    excellent_min_tenths: int,
    good_min_tenths: int,
    pass_min_tenths: int,
    strong_from: str,
) -> Scorecard:
    card = Scorecard.objects.select_for_update().select_related("owner").get(pk=card.pk)
    _check_draft(card)
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the scorecard a title."), field="title")
    _check_thresholds(excellent_min_tenths, good_min_tenths, pass_min_tenths)
    if strong_from not in (Grade.EXCELLENT, Grade.GOOD):
        raise ServiceError(
            _("Choose the grade the “strong union” title starts from."), field="strong_from"
        )
    before = {f: getattr(card, f) for f in SCORECARD_FIELDS}
    card.title = title
    card.excellent_min_tenths = excellent_min_tenths
    card.good_min_tenths = good_min_tenths
    card.pass_min_tenths = pass_min_tenths
    card.strong_from = strong_from
    card.save(update_fields=SCORECARD_FIELDS)
    after = {f: getattr(card, f) for f in SCORECARD_FIELDS}
    changes = {k: [before[k], after[k]] for k in SCORECARD_FIELDS if before[k] != after[k]}
    audit_update(
        actor=actor,
        action="scorecard.update",
        target=card,
        unit_id=card.owner_id,
        changes=changes,
        summary=card.title,
    )
    return card


@audited
def group_save(
    *,
    actor: Any,
    card: Scorecard,
    number: str,
    title: str,
    order: int | None = None,
    group: CriterionGroup | None = None,
) -> CriterionGroup:
    """Add a group of criteria to a draft scorecard, or change one."""
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    _check_draft(card)
    number, title = (number or "").strip(), (title or "").strip()
    if not number:
        raise ServiceError(_("Give the group a number (I, II, ...)."), field="number")
    if not title:
        raise ServiceError(_("Give the group a title."), field="title")
    clash = CriterionGroup.objects.filter(scorecard=card, number__iexact=number)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ServiceError(
            _("The scorecard already has a group numbered %(number)s.") % {"number": number},
            field="number",
        )
    if order is None:
        order = (group.order if group else card.groups.count() + 1) or 1
    if group is None:
        group = CriterionGroup.objects.create(
            scorecard=card, number=number, title=title, order=order
        )
        action = "scorecard.group_add"
        changes: dict[str, Any] = {"groups.number": [None, number], "groups.title": [None, title]}
    else:
        changes = {}
        for name, value in (("number", number), ("title", title), ("order", order)):
            if getattr(group, name) != value:
                changes[f"groups.{name}"] = [getattr(group, name), value]
                setattr(group, name, value)
        group.save()
        action = "scorecard.group_update"
    audit_record(
        actor=actor,
        action=action,
        target=card,
        unit_id=card.owner_id,
        changes=changes,
        summary=f"{number}. {title}",
    )
    return group


@audited
def group_delete(*, actor: Any, group: CriterionGroup) -> None:
    card = Scorecard.objects.select_for_update().get(pk=group.scorecard_id)
    _check_draft(card)
    summary = str(group)
    count = group.criteria.count()
    group.delete()
    audit_record(
        actor=actor,
        action="scorecard.group_delete",
        target=card,
        unit_id=card.owner_id,
        changes={"criteria": [count, 0]},
        summary=summary,
    )


@audited
def criterion_save(
    *,
    actor: Any,
    card: Scorecard,
    group: CriterionGroup,
    code: str,
    text: str,
    max_tenths: Any,
    order: int | None = None,
    source: str = Source.TYPED,
    indicator_key: str = "",
    criterion: Criterion | None = None,
) -> Criterion:
    """Add a criterion to a draft scorecard, or change one. A maximum is a whole or half
    point; a computed criterion names an emulation indicator."""
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    _check_draft(card)
    if group.scorecard_id != card.pk:
        raise ServiceError(_("Choose a group of this scorecard."), field="group")
    code, text = (code or "").strip(), (text or "").strip()
    if not code:
        raise ServiceError(_("Give the criterion a number (1.1, 1.2, ...)."), field="code")
    if not text:
        raise ServiceError(_("Write the criterion."), field="text")
    if not isinstance(max_tenths, int) or max_tenths <= 0:
        raise ServiceError(_("The maximum score must be more than zero."), field="max_tenths")
    if max_tenths % 5:
        raise ServiceError(
            _("A maximum score is a whole or half point (e.g. 5 or 2,5), not %(score)s.")
            % {"score": format_score(max_tenths)},
            field="max_tenths",
        )
    clash = Criterion.objects.filter(scorecard=card, code__iexact=code)
    if criterion is not None:
        clash = clash.exclude(pk=criterion.pk)
    if clash.exists():
        raise ServiceError(
            _("The scorecard already has a criterion numbered %(code)s.") % {"code": code},
            field="code",
        )
    if source not in Source.values:
        raise ServiceError(_("Choose how the criterion is scored."), field="source")
    indicator_key = (indicator_key or "").strip() if source == Source.TARGET else ""
    if source == Source.TARGET:
        from congdoan.emulation.indicators import registry

        if indicator_key not in registry:
            raise ServiceError(
                _("Choose the emulation indicator the score is computed from."),
                field="indicator_key",
            )
    if order is None:
        order = criterion.order if criterion else group.criteria.count() + 1
    values = {
        "group": group,
        "code": code,
        "text": text,
        "max_tenths": max_tenths,
        "order": order,
        "source": source,
        "indicator_key": indicator_key,
    }
    if criterion is None:
        criterion = Criterion.objects.create(scorecard=card, **values)
        action = "scorecard.criterion_add"
        changes: dict[str, Any] = {
            "criteria.code": [None, code],
            "criteria.max_tenths": [None, format_score(max_tenths)],
        }
    else:
        action = "scorecard.criterion_update"
        changes = {}
        for name, value in values.items():
            old = getattr(criterion, name)
            if old != value:
                changes[f"criteria.{name}"] = [
                    format_score(old) if name == "max_tenths" else str(old),
                    format_score(max_tenths) if name == "max_tenths" else str(value),
                ]
                setattr(criterion, name, value)
        criterion.save()
    audit_record(
        actor=actor,
        action=action,
        target=card,
        unit_id=card.owner_id,
        changes=changes,
        summary=f"{code} {text[:200]}",
    )
    return criterion


@audited
def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    card = Scorecard.objects.select_for_update().get(pk=criterion.scorecard_id)
    _check_draft(card)
    summary = f"{criterion.code} {criterion.text[:200]}"
    maximum = format_score(criterion.max_tenths)
    criterion.delete()
    audit_record(
        actor=actor,
        action="scorecard.criterion_delete",
        target=card,
        unit_id=card.owner_id,
        changes={"criteria.max_tenths": [maximum, None]},
        summary=summary,
    )


@audited
def scorecard_publish(
    *, actor: Any, card: Scorecard, date: datetime.date | None = None
) -> Scorecard:
    """Publish a draft whose maxima total exactly 100: units can then assess themselves."""
    card = Scorecard.objects.select_for_update().select_related("owner").get(pk=card.pk)
    _check_draft(card)
    sums = totals(card)
    if not sums["count"]:
        raise ServiceError(_("The scorecard has no criteria yet."))
    if sums["total_tenths"] != TOTAL_TENTHS:
        raise ServiceError(
            _(
                "The maximum scores total %(total)s points; they must total exactly 100 before "
                "the scorecard is published."
            )
            % {"total": format_score(sums["total_tenths"])}
        )
    empty = list(card.groups.filter(criteria__isnull=True).values_list("number", flat=True))
    if empty:
        raise ServiceError(
            _("Group %(number)s has no criteria; add some or delete the group.")
            % {"number": empty[0]}
        )
    card.status = ScorecardStatus.PUBLISHED
    card.published_on = date or today()
    card.save(update_fields=["status", "published_on"])
    audit_record(
        actor=actor,
        action="scorecard.publish",
        target=card,
        unit_id=card.owner_id,
        changes={"status": [ScorecardStatus.DRAFT, card.status]},
        summary=card.title,
    )
    return card


@audited
def scorecard_unpublish(*, actor: Any, card: Scorecard) -> Scorecard:
    """Back to draft, to correct it, while no unit has started its assessment."""
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    if card.status != ScorecardStatus.PUBLISHED:
        raise ServiceError(_("This scorecard is not published."))
    started = Assessment.objects.filter(scorecard=card).count()
    if started:
        raise ServiceError(
            _(
                "%(count)s units have already started their assessment against this scorecard; it "
                "can no longer be changed."
            )
            % {"count": started}
        )
    card.status = ScorecardStatus.DRAFT
    card.published_on = None
    card.save(update_fields=["status", "published_on"])
    audit_record(
        actor=actor,
        action="scorecard.unpublish",
        target=card,
        unit_id=card.owner_id,
        changes={"status": [ScorecardStatus.PUBLISHED, card.status]},
        summary=card.title,
    )
    return card


@audited
def scorecard_delete(*, actor: Any, card: Scorecard) -> None:
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    _check_draft(card)
    if Assessment.objects.filter(scorecard=card).exists():
        raise ServiceError(_("Units have assessments against this scorecard; it is kept."))
    audit_record(
        actor=actor,
        action="scorecard.delete",
        target=card,
        unit_id=card.owner_id,
        changes={"year": [card.year, None]},
        summary=card.title,
    )
    card.delete()


@audited
def scorecard_copy(*, actor: Any, card: Scorecard, year: Any, title: str = "") -> Scorecard:
    """A draft for `year` with the same groups, criteria, thresholds and title rule."""
    year = _check_year(year)
    new_title = (title or "").strip() or card.title.replace(str(card.year), str(year))
    if new_title == card.title and card.year != year:
        new_title = f"{card.title} ({year})"
    copy = scorecard_create(
        actor=actor,
        owner=card.owner,
        year=year,
        level=card.level,
        title=new_title,
        excellent_min_tenths=card.excellent_min_tenths,
        good_min_tenths=card.good_min_tenths,
        pass_min_tenths=card.pass_min_tenths,
        strong_from=card.strong_from,
        copied_from=card,
        is_demo=card.is_demo,
    )
    for group, criteria in structure(card):
        new_group = CriterionGroup.objects.create(
            scorecard=copy, number=group.number, title=group.title, order=group.order
        )
        Criterion.objects.bulk_create(
            Criterion(
                scorecard=copy,
                group=new_group,
                code=c.code,
                text=c.text,
                max_tenths=c.max_tenths,
                order=c.order,
                source=c.source,
                indicator_key=c.indicator_key,
            )
            for c in criteria
        )
    audit_record(
        actor=actor,
        action="scorecard.copy",
        target=copy,
        unit_id=copy.owner_id,
        changes={"copied_from": [None, card.pk]},
        summary=f"{card.year} → {year}",
    )
    return copy
