"""Pacts: draft → open → signed when every unit has signed; a signed pact is never changed;
each unit signs once; the Word document."""

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.admin_docx import document_text
from congdoan.core.audit import audit_display
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.emulation import blocs, pacts
from congdoan.emulation.models import Bloc, Pact, PactState

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def bloc(tree: Tree) -> Bloc:
    return blocs.bloc_create(
        actor=None,
        owner=tree.P,
        year=2021,
        name="Khối huyện",
        units=[tree.X, tree.Y],
        leader=tree.X,
    )


DATA = pacts.PactData(
    title="BẢN GIAO ƯỚC THI ĐUA NĂM 2021", dated=D(2021, 1, 15), number="01/GƯ", place="Thái Bình"
)


def test_parsing_the_target_lines() -> None:
    lines = pacts.parse_target_lines(
        "Kết nạp đoàn viên; 1.500; đoàn viên\n\nNhà Mái ấm; 10; nhà; sửa"
    )
    assert lines == [
        pacts.TargetLine("Kết nạp đoàn viên", 1500, "đoàn viên", ""),
        pacts.TargetLine("Nhà Mái ấm", 10, "nhà", "sửa"),
    ]
    with pytest.raises(ServiceError, match="Line 2: the value cannot be negative"):
        pacts.parse_target_lines("a; 1\nb; -5")
    with pytest.raises(ServiceError, match="Line 1: the value “2,5” is not a whole number"):
        pacts.parse_target_lines("a; 2,5")
    with pytest.raises(ServiceError, match="Line 1: write the indicator, a semicolon"):
        pacts.parse_target_lines("chỉ có chữ")


def test_the_life_of_a_pact(tree: Tree, cast: Cast, bloc: Bloc) -> None:
    pact = pacts.pact_create(
        actor=cast.province_officer,
        bloc=bloc,
        data=DATA,
        targets=[pacts.TargetLine("Kết nạp đoàn viên", 500, "đoàn viên")],
    )
    [row] = audit_display([AuditEvent.objects.get(action="pact.create")])
    assert [label for label, _before, _after in row["changes"]][-1] == "Pact targets"
    with pytest.raises(ServiceError, match="already has its pact for 2021"):
        pacts.pact_create(actor=None, bloc=bloc, data=DATA, targets=[])
    with pytest.raises(ServiceError, match="still a draft"):
        pacts.pact_sign(
            actor=cast.x_officer,
            pact=pact,
            unit=tree.X,
            signed_on=D(2021, 1, 15),
            signer_name="A",
            signer_position="Chủ tịch",
        )
    pacts.pact_open(actor=cast.province_officer, pact=pact, date=D(2021, 1, 15))
    with pytest.raises(ServiceError, match="open for signing; take it back to draft"):
        pacts.pact_update(actor=None, pact=pact, data=DATA, targets=[])
    with pytest.raises(ServiceError, match="cannot be earlier"):
        pacts.pact_sign(
            actor=cast.x_officer,
            pact=pact,
            unit=tree.X,
            signed_on=D(2021, 1, 14),
            signer_name="A",
            signer_position="Chủ tịch",
        )
    with pytest.raises(Http404):  # X's officer cannot sign for Y
        pacts.pact_sign(
            actor=cast.x_officer,
            pact=pact,
            unit=tree.Y,
            signed_on=D(2021, 1, 15),
            signer_name="A",
            signer_position="Chủ tịch",
        )
    with pytest.raises(ServiceError, match="Unit Z is not a unit of the bloc “Khối huyện”"):
        pacts.pact_sign(
            actor=None,
            pact=pact,
            unit=tree.Z,
            signed_on=D(2021, 1, 15),
            signer_name="A",
            signer_position="Chủ tịch",
        )
    pacts.pact_sign(
        actor=cast.x_officer,
        pact=pact,
        unit=tree.X,
        signed_on=D(2021, 1, 15),
        signer_name="Nguyễn Văn A",
        signer_position="Chủ tịch",
    )
    with pytest.raises(ServiceError, match="Unit X has already signed this pact"):
        pacts.pact_sign(
            actor=cast.x_officer,
            pact=pact,
            unit=tree.X,
            signed_on=D(2021, 1, 16),
            signer_name="Nguyễn Văn A",
            signer_position="Chủ tịch",
        )
    with pytest.raises(ServiceError, match="Units have already signed"):
        pacts.pact_withdraw(actor=None, pact=pact)
    pact.refresh_from_db()
    assert pact.state == PactState.OPEN
    pacts.pact_sign(
        actor=cast.y_officer,
        pact=pact,
        unit=tree.Y,
        signed_on=D(2021, 1, 20),
        signer_name="Trần Thị B",
        signer_position="Phó Chủ tịch",
    )
    pact.refresh_from_db()
    assert (pact.state, pact.signed_on) == (PactState.SIGNED, D(2021, 1, 20))
    with pytest.raises(ServiceError, match="signed by every unit; it can no longer be changed"):
        pacts.pact_update(actor=None, pact=pact, data=DATA, targets=[])
    with pytest.raises(ServiceError, match="open for signing or signed; its units can no longer"):
        blocs.bloc_update(actor=None, bloc=bloc, name="x", units=[tree.X], leader=tree.X)
    with pytest.raises(ServiceError, match="the bloc cannot be deleted"):
        blocs.bloc_delete(actor=None, bloc=bloc)


def test_the_document(tree: Tree, bloc: Bloc) -> None:
    pact = pacts.pact_create(
        actor=None,
        bloc=bloc,
        data=DATA,
        targets=[
            pacts.TargetLine("Kết nạp đoàn viên", 1500, "đoàn viên"),
            pacts.TargetLine("Nhà Mái ấm Công đoàn", 10, "nhà", "xây mới"),
        ],
    )
    pacts.pact_open(actor=None, pact=pact, date=D(2021, 1, 15))
    pacts.pact_sign(
        actor=None,
        pact=pact,
        unit=tree.X,
        signed_on=D(2021, 1, 15),
        signer_name="Nguyễn Văn A",
        signer_position="Chủ tịch",
    )
    text = document_text(pacts.pact_document(pact))
    assert "BẢN GIAO ƯỚC THI ĐUA NĂM 2021" in text
    assert "Số: 01/GƯ" in text
    assert "Thái Bình, ngày 15 tháng 01 năm 2021" in text
    assert "UNIT C" in text and "KHỐI HUYỆN" in text
    start = text.index("STT")
    assert text[start : start + 15] == [
        "STT",
        "Chỉ tiêu",
        "Giá trị",
        "Đơn vị tính",
        "Ghi chú",
        "1",
        "Kết nạp đoàn viên",
        "1.500",
        "đoàn viên",
        "",
        "2",
        "Nhà Mái ấm Công đoàn",
        "10",
        "nhà",
        "xây mới",
    ]
    assert "Ký ngày 15/01/2021" in text
    assert "UNIT X" in text and "CHỦ TỊCH" in text and "Nguyễn Văn A" in text
    assert "UNIT Y" in text  # its block waits for its signature


def test_the_pages(tree: Tree, cast: Cast, bloc: Bloc) -> None:
    owner = login(cast.province_officer)
    bad = owner.post(
        reverse("pact_edit", args=[bloc.pk]),
        {"title": "BẢN GIAO ƯỚC", "dated": "15/01/2021", "targets": "Kết nạp; -3"},
    )
    assert "Line 1: the value cannot be negative." in bad.content.decode()
    assert not Pact.objects.exists()
    owner.post(
        reverse("pact_edit", args=[bloc.pk]),
        {"title": "BẢN GIAO ƯỚC", "dated": "15/01/2021", "targets": "Kết nạp; 30; đoàn viên"},
    )
    pact = Pact.objects.get()
    assert [(t.indicator, t.value) for t in pact.targets.all()] == [("Kết nạp", 30)]
    assert (
        "Kết nạp: 30 đoàn viên"
        in owner.get(reverse("bloc_detail", args=[bloc.pk])).content.decode()
    )
    owner.post(reverse("pact_open", args=[bloc.pk]), {"date": "16/01/2021"})
    x = login(cast.x_officer)
    page = x.get(reverse("bloc_detail", args=[bloc.pk])).content.decode()
    assert "Record a signature" in page
    x.post(
        reverse("pact_sign", args=[bloc.pk]),
        {
            "unit": tree.X.pk,
            "signed_on": "17/01/2021",
            "signer_name": "Nguyễn Văn A",
            "signer_position": "Chủ tịch",
        },
    )
    twice = x.post(
        reverse("pact_sign", args=[bloc.pk]),
        {"unit": tree.X.pk, "signed_on": "17/01/2021", "signer_name": "A", "signer_position": "B"},
    )
    assert twice.status_code == 200  # X no longer in the choices: the form says so
    assert pact.signatures.count() == 1
    doc = x.get(reverse("pact_document", args=[bloc.pk]))
    assert doc["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Nguyễn Văn A" in document_text(doc.content)
    assert x.post(reverse("pact_open", args=[bloc.pk]), {"date": "1/1/2021"}).status_code == 404
