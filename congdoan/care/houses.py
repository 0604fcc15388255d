"""House grants (Mái ấm Công đoàn): a case for a member in hardship, proposed by a unit (often
to the province's house fund), approved with an amount, built and handed over, paid for by
several funds (a grant entry in each fund's ledger) and sponsors.

Reads go through the user's reach (`congdoan.org.access`): a case belongs to the unit that
proposed it. Every write is one transaction, validated and audited; a case only moves forward
(proposed → approved → building → handed over), or is cancelled before it is handed over.
"""

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, vnd
from congdoan.members.models import Member, MemberStatus
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import Unit

from .funds import check_amount, entry_record, entry_reverse
from .models import (
    EntryKind,
    Fund,
    FundEntry,
    FundKind,
    HouseCase,
    HouseContribution,
    HouseKind,
    HouseStatus,
)

# What a house usually costs the union (DOMAIN.md §3): outside these the form warns, since a
# typing slip of one zero is the usual cause, but a real case may need more or less.
USUAL_VND = {
    HouseKind.BUILD: (50_000_000, 70_000_000),
    HouseKind.REPAIR: (20_000_000, 40_000_000),
}
# Funds a case may be proposed to, and funds that may pay towards a house.
PROPOSAL_FUND_KINDS = [FundKind.HOUSE, FundKind.SOCIAL]
CONTRIBUTION_FUND_KINDS = [FundKind.HOUSE, FundKind.SOCIAL, FundKind.OTHER]
# The steps in the only order a case may take them.
STEPS = [HouseStatus.PROPOSED, HouseStatus.APPROVED, HouseStatus.BUILDING, HouseStatus.HANDED_OVER]
OPEN_FOR_MONEY = [HouseStatus.APPROVED, HouseStatus.BUILDING]


# ---------------------------------------------------------------------------------------------
# Reads


def houses_visible(user: AnyUser) -> QuerySet[HouseCase]:
    """Every case whose proposing unit the user reaches."""
    r = access.reach(user)
    qs = HouseCase.objects.all()
    if r.everything:
        return qs
    return qs.filter(access.path_q(r.paths(), "unit__path"))


def house_for_view(user: AnyUser, pk: int) -> HouseCase:
    case = (
        HouseCase.objects.select_related(
            "unit",
            "unit__parent",
            "member",
            "member__unit",
            "to_fund",
            "to_fund__unit",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None or not access.can_see(user, case.unit):
        raise Http404
    return case


def house_for_write(user: AnyUser, pk: int) -> HouseCase:
    """The case if the user may record things on it (write access to the proposing unit)."""
    case = house_for_view(user, pk)
    if not access.can_write(user, case.unit):
        raise Http404
    return case


def can_approve(user: AnyUser, case: HouseCase) -> bool:
    """Approval is decided by whoever keeps the fund the case is proposed to, or, with no fund
    named, by the union above the proposing unit."""
    if access.reach(user).everything:
        return True
    if case.to_fund_id is not None:
        return access.can_write(user, case.to_fund.unit)  # type: ignore[union-attr]
    return access.can_restructure(user, case.unit)


def allowed_actions(user: AnyUser, case: HouseCase) -> set[str]:
    """The steps this user may take on the case now."""
    writes = access.can_write(user, case.unit)
    approves = can_approve(user, case)
    status = case.status
    actions: set[str] = set()
    if status == HouseStatus.PROPOSED:
        if approves:
            actions.add("approve")
        if writes or approves:
            actions.add("cancel")
    elif status == HouseStatus.APPROVED:
        if writes or approves:
            actions.add("start")
        if approves:
            actions.add("cancel")
    elif status == HouseStatus.BUILDING:
        if writes or approves:
            actions.add("hand_over")
        if approves:
            actions.add("cancel")
    return actions


def in_subtree(unit: Unit) -> Q:
    return access.path_q([unit.path], "unit__path")


def in_year(year: int) -> Q:
    """Cases with any step (proposal, approval, start, hand-over) in `year`."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    q = Q()
    for field in ("proposed_on", "approved_on", "started_on", "handed_over_on"):
        q |= Q(**{f"{field}__gte": start, f"{field}__lte": end})
    return q


def houses_of(
    unit: Unit, *, status: str = "", kind: str = "", year: int | None = None
) -> QuerySet[HouseCase]:
    """The cases proposed by `unit`'s subtree, newest first, filtered."""
    qs = HouseCase.objects.filter(in_subtree(unit))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(in_year(year))
    return qs.order_by("-proposed_on", "-id")


def live_contributions() -> Q:
    """Contributions that still stand (their grant entry, if any, was not reversed)."""
    return Q(contributions__entry__isnull=True) | Q(contributions__entry__reversed_by__isnull=True)


def with_contributed(qs: QuerySet[HouseCase]) -> QuerySet[HouseCase]:
    """Cases annotated with `contributed_vnd`, the total of their standing contributions."""
    return qs.annotate(
        contributed_vnd=Coalesce(Sum("contributions__amount_vnd", filter=live_contributions()), 0)
    )


def contributions_of(case: HouseCase) -> list[HouseContribution]:
    """The case's contributions in date order, each with `returned` (its grant entry was
    reversed, so the money went back to the fund)."""
    return list(
        case.contributions.select_related("fund", "fund__unit", "entry")
        .annotate(returned=Exists(FundEntry.objects.filter(reverses=OuterRef("entry_id"))))
        .order_by("date", "id")
    )


def standing_vnd(rows: list[HouseContribution]) -> int:
    """The total of the contributions from `contributions_of` that were not returned."""
    return sum(int(c.amount_vnd) for c in rows if not getattr(c, "returned", False))


def contributed_vnd(case: HouseCase) -> int:
    return int(
        HouseContribution.objects.filter(case=case)
        .filter(Q(entry__isnull=True) | Q(entry__reversed_by__isnull=True))
        .aggregate(s=Sum("amount_vnd"))["s"]
        or 0
    )


def totals(qs: QuerySet[HouseCase]) -> dict[str, Any]:
    """Count and amount by status (in the order of the steps), and for all cases that were not
    cancelled."""
    rows = {
        r["status"]: (r["n"], int(r["amount"] or 0))
        for r in qs.order_by().values("status").annotate(n=Count("id"), amount=Sum("amount_vnd"))
    }
    by_status = [
        {"status": s, "label": s.label, "count": rows.get(s, (0, 0))[0],
         "amount_vnd": rows.get(s, (0, 0))[1]}
        for s in [*STEPS, HouseStatus.CANCELLED]
    ]  # fmt: skip
    live = [r for r in by_status if r["status"] != HouseStatus.CANCELLED]
    return {
        "by_status": by_status,
        "count": sum(r["count"] for r in live),
        "amount_vnd": sum(r["amount_vnd"] for r in live),
    }


def _chain_paths(unit: Unit) -> list[str]:
    """The paths of `unit` and every unit above it."""
    return [*unit.ancestor_paths(), unit.path]


def funds_for_proposal(unit: Unit) -> QuerySet[Fund]:
    """House and social funds of `unit` or a unit above it: where a case may be proposed."""
    return (
        Fund.objects.filter(kind__in=PROPOSAL_FUND_KINDS, unit__path__in=_chain_paths(unit))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def funds_for_contribution(user: AnyUser, case: HouseCase) -> QuerySet[Fund]:
    """Funds of the member's grassroots union or any unit above it that the user may pay
    from."""
    qs = Fund.objects.filter(
        kind__in=CONTRIBUTION_FUND_KINDS, unit__path__in=_chain_paths(case.member.unit)
    ).select_related("unit")
    r = access.reach(user)
    if not r.everything:
        qs = qs.filter(unit__in=access.units_writable(user))
    return qs.order_by("unit__path", "name")


def amount_warning(kind: str, amount_vnd: int) -> str:
    """A warning (not a refusal) when the amount is outside what a house usually gets."""
    low, high = USUAL_VND.get(HouseKind(kind), (0, 0)) if kind in HouseKind.values else (0, 0)
    if not low or low <= amount_vnd <= high:
        return ""
    if kind == HouseKind.BUILD:
        text = _("%(amount)s is outside the usual %(low)s to %(high)s for building a house; "
                 "check the amount.")  # fmt: skip
    else:
        text = _("%(amount)s is outside the usual %(low)s to %(high)s for repairing a house; "
                 "check the amount.")  # fmt: skip
    return text % {"amount": vnd(amount_vnd), "low": vnd(low), "high": vnd(high)}


# ---------------------------------------------------------------------------------------------
# Writes


def _check_day(day: Any, *, field: str, after: datetime.date | None, after_what: str) -> None:
    if not isinstance(day, datetime.date):
        raise ServiceError(_("Give the date (dd/mm/yyyy)."), field=field)
    if day > today():
        raise ServiceError(
            _("The date %(date)s is in the future.") % {"date": date_vi(day)}, field=field
        )
    if after is not None and day < after:
        raise ServiceError(
            _("The date %(date)s is before %(step)s (%(when)s).")
            % {"date": date_vi(day), "step": after_what, "when": date_vi(after)},
            field=field,
        )


def _check_step(case: HouseCase, wanted: HouseStatus, step: str) -> None:
    """A step may only be taken from the status just before it."""
    if case.status == HouseStatus.CANCELLED:
        raise ServiceError(_("This case was cancelled; nothing more can be recorded on it."))
    expected = STEPS[STEPS.index(wanted) - 1]
    if case.status != expected:
        raise ServiceError(
            _("“%(step)s” cannot be recorded on a case that is %(status)s: a case moves only "
              "forward, proposed → approved → building → handed over.")
            % {"step": step, "status": HouseStatus(case.status).label.lower()}
        )  # fmt: skip


def _locked(case: HouseCase) -> HouseCase:
    return (
        HouseCase.objects.select_for_update(of=("self",))
        .select_related("unit", "member", "member__unit", "to_fund")
        .get(pk=case.pk)
    )


@audited
def house_create(
    *,
    actor: Any,
    unit: Unit,
    member: Member,
    kind: str,
    amount_vnd: Any,
    proposed_on: Any,
    circumstances: str = "",
    to_fund: Fund | None = None,
    is_demo: bool = False,
) -> HouseCase:
    """Propose a house for a member of `unit`'s subtree, to a fund of `unit` or above it."""
    if kind not in HouseKind.values:
        raise ServiceError(_("Choose whether the house is built or repaired."), field="kind")
    amount = check_amount(amount_vnd, field="amount_vnd")
    if not unit.is_active:
        raise ServiceError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    member = Member.objects.select_related("unit").get(pk=member.pk)
    if not member.unit.path.startswith(unit.path):
        raise ServiceError(
            _("The person must belong to a union under %(unit)s.") % {"unit": unit.name},
            field="member",
        )
    if member.status != MemberStatus.ACTIVE:
        raise ServiceError(
            _("%(name)s is not a union member now; Union Shelter houses are for members.")
            % {"name": member.full_name},
            field="member",
        )
    _check_day(proposed_on, field="proposed_on", after=None, after_what="")
    if to_fund is not None and not funds_for_proposal(unit).filter(pk=to_fund.pk).exists():
        raise ServiceError(
            _("A case is proposed to a house or social fund of %(unit)s or a union above it.")
            % {"unit": unit.name},
            field="to_fund",
        )
    case = HouseCase.objects.create(
        unit=unit, member=member, kind=kind, amount_vnd=amount,
        circumstances=circumstances.strip(), to_fund=to_fund, proposed_on=proposed_on,
        created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
    )  # fmt: skip
    audit_record(
        actor=actor, action="house.create", target=case, unit_id=unit.pk,
        changes={"member": [None, member.pk], "kind": [None, kind], "amount_vnd": [None, amount],
                 "to_fund": [None, to_fund.pk if to_fund else None],
                 "proposed_on": [None, proposed_on], "status": [None, case.status]},
        summary=member.full_name,
    )  # fmt: skip
    return case


@audited
def house_approve(
    *,
    actor: Any,
    case: HouseCase,
    date: Any,
    decision_ref: str,
    amount_vnd: Any = None,
) -> HouseCase:
    """Approve a proposed case by decision, possibly with another amount."""
    case = _locked(case)
    _check_step(case, HouseStatus.APPROVED, _("Approved"))
    _check_day(date, field="date", after=case.proposed_on, after_what=_("the proposal"))
    decision_ref = (decision_ref or "").strip()
    if not decision_ref:
        raise ServiceError(_("Give the number of the approval decision."), field="decision_ref")
    amount = case.amount_vnd if amount_vnd in (None, "") else check_amount(amount_vnd)
    before = {"status": case.status, "amount_vnd": case.amount_vnd}
    case.status = HouseStatus.APPROVED
    case.approved_on = date
    case.decision_ref = decision_ref
    case.amount_vnd = amount
    case.save(update_fields=["status", "approved_on", "decision_ref", "amount_vnd"])
    changes: dict[str, Any] = {
        "status": [before["status"], case.status],
        "approved_on": [None, date],
        "decision_ref": [None, decision_ref],
    }
    if amount != before["amount_vnd"]:
        changes["amount_vnd"] = [before["amount_vnd"], amount]
    audit_record(actor=actor, action="house.approve", target=case, unit_id=case.unit_id,
                 changes=changes, summary=decision_ref)  # fmt: skip
    return case


@audited
def house_start(*, actor: Any, case: HouseCase, date: Any) -> HouseCase:
    """Building (or repair work) has started."""
    case = _locked(case)
    _check_step(case, HouseStatus.BUILDING, _("Building started"))
    _check_day(date, field="date", after=case.approved_on, after_what=_("the approval"))
    before = case.status
    case.status = HouseStatus.BUILDING
    case.started_on = date
    case.save(update_fields=["status", "started_on"])
    audit_record(actor=actor, action="house.start", target=case, unit_id=case.unit_id,
                 changes={"status": [before, case.status], "started_on": [None, date]})  # fmt: skip
    return case


@audited
def house_hand_over(*, actor: Any, case: HouseCase, date: Any) -> HouseCase:
    """The house was handed over to the family: the case is done."""
    case = _locked(case)
    _check_step(case, HouseStatus.HANDED_OVER, _("Handed over"))
    _check_day(date, field="date", after=case.started_on, after_what=_("the start of building"))
    before = case.status
    case.status = HouseStatus.HANDED_OVER
    case.handed_over_on = date
    case.save(update_fields=["status", "handed_over_on"])
    audit_record(actor=actor, action="house.hand_over", target=case, unit_id=case.unit_id,
                 changes={"status": [before, case.status],
                          "handed_over_on": [None, date]})  # fmt: skip
    return case


def _last_day(case: HouseCase) -> datetime.date:
    """The latest date recorded on the case (a step or a contribution)."""
    days = [d for d in (case.proposed_on, case.approved_on, case.started_on) if d]
    latest = HouseContribution.objects.filter(case=case).order_by("-date").first()
    if latest is not None:
        days.append(latest.date)
    return max(days)


@audited
def house_cancel(*, actor: Any, case: HouseCase, date: Any, reason: str) -> HouseCase:
    """Cancel a case that was not handed over. Money paid from funds goes back to them by
    reversing entries dated `date` (the ledger keeps both); sponsors' gifts stay recorded."""
    case = _locked(case)
    if case.status == HouseStatus.HANDED_OVER:
        raise ServiceError(_("A house that was handed over cannot be cancelled."))
    if case.status == HouseStatus.CANCELLED:
        raise ServiceError(_("This case was already cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the case is cancelled."), field="reason")
    _check_day(date, field="date", after=_last_day(case), after_what=_("the last step recorded"))
    returned = 0
    for contribution in HouseContribution.objects.filter(
        case=case, entry__isnull=False, entry__reversed_by__isnull=True
    ).select_related("entry"):
        entry_reverse(actor=actor, entry=contribution.entry, date=date,  # type: ignore[arg-type]
                      reason=reason)  # fmt: skip
        returned += contribution.amount_vnd
    before = case.status
    case.status = HouseStatus.CANCELLED
    case.cancelled_on, case.cancel_reason = date, reason[:500]
    case.save(update_fields=["status", "cancelled_on", "cancel_reason"])
    summary = f"{date_vi(date)}: {reason}"
    if returned:
        summary += " · " + _("%(amount)s returned to the funds") % {"amount": vnd(returned)}
    audit_record(actor=actor, action="house.cancel", target=case, unit_id=case.unit_id,
                 changes={"status": [before, case.status]}, summary=summary)  # fmt: skip
    return case


@audited
def house_contribution_add(
    *,
    actor: Any,
    case: HouseCase,
    amount_vnd: Any,
    date: Any,
    fund: Fund | None = None,
    sponsor: str = "",
    reference: str = "",
) -> HouseContribution:
    """Money towards an approved house: from a fund (a grant entry in its ledger, refused if
    the fund lacks the money) or from a sponsor by name. Contributions together may not exceed
    the approved amount."""
    case = _locked(case)
    if case.status not in OPEN_FOR_MONEY:
        raise ServiceError(
            _("Contributions are recorded for approved cases and houses being built; this case "
              "is %(status)s.") % {"status": HouseStatus(case.status).label.lower()}
        )  # fmt: skip
    sponsor = (sponsor or "").strip()
    if (fund is None) == (not sponsor):
        raise ServiceError(_("Choose a fund or name a sponsor (one of the two)."), field="fund")
    amount = check_amount(amount_vnd, field="amount_vnd")
    _check_day(date, field="date", after=case.approved_on, after_what=_("the approval"))
    given = contributed_vnd(case)
    if given + amount > case.amount_vnd:
        raise ServiceError(
            _("Contributions would come to %(total)s, more than the %(amount)s approved; "
              "%(left)s remain to be given.")
            % {"total": vnd(given + amount), "amount": vnd(case.amount_vnd),
               "left": vnd(case.amount_vnd - given)},
            field="amount_vnd",
        )  # fmt: skip
    entry = None
    if fund is not None:
        if not Fund.objects.filter(
            pk=fund.pk,
            kind__in=CONTRIBUTION_FUND_KINDS,
            unit__path__in=_chain_paths(case.member.unit),
        ).exists():
            raise ServiceError(
                _("A house is paid from a fund of the member's union or a union above it."),
                field="fund",
            )
        entry = entry_record(
            actor=actor, fund=fund, kind=EntryKind.GRANT, amount_vnd=amount, date=date,
            counterpart=case.member.full_name, reference=(reference or case.decision_ref),
            note=_("Union Shelter house"), house=case,
        )  # fmt: skip
    contribution = HouseContribution.objects.create(
        case=case, fund=fund, sponsor=sponsor, amount_vnd=amount, date=date, entry=entry
    )
    audit_record(
        actor=actor, action="house.contribution", target=contribution, unit_id=case.unit_id,
        changes={"fund": [None, fund.pk if fund else None], "sponsor": [None, sponsor],
                 "amount_vnd": [None, amount], "date": [None, date]},
        summary=fund.name if fund else sponsor,
    )  # fmt: skip
    return contribution
