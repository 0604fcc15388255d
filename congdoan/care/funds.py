"""Fund ledgers: every movement of money is an entry, and a fund's balance on a day is the sum
of its entries up to that day. Entries are never edited or deleted; a reversal undoes one.

The other care areas move money only through `entry_record` (a support paid, a house grant,
a loan disbursed or repaid), so every balance reconciles with its ledger.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, vnd
from congdoan.members.services import today
from congdoan.org.models import Unit

from .models import ENTRY_SIGN, EntryKind, Fund, FundEntry


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


@transaction.atomic
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
    pair: FundEntry | None = None,
    is_demo: bool = False,
) -> FundEntry:
    """Record one movement. `amount_vnd` is the size of the movement (positive); its kind says
    whether money comes in or goes out. An out that would take the balance below zero on any
    day from `date` on is refused unless the fund may be overdrawn."""
    if kind not in ENTRY_SIGN:
        raise ServiceError(_("Choose the kind of movement."), field="kind")
    amount = check_amount(amount_vnd)
    if date > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(date)}, field="date"
        )
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    signed = ENTRY_SIGN[EntryKind(kind)] * amount
    _guard_overdraft(fund, date, signed)
    entry = FundEntry.objects.create(
        fund=fund, date=date, kind=kind, amount_vnd=signed, source_unit=source_unit,
        counterpart=counterpart.strip(), reference=reference.strip(), note=note.strip(),
        support=support, house=house, loan=loan, pair=pair,
        recorded_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
    )  # fmt: skip
    audit_record(
        actor=actor, action="fund.entry", target=entry, unit_id=fund.unit_id,
        changes={"kind": [None, kind], "amount_vnd": [None, signed], "date": [None, str(date)]},
        summary=fund.name,
    )  # fmt: skip
    return entry


@transaction.atomic
def entry_reverse(*, actor: Any, entry: FundEntry, date: datetime.date, reason: str) -> FundEntry:
    """Undo an entry with an opposite one (the ledger keeps both). Refused if the entry was
    already reversed, is itself a reversal, or the reversal would take the fund below zero."""
    entry = FundEntry.objects.select_for_update().select_related("fund").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ServiceError(_("A reversal cannot itself be reversed."))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ServiceError(_("This entry was already reversed."))
    if not reason.strip():
        raise ServiceError(_("Say why the entry is reversed."), field="reason")
    if date < entry.date:
        raise ServiceError(
            _("A reversal cannot be dated before the entry it reverses (%(date)s).")
            % {"date": date_vi(entry.date)},
            field="date",
        )
    if date > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(date)}, field="date"
        )
    fund = Fund.objects.select_for_update().get(pk=entry.fund_id)
    signed = -entry.amount_vnd
    _guard_overdraft(fund, date, signed)
    reversal = FundEntry.objects.create(
        fund=fund, date=date, kind=EntryKind.REVERSAL, amount_vnd=signed, reverses=entry,
        source_unit=entry.source_unit, counterpart=entry.counterpart, reference=entry.reference,
        note=reason.strip(), support=entry.support, house=entry.house, loan=entry.loan,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_record(
        actor=actor, action="fund.reversal", target=reversal, unit_id=fund.unit_id,
        changes={"reverses": [None, entry.pk], "amount_vnd": [None, signed]},
        summary=reason.strip(),
    )  # fmt: skip
    return reversal
