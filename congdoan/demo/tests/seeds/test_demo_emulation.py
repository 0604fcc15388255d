"""The demo's emulation data (SEED-FIGURES.md): seed 002's 10 blocs with every grassroots union
in exactly one and their 2021 targets, seed 000's signed 2021 pact, seed 004's movements."""

import datetime

import pytest
from django.db.models import Count

from congdoan.core.admin_docx import document_text
from congdoan.emulation import pacts, targets
from congdoan.emulation.blocs import bloc_of
from congdoan.emulation.models import Bloc, BlocMember, Movement, PactState, Registration
from congdoan.members.models import MemberTarget
from congdoan.org.models import Level, Unit

D = datetime.date


@pytest.mark.django_db
def test_the_demo_s_emulation() -> None:
    # Seed 002: 10 blocs of the province's grassroots unions for 2021, each union in one.
    nt = Unit.objects.get(code="NT")
    grassroots = list(
        Unit.objects.filter(parent=nt, level=Level.GRASSROOTS).values_list("pk", flat=True)
    )
    assert len(grassroots) == 60
    nt_blocs = Bloc.objects.filter(owner=nt, year=2021).annotate(n=Count("members"))
    assert sorted(b.n for b in nt_blocs) == [6] * 10
    placed = bloc_of(grassroots, 2021)
    assert set(placed) == set(grassroots)
    assert len({ref.id for ref in placed.values()}) == 10
    assert BlocMember.objects.filter(owner=nt, year=2021).count() == 60
    # 2021 targets for every grassroots union and the province; blocs total their units'.
    assert MemberTarget.objects.filter(unit_id__in=grassroots, year=2021).count() == 60
    [province] = targets.target_rows(nt, 2021)
    assert (province["target"], province["achieved"]) == (75, 62)
    assert province["phrase"] == "reached 82%"
    first = nt_blocs.get(name="Cụm thi đua số 1")
    rows = {r["key"]: r for r in targets.bloc_target_rows(first)}
    assert rows["members_admitted"]["target"] == sum(
        u["target"] for u in rows["members_admitted"]["units"]
    )
    assert first.pact.state == PactState.OPEN and first.pact.signatures.count() == 3

    # Seed 000: Thái Bình's district federations and industrial-zone union signed their pact.
    tb = Bloc.objects.get(owner__code="TB", year=2021)
    assert sorted(tb.members.values_list("unit__code", flat=True)) == [
        "TB-DH",
        "TB-HH",
        "TB-KCN",
        "TB-TP",
        "TB-VT",
    ]
    assert (tb.pact.state, tb.pact.signed_on) == (PactState.SIGNED, D(2021, 1, 15))
    text = document_text(pacts.pact_document(tb.pact))
    assert (
        "BẢN GIAO ƯỚC THI ĐUA NĂM 2021" in text and "Thái Bình, ngày 15 tháng 01 năm 2021" in text
    )
    assert Movement.objects.filter(unit__code="TB", start__year=2021).count() == 2

    # Seed 004: the public servants' union's two movements of 2022, some unions registered.
    hb = Movement.objects.filter(unit__code="HB-VC").order_by("name")
    assert [m.name for m in hb] == [
        "Lao động giỏi, lao động sáng tạo",
        "Tham mưu giỏi, phục vụ tốt",
    ]
    assert [Registration.objects.filter(movement=m).count() for m in hb] == [8, 6]
