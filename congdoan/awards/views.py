"""The awards pages (thin: access → form → service → redirect or render)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_trail
from congdoan.core.downloads import download
from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.members import queries as member_queries
from congdoan.org import access
from congdoan.org.models import Unit

from . import documents, eligibility, figures, queries, services
from .forms import (
    AwardFormForm,
    BatchForm,
    DecisionForm,
    DisciplineForm_,
    NomineeEditForm,
    NomineeForm,
    PeriodForm,
    ReasonForm,
    RecipientForm,
    RecipientsFilterForm,
    ReviewForm,
    RevokeForm,
    RuleForm,
    YearFilterForm,
    members_of,
    options_url,
)
from .models import Authority, AwardForm, BatchStatus, DecisionStatus, Review

PAGE_SIZE = 50


# --- home and a unit's page ------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    top = access.top_units(request.user).order_by("path").first()
    if top is None:
        raise Http404
    return redirect("unit_awards", pk=top.pk)


@login_required
def unit_awards(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = YearFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    writes = access.can_write(request.user, unit)
    context = {
        "unit": unit,
        "form": form,
        "decisions": list(queries.decisions_of(unit, year=year)[:100]),
        "batches": list(queries.batches_of(unit, year)[:100]),
        "to_review": list(queries.batches_to_review(unit, year)[:100]),
        "can_write": writes,
        "can_decide": writes
        and any(unit.level in levels for levels in services.AUTHORITY_LEVELS.values()),
    }
    return render(request, "awards/unit_awards.html", context)


@login_required
def award_member_options(request: HttpRequest, pk: int) -> HttpResponse:
    """Members of the unit's subtree matching the text typed, as <option>s (htmx)."""
    unit = access.unit_for_write(request.user, pk)
    text = request.GET.get("member", "").strip()
    found = []
    if len(text) >= 2:
        found = list(
            member_queries.search(members_of(unit), text)
            .select_related("unit")
            .order_by("sort_key", "id")[:20]
        )
    return render(request, "awards/_member_options.html", {"members": found})


# --- figures ---------------------------------------------------------------------------------


@login_required
def unit_award_figures(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_view(request.user, pk)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    rows = figures.awards_figures(unit, start, end)
    for row in rows:
        row["authority_label"] = Authority(row["authority"]).label
    context = {
        "unit": unit,
        "form": form,
        "start": start,
        "end": end,
        "rows": rows,
        "collectives": sum(r["collectives"] for r in rows),
        "individuals": sum(r["individuals"] for r in rows),
        "period_query": f"start={start:%d/%m/%Y}&end={end:%d/%m/%Y}",
    }
    return render(request, "awards/unit_figures.html", context)


@login_required
def unit_award_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    """The recipients behind a number of the figures page."""
    unit = access.unit_for_view(request.user, pk)
    form = RecipientsFilterForm(request.GET or None)
    start, end = form.period()
    f = form.cleaned_data if form.is_valid() else {}
    qs = figures.recipients_in(unit, start, end)
    if f.get("form"):
        qs = qs.filter(decision__form_id=f["form"])
    if f.get("kind") == "collective":
        qs = qs.filter(unit__isnull=False)
    elif f.get("kind") == "individual":
        qs = qs.filter(member__isnull=False)
    qs = qs.select_related("decision", "decision__form", "decision__unit").order_by(
        "-decision__date", "decision_id", "member_id", "id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    chosen = AwardForm.objects.filter(pk=f["form"]).first() if f.get("form") else None
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "start": start,
        "end": end,
        "chosen": chosen,
        "base_query": params.urlencode(),
    }
    return render(request, "awards/unit_recipients.html", context)


# --- catalogue -------------------------------------------------------------------------------


@login_required
def award_form_list(request: HttpRequest) -> HttpResponse:
    """The national catalogue and the forms added by the units the user sees (or above them)."""
    visible = AwardForm.objects.filter(unit__isnull=True) | AwardForm.objects.filter(
        access.seen_from_below_q(request.user, "unit__path"), unit__isnull=False
    )
    rows = list(visible.select_related("unit").prefetch_related("rules", "rules__lower_form"))
    for row in rows:
        row.rule_texts = [eligibility.describe(r) for r in row.rules.all()]  # type: ignore[attr-defined]
    context = {
        "forms": rows,
        "writable": list(access.units_writable(request.user).order_by("path")[:1]),
    }
    return render(request, "awards/form_list.html", context)


@login_required
def award_form_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = AwardFormForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = run_service(
            form,
            lambda: services.form_create(
                actor=user_of(request),
                unit=unit,
                code=d["code"],
                name=d["name"],
                kind=d["kind"],
                authority=d["authority"],
                recipients=d["recipients"],
                phrase=d["phrase"],
                rank=d["rank"] or 0,
            ),
        )
        if created is not None:
            messages.success(request, _("The award form was added."))
            return redirect("award_form_detail", pk=created.pk)
    return render(request, "awards/form_form.html", {"form": form, "unit": unit})


def _form_detail(
    request: HttpRequest, award_form: AwardForm, rule_form: Any = None
) -> HttpResponse:
    rules = list(award_form.rules.select_related("lower_form"))
    editable = queries.can_edit_form(request.user, award_form)
    usable = (
        services.forms_for(award_form.unit)
        if award_form.unit
        else AwardForm.objects.filter(unit__isnull=True)
    ).exclude(pk=award_form.pk)
    context = {
        "award_form": award_form,
        "rules": [(r, eligibility.describe(r)) for r in rules],
        "can_edit": editable,
        "rule_form": rule_form or RuleForm(forms_qs=usable),
        "trail": audit_trail([award_form], limit=100, with_summary=True),
    }
    return render(request, "awards/form_detail.html", context)


@login_required
def award_form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The form and its rules; a POST adds a rule."""
    if request.method != "POST":
        return _form_detail(request, queries.form_for_view(request.user, pk))
    award_form = queries.form_for_write(request.user, pk)
    usable = (
        services.forms_for(award_form.unit)
        if award_form.unit
        else AwardForm.objects.filter(unit__isnull=True)
    ).exclude(pk=award_form.pk)
    form = RuleForm(request.POST, forms_qs=usable)
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.rule_add(
                actor=user_of(request),
                form=award_form,
                kind=d["kind"],
                applies_to=d["applies_to"],
                grade=d.get("grade") or "",
                number=d.get("number"),
                lower_form=d.get("lower_form"),
            ),
        )
        if done is not None:
            messages.success(request, _("The rule was added."))
            return redirect("award_form_detail", pk=award_form.pk)
    return _form_detail(request, award_form, form)


@login_required
def award_form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    award_form = queries.form_for_write(request.user, pk)
    initial = {
        k: getattr(award_form, k)
        for k in ("name", "kind", "authority", "recipients", "phrase", "rank", "is_active")
    }
    form = AwardFormForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        run_service(
            form,
            lambda: services.form_update(
                actor=user_of(request), form=award_form, **{**d, "rank": d["rank"] or 0}
            ),
        )
        if not form.errors:
            messages.success(request, _("The award form was changed."))
            return redirect("award_form_detail", pk=award_form.pk)
    return render(
        request,
        "awards/form_form.html",
        {"form": form, "award_form": award_form, "unit": award_form.unit},
    )


@login_required
@require_POST
def award_rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = queries.rule_for_write(request.user, pk)
    services.rule_delete(actor=user_of(request), rule=rule)
    messages.success(request, _("The rule was removed."))
    return redirect("award_form_detail", pk=rule.form_id)


# --- disciplines -----------------------------------------------------------------------------


@login_required
def unit_disciplines(request: HttpRequest, pk: int) -> HttpResponse:
    """Disciplines of the subtree's members; a POST records one."""
    unit = access.unit_for_view(request.user, pk)
    writes = access.can_write(request.user, unit)
    if request.method == "POST" and not writes:
        raise Http404
    form = (
        DisciplineForm_(
            request.POST if request.method == "POST" else None,
            root=unit,
            options_url=options_url(unit),
        )
        if writes
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.discipline_record(
                actor=user_of(request),
                unit=unit,
                member=d["member"],
                date=d["date"],
                form=d["form"],
                decision_ref=d["decision_ref"],
                reason=d.get("reason") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The discipline was recorded."))
            return redirect("unit_disciplines", pk=unit.pk)
    page = Paginator(queries.disciplines_of(unit), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"unit": unit, "form": form, "page": page, "delete_form": ReasonForm()}
    return render(request, "awards/disciplines.html", context)


@login_required
@require_POST
def discipline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = queries.discipline_for_write(request.user, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    done = run_service(
        form,
        lambda: services.discipline_delete(actor=user_of(request), discipline=row, reason=reason),
    )
    if done is None and form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    else:
        messages.success(request, _("The discipline record was removed."))
    return redirect("unit_disciplines", pk=row.unit_id)


# --- nominations -----------------------------------------------------------------------------


@login_required
def batch_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = BatchForm(request.POST or None, forms_qs=services.forms_for(unit))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        batch = run_service(
            form,
            lambda: services.batch_create(
                actor=user_of(request),
                unit=unit,
                form=d["form"],
                year=d["year"],
                date=d["date"],
                number=d.get("number") or "",
                note=d.get("note") or "",
            ),
        )
        if batch is not None:
            messages.success(request, _("The proposal was created; add its nominees."))
            return redirect("batch_detail", pk=batch.pk)
    return render(request, "awards/batch_form.html", {"form": form, "unit": unit})


@login_required
def batch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = queries.batch_for_write(request.user, pk)
    initial = {"number": batch.number, "date": batch.date, "note": batch.note}
    form = BatchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.batch_update(
                actor=user_of(request),
                batch=batch,
                date=d["date"],
                number=d.get("number") or "",
                note=d.get("note") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The proposal was changed."))
            return redirect("batch_detail", pk=batch.pk)
    return render(
        request, "awards/batch_form.html", {"form": form, "unit": batch.unit, "batch": batch}
    )


def _batch_page(
    request: HttpRequest,
    batch: Any,
    *,
    nominee_form: Any = None,
    review: tuple[int, Any] | None = None,
    error_form: Any = None,
) -> HttpResponse:
    writes = access.can_write(request.user, batch.unit)
    reviews = queries.can_review(request.user, batch)
    nominees = list(
        batch.nominees.select_related("unit", "member", "member__unit", "reviewed_by").order_by(
            "id"
        )
    )
    draft = batch.status == BatchStatus.DRAFT
    decided = set(
        services.live_recipients().filter(nominee__batch=batch).values_list("nominee_id", flat=True)
    )
    for n in nominees:
        n.on_decision = n.pk in decided
        n.review_form = review[1] if review and review[0] == n.pk else ReviewForm(prefix=f"r{n.pk}")
    context = {
        "batch": batch,
        "nominees": nominees,
        "can_edit": writes and draft,
        "can_withdraw": writes
        and batch.status in (BatchStatus.DRAFT, BatchStatus.SUBMITTED)
        and all(n.review == Review.PENDING for n in nominees),
        "can_review": reviews and batch.status in (BatchStatus.SUBMITTED, BatchStatus.REVIEWED),
        "nominee_form": nominee_form
        or (
            NomineeForm(root=batch.unit, options_url=options_url(batch.unit))
            if writes and draft
            else None
        ),
        "withdraw_form": ReasonForm(prefix="withdraw"),
        "error_form": error_form,
        "rules": [eligibility.describe(r) for r in batch.form.rules.select_related("lower_form")],
        "trail": audit_trail([batch], limit=100, with_summary=True),
    }
    return render(request, "awards/batch_detail.html", context)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_page(request, queries.batch_for_view(request.user, pk))


@login_required
@require_POST
def nominee_add(request: HttpRequest, pk: int) -> HttpResponse:
    batch = queries.batch_for_write(request.user, pk)
    form = NomineeForm(request.POST, root=batch.unit, options_url=options_url(batch.unit))
    if form.is_valid():
        d = form.cleaned_data
        nominee = run_service(
            form,
            lambda: services.nominee_add(
                actor=user_of(request),
                batch=batch,
                unit=d["unit"],
                member=d["member"],
                achievements=d["achievements"],
                personal_rating=d.get("personal_rating") or "",
                override_reason=d.get("override_reason") or "",
            ),
        )
        if nominee is not None:
            if nominee.failures and not nominee.override_reason:
                messages.warning(
                    request,
                    _(
                        "%(name)s was added but does not meet every condition "
                        "of the form; give a reason before submitting."
                    )
                    % {"name": str(nominee)},
                )
            else:
                messages.success(request, _("%(name)s was added.") % {"name": str(nominee)})
            return redirect("batch_detail", pk=batch.pk)
    return _batch_page(request, batch, nominee_form=form)


@login_required
def nominee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = queries.nominee_for_write(request.user, pk)
    initial = {
        "achievements": nominee.achievements,
        "personal_rating": nominee.personal_rating,
        "override_reason": nominee.override_reason,
    }
    form = NomineeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.nominee_update(
                actor=user_of(request),
                nominee=nominee,
                achievements=d["achievements"],
                personal_rating=d.get("personal_rating") or "",
                override_reason=d.get("override_reason") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("The nominee was changed."))
            return redirect("batch_detail", pk=nominee.batch_id)
    return render(request, "awards/nominee_form.html", {"form": form, "nominee": nominee})


@login_required
@require_POST
def nominee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = queries.nominee_for_write(request.user, pk)
    form = ReasonForm()
    if (
        run_service(form, lambda: services.nominee_remove(actor=user_of(request), nominee=nominee))
        is None
        and form.errors
    ):
        return _batch_page(request, nominee.batch, error_form=form)
    messages.success(request, _("The nominee was removed."))
    return redirect("batch_detail", pk=nominee.batch_id)


@login_required
@require_POST
def batch_submit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = queries.batch_for_write(request.user, pk)
    form = ReasonForm()
    done = run_service(form, lambda: services.batch_submit(actor=user_of(request), batch=batch))
    if done is None:
        batch.refresh_from_db()
        return _batch_page(request, batch, error_form=form)
    messages.success(request, _("The proposal was submitted to the council."))
    return redirect("batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    batch = queries.batch_for_write(request.user, pk)
    form = ReasonForm(request.POST, prefix="withdraw")
    done = (
        None
        if not form.is_valid()
        else run_service(
            form,
            lambda: services.batch_withdraw(
                actor=user_of(request), batch=batch, reason=form.cleaned_data["reason"]
            ),
        )
    )
    if not done:
        return _batch_page(request, batch, error_form=form)
    messages.success(request, _("The proposal was withdrawn."))
    return redirect("batch_detail", pk=batch.pk)


@login_required
@require_POST
def nominee_review(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = queries.nominee_for_review(request.user, pk)
    form = ReviewForm(request.POST, prefix=f"r{nominee.pk}")
    done = (
        None
        if not form.is_valid()
        else run_service(
            form,
            lambda: services.nominee_review(
                actor=user_of(request),
                nominee=nominee,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data.get("note") or "",
            ),
        )
    )
    if not done:
        nominee.batch.refresh_from_db()
        return _batch_page(request, nominee.batch, review=(nominee.pk, form))
    messages.success(request, _("The review of %(name)s was recorded.") % {"name": str(nominee)})
    return redirect("batch_detail", pk=nominee.batch_id)


# --- decisions -------------------------------------------------------------------------------


def _decision_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        k: d.get(k) or ""
        for k in ("issuer", "place", "signer", "signer_position", "on_behalf", "grounds")
    } | {"form": d["form"], "year": d["year"], "number": d["number"], "date": d["date"]}


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.unit_for_write(request.user, pk)
    form = DecisionForm(request.POST or None, forms_qs=services.forms_for(unit))
    if request.method == "POST" and form.is_valid():
        values = _decision_values(form.cleaned_data)
        decision = run_service(
            form, lambda: services.decision_create(actor=user_of(request), unit=unit, **values)
        )
        if decision is not None:
            messages.success(
                request,
                _("The decision was created as a draft; add its recipients, then issue it."),
            )
            return redirect("decision_detail", pk=decision.pk)
    return render(request, "awards/decision_form.html", {"form": form, "unit": unit})


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_write(request.user, pk)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(
            request, _("An issued decision cannot be edited; revoke it and issue a new one.")
        )
        return redirect("decision_detail", pk=decision.pk)
    initial = {k: getattr(decision, k) for k in services.DECISION_FIELDS}
    form = DecisionForm(
        request.POST or None, initial=initial, forms_qs=services.forms_for(decision.unit)
    )
    if request.method == "POST" and form.is_valid():
        values = _decision_values(form.cleaned_data)
        done = run_service(
            form,
            lambda: services.decision_update(actor=user_of(request), decision=decision, **values),
        )
        if done is not None:
            messages.success(request, _("The decision was changed."))
            return redirect("decision_detail", pk=decision.pk)
    return render(
        request,
        "awards/decision_form.html",
        {"form": form, "unit": decision.unit, "decision": decision},
    )


def _decision_page(
    request: HttpRequest,
    decision: Any,
    *,
    recipient_form: Any = None,
    revoke_form: Any = None,
    error_form: Any = None,
) -> HttpResponse:
    writes = access.can_write(request.user, decision.unit)
    draft = decision.status == DecisionStatus.DRAFT
    recipients = queries.recipients_of(decision)
    context = {
        "decision": decision,
        "recipients": recipients,
        "collectives": sum(1 for r in recipients if r.unit_id),
        "individuals": sum(1 for r in recipients if r.member_id),
        "can_edit": writes and draft,
        "can_revoke": writes and decision.status == DecisionStatus.ISSUED,
        "waiting": list(services.accepted_waiting(decision)) if writes and draft else [],
        "recipient_form": recipient_form
        or (
            RecipientForm(root=decision.unit, options_url=options_url(decision.unit))
            if writes and draft
            else None
        ),
        "revoke_form": revoke_form or RevokeForm(prefix="revoke"),
        "error_form": error_form,
        "trail": audit_trail([decision], limit=100, with_summary=True),
    }
    return render(request, "awards/decision_detail.html", context)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_page(request, queries.decision_for_view(request.user, pk))


@login_required
@require_POST
def recipient_add(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_write(request.user, pk)
    form = RecipientForm(request.POST, root=decision.unit, options_url=options_url(decision.unit))
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.recipient_add(
                actor=user_of(request),
                decision=decision,
                unit=d["unit"],
                member=d["member"],
                description=d.get("description") or "",
                override_reason=d.get("override_reason") or "",
                personal_rating=d.get("personal_rating") or "",
            ),
        )
        if done is not None:
            messages.success(request, _("%(name)s was added.") % {"name": done.name})
            return redirect("decision_detail", pk=decision.pk)
    return _decision_page(request, decision, recipient_form=form)


@login_required
@require_POST
def decision_add_accepted(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_write(request.user, pk)
    form = ReasonForm()
    added = run_service(
        form, lambda: services.decision_add_accepted(actor=user_of(request), decision=decision)
    )
    if added is None:
        return _decision_page(request, decision, error_form=form)
    messages.success(request, _("%(n)s accepted nominees were added.") % {"n": added})
    return redirect("decision_detail", pk=decision.pk)


@login_required
@require_POST
def recipient_remove(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = queries.recipient_for_write(request.user, pk)
    form = ReasonForm()
    done = run_service(
        form, lambda: services.recipient_remove(actor=user_of(request), recipient=recipient)
    )
    if done is None and form.errors:
        return _decision_page(request, recipient.decision, error_form=form)
    messages.success(request, _("%(name)s was removed.") % {"name": recipient.name})
    return redirect("decision_detail", pk=recipient.decision_id)


@login_required
@require_POST
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_write(request.user, pk)
    form = ReasonForm()
    if (
        run_service(
            form, lambda: services.decision_issue(actor=user_of(request), decision=decision)
        )
        is None
    ):
        decision.refresh_from_db()
        return _decision_page(request, decision, error_form=form)
    messages.success(request, _("The decision was issued."))
    return redirect("decision_detail", pk=decision.pk)


@login_required
@require_POST
def decision_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_write(request.user, pk)
    form = RevokeForm(request.POST, prefix="revoke")
    done = (
        None
        if not form.is_valid()
        else run_service(
            form,
            lambda: services.decision_revoke(
                actor=user_of(request),
                decision=decision,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            ),
        )
    )
    if not done:
        decision.refresh_from_db()
        return _decision_page(request, decision, revoke_form=form)
    messages.success(request, _("The decision was revoked."))
    return redirect("decision_detail", pk=decision.pk)


@login_required
@require_POST
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_write(request.user, pk)
    form = ReasonForm()
    unit_pk = decision.unit_id
    if (
        run_service(
            form, lambda: services.decision_delete(actor=user_of(request), decision=decision)
        )
        is None
    ):
        return _decision_page(request, decision, error_form=form)
    messages.success(request, _("The draft decision was deleted."))
    return redirect("unit_awards", pk=unit_pk)


def _filename(decision: Any, what: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in decision.number)
    return f"{what}-{safe}.docx"


@login_required
def decision_document(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_view(request.user, pk)
    recipients = queries.recipients_of(decision)
    return download(
        documents.decision_docx(decision, recipients), _filename(decision, "quyet-dinh")
    )


@login_required
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for_view(request.user, pk)
    recipients = queries.recipients_of(decision)
    if not recipients:
        raise Http404
    return download(documents.certificates_docx(decision, recipients), _filename(decision, "bang"))


# --- panels on the unit's and the member's pages (one query each) ---------------------------


def unit_panel(request: HttpRequest, unit: Unit) -> str:
    rows = queries.unit_history(unit)
    return _panel(request, rows, unit=unit)


def member_panel(request: HttpRequest, member: Any) -> str:
    rows = queries.member_history(member)
    return _panel(request, rows, member=member)


def _panel(request: HttpRequest, rows: list[dict[str, Any]], **context: Any) -> str:
    if not rows:
        return ""
    r = access.reach(request.user)
    for row in rows:
        row["linked"] = r.covers(row["decision_unit"].path)
    return render_to_string(
        "awards/_history_panel.html", {"rows": rows, **context}, request=request
    )
