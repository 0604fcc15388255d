"""Award figures, pages, panels, documents and the API, with exact values and pinned queries."""

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from congdoan.awards import figures, services
from congdoan.awards.models import AwardDecision, AwardForm, DecisionStatus, NominationBatch
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.admin_docx import document_text
from congdoan.core.tokens import api_token_create
from congdoan.org import services as org_services

D = datetime.date
PERIOD = (D(2025, 1, 1), D(2025, 12, 31))


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def awarded(tree: Tree, cast: Cast) -> dict[str, Any]:
    """X gave Giấy khen to X1, X2 and two members; P gave a Bằng khen to one member of X1;
    Q gave one to Q1 (outside P)."""
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa")
    lan = make_member(tree.X2, "Trần Thị Lan")
    gk = services.decision_create(
        actor=None,
        unit=tree.X,
        form=AwardForm.objects.get(code="gk-cong-doan-cap-tren"),
        year=2024,
        number="5/QĐ-LĐLĐ",
        date=D(2025, 1, 14),
        signer="Hoàng Văn Thắng",
        signer_position="Chủ tịch",
        place="Mẫu Sơn",
    )
    for who in ({"unit": tree.X1}, {"unit": tree.X2}, {"member": hoa}, {"member": lan}):
        services.recipient_add(actor=None, decision=gk, override_reason="giấy", **who)
    services.decision_issue(actor=None, decision=gk)
    bk = services.decision_create(
        actor=None,
        unit=tree.P,
        form=AwardForm.objects.get(code="bk-ldld-tinh"),
        year=2024,
        number="15/QĐ-LĐLĐ",
        date=D(2025, 1, 14),
        signer="Lê Văn Nam",
        signer_position="Chủ tịch",
    )
    services.recipient_add(actor=None, decision=bk, member=hoa, override_reason="giấy")
    services.decision_issue(actor=None, decision=bk)
    q = services.decision_create(
        actor=None,
        unit=tree.Q,
        form=AwardForm.objects.get(code="bk-ldld-tinh"),
        year=2024,
        number="15/QĐ-LĐLĐ",
        date=D(2025, 1, 14),
        signer="X",
        signer_position="Chủ tịch",
    )
    services.recipient_add(actor=None, decision=q, unit=tree.Q1, override_reason="giấy")
    services.decision_issue(actor=None, decision=q)
    return {"gk": gk, "bk": bk, "q": q, "hoa": hoa, "lan": lan}


def test_figures_by_form_split_into_collectives_and_individuals(
    tree: Tree, awarded: dict[str, Any]
) -> None:
    assert figures.awards_section(tree.X, *PERIOD) == [
        {
            "form": "Bằng khen của Chủ tịch Liên đoàn Lao động tỉnh",
            "form_code": "bk-ldld-tinh",
            "authority": "province_union",
            "collectives": 0,
            "individuals": 1,
        },
        {
            "form": "Giấy khen của Chủ tịch công đoàn cấp trên trực tiếp cơ sở",
            "form_code": "gk-cong-doan-cap-tren",
            "authority": "upper_union",
            "collectives": 2,
            "individuals": 2,
        },
    ]
    assert [
        (r["collectives"], r["individuals"]) for r in figures.awards_section(tree.X1, *PERIOD)
    ] == [
        (0, 1),
        (1, 1),
    ]
    assert figures.awards_section(tree.Y, *PERIOD) == []
    assert figures.awards_section(tree.X, D(2024, 1, 1), D(2024, 12, 31)) == []
    # A revoked decision no longer counts.
    services.decision_revoke(actor=None, decision=awarded["bk"], date=D(2025, 2, 1), reason="Sai")
    assert [r["form_code"] for r in figures.awards_section(tree.X, *PERIOD)] == [
        "gk-cong-doan-cap-tren"
    ]


def test_figures_count_by_the_tree_of_the_decision_date(
    tree: Tree, awarded: dict[str, Any]
) -> None:
    """X1 moves to Y later in 2025: the 2025 awards still count under X (the tree of January),
    and the figures of the period up to the move's eve too."""
    org_services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2025, 6, 1), decision_ref="9/QĐ"
    )
    tree.refresh()
    period = (D(2025, 1, 1), D(2025, 3, 31))
    assert [
        (r["collectives"], r["individuals"]) for r in figures.awards_section(tree.X, *period)
    ] == [
        (0, 1),
        (2, 2),
    ]
    assert figures.awards_section(tree.Y, *period) == []


def test_stats_prints_the_awards_list(tree: Tree, awarded: dict[str, Any]) -> None:
    out = io.StringIO()
    call_command(
        "stats",
        "--unit",
        "P",
        "--from",
        "2025-01-01",
        "--as-of",
        "2025-06-30",
        "--format",
        "json",
        stdout=out,
    )
    awards = json.loads(out.getvalue())["awards"]
    assert [(a["form_code"], a["collectives"], a["individuals"]) for a in awards] == [
        ("bk-ldld-tinh", 0, 1),
        ("gk-cong-doan-cap-tren", 2, 2),
    ]


def test_figures_page_links_each_number_to_its_recipients(
    tree: Tree, cast: Cast, awarded: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = login(cast.x_officer)
    url = reverse("unit_award_figures", args=[tree.X.pk])
    client.get(url)  # warm the session and the reach
    with django_assert_num_queries(6):
        body = client.get(url, {"start": "01/01/2025", "end": "31/12/2025"}).content.decode()
    gk = AwardForm.objects.get(code="gk-cong-doan-cap-tren")
    link = (
        f"{reverse('unit_award_recipients', args=[tree.X.pk])}?start=01/01/2025&amp;"
        f"end=31/12/2025&amp;form={gk.pk}&amp;kind=collective"
    )
    assert link in body
    listed = client.get(
        reverse("unit_award_recipients", args=[tree.X.pk]),
        {"start": "01/01/2025", "end": "31/12/2025", "form": gk.pk, "kind": "collective"},
    ).content.decode()
    assert "Unit X1" in listed and "Unit X2" in listed and "Nguyễn Thị Hoa" not in listed


def test_unit_and_member_pages_show_their_history(
    tree: Tree, cast: Cast, awarded: dict[str, Any]
) -> None:
    client = login(cast.x_officer)
    body = client.get(reverse("unit_detail", args=[tree.X1.pk])).content.decode()
    assert "Awards received" in body and "5/QĐ-LĐLĐ" in body
    body = client.get(reverse("member_detail", args=[awarded["hoa"].pk])).content.decode()
    assert body.count("/QĐ-LĐLĐ") == 2
    # The provincial decision is not linked for someone who does not reach P.
    assert reverse("decision_detail", args=[awarded["bk"].pk]) not in body
    assert reverse("decision_detail", args=[awarded["gk"].pk]) in body
    assert (
        "Awards received"
        not in client.get(reverse("unit_detail", args=[tree.X3.pk])).content.decode()
    )


def test_unit_awards_page_queries_are_pinned(
    tree: Tree, cast: Cast, awarded: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = login(cast.province_officer)
    url = reverse("unit_awards", args=[tree.X.pk])
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert "5/QĐ-LĐLĐ" in response.content.decode()


def test_the_whole_flow_through_the_pages(tree: Tree, cast: Cast) -> None:
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190000009")
    chair = login(cast.chair)  # officer of X1
    response = chair.post(
        reverse("batch_create", args=[tree.X1.pk]),
        {
            "form": AwardForm.objects.get(code="gk-cong-doan-cap-tren").pk,
            "year": 2024,
            "date": "05/01/2025",
            "number": "1/TTr",
        },
    )
    batch = NominationBatch.objects.get()
    assert response["Location"] == reverse("batch_detail", args=[batch.pk])
    response = chair.post(
        reverse("nominee_add", args=[batch.pk]), {"member": "001190000009", "achievements": "Giỏi"}
    )
    assert response.status_code == 302
    body = chair.post(
        reverse("nominee_add", args=[batch.pk]), {"member": "001190000009", "achievements": "Lại"}
    ).content.decode()
    assert "Nguyễn Thị Hoa is already in this proposal." in body
    chair.post(reverse("batch_submit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "submitted"
    nominee = batch.nominees.get()
    # The chair of X1 cannot review (the council is X's): 404.
    assert (
        chair.post(
            reverse("nominee_review", args=[nominee.pk]), {f"r{nominee.pk}-decision": "accept"}
        ).status_code
        == 404
    )
    district = login(cast.x_officer)
    district.post(
        reverse("nominee_review", args=[nominee.pk]), {f"r{nominee.pk}-decision": "accept"}
    )
    nominee.refresh_from_db()
    assert nominee.review == "accepted"
    response = district.post(
        reverse("decision_create", args=[tree.X.pk]),
        {
            "form": batch.form_id,
            "year": 2024,
            "number": "5/QĐ-LĐLĐ",
            "date": "14/01/2025",
            "signer": "Hoàng Văn Thắng",
            "signer_position": "CHỦ TỊCH",
        },
    )
    decision = AwardDecision.objects.get()
    district.post(reverse("decision_add_accepted", args=[decision.pk]))
    district.post(reverse("decision_issue", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert [r.member_id for r in decision.recipients.all()] == [hoa.pk]
    body = district.post(
        reverse("decision_create", args=[tree.X.pk]),
        {
            "form": batch.form_id,
            "year": 2024,
            "number": "5/QĐ-LĐLĐ",
            "date": "20/02/2025",
            "signer": "A",
            "signer_position": "CHỦ TỊCH",
        },
    ).content.decode()
    assert "Decision number 5/QĐ-LĐLĐ is already used by Unit X in 2025." in body
    response = district.get(reverse("decision_edit", args=[decision.pk]))
    assert response["Location"] == reverse("decision_detail", args=[decision.pk])
    # A viewer reads but cannot write.
    viewer = login(cast.viewer)
    assert viewer.get(reverse("decision_detail", args=[decision.pk])).status_code == 200
    assert viewer.post(reverse("decision_revoke", args=[decision.pk])).status_code == 404


def test_the_decision_and_its_certificates_as_word(
    tree: Tree, cast: Cast, awarded: dict[str, Any]
) -> None:
    client = login(cast.x_officer)
    response = client.get(reverse("decision_document", args=[awarded["gk"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = document_text(response.content)
    assert "Số: 5/QĐ-LĐLĐ" in text
    assert "Mẫu Sơn, ngày 14 tháng 01 năm 2025" in text
    assert "QUYẾT ĐỊNH" in text
    assert (
        "Về việc tặng Giấy khen cho các tập thể và cá nhân đã có thành tích xuất sắc năm 2024"
    ) in text
    assert (
        "Tặng Giấy khen cho 02 tập thể và 02 cá nhân đã có thành tích xuất sắc trong phong "
        "trào thi đua năm 2024 (có danh sách kèm theo)."
    ) in text
    assert [t for t in text if t.startswith("Điều")] == ["Điều 1.", "Điều 2.", "Điều 3."]
    i = text.index("Tên tập thể")
    assert text[i + 2 : i + 5] == ["1", "Unit X1", "Unit X"]
    j = text.index("Họ và tên")
    assert text[j + 2 : j + 5] == ["1", "Nguyễn Thị Hoa", "Unit X1"]
    assert "Hoàng Văn Thắng" in text and "Nơi nhận:" in text
    certificates = client.get(reverse("decision_certificates", args=[awarded["gk"].pk]))
    text = document_text(certificates.content)
    assert text.count("GIẤY KHEN") == 4
    assert [t for t in text if t.startswith("Quyết định số")] == [
        "Quyết định số 5/QĐ-LĐLĐ, ngày 14/01/2025"
    ] * 4


def test_the_api(tree: Tree, cast: Cast, awarded: dict[str, Any]) -> None:
    client = api(cast.x_officer)
    schema = Client().get("/api/v1/openapi.json").json()
    assert {p for p in schema["paths"] if p.startswith("/api/v1/awards/")} == {
        "/api/v1/awards/forms",
        "/api/v1/awards/decisions",
        "/api/v1/awards/decisions/{decision_id}",
        "/api/v1/awards/nominations",
        "/api/v1/awards/units/{unit_code}/history",
        "/api/v1/awards/members/{member_id}/history",
    }
    forms = client.get("/api/v1/awards/forms").json()
    assert len(forms) == 11 and forms[0]["code"] == "huan-chuong-lao-dong"
    body = client.get("/api/v1/awards/decisions", {"unit": "X", "year": 2024}).json()
    assert [(d["number"], d["collectives"], d["individuals"]) for d in body] == [
        ("5/QĐ-LĐLĐ", 2, 2)
    ]
    assert client.get("/api/v1/awards/decisions", {"unit": "X", "year": 2023}).json() == []
    one = client.get(f"/api/v1/awards/decisions/{awarded['gk'].pk}").json()
    assert [(r["kind"], r["name"]) for r in one["recipients"]] == [
        ("collective", "Unit X1"),
        ("collective", "Unit X2"),
        ("individual", "Nguyễn Thị Hoa"),
        ("individual", "Trần Thị Lan"),
    ]
    history = client.get(f"/api/v1/awards/members/{awarded['hoa'].pk}/history").json()
    assert [(h["number"], h["form_code"]) for h in history] == [
        ("15/QĐ-LĐLĐ", "bk-ldld-tinh"),
        ("5/QĐ-LĐLĐ", "gk-cong-doan-cap-tren"),
    ] or [(h["number"], h["form_code"]) for h in history] == [
        ("5/QĐ-LĐLĐ", "gk-cong-doan-cap-tren"),
        ("15/QĐ-LĐLĐ", "bk-ldld-tinh"),
    ]
    assert [h["number"] for h in client.get("/api/v1/awards/units/X1/history").json()] == [
        "5/QĐ-LĐLĐ"
    ]
    assert client.get("/api/v1/awards/nominations", {"unit": "X"}).json() == []
    # Outside the reach: 404.
    assert client.get(f"/api/v1/awards/decisions/{awarded['bk'].pk}").status_code == 404
    assert client.get(f"/api/v1/awards/decisions/{awarded['q'].pk}").status_code == 404
    assert client.get("/api/v1/awards/decisions", {"unit": "Q"}).status_code == 404
    assert client.get("/api/v1/awards/units/Q1/history").status_code == 404
    q_member = make_member(tree.Q1, "Người Ngoài")
    assert client.get(f"/api/v1/awards/members/{q_member.pk}/history").status_code == 404
    assert client.get("/api/v1/awards/nominations", {"unit": "Y"}).status_code == 404
