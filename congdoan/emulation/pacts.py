"""Pacts (giao ước thi đua): a bloc's commitments for its year, the targets listed line by line,
signed by every unit of the bloc. A pact is drafted and changed by the bloc's owner, opened for
signing, and becomes signed when the last unit signs; an open pact with no signature yet may go
back to draft; a signed pact is never changed. Printed as a Word document."""

import datetime
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.admin_docx import AdminDocument
from congdoan.core.audit import audit_record, audit_update, audited, diff, snapshot
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, number_vi
from congdoan.org.models import Unit

from .common import Actor, may_write, user_or_none
from .models import Bloc, BlocMember, Pact, PactSignature, PactState, PactTarget

PACT_FIELDS = ["title", "number", "place", "dated", "preamble"]


@dataclass
class TargetLine:
    indicator: str
    value: int
    measure: str = ""
    note: str = ""


@dataclass
class PactData:
    title: str
    dated: datetime.date
    number: str = ""
    place: str = ""
    preamble: str = ""


_NUMBER = re.compile(r"\d{1,3}(?:[.]\d{3})+|\d+")


def parse_target_lines(text: str) -> list[TargetLine]:
    """Targets typed one per line as "indicator; value; unit of measure; note" (the last two
    optional). Values are whole numbers, with or without thousands dots."""
    lines: list[TargetLine] = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(";")]
        if len(parts) < 2 or not parts[0]:
            raise ServiceError(
                _("Line %(n)s: write the indicator, a semicolon, then the value.") % {"n": n},
                field="targets",
            )
        value = parts[1].replace(" ", "")
        if value.startswith("-") and _NUMBER.fullmatch(value[1:]):
            raise ServiceError(
                _("Line %(n)s: the value cannot be negative.") % {"n": n}, field="targets"
            )
        if not _NUMBER.fullmatch(value):
            raise ServiceError(
                _("Line %(n)s: the value “%(value)s” is not a whole number.")
                % {"n": n, "value": parts[1]},
                field="targets",
            )
        lines.append(
            TargetLine(
                indicator=parts[0][:255],
                value=int(value.replace(".", "")),
                measure=(parts[2] if len(parts) > 2 else "")[:60],
                note="; ".join(parts[3:])[:255],
            )
        )
    return lines


def target_lines_text(pact: Pact) -> str:
    """The pact's targets in the form parse_target_lines reads (for editing)."""
    out = []
    for t in pact.targets.all():
        cells = [t.indicator, number_vi(t.value), t.measure, t.note]
        while cells and not cells[-1]:
            cells.pop()
        out.append("; ".join(cells))
    return "\n".join(out)


def pact_for_bloc(bloc: Bloc) -> Pact | None:
    return Pact.objects.filter(bloc=bloc).first()


def _clean(data: PactData, lines: list[TargetLine]) -> dict[str, object]:
    title = data.title.strip()
    if not title:
        raise ServiceError(_("Give the pact a title."), field="title")
    for line in lines:
        if line.value < 0:
            raise ServiceError(_("A target value cannot be negative."), field="targets")
    return {
        "title": title,
        "number": data.number.strip(),
        "place": data.place.strip(),
        "dated": data.dated,
        "preamble": data.preamble.strip(),
    }


def _write_targets(pact: Pact, lines: list[TargetLine]) -> None:
    PactTarget.objects.filter(pact=pact).delete()
    PactTarget.objects.bulk_create(
        [
            PactTarget(pact=pact, position=i, indicator=t.indicator, value=t.value,
                       measure=t.measure, note=t.note)
            for i, t in enumerate(lines, 1)
        ]
    )  # fmt: skip


def _lines_audit(lines: list[TargetLine]) -> str:
    return "; ".join(f"{t.indicator}: {t.value} {t.measure}".strip() for t in lines)


@audited
def pact_create(
    *, actor: Actor, bloc: Bloc, data: PactData, targets: list[TargetLine], is_demo: bool = False
) -> Pact:
    """The bloc's pact, as a draft (write access to the bloc's owner)."""
    bloc = Bloc.objects.select_for_update().select_related("owner").get(pk=bloc.pk)
    if not may_write(actor, bloc.owner):
        raise Http404
    if Pact.objects.filter(bloc=bloc).exists():
        raise ServiceError(_("This bloc already has its pact for %(year)s.") % {"year": bloc.year})
    values = _clean(data, targets)
    try:
        with transaction.atomic():
            pact = Pact.objects.create(
                bloc=bloc, created_by=user_or_none(actor), is_demo=is_demo, **values
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("This bloc already has its pact for %(year)s.") % {"year": bloc.year}
        ) from exc
    _write_targets(pact, targets)
    changes = {k: [None, v] for k, v in snapshot(pact, PACT_FIELDS).items() if v}
    changes["targets"] = [None, _lines_audit(targets)]
    audit_record(actor=actor, action="pact.create", target=pact, unit_id=bloc.owner_id,
                 changes=changes, summary=f"{bloc.name}: {pact.title}")  # fmt: skip
    return pact


def _locked(pact: Pact) -> Pact:
    pact = (
        Pact.objects.select_for_update(of=("self",))
        .select_related("bloc", "bloc__owner")
        .get(pk=pact.pk)
    )
    return pact


def _refuse_unless_draft(pact: Pact) -> None:
    if pact.state == PactState.SIGNED:
        raise ServiceError(_("The pact is signed by every unit; it can no longer be changed."))
    if pact.state == PactState.OPEN:
        raise ServiceError(
            _("The pact is open for signing; take it back to draft before changing it.")
        )


@audited
def pact_update(*, actor: Actor, pact: Pact, data: PactData, targets: list[TargetLine]) -> Pact:
    pact = _locked(pact)
    if not may_write(actor, pact.bloc.owner):
        raise Http404
    _refuse_unless_draft(pact)
    values = _clean(data, targets)
    before = snapshot(pact, PACT_FIELDS)
    old_lines = [TargetLine(t.indicator, t.value, t.measure, t.note) for t in pact.targets.all()]
    for k, v in values.items():
        setattr(pact, k, v)
    pact.save()
    changes: dict[str, object] = dict(diff(before, snapshot(pact, PACT_FIELDS)))
    if old_lines != targets:
        _write_targets(pact, targets)
        changes["targets"] = [_lines_audit(old_lines), _lines_audit(targets)]
    audit_update(actor=actor, action="pact.update", target=pact, unit_id=pact.bloc.owner_id,
                 changes=changes, summary=pact.title)  # fmt: skip
    return pact


@audited
def pact_open(*, actor: Actor, pact: Pact, date: datetime.date) -> Pact:
    """Open a draft for the units to sign."""
    pact = _locked(pact)
    if not may_write(actor, pact.bloc.owner):
        raise Http404
    _refuse_unless_draft(pact)
    if not pact.targets.exists():
        raise ServiceError(_("List the pact's targets before opening it for signing."))
    pact.state, pact.opened_on = PactState.OPEN, date
    pact.save(update_fields=["state", "opened_on"])
    audit_record(actor=actor, action="pact.open", target=pact, unit_id=pact.bloc.owner_id,
                 changes={"state": [PactState.DRAFT, PactState.OPEN], "opened_on": [None, date]},
                 summary=pact.title)  # fmt: skip
    return pact


@audited
def pact_withdraw(*, actor: Actor, pact: Pact) -> Pact:
    """An open pact nobody has signed yet goes back to draft, to be changed."""
    pact = _locked(pact)
    if not may_write(actor, pact.bloc.owner):
        raise Http404
    if pact.state != PactState.OPEN:
        raise ServiceError(_("Only a pact open for signing can go back to draft."))
    if pact.signatures.exists():
        raise ServiceError(_("Units have already signed the pact; it cannot go back to draft."))
    pact.state, pact.opened_on = PactState.DRAFT, None
    pact.save(update_fields=["state", "opened_on"])
    audit_record(actor=actor, action="pact.withdraw", target=pact, unit_id=pact.bloc.owner_id,
                 changes={"state": [PactState.OPEN, PactState.DRAFT]},
                 summary=pact.title)  # fmt: skip
    return pact


@audited
def pact_sign(
    *,
    actor: Actor,
    pact: Pact,
    unit: Unit,
    signed_on: datetime.date,
    signer_name: str,
    signer_position: str,
) -> PactSignature:
    """`unit` signs its bloc's pact (by someone who writes for the unit or for the bloc's
    owner). The last signature makes the pact signed."""
    pact = _locked(pact)
    bloc = pact.bloc
    members = set(BlocMember.objects.filter(bloc=bloc).values_list("unit_id", flat=True))
    if unit.pk not in members:
        raise ServiceError(
            _("%(unit)s is not a unit of the bloc “%(bloc)s”.")
            % {"unit": unit.name, "bloc": bloc.name},
            field="unit",
        )
    if not (may_write(actor, unit) or may_write(actor, bloc.owner)):
        raise Http404
    if pact.state == PactState.DRAFT:
        raise ServiceError(_("The pact is still a draft; it is not open for signing yet."))
    if PactSignature.objects.filter(pact=pact, unit=unit).exists():
        raise ServiceError(
            _("%(unit)s has already signed this pact.") % {"unit": unit.name}, field="unit"
        )
    if pact.state == PactState.SIGNED:
        raise ServiceError(_("The pact is signed by every unit; it can no longer be changed."))
    name, position = signer_name.strip(), signer_position.strip()
    if not name:
        raise ServiceError(_("Give the name of the person who signed."), field="signer_name")
    if not position:
        raise ServiceError(_("Give the signer's position."), field="signer_position")
    if pact.opened_on and signed_on < pact.opened_on:
        raise ServiceError(
            _("The pact was opened for signing on %(date)s; a signature cannot be earlier.")
            % {"date": date_vi(pact.opened_on)},
            field="signed_on",
        )
    try:
        with transaction.atomic():
            signature = PactSignature.objects.create(
                pact=pact, unit=unit, signed_on=signed_on, signer_name=name,
                signer_position=position, recorded_by=user_or_none(actor),
            )  # fmt: skip
    except IntegrityError as exc:
        raise ServiceError(
            _("%(unit)s has already signed this pact.") % {"unit": unit.name}, field="unit"
        ) from exc
    audit_record(actor=actor, action="pact.sign", target=signature, unit_id=unit.pk,
                 changes={"signed_on": [None, signed_on], "signer_name": [None, name],
                          "signer_position": [None, position]},
                 summary=f"{pact.title}: {unit.name}")  # fmt: skip
    signed = set(PactSignature.objects.filter(pact=pact).values_list("unit_id", flat=True))
    if members <= signed:
        last = max(PactSignature.objects.filter(pact=pact).values_list("signed_on", flat=True))
        pact.state, pact.signed_on = PactState.SIGNED, last
        pact.save(update_fields=["state", "signed_on"])
        audit_record(actor=actor, action="pact.signed", target=pact, unit_id=bloc.owner_id,
                     changes={"state": [PactState.OPEN, PactState.SIGNED],
                              "signed_on": [None, last]},
                     summary=pact.title)  # fmt: skip
    return signature


# ---------------------------------------------------------------------------------------------
# The document


def _upper(unit: Unit) -> str:
    return unit.name.upper()


def pact_document(pact: Pact) -> bytes:
    """The pact as a .docx: header of the bloc's owner, the title, the commitments, the table
    of targets, and one signer block per unit in the bloc's order."""
    bloc = pact.bloc
    owner = bloc.owner
    members = list(BlocMember.objects.filter(bloc=bloc).select_related("unit").order_by("position"))
    signatures = {s.unit_id: s for s in PactSignature.objects.filter(pact=pact)}
    superior = _upper(owner.parent) if owner.parent is not None else ""
    doc = AdminDocument(
        superior=superior,
        issuer=bloc.name.upper(),
        number=pact.number,
        place=pact.place,
        day=pact.dated,
        kind=pact.title.upper(),
        title="",
    )
    doc.paragraph(
        f"Thực hiện phong trào thi đua năm {bloc.year} do {owner.name} phát động, các đơn vị "
        f"trong {bloc.name} (đơn vị trưởng khối: {bloc.leader.name}) cùng ký giao ước thi đua "
        "với những nội dung sau:"
    )
    if pact.preamble:
        for text in pact.preamble.splitlines():
            if text.strip():
                doc.paragraph(text.strip())
    doc.heading("Các chỉ tiêu thi đua")
    rows = [
        [str(i), t.indicator, number_vi(t.value), t.measure, t.note]
        for i, t in enumerate(pact.targets.all(), 1)
    ]
    doc.table(
        ["STT", "Chỉ tiêu", "Giá trị", "Đơn vị tính", "Ghi chú"],
        rows,
        widths_cm=[1.2, 7.0, 2.6, 2.6, 2.6],
        numeric=[2],
    )
    doc.heading("Đại diện các đơn vị ký giao ước")
    for m in members:
        s = signatures.get(m.unit_id)
        if s is None:
            doc.signer(position="", name="", on_behalf=m.unit.name)
        else:
            doc.paragraph(f"Ký ngày {date_vi(s.signed_on)}", italic=True, align="right")
            doc.signer(position=s.signer_position, name=s.signer_name, on_behalf=m.unit.name)
    return doc.to_bytes()
