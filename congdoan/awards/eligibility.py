"""Eligibility of a nominee for an award form: the form's rules, read as data, each answering
with a Vietnamese message when the nominee fails it (Law on Emulation and Commendation 2022,
Decree 98/2023, Decision 999/QĐ-TLĐ; the rules a federation applies are its own settings)."""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from congdoan.core.formatting import date_vi
from congdoan.grading import grades
from congdoan.members.models import Member
from congdoan.org.models import Unit

from .models import (
    AwardForm,
    AwardRecipient,
    DecisionStatus,
    Discipline,
    EligibilityRule,
    Grade,
    RuleKind,
)

# Best first: a rule "at least HTTNV" is met by HTXSNV and HTTNV.
GRADE_ORDER = [Grade.HTXSNV, Grade.HTTNV, Grade.HTNV, Grade.KHTNV]


@dataclass(frozen=True)
class Nominated:
    """Who is checked: a unit (collective) or a member (individual), for a form and a year."""

    form: AwardForm
    year: int
    unit: Unit | None = None
    member: Member | None = None
    personal_rating: str = ""

    @property
    def collective(self) -> bool:
        return self.unit is not None


def grade_meets(grade: str | None, wanted: str) -> bool:
    if not grade or grade not in GRADE_ORDER:
        return False
    return GRADE_ORDER.index(Grade(grade)) <= GRADE_ORDER.index(Grade(wanted))


def _awards_of(n: Nominated, form: AwardForm):  # type: ignore[no-untyped-def]
    """Issued awards of `form` to the same recipient."""
    qs = AwardRecipient.objects.filter(decision__form=form, decision__status=DecisionStatus.ISSUED)
    return qs.filter(unit=n.unit) if n.collective else qs.filter(member=n.member)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _graded_unit(n: Nominated) -> int | None:
    """The unit whose approved grade a grade rule reads for the nominee (None: a personal
    rating is typed, or nobody is named)."""
    if n.unit is not None:
        return int(n.unit.pk)
    if n.personal_rating or n.member is None:
        return None
    return int(n.member.unit_id)


def _grade(n: Nominated, known: dict[int, str] | None) -> str | None:
    unit_id = _graded_unit(n)
    if unit_id is None:
        return n.personal_rating or None
    if known is not None:
        return known.get(unit_id)
    return grades.grade_of(unit_id, n.year)


def _check(rule: EligibilityRule, n: Nominated, known: dict[int, str] | None = None) -> str | None:
    """The message of a failed rule, or None when the nominee meets it. `known` holds the
    approved grades of the year, read beforehand for several nominees at once."""
    year = n.year
    if rule.kind == RuleKind.GRADE:
        wanted = Grade(rule.grade or Grade.HTXSNV)
        grade = _grade(n, known)
        if n.collective:
            whose = _("The grade of the union")
        elif n.personal_rating:
            whose = _("The personal rating")
        else:
            whose = _("The grade of the member's grassroots union")
        if grade_meets(grade, wanted):
            return None
        if not grade:
            return _(
                "%(whose)s for %(year)s is not known (approved); the form needs at least "
                "%(wanted)s."
            ) % {"whose": whose, "year": year, "wanted": wanted.value}
        return _("%(whose)s for %(year)s is %(grade)s; the form needs at least %(wanted)s.") % {
            "whose": whose,
            "year": year,
            "grade": grade,
            "wanted": wanted.value,
        }
    if rule.kind == RuleKind.NO_DISCIPLINE:
        found = Discipline.objects.filter(member=n.member, date__year=year).order_by("date").first()
        if found is None:
            return None
        return _("Disciplined in %(year)s: %(measure)s, decision %(ref)s of %(date)s.") % {
            "year": year,
            "measure": found.get_form_display(),
            "ref": found.decision_ref,
            "date": date_vi(found.date),
        }
    if rule.kind == RuleKind.YEARS_SINCE_SAME:
        years = rule.number or 1
        last = _awards_of(n, rule.form).aggregate(y=Max("decision__year"))["y"]
        if last is None or last + years <= year:
            return None
        return _(
            "Already received this form for %(last)s; it may be given again for %(next)s "
            "at the earliest."
        ) % {"last": last, "next": last + years}
    if rule.kind == RuleKind.LOWER_FORM:
        years = rule.number or 1
        lower = rule.lower_form
        if lower is None:
            return None
        first = year - years
        if (
            _awards_of(n, lower)
            .filter(decision__year__gte=first, decision__year__lte=year - 1)
            .exists()
        ):
            return None
        if years == 1:
            return _("Needs %(form)s for %(year)s.") % {"form": lower.name, "year": year - 1}
        return _("Needs %(form)s in one of the %(n)s previous years (%(first)s-%(last)s).") % {
            "form": lower.name,
            "n": years,
            "first": first,
            "last": year - 1,
        }
    if rule.kind == RuleKind.SERVICE_MONTHS:
        wanted_months = rule.number or 0
        joined = n.member.joined_on if n.member is not None else None
        if joined is None:
            return _(
                "No date of joining the union is recorded; the form needs %(n)s months of "
                "membership."
            ) % {"n": wanted_months}
        months = _months_between(joined, datetime.date(year, 12, 31))
        if months >= wanted_months:
            return None
        return _(
            "Only %(months)s months of union membership by 31/12/%(year)s; the form needs %(n)s."
        ) % {"months": months, "year": year, "n": wanted_months}
    return None


def failures(
    n: Nominated,
    rules: list[EligibilityRule] | None = None,
    known: dict[int, str] | None = None,
) -> list[str]:
    """Every rule of the form that the nominee fails, as messages (empty: eligible)."""
    if rules is None:
        rules = list(n.form.rules.select_related("form", "lower_form"))
    out = []
    for rule in rules:
        if not rule.applies(n.collective):
            continue
        if not n.collective and n.member is None:
            continue
        if n.collective and rule.kind in (RuleKind.NO_DISCIPLINE, RuleKind.SERVICE_MONTHS):
            continue
        message = _check(rule, n, known)
        if message:
            out.append(message)
    return out


def failures_many(
    nominated: list[Nominated], rules: list[EligibilityRule] | None = None
) -> list[list[str]]:
    """`failures` of several nominees of one form and year, the grades read in one query."""
    if not nominated:
        return []
    year = nominated[0].year
    ids = {i for i in map(_graded_unit, nominated) if i is not None}
    known = grades.grades_of(sorted(ids), year) if ids else {}
    if rules is None:
        rules = list(nominated[0].form.rules.select_related("form", "lower_form"))
    return [failures(n, rules, known if n.year == year else None) for n in nominated]


def describe(rule: EligibilityRule) -> str:
    """The rule in words, for the catalogue."""
    if rule.kind == RuleKind.GRADE:
        return _("Grade of the year at least %(grade)s") % {"grade": rule.grade}
    if rule.kind == RuleKind.NO_DISCIPLINE:
        return _("No discipline in the year")
    if rule.kind == RuleKind.YEARS_SINCE_SAME:
        return _("At least %(n)s years since the last award of this form") % {"n": rule.number}
    if rule.kind == RuleKind.LOWER_FORM:
        name = rule.lower_form.name if rule.lower_form else ""
        return _("%(form)s in one of the %(n)s previous years") % {"form": name, "n": rule.number}
    return _("At least %(n)s months of union membership") % {"n": rule.number}
