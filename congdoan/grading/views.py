"""The grading pages: a unit's grading (its scorecards, the units it reviews, grade distribution
and bloc ranking; or its own assessments), the scorecard editor, and the assessment form.
Thin: access → form → service → redirect."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_trail
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import LEVEL_RANK, Level, Unit

from . import assessments, figures, scorecards
from .forms import (
    CopyForm,
    CriterionForm,
    GroupForm,
    ReasonForm,
    ReviewForm,
    ScorecardForm,
    SelfForm,
    YearForm,
)
from .models import Assessment, AssessmentStatus, Scorecard, ScorecardStatus
from .scoring import TOTAL_TENTHS

PAGE_SIZE = 50


def _default_year(unit: Unit) -> int:
    """The latest year a scorecard that the unit sees was made for (up to this year); without
    one, the year before (grading is done early in the year for the year before)."""
    latest = (
        Scorecard.objects.filter(
            owner__path__in=[*unit.ancestor_paths(), unit.path], year__lte=today().year
        )
        .filter(Q(owner=unit) | Q(status=ScorecardStatus.PUBLISHED))
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return int(latest) if latest is not None else today().year - 1


def _owns_scorecards(unit: Unit) -> bool:
    return LEVEL_RANK[Level(unit.level)] < LEVEL_RANK[Level.GRASSROOTS]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The grading of the user's (first) top unit."""
    top = access.top_units(request.user).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("unit_grading", pk=top.pk)


@login_required
def unit_grading(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = YearForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    year = f.get("year") or _default_year(unit)
    if not request.GET:
        form = YearForm(initial={"year": year})
    status = f.get("status") or ""
    writes = access.can_write(request.user, unit)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "year": year,
        "status": status,
        "can_write": writes,
        "is_upper": _owns_scorecards(unit),
    }
    if context["is_upper"]:
        card = (
            Scorecard.objects.filter(
                owner__path__in=[*unit.ancestor_paths(), unit.path],
                year=year,
                level=Level.GRASSROOTS,
            )
            .filter(Q(owner=unit) | Q(status=ScorecardStatus.PUBLISHED))
            .select_related("owner")
            .order_by("-owner__depth")
            .first()
        )
        context["scorecards"] = list(scorecards.scorecards_owned(unit))
        context["card"] = card
        if card is not None:
            page = Paginator(assessments.review_list(unit, card, status=status), PAGE_SIZE)
            context["page"] = page.get_page(request.GET.get("page"))
        day = min(datetime.date(year, 12, 31), today())
        context["distribution"] = figures.distribution(unit, year, day)
        ranking = figures.bloc_ranking(unit, year)
        # Without any bloc there is nothing to rank in: the list above already has every unit.
        context["ranking"] = ranking if any(g.id is not None for g in ranking) else []
        params = request.GET.copy()
        params.pop("page", None)
        context["base_query"] = params.urlencode()
    else:
        own = assessments.history_of(unit)
        context["history"] = list(own)
        context["current"] = next((a for a in context["history"] if a.year == year), None)
        context["card"] = scorecards.scorecard_for(unit, year)
        context["can_start"] = (
            writes
            and context["current"] is None
            and context["card"] is not None
            and scorecards.applies_to(context["card"], unit)
        )
    return render(request, "grading/unit_grading.html", context)


# ---------------------------------------------------------------------------------------------
# Scorecards


def _card_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": d["title"],
        "excellent_min_tenths": d["excellent_min_tenths"],
        "good_min_tenths": d["good_min_tenths"],
        "pass_min_tenths": d["pass_min_tenths"],
        "strong_from": d["strong_from"],
    }


@login_required
def scorecard_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    if not _owns_scorecards(unit) or not unit.is_active:
        raise Http404
    form = ScorecardForm(request.POST or None, initial={"title": _("Grassroots union scorecard")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        card = run_service(
            form,
            lambda: scorecards.scorecard_create(
                actor=user_of(request), owner=unit, year=d["year"], **_card_values(d)
            ),
        )
        if card is not None:
            messages.success(request, _("The scorecard was created; add its criteria."))
            return redirect("scorecard_detail", pk=card.pk)
    return render(request, "grading/scorecard_form.html", {"form": form, "unit": unit})


@login_required
def scorecard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = scorecards.scorecard_for_view(request.user, pk)
    writes = access.can_write(request.user, card.owner)
    sums = scorecards.totals(card)
    context = {
        "card": card,
        "unit": card.owner,
        "structure": scorecards.structure(card),
        "total_tenths": sums["total_tenths"],
        "count": sums["count"],
        "complete": sums["total_tenths"] == TOTAL_TENTHS,
        "can_write": writes,
        "editable": writes and card.status == ScorecardStatus.DRAFT,
        "started": Assessment.objects.filter(scorecard=card).count(),
        "copy_form": CopyForm(initial={"year": card.year + 1}),
        "indicators": dict(scorecards.indicator_choices()),
        "audit": audit_trail([card], limit=100, with_summary=True) if writes else [],
    }
    return render(request, "grading/scorecard_detail.html", context)


@login_required
def scorecard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = scorecards.scorecard_for_write(request.user, pk)
    if card.status != ScorecardStatus.DRAFT:
        raise Http404
    initial = {
        "title": card.title,
        "excellent_min_tenths": card.excellent_min_tenths,
        "good_min_tenths": card.good_min_tenths,
        "pass_min_tenths": card.pass_min_tenths,
        "strong_from": card.strong_from,
    }
    form = ScorecardForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: scorecards.scorecard_update(
                actor=user_of(request), card=card, **_card_values(form.cleaned_data)
            ),
        )
        if done is not None:
            messages.success(request, _("The scorecard was saved."))
            return redirect("scorecard_detail", pk=card.pk)
    return render(
        request, "grading/scorecard_form.html", {"form": form, "unit": card.owner, "card": card}
    )


@login_required
@require_POST
def scorecard_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, back to draft, copy to another year, or delete."""
    card = scorecards.scorecard_for_write(request.user, pk)
    action = request.POST.get("action", "")
    actor = user_of(request)
    try:
        if action == "publish":
            scorecards.scorecard_publish(actor=actor, card=card)
            messages.success(
                request, _("The scorecard was published; the units can now assess themselves.")
            )
        elif action == "unpublish":
            scorecards.scorecard_unpublish(actor=actor, card=card)
            messages.success(request, _("The scorecard is a draft again."))
        elif action == "copy":
            form = CopyForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the year of the copy."))
                return redirect("scorecard_detail", pk=card.pk)
            copy = scorecards.scorecard_copy(actor=actor, card=card, year=form.cleaned_data["year"])
            messages.success(request, _("The scorecard was copied; check it and publish it."))
            return redirect("scorecard_detail", pk=copy.pk)
        elif action == "delete":
            scorecards.scorecard_delete(actor=actor, card=card)
            messages.success(request, _("The scorecard was deleted."))
            return redirect("unit_grading", pk=card.owner_id)
        else:
            raise Http404
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("scorecard_detail", pk=card.pk)


def _editable_card(request: HttpRequest, pk: int) -> Scorecard:
    card = scorecards.scorecard_for_write(request.user, pk)
    if card.status != ScorecardStatus.DRAFT:
        raise Http404
    return card


@login_required
def group_create(request: HttpRequest, pk: int) -> HttpResponse:
    card = _editable_card(request, pk)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        group = run_service(
            form,
            lambda: scorecards.group_save(
                actor=user_of(request),
                card=card,
                number=d["number"],
                title=d["title"],
                order=d.get("order"),
            ),
        )
        if group is not None:
            return redirect("scorecard_detail", pk=card.pk)
    return render(
        request,
        "grading/item_form.html",
        {"form": form, "card": card, "heading": _("New group of criteria")},
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = scorecards.group_for_write(request.user, pk)
    card = _editable_card(request, group.scorecard_id)
    form = GroupForm(
        request.POST or None,
        initial={"number": group.number, "title": group.title, "order": group.order},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: scorecards.group_save(
                actor=user_of(request),
                card=card,
                group=group,
                number=d["number"],
                title=d["title"],
                order=d.get("order"),
            ),
        )
        if done is not None:
            return redirect("scorecard_detail", pk=card.pk)
    return render(
        request,
        "grading/item_form.html",
        {
            "form": form,
            "card": card,
            "heading": str(group),
            "delete_url": "group_delete",
            "item": group,
        },
    )


@login_required
@require_POST
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = scorecards.group_for_write(request.user, pk)
    card = _editable_card(request, group.scorecard_id)
    scorecards.group_delete(actor=user_of(request), group=group)
    messages.success(request, _("The group and its criteria were deleted."))
    return redirect("scorecard_detail", pk=card.pk)


def _criterion_form(
    request: HttpRequest, card: Scorecard, initial: dict[str, Any]
) -> CriterionForm:
    return CriterionForm(
        request.POST or None, card=card, initial=initial, indicators=scorecards.indicator_choices()
    )


@login_required
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    card = _editable_card(request, pk)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("group", "")
    if chosen.isdigit():
        initial["group"] = int(chosen)
    form = _criterion_form(request, card, initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: scorecards.criterion_save(
                actor=user_of(request),
                card=card,
                group=d["group"],
                code=d["code"],
                text=d["text"],
                max_tenths=d["max_tenths"],
                order=d.get("order"),
                source=d["source"],
                indicator_key=d.get("indicator_key") or "",
            ),
        )
        if done is not None:
            if "another" in request.POST:
                return redirect(f"{request.path}?group={d['group'].pk}")
            return redirect("scorecard_detail", pk=card.pk)
    return render(
        request,
        "grading/item_form.html",
        {"form": form, "card": card, "heading": _("New criterion"), "another": True},
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = scorecards.criterion_for_write(request.user, pk)
    card = _editable_card(request, criterion.scorecard_id)
    initial = {
        "group": criterion.group_id,
        "code": criterion.code,
        "text": criterion.text,
        "max_tenths": criterion.max_tenths,
        "order": criterion.order,
        "source": criterion.source,
        "indicator_key": criterion.indicator_key,
    }
    form = _criterion_form(request, card, initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: scorecards.criterion_save(
                actor=user_of(request),
                card=card,
                criterion=criterion,
                group=d["group"],
                code=d["code"],
                text=d["text"],
                max_tenths=d["max_tenths"],
                order=d.get("order"),
                source=d["source"],
                indicator_key=d.get("indicator_key") or "",
            ),
        )
        if done is not None:
            return redirect("scorecard_detail", pk=card.pk)
    return render(
        request,
        "grading/item_form.html",
        {
            "form": form,
            "card": card,
            "heading": str(criterion),
            "delete_url": "criterion_delete",
            "item": criterion,
        },
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = scorecards.criterion_for_write(request.user, pk)
    card = _editable_card(request, criterion.scorecard_id)
    scorecards.criterion_delete(actor=user_of(request), criterion=criterion)
    messages.success(request, _("The criterion was deleted."))
    return redirect("scorecard_detail", pk=card.pk)


# ---------------------------------------------------------------------------------------------
# Assessments


@login_required
@require_POST
def assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = YearForm(request.POST)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if not year:
        raise Http404
    found = run_service(
        form, lambda: assessments.assessment_start(actor=user_of(request), unit=unit, year=year)
    )
    if found is None:
        for message in form.non_field_errors():
            messages.error(request, str(message))
        return redirect(f"{_unit_url(unit)}?year={year}")
    return redirect("assessment_detail", pk=found.pk)


def _unit_url(unit: Unit) -> str:
    from django.urls import reverse

    return reverse("unit_grading", args=[unit.pk])


def _assessment_page(
    request: HttpRequest,
    a: Assessment,
    *,
    self_form: Any = None,
    review_form: Any = None,
    reopen_form: Any = None,
) -> HttpResponse:
    rows = assessments.rows_of(a)
    may_self = assessments.can_self_assess(request.user, a) and a.status == AssessmentStatus.DRAFT
    may_review = assessments.can_review(request.user, a) and a.status == AssessmentStatus.SUBMITTED
    if may_self and self_form is None:
        self_form = SelfForm(rows=rows)
    if may_review and review_form is None:
        review_form = ReviewForm(rows=rows, assessment=a)
    for _group, group_rows in rows:
        for row in group_rows:
            pk = row.criterion.pk
            row.self_field = self_form[f"self_{pk}"] if may_self else None  # type: ignore[attr-defined]
            row.evidence_field = self_form[f"evidence_{pk}"] if may_self else None  # type: ignore[attr-defined]
            row.approved_field = review_form[f"approved_{pk}"] if may_review else None  # type: ignore[attr-defined]
            row.comment_field = review_form[f"comment_{pk}"] if may_review else None  # type: ignore[attr-defined]
    reviewer = assessments.can_review(request.user, a)
    stale = [f for f in (self_form, review_form) if f is not None and f.is_bound]
    errors = (
        [e for f in stale for e in f.non_field_errors()] if not (may_self or may_review) else []
    )
    context = {
        "a": a,
        "unit": a.unit,
        "card": a.scorecard,
        "rows": rows,
        "self_form": self_form if may_self else None,
        "review_form": review_form if may_review else None,
        "may_self": may_self,
        "may_review": may_review,
        "may_reopen": reviewer and a.status != AssessmentStatus.DRAFT,
        "may_delete": assessments.can_self_assess(request.user, a)
        and a.status == AssessmentStatus.DRAFT,
        "reopen_form": reopen_form or ReasonForm(),
        "max_total": TOTAL_TENTHS,
        "errors": errors,
        "audit": audit_trail([a], limit=100, with_summary=True),
    }
    return render(request, "grading/assessment.html", context)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, assessments.assessment_for_view(request.user, pk))


@login_required
@require_POST
def assessment_self(request: HttpRequest, pk: int) -> HttpResponse:
    a = assessments.assessment_for_self(request.user, pk)
    form = SelfForm(request.POST, rows=assessments.rows_of(a))
    submit = "submit" in request.POST
    if form.is_valid():
        done = run_service(
            form,
            lambda: assessments.assessment_self_save(
                actor=user_of(request), assessment=a, entries=form.entries(), submit=submit
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("The self-assessment was submitted to the union above.")
                if submit
                else _("The scores were saved."),
            )
            return redirect("assessment_detail", pk=a.pk)
    return _assessment_page(request, a, self_form=form)


@login_required
@require_POST
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    a = assessments.assessment_for_review(request.user, pk)
    form = ReviewForm(request.POST, rows=assessments.rows_of(a), assessment=a)
    approve = "approve" in request.POST
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: assessments.assessment_review(
                actor=user_of(request),
                assessment=a,
                entries=form.entries(),
                cap=d.get("cap") or "",
                cap_reason=d.get("cap_reason") or "",
                approve=approve,
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("The assessment was approved.") if approve else _("The review was saved."),
            )
            return redirect("assessment_detail", pk=a.pk)
    return _assessment_page(request, a, review_form=form)


@login_required
@require_POST
def assessment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    a = assessments.assessment_for_review(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: assessments.assessment_reopen(
                actor=user_of(request), assessment=a, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The assessment was reopened."))
            return redirect("assessment_detail", pk=a.pk)
    return _assessment_page(request, a, reopen_form=form)


@login_required
@require_POST
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    a = assessments.assessment_for_self(request.user, pk)
    try:
        assessments.assessment_delete(actor=user_of(request), assessment=a)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("assessment_detail", pk=a.pk)
    messages.success(request, _("The self-assessment was deleted."))
    return redirect(f"{_unit_url(a.unit)}?year={a.year}")
