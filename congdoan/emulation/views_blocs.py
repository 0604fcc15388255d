"""Pages of blocs and their pacts: an owner's blocs for a year (with the rotation to the next
year), a bloc with its units, pact, signatures and targets, and the forms. Thin."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.core.audit import audit_trail
from congdoan.core.downloads import download
from congdoan.core.errors import ServiceError
from congdoan.core.forms import run_service
from congdoan.core.users import user_of
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from . import blocs, pacts, targets
from .forms import BlocForm, DateForm, PactForm, SignForm
from .models import Bloc, BlocMember, PactSignature, PactState
from .views_common import year_of


@login_required
def unit_blocs(request: HttpRequest, pk: int) -> HttpResponse:
    owner = access.unit_for_view(request.user, pk)
    year = year_of(request)
    rows = list(blocs.blocs_of_owner(owner, year))
    members = BlocMember.objects.filter(bloc__in=rows).select_related("unit")
    by_bloc: dict[int, list[BlocMember]] = {}
    for m in members.order_by("position", "id"):
        by_bloc.setdefault(m.bloc_id, []).append(m)
    for b in rows:
        b.member_rows = by_bloc.get(b.pk, [])  # type: ignore[attr-defined]
    placed = {m.unit_id for ms in by_bloc.values() for m in ms}
    outside = [u for u in blocs.candidates(owner) if u.pk not in placed] if rows else []
    context = {
        "unit": owner,
        "year": year,
        "blocs": rows,
        "years": sorted({*blocs.bloc_years(owner), year, today().year}, reverse=True),
        "outside": outside,
        "can_write": access.can_write(request.user, owner),
        "has_candidates": blocs.candidates(owner).exists(),
        "next_exists": Bloc.objects.filter(owner=owner, year=year + 1).exists(),
    }
    return render(request, "emulation/bloc_list.html", context)


def _bloc_form(request: HttpRequest, owner: Unit, year: int, bloc: Bloc | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if bloc is not None:
        initial = {
            "name": bloc.name,
            "members": [m.unit_id for m in bloc.member_rows],  # type: ignore[attr-defined]
            "leader": bloc.leader_id,
        }
    units = blocs.candidates(owner)
    form = BlocForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = user_of(request)
        members = sorted(d["members"], key=lambda u: u.code)
        if bloc is None:
            done = run_service(form, lambda: blocs.bloc_create(
                actor=actor, owner=owner, year=year, name=d["name"], units=members,
                leader=d["leader"]))  # fmt: skip
        else:
            done = run_service(
                form,
                lambda: blocs.bloc_update(
                    actor=actor, bloc=bloc, name=d["name"], units=members, leader=d["leader"]
                ),
            )
        if done is not None:
            messages.success(request, _("The bloc was saved."))
            return redirect("bloc_detail", pk=done.pk)
    return render(
        request,
        "emulation/bloc_form.html",
        {"form": form, "unit": owner, "year": year, "bloc": bloc},
    )


@login_required
def bloc_create(request: HttpRequest, pk: int) -> HttpResponse:
    owner = access.unit_for_write(request.user, pk)
    year = year_of(request)
    if not blocs.candidates(owner).exists():
        messages.info(request, _("%(unit)s has no sub-units to group into blocs.")
                      % {"unit": owner.name})  # fmt: skip
        return redirect(f"{reverse('unit_blocs', args=[owner.pk])}?year={year}")
    return _bloc_form(request, owner, year, None)


@login_required
def bloc_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = blocs.bloc_for_write(request.user, pk)
    return _bloc_form(request, bloc.owner, bloc.year, bloc)


@login_required
@require_POST
def bloc_delete(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = blocs.bloc_for_write(request.user, pk)
    try:
        blocs.bloc_delete(actor=user_of(request), bloc=bloc)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("bloc_detail", pk=pk)
    messages.success(request, _("The bloc was deleted."))
    return redirect(f"{_url('unit_blocs', bloc.owner_id)}?year={bloc.year}")


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])


@login_required
@require_POST
def blocs_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    owner = access.unit_for_write(request.user, pk)
    year = year_of(request)
    try:
        made = blocs.blocs_rotate(actor=user_of(request), owner=owner, year=year)
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{_url('unit_blocs', owner.pk)}?year={year}")
    messages.success(
        request,
        _("%(n)s blocs were copied to %(year)s, each led by the next unit.")
        % {"n": len(made), "year": year + 1},
    )
    return redirect(f"{_url('unit_blocs', owner.pk)}?year={year + 1}")


def _bloc_page(request: HttpRequest, bloc: Bloc, sign_form: Any = None) -> HttpResponse:
    members = bloc.member_rows  # type: ignore[attr-defined]
    pact = pacts.pact_for_bloc(bloc)
    signatures: dict[int, PactSignature] = {}
    if pact is not None:
        signatures = {s.unit_id: s for s in pact.signatures.all()}
    owner_writes = access.can_write(request.user, bloc.owner)
    sign_units = [
        m.unit for m in members
        if m.unit_id not in signatures and (owner_writes or access.can_write(request.user, m.unit))
    ]  # fmt: skip
    if pact is not None and pact.state == PactState.OPEN and sign_units and sign_form is None:
        sign_form = SignForm(
            units=Unit.objects.filter(pk__in=[u.pk for u in sign_units]).order_by("code"),
            initial={"signed_on": today()},
        )
    context = {
        "bloc": bloc,
        "members": members,
        "pact": pact,
        "pact_targets": list(pact.targets.all()) if pact else [],
        "signatures": signatures,
        "sign_form": sign_form if pact and pact.state == PactState.OPEN else None,
        "open_form": DateForm(initial={"date": today()}),
        "can_write": owner_writes,
        "sees_owner": access.can_see(request.user, bloc.owner),
        "target_rows": targets.bloc_target_rows(bloc),
        "audit": audit_trail([bloc, *([pact] if pact else [])], limit=100) if owner_writes else [],
    }
    return render(request, "emulation/bloc_detail.html", context)


@login_required
def bloc_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _bloc_page(request, blocs.bloc_for_view(request.user, pk))


@login_required
def pact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft or change the bloc's pact (the bloc's owner)."""
    bloc = blocs.bloc_for_write(request.user, pk)
    pact = pacts.pact_for_bloc(bloc)
    if pact is None:
        initial: dict[str, Any] = {
            "title": f"BẢN GIAO ƯỚC THI ĐUA NĂM {bloc.year}",
            "dated": today(),
        }
    else:
        initial = {
            "title": pact.title, "number": pact.number, "place": pact.place,
            "dated": pact.dated, "preamble": pact.preamble,
            "targets": pacts.target_lines_text(pact),
        }  # fmt: skip
    form = PactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = pacts.PactData(
            title=d["title"],
            dated=d["dated"],
            number=d.get("number") or "",
            place=d.get("place") or "",
            preamble=d.get("preamble") or "",
        )
        actor = user_of(request)

        def save() -> Any:
            lines = pacts.parse_target_lines(d["targets"])
            if pact is None:
                return pacts.pact_create(actor=actor, bloc=bloc, data=data, targets=lines)
            return pacts.pact_update(actor=actor, pact=pact, data=data, targets=lines)

        if run_service(form, save) is not None:
            messages.success(request, _("The pact was saved."))
            return redirect("bloc_detail", pk=bloc.pk)
    return render(request, "emulation/pact_form.html", {"form": form, "bloc": bloc, "pact": pact})


def _pact_or_404(bloc: Bloc) -> Any:
    pact = pacts.pact_for_bloc(bloc)
    if pact is None:
        raise Http404
    return pact


@login_required
@require_POST
def pact_open(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = blocs.bloc_for_write(request.user, pk)
    pact = _pact_or_404(bloc)
    form = DateForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("Give the date as dd/mm/yyyy."))
        pacts.pact_open(actor=user_of(request), pact=pact, date=form.cleaned_data["date"])
        messages.success(request, _("The pact is open for signing."))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("bloc_detail", pk=bloc.pk)


@login_required
@require_POST
def pact_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = blocs.bloc_for_write(request.user, pk)
    pact = _pact_or_404(bloc)
    try:
        pacts.pact_withdraw(actor=user_of(request), pact=pact)
        messages.success(request, _("The pact is a draft again."))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("bloc_detail", pk=bloc.pk)


@login_required
@require_POST
def pact_sign(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = blocs.bloc_for_view(request.user, pk)
    pact = _pact_or_404(bloc)
    owner_writes = access.can_write(request.user, bloc.owner)
    units = [
        m.unit for m in bloc.member_rows  # type: ignore[attr-defined]
        if owner_writes or access.can_write(request.user, m.unit)
    ]  # fmt: skip
    if not units:
        raise Http404
    form = SignForm(request.POST, units=Unit.objects.filter(pk__in=[u.pk for u in units]))
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(form, lambda: pacts.pact_sign(
            actor=user_of(request), pact=pact, unit=d["unit"], signed_on=d["signed_on"],
            signer_name=d["signer_name"], signer_position=d["signer_position"]))  # fmt: skip
        if done is not None:
            messages.success(request, _("The signature was recorded."))
            return redirect("bloc_detail", pk=bloc.pk)
    pact.refresh_from_db()
    if pact.state != PactState.OPEN:  # the form is not shown: say why on the page
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("bloc_detail", pk=bloc.pk)
    return _bloc_page(request, bloc, form)


@login_required
def pact_document(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = blocs.bloc_for_view(request.user, pk)
    pact = _pact_or_404(bloc)
    return download(pacts.pact_document(pact), f"giao-uoc-{bloc.year}-{bloc.pk}.docx")
