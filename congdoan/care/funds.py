"""Fund ledgers: every movement of money is an entry, and a fund's balance on a day is the sum
of its entries up to that day. Entries are never edited or deleted; a reversal undoes one.

The other care areas move money only through `entry_record` (a support paid, a house grant,
a loan disbursed or repaid), so every balance reconciles with its ledger. This module also
holds the funds' own services (creating a fund, donations, grants, allocations between funds)
and their scoped reads (funds with balances, ledgers with running balances, the period report).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, vnd
from congdoan.members.services import today
from congdoan.org import access, figures_cache
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_END, Unit

from .models import ENTRY_SIGN, EntryKind, Fund, FundEntry, FundKind

# Movements a person records by hand on a fund's page; allocations have their own form, loans
# and support write their entries through their own services.
HAND_KINDS = [EntryKind.DONATION, EntryKind.GRANT, EntryKind.INTEREST]
# The columns of the period report: money in, then money out, by kind of movement.
IN_KINDS = [
    EntryKind.DONATION,
    EntryKind.ALLOCATION_IN,
    EntryKind.REPAYMENT,
    EntryKind.INTEREST,
    EntryKind.REVERSAL,
]
OUT_KINDS = [EntryKind.GRANT, EntryKind.ALLOCATION_OUT, EntryKind.LOAN_OUT, EntryKind.REVERSAL]


def balance(fund: Fund, day: datetime.date | None = None) -> int:
    """The fund's balance at the end of `day` (today if not given)."""
    qs = FundEntry.objects.filter(fund=fund)
    if day is not None:
        qs = qs.filter(date__lte=day)
    return int(qs.aggregate(s=Sum("amount_vnd"))["s"] or 0)


def check_amount(amount: Any, *, field: str = "amount_vnd") -> int:
    """A whole, positive number of VND, or a ServiceError naming the field."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ServiceError(_("Amounts are whole numbers of đồng, without decimals."), field=field)
    if amount <= 0:
        raise ServiceError(_("The amount must be more than zero."), field=field)
    return amount


def check_day(day: Any, *, field: str = "date") -> datetime.date:
    """A date that is not in the future."""
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise ServiceError(_("Give the date (dd/mm/yyyy)."), field=field)
    if day > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(day)}, field=field
        )
    return day


def _lowest_balance_from(fund: Fund, day: datetime.date, change: int) -> tuple[int, datetime.date]:
    """The lowest balance the fund would have on `day` or any later day of its ledger if
    `change` were added on `day`, and the day it happens."""
    running = balance(fund, day) + change
    lowest, when = running, day
    later = (
        FundEntry.objects.filter(fund=fund, date__gt=day)
        .values("date")
        .annotate(s=Sum("amount_vnd"))
        .order_by("date")
    )
    for row in later:
        running += row["s"]
        if running < lowest:
            lowest, when = running, row["date"]
    return lowest, when


def _guard_overdraft(fund: Fund, date: datetime.date, signed: int) -> None:
    if signed < 0 and not fund.allow_overdraft:
        lowest, when = _lowest_balance_from(fund, date, signed)
        if lowest < 0:
            raise ServiceError(
                _("%(fund)s would be short by %(short)s on %(date)s; the movement was not "
                  "recorded.") % {"fund": fund.name, "short": vnd(-lowest), "date": date_vi(when)},
                field="amount_vnd",
            )  # fmt: skip


def _lock_funds(*funds: Fund) -> dict[int, Fund]:
    """Lock funds in id order (two writers moving money between the same funds in opposite
    directions must not wait on each other)."""
    ids = sorted({f.pk for f in funds})
    return {f.pk: f for f in Fund.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


@audited
def entry_record(
    *,
    actor: Any,
    fund: Fund,
    kind: str,
    amount_vnd: Any,
    date: datetime.date,
    source_unit: Unit | None = None,
    counterpart: str = "",
    reference: str = "",
    note: str = "",
    support: Any = None,
    house: Any = None,
    loan: Any = None,
    repayment: Any = None,
    pair: FundEntry | None = None,
    is_demo: bool = False,
) -> FundEntry:
    """Record one movement. `amount_vnd` is the size of the movement (positive); its kind says
    whether money comes in or goes out. An out that would take the balance below zero on any
    day from `date` on is refused unless the fund may be overdrawn."""
    if kind not in ENTRY_SIGN:
        raise ServiceError(_("Choose the kind of movement."), field="kind")
    amount = check_amount(amount_vnd)
    check_day(date)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    signed = ENTRY_SIGN[EntryKind(kind)] * amount
    _guard_overdraft(fund, date, signed)
    entry = FundEntry.objects.create(
        fund=fund, date=date, kind=kind, amount_vnd=signed, source_unit=source_unit,
        counterpart=counterpart.strip(), reference=reference.strip(), note=note.strip(),
        support=support, house=house, loan=loan, repayment=repayment, pair=pair,
        recorded_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
    )  # fmt: skip
    audit_record(
        actor=actor, action="fund.entry", target=entry, unit_id=fund.unit_id,
        changes={"kind": [None, kind], "amount_vnd": [None, signed], "date": [None, str(date)]},
        summary=fund.name,
    )  # fmt: skip
    if source_unit is not None and source_unit.pk != fund.unit_id:
        # A donation counts for the giving subtree, which may lie in another province.
        figures_cache.bump("care", [source_unit.pk])
    return entry


def _partner(entry: FundEntry) -> FundEntry | None:
    """The other half of an allocation between two funds."""
    if entry.pair_id:
        return FundEntry.objects.get(pk=entry.pair_id)
    return FundEntry.objects.filter(pair=entry).first()


def reverse_one(*, actor: Any, entry: FundEntry, date: datetime.date, reason: str) -> FundEntry:
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ServiceError(_("This entry was already reversed."))
    if date < entry.date:
        raise ServiceError(
            _("A reversal cannot be dated before the entry it reverses (%(date)s).")
            % {"date": date_vi(entry.date)},
            field="date",
        )
    fund = Fund.objects.select_for_update().get(pk=entry.fund_id)
    signed = -entry.amount_vnd
    _guard_overdraft(fund, date, signed)
    reversal = FundEntry.objects.create(
        fund=fund, date=date, kind=EntryKind.REVERSAL, amount_vnd=signed, reverses=entry,
        source_unit=entry.source_unit, counterpart=entry.counterpart, reference=entry.reference,
        note=reason.strip(), support=entry.support, house=entry.house, loan=entry.loan,
        repayment=entry.repayment,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_record(
        actor=actor, action="fund.reversal", target=reversal, unit_id=fund.unit_id,
        changes={"reverses": [None, entry.pk], "amount_vnd": [None, signed]},
        summary=reason.strip(),
    )  # fmt: skip
    return reversal


@audited
def entry_reverse(*, actor: Any, entry: FundEntry, date: datetime.date, reason: str) -> FundEntry:
    """Undo an entry with an opposite one (the ledger keeps both). Refused if the entry was
    already reversed, is itself a reversal, or the reversal would take the fund below zero.
    Reversing half of an allocation reverses the other half too (in the other fund), so no
    money appears or vanishes between them. Entries of a loan are not reversed: the loan's
    schedule and repayments would no longer match its ledger."""
    entry = FundEntry.objects.select_for_update().select_related("fund").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ServiceError(_("A reversal cannot itself be reversed."))
    if entry.loan_id:
        raise ServiceError(
            _(
                "This movement belongs to a loan and cannot be reversed here; a repayment "
                "recorded in error is reversed on the loan's page."
            )
        )
    if not reason.strip():
        raise ServiceError(_("Say why the entry is reversed."), field="reason")
    check_day(date)
    partner = _partner(entry)
    if partner is not None:
        _lock_funds(entry.fund, partner.fund)
    reversal = reverse_one(actor=actor, entry=entry, date=date, reason=reason)
    if partner is not None:
        reverse_one(actor=actor, entry=partner, date=date, reason=reason)
    return reversal


# ---------------------------------------------------------------------------------------------
# Funds and their movements


def actor_may_write(actor: Any, unit: Unit) -> bool:
    """Services called for a person check the records they are handed are within reach; the
    system (no actor) may do anything."""
    return not isinstance(actor, User) or access.can_write(actor, unit)


@audited
def fund_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    kind: str,
    allow_overdraft: bool = False,
    note: str = "",
    is_demo: bool = False,
) -> Fund:
    """A new fund kept by `unit` (its balance starts at zero)."""
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("Give the fund a name."), field="name")
    if len(name) > 200:
        raise ServiceError(_("The name is too long (200 characters at most)."), field="name")
    if kind not in FundKind.values:
        raise ServiceError(_("Choose the kind of fund."), field="kind")
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name}, field="name")
    if not actor_may_write(actor, unit):
        raise ServiceError(_("You may not keep funds for this unit."), field="name")
    if Fund.objects.filter(unit=unit, name__iexact=name).exists():
        raise ServiceError(
            _("%(unit)s already has a fund named “%(name)s”.") % {"unit": unit.name, "name": name},
            field="name",
        )
    fund = Fund.objects.create(
        unit=unit, name=name, kind=kind, allow_overdraft=bool(allow_overdraft),
        note=(note or "").strip()[:255], is_demo=is_demo,
    )  # fmt: skip
    audit_record(
        actor=actor, action="fund.create", target=fund, unit_id=unit.pk,
        changes={"name": [None, name], "kind": [None, kind],
                 "allow_overdraft": [None, fund.allow_overdraft]},
        summary=name,
    )  # fmt: skip
    return fund


@audited
def donation_record(
    *,
    actor: Any,
    fund: Fund,
    amount_vnd: Any,
    date: datetime.date,
    source_unit: Unit | None = None,
    donor: str = "",
    reference: str = "",
    note: str = "",
    is_demo: bool = False,
) -> FundEntry:
    """Money given to the fund, by a unit of the fund's subtree (whose members contributed) or
    by a named donor (a company, a person)."""
    donor = (donor or "").strip()
    if source_unit is None and not donor:
        raise ServiceError(_("Say who gave the money: a unit or a donor's name."), field="unit")
    if source_unit is not None and not (
        source_unit.path.startswith(fund.unit.path) and actor_may_see(actor, source_unit)
    ):
        raise ServiceError(
            _("A donating unit must be %(unit)s or one of its units.") % {"unit": fund.unit.name},
            field="unit",
        )
    return entry_record(
        actor=actor, fund=fund, kind=EntryKind.DONATION, amount_vnd=amount_vnd, date=date,
        source_unit=source_unit, counterpart=donor, reference=reference, note=note,
        is_demo=is_demo,
    )  # fmt: skip


def actor_may_see(actor: Any, unit: Unit) -> bool:
    return not isinstance(actor, User) or access.can_see(actor, unit)


@audited
def grant_record(
    *,
    actor: Any,
    fund: Fund,
    amount_vnd: Any,
    date: datetime.date,
    recipient: str,
    reference: str = "",
    note: str = "",
) -> FundEntry:
    """Money paid out of the fund by hand (support paid under a programme is recorded by the
    support service instead)."""
    recipient = (recipient or "").strip()
    if not recipient:
        raise ServiceError(_("Say who received the money."), field="counterpart")
    return entry_record(
        actor=actor, fund=fund, kind=EntryKind.GRANT, amount_vnd=amount_vnd, date=date,
        counterpart=recipient, reference=reference, note=note,
    )  # fmt: skip


@audited
def movement_record(
    *,
    actor: Any,
    fund: Fund,
    kind: str,
    amount_vnd: Any,
    date: datetime.date,
    source_unit: Unit | None = None,
    counterpart: str = "",
    reference: str = "",
    note: str = "",
) -> FundEntry:
    """A movement a person records by hand on the fund's page: a donation in, a grant out, or
    interest earned (from the bank)."""
    if kind == EntryKind.DONATION:
        return donation_record(
            actor=actor, fund=fund, amount_vnd=amount_vnd, date=date, source_unit=source_unit,
            donor=counterpart, reference=reference, note=note,
        )  # fmt: skip
    if kind == EntryKind.GRANT:
        return grant_record(
            actor=actor, fund=fund, amount_vnd=amount_vnd, date=date, recipient=counterpart,
            reference=reference, note=note,
        )  # fmt: skip
    if kind == EntryKind.INTEREST:
        return entry_record(
            actor=actor, fund=fund, kind=kind, amount_vnd=amount_vnd, date=date,
            counterpart=counterpart, reference=reference, note=note,
        )  # fmt: skip
    raise ServiceError(
        _("Allocations, loans and support are recorded on their own pages."), field="kind"
    )


@audited
def allocation_record(
    *,
    actor: Any,
    source: Fund,
    target: Fund,
    amount_vnd: Any,
    date: datetime.date,
    reference: str = "",
    note: str = "",
    is_demo: bool = False,
) -> tuple[FundEntry, FundEntry]:
    """Move money from one fund to another (a province allocating to a district's fund): an
    ALLOCATION_OUT in the source and an ALLOCATION_IN in the target, written together and
    linked to each other, so both ledgers show it and reversing one reverses both."""
    if source.pk == target.pk:
        raise ServiceError(_("Choose another fund to allocate to."), field="target")
    if not actor_may_write(actor, target.unit):
        raise ServiceError(_("Choose a fund you may write to."), field="target")
    check_amount(amount_vnd)
    check_day(date)
    _lock_funds(source, target)
    out = entry_record(
        actor=actor, fund=source, kind=EntryKind.ALLOCATION_OUT, amount_vnd=amount_vnd,
        date=date, source_unit=target.unit, counterpart=target.name, reference=reference,
        note=note, is_demo=is_demo,
    )  # fmt: skip
    into = entry_record(
        actor=actor, fund=target, kind=EntryKind.ALLOCATION_IN, amount_vnd=amount_vnd,
        date=date, source_unit=source.unit, counterpart=source.name, reference=reference,
        note=note, pair=out, is_demo=is_demo,
    )  # fmt: skip
    # Each half points at the other (written in the same transaction, before anyone sees it).
    FundEntry.objects.filter(pk=out.pk).update(pair=into)
    out.pair = into
    audit_record(
        actor=actor, action="fund.allocation", target=out, unit_id=source.unit_id,
        changes={"amount_vnd": [None, amount_vnd], "target": [None, target.pk]},
        summary=f"{source.name} → {target.name}",
    )  # fmt: skip
    return out, into


@audited
def movement_reverse(
    *, actor: Any, entry: FundEntry, date: datetime.date, reason: str
) -> FundEntry:
    """Reverse a movement from the fund's ledger: one recorded by hand, or an allocation (both
    halves). Money paid for a support case or a house is reversed from that case, so the case
    and its ledger stay together."""
    if entry.support_id or entry.house_id:
        raise ServiceError(
            _("This movement belongs to a support or house case; reverse it from the case.")
        )
    return entry_reverse(actor=actor, entry=entry, date=date, reason=reason)


# ---------------------------------------------------------------------------------------------
# Reads, always through the user's reach


def funds_writable(user: AnyUser) -> QuerySet[Fund]:
    return Fund.objects.filter(unit__in=access.units_writable(user))


def fund_for_view(user: AnyUser, pk: int) -> Fund:
    fund = Fund.objects.select_related("unit").filter(pk=pk).first()
    if fund is None or not access.can_see(user, fund.unit):
        raise Http404
    return fund


def fund_for_write(user: AnyUser, pk: int) -> Fund:
    fund = fund_for_view(user, pk)
    if not access.can_write(user, fund.unit):
        raise Http404
    return fund


def entry_for_write(user: AnyUser, pk: int) -> FundEntry:
    entry = FundEntry.objects.select_related("fund", "fund__unit").filter(pk=pk).first()
    if entry is None or not access.can_write(user, entry.fund.unit):
        raise Http404
    return entry


def subtree_funds(unit: Unit) -> QuerySet[Fund]:
    """The funds kept by `unit` and the units below it, the unit's own first."""
    return (
        Fund.objects.filter(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def with_balance(qs: QuerySet[Fund], day: datetime.date) -> QuerySet[Fund]:
    """Funds annotated with `balance_vnd`, their balance at the end of `day`."""
    total = (
        FundEntry.objects.filter(fund=OuterRef("pk"), date__lte=day)
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount_vnd"))
        .values("s")
    )
    return qs.annotate(
        balance_vnd=Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0))
    )


def ledger(
    fund: Fund,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kind: str = "",
) -> QuerySet[FundEntry]:
    """The fund's entries in date order, each with `running_vnd`: the fund's balance just after
    it (counting every entry before it, whatever the filter)."""
    upto = (
        FundEntry.objects.filter(fund=OuterRef("fund"))
        .filter(Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), pk__lte=OuterRef("pk")))
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount_vnd"))
        .values("s")
    )
    qs = FundEntry.objects.filter(fund=fund)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if kind:
        qs = qs.filter(kind=kind)
    reversed_by = FundEntry.objects.filter(reverses=OuterRef("pk")).values("pk")[:1]
    return (
        qs.annotate(
            running_vnd=Subquery(upto, output_field=BigIntegerField()),
            reversal_id=Subquery(reversed_by),
        )
        .select_related("source_unit", "recorded_by")
        .order_by("date", "pk")
    )


def reversible(entry: FundEntry) -> bool:
    """Whether the ledger page offers to reverse the entry."""
    return (
        entry.kind != EntryKind.REVERSAL
        and not (entry.support_id or entry.house_id or entry.loan_id)
        and not getattr(entry, "reversal_id", None)
    )


# ---------------------------------------------------------------------------------------------
# The period report


@dataclass
class ReportRow:
    """One fund over the period; amounts in and out are positive, by kind of movement."""

    fund: Fund | None  # None on the totals row
    opening_vnd: int = 0
    ins: dict[str, int] = field(default_factory=dict)
    outs: dict[str, int] = field(default_factory=dict)
    closing_vnd: int = 0
    in_cells: list[int] = field(default_factory=list)
    out_cells: list[int] = field(default_factory=list)

    @property
    def total_in_vnd(self) -> int:
        return sum(self.ins.values())

    @property
    def total_out_vnd(self) -> int:
        return sum(self.outs.values())


@dataclass
class FundReport:
    unit: Unit
    start: datetime.date
    end: datetime.date
    rows: list[ReportRow]
    totals: ReportRow
    in_kinds: list[str]  # the columns shown: kinds with money in the period
    out_kinds: list[str]

    @property
    def in_labels(self) -> list[str]:
        return [_reversal_label(k, True) for k in self.in_kinds]

    @property
    def out_labels(self) -> list[str]:
        return [_reversal_label(k, False) for k in self.out_kinds]


def _reversal_label(kind: str, incoming: bool) -> str:
    if kind == EntryKind.REVERSAL:
        return _("Reversals of money out") if incoming else _("Reversals of money in")
    return str(EntryKind(kind).label)


def fund_report(*, unit: Unit, start: datetime.date, end: datetime.date) -> FundReport:
    """For each fund of `unit`'s subtree: the balance before `start`, the money in and out from
    `start` to `end` by kind, and the balance at the end of `end`. The closing balance is read
    from the ledger on its own, so opening + ins - outs = closing is a check, not a definition."""
    if end < start:
        raise ServiceError(_("The period ends before it starts."), field="end")
    funds = list(subtree_funds(unit))
    ids = [f.pk for f in funds]
    entries = FundEntry.objects.filter(fund_id__in=ids).order_by()
    opening = dict(
        entries.filter(date__lt=start).values("fund_id").annotate(s=Sum("amount_vnd"))
        .values_list("fund_id", "s")
    )  # fmt: skip
    closing = dict(
        entries.filter(date__lte=end).values("fund_id").annotate(s=Sum("amount_vnd"))
        .values_list("fund_id", "s")
    )  # fmt: skip
    flows = (
        entries.filter(date__gte=start, date__lte=end)
        .annotate(
            side=Case(
                When(amount_vnd__gt=0, then=Value("in")),
                default=Value("out"),
                output_field=CharField(),
            )
        )
        .values("fund_id", "kind", "side")
        .annotate(s=Sum("amount_vnd"))
        .values_list("fund_id", "kind", "side", "s")
    )
    ins: dict[int, dict[str, int]] = defaultdict(dict)
    outs: dict[int, dict[str, int]] = defaultdict(dict)
    for fund_id, kind, side, total in flows:
        if side == "in":
            ins[fund_id][kind] = int(total)
        else:
            outs[fund_id][kind] = -int(total)
    rows = [
        ReportRow(
            fund=f,
            opening_vnd=int(opening.get(f.pk) or 0),
            ins=ins[f.pk],
            outs=outs[f.pk],
            closing_vnd=int(closing.get(f.pk) or 0),
        )
        for f in funds
    ]
    totals = ReportRow(fund=None)
    for row in rows:
        totals.opening_vnd += row.opening_vnd
        totals.closing_vnd += row.closing_vnd
        for k, v in row.ins.items():
            totals.ins[k] = totals.ins.get(k, 0) + v
        for k, v in row.outs.items():
            totals.outs[k] = totals.outs.get(k, 0) + v
    in_kinds = [str(k) for k in IN_KINDS if totals.ins.get(k)]
    out_kinds = [str(k) for k in OUT_KINDS if totals.outs.get(k)]
    for row in [*rows, totals]:
        row.in_cells = [row.ins.get(k, 0) for k in in_kinds]
        row.out_cells = [row.outs.get(k, 0) for k in out_kinds]
    return FundReport(
        unit=unit, start=start, end=end, rows=rows, totals=totals, in_kinds=in_kinds,
        out_kinds=out_kinds,
    )  # fmt: skip


def report_table(report: FundReport) -> tuple[list[str], list[list[str]]]:
    """The report as a header and text rows (for the .xlsx download): plain whole numbers."""
    header = [
        _("Fund"), _("Unit"), _("Opening balance"),
        *[f"{_('In')}: {label}" for label in report.in_labels], _("Total in"),
        *[f"{_('Out')}: {label}" for label in report.out_labels], _("Total out"),
        _("Closing balance"),
    ]  # fmt: skip
    rows = []
    for row in [*report.rows, report.totals]:
        rows.append(
            [
                row.fund.name if row.fund else _("Total"),
                row.fund.unit.name if row.fund else "",
                str(row.opening_vnd),
                *[str(v) for v in row.in_cells],
                str(row.total_in_vnd),
                *[str(v) for v in row.out_cells],
                str(row.total_out_vnd),
                str(row.closing_vnd),
            ]
        )
    return header, rows
