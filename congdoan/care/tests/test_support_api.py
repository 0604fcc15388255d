"""The programme and support API: its endpoints, scoped like the pages (404 outside), and
recording a case under the same rules as the page."""

import datetime
from typing import Any

from django.test import Client

from congdoan.care import support as care
from congdoan.care.models import Support
from congdoan.care.tests.test_support_services import CCCD_A, CCCD_B, fund, programme, to_worker
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.tokens import api_token_create

D = datetime.date


def api(user: Any) -> Client:
    _token, key = api_token_create(actor=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_schema_lists_our_endpoints(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    ours = {p for p in schema["paths"] if p.startswith("/api/v1/care/programmes")}
    assert ours == {
        "/api/v1/care/programmes",
        "/api/v1/care/programmes/{programme_id}/supports",
    }
    assert set(schema["paths"]["/api/v1/care/programmes/{programme_id}/supports"]) == {
        "get",
        "post",
    }


def test_programmes_seen_from_a_unit(tree: Tree, cast: Cast) -> None:
    national = programme(tree.C, name="Tết toàn quốc", budget_vnd=5_000_000)
    programme(tree.X, name="Huyện X", start=D(2024, 5, 1))
    programme(tree.Y, name="Huyện Y")
    care.support_record(
        actor=None, programme=national, status="paid", data=to_worker(tree.Q1, cash_vnd=700_000)
    )
    client = api(cast.x_officer)
    body = client.get("/api/v1/care/programmes", {"unit": "X1"}).json()
    assert [(p["name"], p["unit_code"], p["used_vnd"]) for p in body] == [
        ("Huyện X", "X", 0),
        ("Tết toàn quốc", "C", 700_000),
    ]
    assert body[1]["budget_vnd"] == 5_000_000 and body[1]["categories"] == []
    for code in ("Y1", "NOPE", "P"):
        assert client.get("/api/v1/care/programmes", {"unit": code}).status_code == 404
    assert Client().get("/api/v1/care/programmes", {"unit": "X1"}).status_code == 401


def test_a_programmes_cases_within_reach(tree: Tree, cast: Cast) -> None:
    p = programme(tree.P, name="Tết 2024")
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    care.support_record(
        actor=None,
        programme=p,
        status="paid",
        data=care.SupportData(
            unit=tree.X1,
            person=care.Beneficiary(member=hoa),
            date=D(2024, 2, 1),
            cash_vnd=1_000_000,
        ),
    )
    care.support_record(actor=None, programme=p, data=to_worker(tree.Y1, cash_vnd=200_000))
    x = api(cast.x_officer)
    url = f"/api/v1/care/programmes/{p.pk}/supports"
    body = x.get(url).json()
    assert body["count"] == 1
    case = body["items"][0]
    assert (
        case["person_name"],
        case["unit_code"],
        case["member_id"],
        case["cash_vnd"],
        case["status"],
        case["person_cccd_masked"],
    ) == ("Nguyễn Thị Hoa", "X1", hoa.pk, 1_000_000, "paid", "001******321")
    assert CCCD_B not in str(body)
    assert x.get(url, {"q": "nguyen thi"}).json()["count"] == 1
    assert x.get(url, {"status": "proposed"}).json()["count"] == 0
    assert api(cast.province_officer).get(url).json()["count"] == 2
    assert api(cast.y_officer).get(url).json()["items"][0]["person_name"] == "Lò Văn Páo"
    q = programme(tree.Q1, name="Q1")
    assert x.get(f"/api/v1/care/programmes/{q.pk}/supports").status_code == 404
    assert x.get("/api/v1/care/programmes/999999/supports").status_code == 404


def test_recording_a_case(tree: Tree, cast: Cast) -> None:
    p = programme(
        tree.P,
        name="Tết 2024",
        fund=fund(tree.P, 10_000_000),
        allow_in_kind=True,
        items=[care.ItemData("Gạo", 250_000)],
    )
    rice = p.items.get()
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    far = make_member(tree.Y1, "Lê Thị Xa")
    url = f"/api/v1/care/programmes/{p.pk}/supports"
    chair = api(cast.chair)
    done = chair.post(
        url,
        {
            "unit": "X1",
            "member_id": hoa.pk,
            "cash_vnd": 500_000,
            "items": [{"item_id": rice.pk, "quantity": 2}],
            "date": "2024-02-01",
            "reference": "PC-1",
        },
        content_type="application/json",
    )
    assert done.status_code == 201, done.content
    body = done.json()
    assert (body["status"], body["cash_vnd"], body["in_kind_vnd"], body["total_vnd"]) == (
        "proposed",
        500_000,
        500_000,
        1_000_000,
    )
    assert body["items"] == [
        {"item_id": rice.pk, "item": "Gạo", "quantity": 2, "value_vnd": 500_000}
    ]
    bad = [
        (
            {"cash_vnd": 1500000.5},
            "Amounts are whole numbers of đồng, without decimals.",
            "cash_vnd",
        ),
        (
            {"cash_vnd": "1.000.000,5"},
            "Amounts are whole numbers of đồng, without decimals.",
            "cash_vnd",
        ),
        ({"cash_vnd": 0}, "The amount must be more than zero.", "cash_vnd"),
        ({"cash_vnd": -1}, "The amount must be more than zero.", "cash_vnd"),
        (
            {"date": "2025-01-01"},
            "The date 01/01/2025 is outside the programme's period (01/01/2024 – 31/12/2024).",
            "date",
        ),
        (
            {"person_cccd": CCCD_B},
            "This person has already received support under this programme.",
            "person_cccd",
        ),
        (
            {"status": "paid"},
            "Only Unit P (or a union above it) approves support under this "
            "programme; record the case as proposed.",
            "status",
        ),
    ]
    worker = {
        "unit": "X1",
        "person_name": "Lò Văn Páo",
        "person_cccd": CCCD_A,
        "employer_name": "Công ty May",
        "cash_vnd": 300_000,
        "date": "2024-02-01",
    }
    for change, message, field in bad:
        response = chair.post(url, {**worker, **change}, content_type="application/json")
        assert response.status_code == 400, change
        assert response.json() == {"detail": message, "field": field}
    for change in ({"unit": "Y1"}, {"unit": "NOPE"}, {"member_id": far.pk}, {"person_unit": "Y1"}):
        response = chair.post(url, {**worker, **change}, content_type="application/json")
        assert response.status_code == 404, change
    assert Support.objects.count() == 1
    officer = api(cast.province_officer)
    paid = officer.post(url, {**worker, "status": "paid"}, content_type="application/json")
    assert paid.status_code == 201 and paid.json()["status"] == "paid"
    q = programme(tree.Q1, name="Q1")
    outside = chair.post(
        f"/api/v1/care/programmes/{q.pk}/supports", worker, content_type="application/json"
    )
    assert outside.status_code == 404
