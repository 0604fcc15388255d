"""Care figures of a unit's subtree for a period: people supported, support given by programme,
houses, loans and donations, as report prose and `stats` need them.

The subtree is the tree as it stood at the end of the period (a district dissolved since still
has its year's figures); a record belongs to it through its unit (the unit that gave a support,
proposed a house case or a loan; the unit whose members gave a donation).
Every figure is an aggregate over a path range (or the subtree's units on a past day), so the
cost is a handful of queries whatever the size of the subtree.
"""

import datetime
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from congdoan.members.services import today
from congdoan.org import figures_cache, queries
from congdoan.org.models import Level, Unit
from congdoan.org.queries import Subtree

from .models import (
    EntryKind,
    FundEntry,
    HouseCase,
    HouseKind,
    HouseStatus,
    Loan,
    LoanInstalment,
    LoanRepayment,
    Support,
    SupportItem,
    SupportStatus,
)

# The keys of the `care` object of `stats` and of the API, in the order they are printed.
CARE_KEYS = (
    "people_supported",
    "support_acts",
    "cash_vnd",
    "in_kind_vnd",
    "in_kind_items",
    "voucher_vnd",
    "support_vnd",
    "grassroots_units_supported",
    "by_programme",
    "houses",
    "houses_vnd",
    "houses_build",
    "houses_repair",
    "houses_handed_over",
    "houses_proposed",
    "loans_granted",
    "loans_disbursed_vnd",
    "loans_outstanding_vnd",
    "loans_overdue",
    "loans_overdue_vnd",
    "donations_vnd",
)


def _sum(field_name: Any, **kwargs: Any) -> Coalesce:
    return Coalesce(Sum(field_name, **kwargs), Value(0), output_field=IntegerField())


def _support_figures(sub: Subtree, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Support PAID in the period by the subtree's units (a reversed case no longer counts)."""
    paid = Support.objects.filter(
        sub.q("unit"), status=SupportStatus.PAID, date__gte=start, date__lte=end
    )
    totals = paid.aggregate(
        people_supported=Count("person_no", distinct=True),
        support_acts=Count("id"),
        cash_vnd=_sum("cash_vnd"),
        in_kind_vnd=_sum("in_kind_vnd"),
        voucher_vnd=_sum("voucher_vnd"),
        grassroots_units_supported=Count(
            "person_unit", distinct=True, filter=Q(person_unit__level=Level.GRASSROOTS)
        ),
    )
    rows = (
        paid.values("programme_id", "programme__name", "programme__start")
        .annotate(
            people=Count("person_no", distinct=True),
            acts=Count("id"),
            cash=_sum("cash_vnd"),
            in_kind=_sum("in_kind_vnd"),
            voucher=_sum("voucher_vnd"),
        )
        .order_by("programme__start", "programme__name", "programme_id")
    )
    by_programme = [
        {
            "programme_id": r["programme_id"],
            "name": r["programme__name"],
            "people": r["people"],
            "acts": r["acts"],
            "cash_vnd": r["cash"],
            "in_kind_vnd": r["in_kind"],
            "voucher_vnd": r["voucher"],
            "support_vnd": r["cash"] + r["in_kind"] + r["voucher"],
        }
        for r in rows
    ]
    # Gifts in kind counted one by one (bags of rice, boxes of milk): "hàng chục nghìn nhu yếu
    # phẩm".
    items = SupportItem.objects.filter(support__in=paid).aggregate(n=_sum("quantity"))["n"]
    return {
        "people_supported": totals["people_supported"],
        "support_acts": totals["support_acts"],
        "cash_vnd": totals["cash_vnd"],
        "in_kind_vnd": totals["in_kind_vnd"],
        "in_kind_items": items,
        "voucher_vnd": totals["voucher_vnd"],
        "support_vnd": totals["cash_vnd"] + totals["in_kind_vnd"] + totals["voucher_vnd"],
        "grassroots_units_supported": totals["grassroots_units_supported"],
        "by_programme": by_programme,
    }


def _house_figures(sub: Subtree, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Houses approved in the period (not cancelled), handed over in it, and proposed in it
    but still waiting for a decision at its end."""
    approved = Q(approved_on__gte=start, approved_on__lte=end) & ~Q(status=HouseStatus.CANCELLED)
    waiting = Q(proposed_on__gte=start, proposed_on__lte=end) & (
        Q(approved_on__gt=end) | Q(approved_on__isnull=True, status=HouseStatus.PROPOSED)
    )
    handed_over = Q(
        status=HouseStatus.HANDED_OVER, handed_over_on__gte=start, handed_over_on__lte=end
    )
    return HouseCase.objects.filter(sub.q("unit")).aggregate(
        houses=Count("id", filter=approved),
        houses_vnd=_sum("amount_vnd", filter=approved),
        houses_build=Count("id", filter=approved & Q(kind=HouseKind.BUILD)),
        houses_repair=Count("id", filter=approved & Q(kind=HouseKind.REPAIR)),
        houses_handed_over=Count("id", filter=handed_over),
        houses_proposed=Count("id", filter=waiting),
    )


def _loan_figures(sub: Subtree, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Loans disbursed in the period; what the subtree's borrowers owe at its end (principal
    disbursed minus principal repaid); loans in arrears at its end (principal due by then is
    more than principal repaid by then). "At its end" is today for a period not yet over."""
    at = min(end, today())
    due = (
        LoanInstalment.objects.filter(loan=OuterRef("pk"), due_on__lte=at)
        .values("loan")
        .annotate(s=Sum("principal_vnd"))
        .values("s")
    )
    repaid = (
        LoanRepayment.objects.filter(loan=OuterRef("pk"), date__lte=at, reversed_on__isnull=True)
        .values("loan")
        .annotate(s=Sum("principal_vnd"))
        .values("s")
    )
    zero = Value(0, output_field=IntegerField())
    loans = Loan.objects.filter(
        sub.q("unit"), disbursed_on__isnull=False, disbursed_on__lte=end
    ).annotate(
        due=Coalesce(Subquery(due, output_field=IntegerField()), zero),
        repaid=Coalesce(Subquery(repaid, output_field=IntegerField()), zero),
    )
    in_period = Q(disbursed_on__gte=start)
    late = Q(due__gt=F("repaid"))
    figures = loans.aggregate(
        loans_granted=Count("id", filter=in_period),
        loans_disbursed_vnd=_sum("amount_vnd", filter=in_period),
        lent=_sum("amount_vnd"),
        repaid_total=_sum("repaid"),
        loans_overdue=Count("id", filter=late),
        loans_overdue_vnd=_sum(F("due") - F("repaid"), filter=late),
    )
    return {
        "loans_granted": figures["loans_granted"],
        "loans_disbursed_vnd": figures["loans_disbursed_vnd"],
        "loans_outstanding_vnd": figures["lent"] - figures["repaid_total"],
        "loans_overdue": figures["loans_overdue"],
        "loans_overdue_vnd": figures["loans_overdue_vnd"],
    }


def _donations(sub: Subtree, start: datetime.date, end: datetime.date) -> int:
    """What the subtree's members gave to funds in the period: donations whose source is a
    unit of the subtree, less the reversals of such donations dated in the period."""
    entries = FundEntry.objects.filter(sub.q("source_unit"), date__gte=start, date__lte=end).filter(
        Q(kind=EntryKind.DONATION) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.DONATION)
    )
    return int(entries.aggregate(s=_sum("amount_vnd"))["s"])


def care_figures(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The care figures of `unit`'s subtree for the period [start, end] (both days included),
    keyed as `CARE_KEYS`. Six queries whatever the number of records, and up to three to find
    the subtree as it stood at the end of a past period."""
    sub = queries.subtree_on(unit, end)
    figures: dict[str, Any] = {}
    figures.update(_support_figures(sub, start, end))
    figures.update(_house_figures(sub, start, end))
    figures.update(_loan_figures(sub, start, end))
    figures["donations_vnd"] = _donations(sub, start, end)
    return {key: figures[key] for key in CARE_KEYS}


# The audit actions of care writes (programme.create, support.pay, fund.entry, loan.repayment...).
CARE_ACTIONS = ("programme.", "support.", "house.", "fund.", "loan.")


def care_written(action: str, unit_id: int | None) -> None:
    """Told of every audited write: a care write makes its province's care figures stale."""
    if action.startswith(CARE_ACTIONS):
        figures_cache.bump("care", [unit_id])


def care_figures_cached(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """`care_figures`, kept until a care write in the unit's province (or a change of the tree)
    makes them stale. A province's year at national scale takes seconds to count; a page or a
    report asks for it again and again. (What is overdue depends on today: part of the key.)"""
    return figures_cache.cached(
        "care",
        unit,
        (start.isoformat(), end.isoformat(), min(end, today()).isoformat()),
        lambda: care_figures(unit, start, end),
    )


def care_section(unit: Unit, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The `care` object of `stats` and of the API: the period, then the figures."""
    figures = care_figures_cached(unit, start, end)
    return {"from": start.isoformat(), "to": end.isoformat(), **figures}


def year_start(day: datetime.date) -> datetime.date:
    return day.replace(month=1, day=1)
