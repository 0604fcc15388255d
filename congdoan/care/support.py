"""Care programmes and the support given under them: every write (typed, keyword-only, one
transaction, validated, audited) and the scoped reads that the pages, the API and the import
share.

A case is proposed by a unit, approved by the programme's owner, then paid; a paid case is never
edited, only reversed (its grant out of the programme's fund is reversed in the ledger). A
programme that pays a person once keeps a `once_key` on each live case, so that the database's
unique constraint refuses a second live case for the same person anywhere in the federation.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audit_update, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, vnd
from congdoan.core.text import fold
from congdoan.members.models import Member
from congdoan.members.queries import mask_cccd, members_visible
from congdoan.members.reference import clean_cccd, validate_cccd
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_END, Level, Unit

from . import funds
from .models import (
    LIVE_SUPPORT,
    EntryKind,
    Fund,
    FundEntry,
    Programme,
    ProgrammeCategory,
    ProgrammeItem,
    ProgrammeKind,
    Support,
    SupportItem,
    SupportStatus,
)

Actor = User | AnonymousUser | None

# Cases that count against a programme's budget.
COMMITTED = [SupportStatus.APPROVED, SupportStatus.PAID]


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _may_write(actor: Actor, unit: Unit) -> bool:
    """System writes (no actor: commands, tests, the demo) may do anything."""
    return actor is None or access.can_write(actor, unit)


def _may_see(actor: Actor, unit: Unit) -> bool:
    return actor is None or access.can_see(actor, unit)


# ---------------------------------------------------------------------------------------------
# Amounts


_GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_GROUPED_COMMAS = re.compile(r"\d{1,3}(?:,\d{3}){2,}")
_DECIMAL = re.compile(r"\d*[.,]\d+|\d+[.,]\d*|\d{1,3}(?:\.\d{3})+,\d+")
_CURRENCY = re.compile(r"(?:đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def parse_vnd(value: Any, *, field: str = "amount_vnd") -> int:
    """A whole, positive number of đồng as a person types it or a spreadsheet holds it:
    3000000, 3.000.000, 3 000 000 or 3,000,000 (thousands grouped), with or without "đ".
    Decimals (1.500.000,5 or 1,5) and amounts of zero or less are refused with a clear
    message naming the field."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return funds.check_amount(value, field=field)
    text = re.sub(r"\s", "", _CURRENCY.sub("", str(value).strip()))
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    if body.isdigit():
        digits = body
    elif _GROUPED_DOTS.fullmatch(body):
        digits = body.replace(".", "")
    elif _GROUPED_COMMAS.fullmatch(body):
        digits = body.replace(",", "")
    elif _DECIMAL.fullmatch(body):
        raise ServiceError(_("Amounts are whole numbers of đồng, without decimals."), field=field)
    else:
        raise ServiceError(
            _("“%(text)s” is not an amount of đồng.") % {"text": str(value).strip()}, field=field
        )
    return funds.check_amount(sign * int(digits), field=field)


def _amount_or_none(value: Any, *, field: str) -> int | None:
    """None for "not given" (None or an empty text); otherwise a positive whole amount."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_vnd(value, field=field)


# ---------------------------------------------------------------------------------------------
# Programmes


@dataclass
class CategoryData:
    """A rule of a programme: a category of case and the amount each person in it receives."""

    name: str
    amount_vnd: Any


@dataclass
class ItemData:
    """A gift in kind the programme hands out and its value per unit of measure."""

    name: str
    unit_value_vnd: Any
    measure: str = ""


@dataclass
class ProgrammeData:
    """A programme as typed in a form or sent to the API."""

    name: str
    kind: str
    start: datetime.date
    end: datetime.date
    description: str = ""
    allow_cash: bool = True
    allow_in_kind: bool = False
    allow_voucher: bool = False
    repeat_allowed: bool = False
    max_per_person_vnd: Any = None
    budget_vnd: Any = None
    fund: Fund | None = None
    decision_ref: str = ""
    categories: list[CategoryData] = field(default_factory=list)
    items: list[ItemData] = field(default_factory=list)


PROGRAMME_FIELDS = [
    "name", "kind", "description", "start", "end", "allow_cash", "allow_in_kind",
    "allow_voucher", "repeat_allowed", "max_per_person_vnd", "budget_vnd", "fund",
    "decision_ref",
]  # fmt: skip


def _clean_programme(data: ProgrammeData, unit: Unit) -> dict[str, Any]:
    """The programme's own fields, checked; ServiceError names the field at fault."""
    name = data.name.strip()
    if not name:
        raise ServiceError(_("Give the programme a name."), field="name")
    if data.kind not in ProgrammeKind.values:
        raise ServiceError(_("Choose the kind of programme."), field="kind")
    if data.end < data.start:
        raise ServiceError(_("The programme cannot end before it starts."), field="end")
    if not (data.allow_cash or data.allow_in_kind or data.allow_voucher):
        raise ServiceError(
            _("Allow at least one kind of support: cash, gifts in kind or vouchers."),
            field="allow_cash",
        )
    most = _amount_or_none(data.max_per_person_vnd, field="max_per_person_vnd")
    budget = _amount_or_none(data.budget_vnd, field="budget_vnd")
    if data.fund is not None and not unit.path.startswith(data.fund.unit.path):
        raise ServiceError(
            _("The fund must be kept by %(unit)s or a unit above it.") % {"unit": unit.name},
            field="fund",
        )
    return {
        "name": name, "kind": data.kind, "description": data.description.strip(),
        "start": data.start, "end": data.end, "allow_cash": data.allow_cash,
        "allow_in_kind": data.allow_in_kind, "allow_voucher": data.allow_voucher,
        "repeat_allowed": data.repeat_allowed, "max_per_person_vnd": most,
        "budget_vnd": budget, "fund": data.fund, "decision_ref": data.decision_ref.strip(),
    }  # fmt: skip


def _clean_rules(
    data: ProgrammeData, most: int | None
) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
    """The categories [(name, amount)] and gift items [(name, measure, value)], checked."""
    categories: list[tuple[str, int]] = []
    seen: set[str] = set()
    for c in data.categories:
        name = c.name.strip()
        if not name:
            continue
        if fold(name) in seen:
            raise ServiceError(
                _("The category “%(name)s” is listed twice.") % {"name": name}, field="categories"
            )
        seen.add(fold(name))
        amount = parse_vnd(c.amount_vnd, field="categories")
        if most is not None and amount > most:
            raise ServiceError(
                _("The amount of “%(name)s” is more than the most per person.") % {"name": name},
                field="categories",
            )
        categories.append((name, amount))
    items: list[tuple[str, str, int]] = []
    seen = set()
    for i in data.items:
        name = i.name.strip()
        if not name:
            continue
        if fold(name) in seen:
            raise ServiceError(
                _("The gift item “%(name)s” is listed twice.") % {"name": name}, field="items"
            )
        seen.add(fold(name))
        items.append((name, i.measure.strip(), parse_vnd(i.unit_value_vnd, field="items")))
    if items and not data.allow_in_kind:
        raise ServiceError(
            _("Gifts in kind are not allowed, so the programme cannot list gift items."),
            field="items",
        )
    if data.allow_in_kind and not items:
        raise ServiceError(
            _("List the gifts in kind with their value per unit."), field="items"
        )  # fmt: skip
    return categories, items


def _rules_audit(categories: Iterable[tuple[str, int]], items: Iterable[tuple[str, str, int]]
                 ) -> dict[str, str]:  # fmt: skip
    return {
        "categories": "; ".join(f"{n}: {vnd(a)}" for n, a in categories),
        "items": "; ".join(f"{n} ({m}): {vnd(v)}" if m else f"{n}: {vnd(v)}" for n, m, v in items),
    }


@audited
def programme_create(
    *, actor: Actor, unit: Unit, data: ProgrammeData, is_demo: bool = False
) -> Programme:
    """A care programme run by `unit` for its subtree (needs write access to the unit)."""
    if not _may_write(actor, unit):
        raise Http404
    values = _clean_programme(data, unit)
    categories, items = _clean_rules(data, values["max_per_person_vnd"])
    programme = Programme.objects.create(
        unit=unit, created_by=_user(actor), is_demo=is_demo, **values
    )
    ProgrammeCategory.objects.bulk_create(
        [ProgrammeCategory(programme=programme, name=n, amount_vnd=a) for n, a in categories]
    )
    ProgrammeItem.objects.bulk_create(
        [ProgrammeItem(programme=programme, name=n, measure=m, unit_value_vnd=v)
         for n, m, v in items]
    )  # fmt: skip
    changes: dict[str, Any] = {
        k: [None, v] for k, v in snapshot(programme, PROGRAMME_FIELDS).items()
        if v not in (None, "", False)
    }  # fmt: skip
    changes.update({k: [None, v] for k, v in _rules_audit(categories, items).items() if v})
    audit_record(actor=actor, action="programme.create", target=programme, unit_id=unit.pk,
                 changes=changes, summary=programme.name)  # fmt: skip
    return programme


@audited
def programme_update(*, actor: Actor, programme: Programme, data: ProgrammeData) -> Programme:
    """Change a programme's details and rules. Support already recorded keeps its amounts; the
    new period must still hold it, the budget must cover what is approved or paid, and a
    category or gift item in use cannot be removed."""
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=programme.pk)
    )
    if not _may_write(actor, programme.unit):
        raise Http404
    values = _clean_programme(data, programme.unit)
    categories, items = _clean_rules(data, values["max_per_person_vnd"])
    live = Support.objects.filter(programme=programme, status__in=LIVE_SUPPORT)
    outside = live.filter(Q(date__lt=values["start"]) | Q(date__gt=values["end"])).first()
    if outside is not None:
        raise ServiceError(
            _("Support is already recorded on %(date)s, outside the new period.")
            % {"date": date_vi(outside.date)},
            field="start",
        )
    used = committed_vnd(programme)
    if values["budget_vnd"] is not None and values["budget_vnd"] < used:
        raise ServiceError(
            _("The budget cannot be less than the %(used)s already approved or paid.")
            % {"used": vnd(used)},
            field="budget_vnd",
        )
    before = snapshot(programme, PROGRAMME_FIELDS)
    old_rules = _rules_audit(
        programme.categories.order_by("id").values_list("name", "amount_vnd"),
        programme.items.order_by("id").values_list("name", "measure", "unit_value_vnd"),
    )
    repeat_changed = values["repeat_allowed"] != programme.repeat_allowed
    for k, v in values.items():
        setattr(programme, k, v)
    programme.save()
    _replace_rules(programme, categories, items)
    if repeat_changed:
        _rekey_once(programme)
    changes = diff(before, snapshot(programme, PROGRAMME_FIELDS))
    new_rules = _rules_audit(categories, items)
    changes.update({k: [old_rules[k], new_rules[k]] for k in new_rules
                    if old_rules[k] != new_rules[k]})  # fmt: skip
    audit_update(actor=actor, action="programme.update", target=programme,
                 unit_id=programme.unit_id, changes=changes,
                 summary=programme.name)  # fmt: skip
    return programme


def _replace_rules(
    programme: Programme, categories: list[tuple[str, int]], items: list[tuple[str, str, int]]
) -> None:
    """Bring the categories and items to the lists given, matched by name (folded): kept ones
    are updated, new ones added, missing ones removed unless support uses them."""
    wanted = {fold(n): (n, a) for n, a in categories}
    for old in programme.categories.all():
        if fold(old.name) in wanted:
            old.name, old.amount_vnd = wanted.pop(fold(old.name))
            old.save()
        elif Support.objects.filter(category=old).exists():
            raise ServiceError(
                _("The category “%(name)s” is used by recorded support and cannot be removed.")
                % {"name": old.name},
                field="categories",
            )
        else:
            old.delete()
    ProgrammeCategory.objects.bulk_create(
        [ProgrammeCategory(programme=programme, name=n, amount_vnd=a) for n, a in wanted.values()]
    )
    wanted_items = {fold(n): (n, m, v) for n, m, v in items}
    for item in programme.items.all():
        if fold(item.name) in wanted_items:
            item.name, item.measure, item.unit_value_vnd = wanted_items.pop(fold(item.name))
            item.save()
        elif SupportItem.objects.filter(item=item).exists():
            raise ServiceError(
                _("The gift item “%(name)s” is used by recorded support and cannot be removed.")
                % {"name": item.name},
                field="items",
            )
        else:
            item.delete()
    ProgrammeItem.objects.bulk_create(
        [ProgrammeItem(programme=programme, name=n, measure=m, unit_value_vnd=v)
         for n, m, v in wanted_items.values()]
    )  # fmt: skip


def _rekey_once(programme: Programme) -> None:
    """After the repeat rule changed: set or clear the once-key of every live case."""
    live = Support.objects.filter(programme=programme, status__in=LIVE_SUPPORT)
    if programme.repeat_allowed:
        live.update(once_key=None)
        return
    twice = (
        live.values("person_key").annotate(n=Count("id")).filter(n__gt=1).values("person_key")[:1]
    )
    if twice:
        raise ServiceError(
            _("Some people already have more than one case under this programme, so it cannot "
              "be changed to support a person only once."),
            field="repeat_allowed",
        )  # fmt: skip
    try:
        with transaction.atomic():
            live.update(once_key=F("person_key"))
    except IntegrityError as exc:  # a case recorded meanwhile
        raise ServiceError(once_message(), field="repeat_allowed") from exc


# ---------------------------------------------------------------------------------------------
# Reads


def programmes_visible(user: AnyUser) -> QuerySet[Programme]:
    """Programmes whose owner the user reaches, or that run above a unit the user reaches."""
    return Programme.objects.filter(access.seen_from_below_q(user, "unit__path"))


def programme_for_view(user: AnyUser, pk: int) -> Programme:
    programme = Programme.objects.select_related("unit", "fund").filter(pk=pk).first()
    if programme is None or not access.can_see_from_below(user, programme.unit):
        raise Http404
    return programme


def programme_for_write(user: AnyUser, pk: int) -> Programme:
    programme = programme_for_view(user, pk)
    if not access.can_write(user, programme.unit):
        raise Http404
    return programme


def programmes_of(unit: Unit) -> QuerySet[Programme]:
    """The programmes `unit` runs and those of the units above it (which it records under)."""
    return Programme.objects.filter(unit__path__in=[*unit.ancestor_paths(), unit.path])


def with_budget_use(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    """Annotate each programme with `used_vnd`: the total of its approved and paid cases."""
    total = F("supports__cash_vnd") + F("supports__in_kind_vnd") + F("supports__voucher_vnd")
    return qs.annotate(used_vnd=Sum(total, filter=Q(supports__status__in=COMMITTED), default=0))


def committed_vnd(programme: Programme) -> int:
    """What the programme has approved or paid (its budget used)."""
    return _sum_total(Support.objects.filter(programme=programme, status__in=COMMITTED))


def _sum_total(qs: QuerySet[Support]) -> int:
    row = qs.aggregate(s=Sum(F("cash_vnd") + F("in_kind_vnd") + F("voucher_vnd")))
    return int(row["s"] or 0)


def recording_units(user: AnyUser, programme: Programme) -> QuerySet[Unit]:
    """The units the user may record support for under the programme: active units they may
    write inside the programme owner's subtree (union groups give through their union)."""
    owner = programme.unit
    return (
        access.units_writable(user)
        .filter(path__gte=owner.path, path__lt=owner.path + PATH_END, status="active")
        .exclude(level=Level.SUBUNIT)
        .order_by("path")
    )


def supports_visible(user: AnyUser) -> QuerySet[Support]:
    """Support given by units the user reaches."""
    r = access.reach(user)
    if r.everything:
        return Support.objects.all()
    return Support.objects.filter(access.path_q(r.paths(), "unit__path"))


def support_for_view(user: AnyUser, pk: int) -> Support:
    support = (
        Support.objects.select_related(
            "programme", "programme__unit", "programme__fund", "unit", "member", "person_unit",
            "category", "proposed_by", "approved_by", "paid_by", "closed_by",
        ).filter(pk=pk).first()
    )  # fmt: skip
    if support is None or not access.can_see(user, support.unit):
        raise Http404
    return support


def support_for_write(user: AnyUser, pk: int) -> Support:
    """A case the user may change as its proposer (write access to the giving unit)."""
    support = support_for_view(user, pk)
    if not access.can_write(user, support.unit):
        raise Http404
    return support


def support_for_decision(user: AnyUser, pk: int) -> Support:
    """A case the user may approve, reject, pay or reverse (write access to the owner)."""
    support = support_for_view(user, pk)
    if not access.can_write(user, support.programme.unit):
        raise Http404
    return support


def search_supports(qs: QuerySet[Support], text: str) -> list[int]:
    """The ids of the cases in `qs` (in its order) whose person matches `text`: a CCCD
    (12 digits), a member code (10 digits), or words of the name ignoring case and diacritics
    (whole words, the last one may be the start of a word)."""
    digits = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"\d{12}", digits):
        return list(qs.filter(person_cccd=digits).values_list("pk", flat=True))
    if re.fullmatch(r"\d{10}", digits):
        return list(qs.filter(member__card_number=digits).values_list("pk", flat=True))
    words = fold(text).split()
    if not words:
        return list(qs.values_list("pk", flat=True))
    for w in words[:-1]:  # whole words
        qs = qs.filter(
            Q(name_key=w)
            | Q(name_key__startswith=w + " ")
            | Q(name_key__contains=" " + w + " ")
            | Q(name_key__endswith=" " + w)
        )
    last = words[-1]  # the start of a word
    qs = qs.filter(Q(name_key__startswith=last) | Q(name_key__contains=" " + last))
    return list(qs.values_list("pk", flat=True))


def reach_totals(qs: QuerySet[Support]) -> dict[str, int]:
    """Counts per status and the live (proposed, approved, paid) amounts of the cases in qs."""
    live = Q(status__in=LIVE_SUPPORT)
    row = qs.aggregate(
        cases=Count("id", filter=live),
        people=Count("person_key", filter=live, distinct=True),
        cash=Sum("cash_vnd", filter=live, default=0),
        in_kind=Sum("in_kind_vnd", filter=live, default=0),
        voucher=Sum("voucher_vnd", filter=live, default=0),
        **{s: Count("id", filter=Q(status=s)) for s in SupportStatus.values},
    )
    return {k: int(v or 0) for k, v in row.items()}


# ---------------------------------------------------------------------------------------------
# Support: checking a case


def once_message() -> str:
    # Names no unit: the other case may be anywhere in the federation.
    return _("This person has already received support under this programme.")


@dataclass
class Beneficiary:
    """Who receives support: a member (or a worker on a roster), or a worker who is not on
    any roster, with name, CCCD and their grassroots union or employer."""

    member: Member | None = None
    name: str = ""
    cccd: str = ""
    person_unit: Unit | None = None
    employer_name: str = ""


@dataclass
class SupportData:
    """A case as typed in a form, read from a row of a list, or sent to the API. Amounts are
    None when not given; `items` pairs a programme's gift item with a quantity."""

    unit: Unit  # the unit that gives it
    person: Beneficiary
    date: datetime.date
    category: ProgrammeCategory | None = None
    cash_vnd: Any = None
    voucher_vnd: Any = None
    items: list[tuple[ProgrammeItem, Any]] = field(default_factory=list)
    reference: str = ""
    note: str = ""


@dataclass
class CheckedSupport:
    """A case that passed every check, ready to write."""

    values: dict[str, Any]
    items: list[tuple[ProgrammeItem, int, int]]  # item, quantity, value
    total: int
    person_key: str


def person_key(member: Member | None, cccd: str) -> str:
    """Who a person is, for counting people once and the once-per-programme guard: their CCCD
    when known, else the member's id."""
    number = clean_cccd(member.cccd if member is not None and member.cccd else cccd)
    if number:
        return f"c:{number}"
    if member is not None:
        return f"m:{member.pk}"
    return ""


class Rules:
    """The checks of a programme's cases. One instance serves one case, or every row of an
    imported list: `person_total` and `once_taken` ask the database by default, and an import
    feeds them what the file itself already holds."""

    def __init__(self, programme: Programme, actor: Actor) -> None:
        self.programme = programme
        self.actor = actor
        self.categories = {c.pk: c for c in programme.categories.all()}
        self.items = {i.pk: i for i in programme.items.all()}

    def person_total(self, key: str, exclude: int | None) -> int:
        """What the person already has under the programme in live cases."""
        qs = Support.objects.filter(
            programme=self.programme, person_key=key, status__in=LIVE_SUPPORT
        )
        return _sum_total(qs.exclude(pk=exclude) if exclude else qs)

    def once_taken(self, key: str, exclude: int | None) -> bool:
        qs = Support.objects.filter(programme=self.programme, once_key=key)
        return (qs.exclude(pk=exclude) if exclude else qs).exists()

    def check(
        self, data: SupportData, *, exclude: int | None = None, guard: bool = True
    ) -> CheckedSupport:
        """Every rule of the programme for one case; ServiceError names the field at fault.
        `exclude` is the case itself when it is being edited; without `guard`, the rules
        that look at the person's other cases are left to the caller (see `guard`)."""
        p = self.programme
        values = {**self._giver(data.unit), **self._person(data.person)}
        key = values["person_key"]
        if not (p.start <= data.date <= p.end):
            raise ServiceError(
                _("The date %(date)s is outside the programme's period (%(start)s – %(end)s).")
                % {"date": date_vi(data.date), "start": date_vi(p.start), "end": date_vi(p.end)},
                field="date",
            )
        cash = _amount_or_none(data.cash_vnd, field="cash_vnd")
        voucher = _amount_or_none(data.voucher_vnd, field="voucher_vnd")
        items = self._items(data.items)
        if cash is not None and not p.allow_cash:
            raise ServiceError(_("This programme does not give cash."), field="cash_vnd")
        if voucher is not None and not p.allow_voucher:
            raise ServiceError(_("This programme does not give vouchers."), field="voucher_vnd")
        if items and not p.allow_in_kind:
            raise ServiceError(_("This programme does not give gifts in kind."), field="items")
        in_kind = sum(v for _i, _q, v in items)
        category = data.category
        if self.categories:
            if category is None or category.pk not in self.categories:
                raise ServiceError(_("Choose the category of the case."), field="category")
            if cash is None and not items and voucher is None:
                if not p.allow_cash:
                    raise ServiceError(_("Give the value of the support."), field="cash_vnd")
                cash = category.amount_vnd  # the category's amount, paid in cash
            total = (cash or 0) + in_kind + (voucher or 0)
            if total != category.amount_vnd:
                raise ServiceError(
                    _("Support for “%(category)s” is exactly %(amount)s per person; this case "
                      "comes to %(total)s.")
                    % {"category": category.name, "amount": vnd(category.amount_vnd),
                       "total": vnd(total)},
                    field="cash_vnd",
                )  # fmt: skip
        else:
            if category is not None:
                raise ServiceError(_("This programme has no categories."), field="category")
            total = (cash or 0) + in_kind + (voucher or 0)
            if total <= 0:
                raise ServiceError(
                    _("Give the cash amount, the gifts in kind or the vouchers."),
                    field="cash_vnd",
                )
        values.update(
            date=data.date, category=category, cash_vnd=cash or 0, in_kind_vnd=in_kind,
            voucher_vnd=voucher or 0, reference=data.reference.strip()[:120],
            note=data.note.strip()[:255],
        )  # fmt: skip
        checked = CheckedSupport(values=values, items=items, total=total, person_key=key)
        if guard:
            self.guard(checked, exclude=exclude, field=_person_field(data.person))
        return checked

    def guard(self, checked: CheckedSupport, *, exclude: int | None = None,
              field: str = "person") -> None:  # fmt: skip
        """The rules that look at the person's other cases: the most per person, and once
        per programme unless repeats are allowed."""
        p = self.programme
        key, total = checked.person_key, checked.total
        if p.max_per_person_vnd is not None:
            already = self.person_total(key, exclude)
            if already + total > p.max_per_person_vnd:
                raise ServiceError(
                    _("At most %(most)s per person under this programme; this person would "
                      "receive %(total)s.")
                    % {"most": vnd(p.max_per_person_vnd), "total": vnd(already + total)},
                    field="cash_vnd",
                )  # fmt: skip
        if not p.repeat_allowed and self.once_taken(key, exclude):
            raise ServiceError(once_message(), field=field)

    def _giver(self, unit: Unit) -> dict[str, Any]:
        owner = self.programme.unit
        if not _may_see(self.actor, unit):
            raise Http404
        if not unit.path.startswith(owner.path):
            raise ServiceError(
                _("%(unit)s is not under %(owner)s, which runs the programme.")
                % {"unit": unit.name, "owner": owner.name},
                field="unit",
            )
        if not unit.is_active or unit.level == Level.SUBUNIT:
            raise ServiceError(
                _("%(unit)s cannot give support: it is not an active union.") % {"unit": unit.name},
                field="unit",
            )
        if not _may_write(self.actor, unit):
            raise ServiceError(
                _("You may only read %(unit)s; you cannot record support for it.")
                % {"unit": unit.name},
                field="unit",
            )
        return {"unit": unit}

    def _person(self, person: Beneficiary) -> dict[str, Any]:
        member = person.member
        if member is not None:
            if not _may_see(self.actor, member.unit):
                raise Http404  # a member outside the user's reach is not named
            return {
                "member": member, "person_name": member.full_name,
                "person_cccd": member.cccd, "person_unit": member.unit, "employer_name": "",
                "person_key": person_key(member, ""),
            }  # fmt: skip
        name = " ".join(person.name.split())
        if not name:
            raise ServiceError(_("Give the person's full name."), field="person_name")
        number = clean_cccd(person.cccd)
        if not number:
            raise ServiceError(
                _("Give the CCCD number of a person who is not a member."), field="person_cccd"
            )
        problem = validate_cccd(number)
        if problem:
            raise ServiceError(problem, field="person_cccd")
        if person.person_unit is not None and not _may_see(self.actor, person.person_unit):
            raise ServiceError(_("No such unit among your units."), field="person_unit")
        employer = person.employer_name.strip()
        if person.person_unit is None and not employer:
            raise ServiceError(
                _("Give the person's grassroots union or the name of their employer."),
                field="employer_name",
            )
        return {
            "member": None, "person_name": name[:120], "person_cccd": number,
            "person_unit": person.person_unit, "employer_name": employer[:255],
            "person_key": person_key(None, number),
        }  # fmt: skip

    def _items(
        self, given: list[tuple[ProgrammeItem, Any]]
    ) -> list[tuple[ProgrammeItem, int, int]]:
        out = []
        for item, quantity in given:
            if quantity is None or quantity == "":
                continue
            if item.pk not in self.items:
                raise ServiceError(
                    _("“%(item)s” is not a gift of this programme.") % {"item": item.name},
                    field="items",
                )
            if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
                raise ServiceError(
                    _("The quantity of “%(item)s” must be a whole number more than zero.")
                    % {"item": item.name},
                    field="items",
                )
            out.append((item, quantity, quantity * self.items[item.pk].unit_value_vnd))
        return out


def _person_field(person: Beneficiary) -> str:
    return "member" if person.member is not None else "person_cccd"


def check_budget(programme: Programme, amount: int, *, used: int | None = None) -> None:
    """Refuse `amount` if it and the approved and paid cases (`used`, asked of the database
    when not given) would exceed the budget."""
    if programme.budget_vnd is None:
        return
    used = committed_vnd(programme) if used is None else used
    if used + amount > programme.budget_vnd:
        raise ServiceError(
            _("The programme's budget is %(budget)s and %(used)s of it is approved or paid: "
              "%(left)s is left, less than this case's %(amount)s.")
            % {"budget": vnd(programme.budget_vnd), "used": vnd(used),
               "left": vnd(max(programme.budget_vnd - used, 0)), "amount": vnd(amount)},
            field="cash_vnd",
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Support: writing


def _masked_cccd(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Changes ({field: [before, after]}) as the trail keeps them: the CCCD masked (compared
    before, so that a corrected digit in the middle is still a change)."""
    if "person_cccd" not in changes:
        return changes
    return {**changes, "person_cccd": [mask_cccd(v) if v else v for v in changes["person_cccd"]]}


def _items_text(rows: Iterable[tuple[ProgrammeItem, int, int]]) -> str:
    """Gifts in kind as the audit trail keeps them: "item × quantity = value" each."""
    return "; ".join(f"{item.name} × {quantity} = {value}" for item, quantity, value in rows)


def _audit_values(support: Support) -> dict[str, Any]:
    """A case's values for the audit trail (mask the CCCD of the changes: `_masked_cccd`)."""
    return {
        "programme": support.programme_id, "unit": support.unit_id, "member": support.member_id,
        "person_name": support.person_name,
        "person_cccd": support.person_cccd,
        "person_unit": support.person_unit_id, "employer_name": support.employer_name,
        "category": support.category_id, "date": support.date, "cash_vnd": support.cash_vnd,
        "in_kind_vnd": support.in_kind_vnd, "voucher_vnd": support.voucher_vnd,
        "reference": support.reference, "note": support.note,
    }  # fmt: skip


def lock_programme(programme: Programme) -> Programme:
    """The programme, locked until the end of the transaction: cases under one programme are
    decided one at a time, so the budget cannot be overrun by two at once."""
    return (
        Programme.objects.select_for_update(of=("self",))
        .select_related("unit", "fund", "fund__unit")
        .get(pk=programme.pk)
    )


def insert_support(checked: CheckedSupport, *, programme: Programme, status: str,
                   actor: Actor, is_demo: bool = False) -> Support:  # fmt: skip
    """Write a checked case and its gifts. The database refuses a second live case for the
    same person in a programme that supports a person once (IntegrityError, in a savepoint so
    the caller's transaction goes on), and that refusal is the guard's message."""
    support = Support(
        programme=programme, status=status, proposed_by=_user(actor), is_demo=is_demo,
        once_key=None if programme.repeat_allowed else checked.person_key,
        **{k: v for k, v in checked.values.items()},
    )  # fmt: skip
    try:
        with transaction.atomic():
            support.save()
    except IntegrityError as exc:
        if support.once_key:
            raise ServiceError(once_message(), field="person") from exc
        raise
    SupportItem.objects.bulk_create(
        [SupportItem(support=support, item=i, quantity=q, value_vnd=v)
         for i, q, v in checked.items]
    )  # fmt: skip
    return support


@audited
def support_record(
    *,
    actor: Actor,
    programme: Programme,
    data: SupportData,
    status: str = SupportStatus.PROPOSED,
    is_demo: bool = False,
) -> Support:
    """Record a case under a programme. Proposing needs write access to the giving unit; the
    programme's owner (write access to its unit) may record it directly as approved or paid."""
    programme = lock_programme(programme)
    if status not in (SupportStatus.PROPOSED, SupportStatus.APPROVED, SupportStatus.PAID):
        raise ServiceError(_("A case is recorded as proposed, approved or paid."), field="status")
    if status != SupportStatus.PROPOSED and not _may_write(actor, programme.unit):
        raise ServiceError(
            _("Only %(unit)s (or a union above it) approves support under this programme; "
              "record the case as proposed.") % {"unit": programme.unit.name},
            field="status",
        )  # fmt: skip
    checked = Rules(programme, actor).check(data)
    check_budget(programme, checked.total)
    support = insert_support(checked, programme=programme, status=SupportStatus.PROPOSED,
                             actor=actor, is_demo=is_demo)  # fmt: skip
    audit_record(
        actor=actor, action="support.propose", target=support, unit_id=support.unit_id,
        changes=_masked_cccd({k: [None, v] for k, v in _audit_values(support).items()
                              if v not in (None, "", 0)}),
        summary=f"{programme.name}: {support.person_name}",
    )  # fmt: skip
    if status in (SupportStatus.APPROVED, SupportStatus.PAID):
        mark_approved(support, actor)
    if status == SupportStatus.PAID:
        mark_paid(support, actor)
    return support


@audited
def support_update(*, actor: Actor, support: Support, data: SupportData) -> Support:
    """Change a proposed case (before anyone approved it). Approved cases are rejected and
    proposed again; a paid case is never edited, only reversed."""
    programme = lock_programme(support.programme)
    support = Support.objects.select_for_update().get(pk=support.pk)
    if not _may_write(actor, support.unit):
        raise Http404
    _refuse_edit(support)
    checked = Rules(programme, actor).check(data, exclude=support.pk)
    check_budget(programme, checked.total)
    old_items = support.items.select_related("item").order_by("id")
    before = {
        **_audit_values(support),
        "items": _items_text((r.item, r.quantity, r.value_vnd) for r in old_items),
    }
    for k, v in checked.values.items():
        setattr(support, k, v)
    support.once_key = None if programme.repeat_allowed else checked.person_key
    try:
        with transaction.atomic():
            support.save()
    except IntegrityError as exc:
        raise ServiceError(once_message(), field="person") from exc
    support.items.all().delete()
    SupportItem.objects.bulk_create(
        [SupportItem(support=support, item=i, quantity=q, value_vnd=v)
         for i, q, v in checked.items]
    )  # fmt: skip
    after = {**_audit_values(support), "items": _items_text(checked.items)}
    changes = _masked_cccd(diff(before, after))
    audit_update(actor=actor, action="support.update", target=support,
                 unit_id=support.unit_id, changes=changes,
                 summary=support.person_name)  # fmt: skip
    return support


def _refuse_edit(support: Support) -> None:
    if support.status == SupportStatus.PAID:
        raise ServiceError(
            _(
                "A paid case is never edited: reverse it (the ledger keeps both) and record it "
                "again."
            )
        )
    if support.status != SupportStatus.PROPOSED:
        raise ServiceError(
            _("Only a proposed case can be edited; this one is %(status)s.")
            % {"status": support.get_status_display().lower()}
        )


def _locked_case(support: Support) -> tuple[Support, Programme]:
    programme = lock_programme(support.programme)
    locked = (
        Support.objects.select_for_update(of=("self",)).select_related("unit").get(pk=support.pk)
    )
    locked.programme = programme
    return locked, programme


def _require_owner(actor: Actor, programme: Programme) -> None:
    if not _may_write(actor, programme.unit):
        raise ServiceError(
            _("Only %(unit)s (or a union above it) decides on support under this programme.")
            % {"unit": programme.unit.name}
        )


def _refuse_status(support: Support, allowed: list[str], message: str) -> None:
    if support.status not in allowed:
        raise ServiceError(message % {"status": support.get_status_display().lower()})


def mark_approved(support: Support, actor: Actor, *, audit: bool = True) -> None:
    check_budget(support.programme, support.total_vnd)
    support.status = SupportStatus.APPROVED
    support.approved_by = _user(actor)
    support.approved_at = timezone.now()
    support.save(update_fields=["status", "approved_by", "approved_at"])
    if audit:
        audit_record(actor=actor, action="support.approve", target=support, unit_id=support.unit_id,
                 changes={"status": [SupportStatus.PROPOSED, SupportStatus.APPROVED]},
                 summary=support.person_name)  # fmt: skip


def mark_paid(support: Support, actor: Actor, *, audit: bool = True) -> None:
    programme = support.programme
    if support.date > today():
        raise ServiceError(
            _("This case is dated %(date)s, in the future; pay it on or after that day.")
            % {"date": date_vi(support.date)},
            field="date",
        )
    if programme.fund is not None and support.cash_vnd > 0:
        funds.entry_record(
            actor=actor, fund=programme.fund, kind=EntryKind.GRANT, amount_vnd=support.cash_vnd,
            date=support.date, counterpart=support.person_name,
            reference=support.reference or programme.decision_ref, note=programme.name[:255],
            support=support, is_demo=support.is_demo,
        )  # fmt: skip
    support.status = SupportStatus.PAID
    support.paid_by = _user(actor)
    support.paid_at = timezone.now()
    support.save(update_fields=["status", "paid_by", "paid_at"])
    if audit:
        audit_record(actor=actor, action="support.pay", target=support, unit_id=support.unit_id,
                 changes={"status": [SupportStatus.APPROVED, SupportStatus.PAID]},
                 summary=support.person_name)  # fmt: skip


@audited
def support_approve(*, actor: Actor, support: Support) -> Support:
    """The programme's owner approves a proposed case (within the budget)."""
    support, programme = _locked_case(support)
    _require_owner(actor, programme)
    _refuse_status(support, [SupportStatus.PROPOSED],
                   _("Only a proposed case can be approved; this one is %(status)s."))  # fmt: skip
    mark_approved(support, actor)
    return support


@audited
def support_pay(*, actor: Actor, support: Support) -> Support:
    """Pay an approved case: its cash is a grant out of the programme's fund, if it has one."""
    support, programme = _locked_case(support)
    _require_owner(actor, programme)
    _refuse_status(support, [SupportStatus.APPROVED],
                   _("Only an approved case can be paid; this one is %(status)s."))  # fmt: skip
    mark_paid(support, actor)
    return support


def _close(support: Support, actor: Actor, status: str, reason: str, action: str) -> None:
    before = support.status
    support.status = status
    support.once_key = None  # the person may receive support under the programme again
    support.reason = reason[:255]
    support.closed_by = _user(actor)
    support.closed_at = timezone.now()
    support.save(update_fields=["status", "once_key", "reason", "closed_by", "closed_at"])
    audit_record(actor=actor, action=action, target=support, unit_id=support.unit_id,
                 changes={"status": [before, status], "reason": [None, support.reason]},
                 summary=support.person_name)  # fmt: skip


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise ServiceError(_("Give the reason."), field="reason")
    return text


@audited
def support_reject(*, actor: Actor, support: Support, reason: str) -> Support:
    """Turn down a proposed or approved (not yet paid) case, with the reason."""
    support, programme = _locked_case(support)
    _require_owner(actor, programme)
    _refuse_status(
        support, [SupportStatus.PROPOSED, SupportStatus.APPROVED],
        _("Only a proposed or approved case can be rejected; this one is %(status)s."),
    )  # fmt: skip
    _close(support, actor, SupportStatus.REJECTED, _reason(reason), "support.reject")
    return support


@audited
def support_reverse(*, actor: Actor, support: Support, reason: str,
                    date: datetime.date | None = None) -> Support:  # fmt: skip
    """Undo a paid case: its grant is reversed in the fund's ledger (which keeps both entries),
    and the person may be supported under the programme again."""
    support, programme = _locked_case(support)
    _require_owner(actor, programme)
    _refuse_status(support, [SupportStatus.PAID],
                   _("Only a paid case can be reversed; this one is %(status)s."))  # fmt: skip
    text = _reason(reason)
    grants = FundEntry.objects.filter(
        support=support, kind=EntryKind.GRANT, reversed_by__isnull=True
    ).order_by("id")
    for entry in grants:
        funds.entry_reverse(actor=actor, entry=entry, date=date or today(), reason=text)
    _close(support, actor, SupportStatus.REVERSED, text, "support.reverse")
    return support


DECISIONS: dict[str, Callable[..., Support]] = {
    "approve": support_approve,
    "pay": support_pay,
}


def support_decide(*, actor: Actor, support: Support, decision: str, reason: str = "") -> Support:
    """One step of the workflow by name: approve, reject, pay or reverse."""
    if decision in DECISIONS:
        return DECISIONS[decision](actor=actor, support=support)
    if decision == "reject":
        return support_reject(actor=actor, support=support, reason=reason)
    if decision == "reverse":
        return support_reverse(actor=actor, support=support, reason=reason)
    raise ServiceError(_("Choose approve, reject, pay or reverse."), field="decision")


def next_steps(user: AnyUser, support: Support) -> list[str]:
    """The workflow steps the user may take on the case now."""
    if not access.can_write(user, support.programme.unit):
        return []
    return {
        SupportStatus.PROPOSED: ["approve", "reject"],
        SupportStatus.APPROVED: ["pay", "reject"],
        SupportStatus.PAID: ["reverse"],
    }.get(SupportStatus(support.status), [])


def find_members(user: AnyUser, text: str, limit: int = 20) -> list[Member]:
    """Members (and workers on rosters) in the user's reach matching a name, CCCD or member
    code, for choosing a beneficiary."""
    from congdoan.members.queries import search

    if len(fold(text)) < 2:
        return []
    qs = search(members_visible(user), text).select_related("unit")
    return list(qs.order_by("sort_key", "id")[:limit])


import congdoan.care.jobs  # noqa: E402, F401  (registers the import's jobs with the worker)
