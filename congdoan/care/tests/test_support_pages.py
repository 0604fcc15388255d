"""Programme and support pages: who sees and changes what, the forms (amounts and dates as
people type them, errors shown and nothing written), the list of a programme's cases (filters,
search without diacritics, a pinned number of queries) and the workflow buttons."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.care import support as care
from congdoan.care.models import FundEntry, Programme, ProgrammeKind, Support
from congdoan.care.tests.test_support_services import CCCD_A, CCCD_B, fund, programme, to_worker
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.models import AuditEvent

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def programme_post(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Tháng Công nhân 2024",
        "kind": "workers_month",
        "start": "01/05/2024",
        "end": "31/05/2024",
        "allow_cash": "on",
        "budget_vnd": "100.000.000",
        "decision_ref": "12/QĐ-LĐLĐ",
        "cat-TOTAL_FORMS": "2",
        "cat-INITIAL_FORMS": "0",
        "cat-MIN_NUM_FORMS": "0",
        "cat-MAX_NUM_FORMS": "1000",
        "cat-0-name": "",
        "cat-0-amount_vnd": "",
        "cat-1-name": "",
        "cat-1-amount_vnd": "",
        "item-TOTAL_FORMS": "2",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "0",
        "item-MAX_NUM_FORMS": "1000",
        "item-0-name": "",
        "item-0-measure": "",
        "item-0-unit_value_vnd": "",
        "item-1-name": "",
        "item-1-measure": "",
        "item-1-unit_value_vnd": "",
    }
    data.update(changes)
    return data


def test_a_unit_lists_its_programmes_and_those_above(tree: Tree, cast: Cast) -> None:
    national = programme(tree.C, name="Tết toàn quốc", budget_vnd=2_000_000)
    programme(tree.X, name="Thăm hỏi huyện X")
    programme(tree.Y, name="Thăm hỏi huyện Y")
    care.support_record(
        actor=None, programme=national, status="approved", data=to_worker(tree.Q1, cash_vnd=500_000)
    )
    page = login(cast.chair).get(reverse("unit_programmes", args=[tree.X1.pk]))
    assert page.status_code == 200
    assert [p.name for p in page.context["programmes"]] == ["Thăm hỏi huyện X", "Tết toàn quốc"]
    body = page.content.decode()
    assert "Thăm hỏi huyện Y" not in body
    assert "500.000 đ" in body and "1.500.000 đ" in body  # used (anywhere) and left
    assert reverse("programme_create", args=[tree.X1.pk]) in body
    viewer = login(cast.viewer).get(reverse("unit_programmes", args=[tree.X1.pk]))
    assert reverse("programme_create", args=[tree.X1.pk]) not in viewer.content.decode()
    assert (
        login(cast.y_officer).get(reverse("unit_programmes", args=[tree.X1.pk])).status_code == 404
    )


def test_a_programme_is_created_and_edited_through_the_form(tree: Tree, cast: Cast) -> None:
    client = login(cast.x_officer)
    url = reverse("programme_create", args=[tree.X.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, programme_post(budget_vnd="1.500.000,5", **{"cat-0-name": "Nặng"}))
    assert bad.status_code == 200
    assert "Amounts are whole numbers of đồng, without decimals." in bad.content.decode()
    assert "Give the amount per person." in bad.content.decode()
    late = client.post(url, programme_post(end="30/04/2024"))
    assert "The programme cannot end before it starts." in late.content.decode()
    assert Programme.objects.count() == 0
    done = client.post(
        url,
        programme_post(
            **{
                "cat-0-name": "Khó khăn",
                "cat-0-amount_vnd": "1.000.000",
                "allow_in_kind": "on",
                "item-0-name": "Gạo",
                "item-0-measure": "bao",
                "item-0-unit_value_vnd": "250.000",
            }
        ),
    )
    p = Programme.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("programme_detail", args=[p.pk])
    assert (p.unit, p.kind, p.start, p.end, p.budget_vnd, p.allow_in_kind) == (
        tree.X,
        ProgrammeKind.WORKERS_MONTH,
        D(2024, 5, 1),
        D(2024, 5, 31),
        100_000_000,
        True,
    )
    assert list(p.categories.values_list("name", "amount_vnd")) == [("Khó khăn", 1_000_000)]
    assert list(p.items.values_list("name", "measure", "unit_value_vnd")) == [
        ("Gạo", "bao", 250_000)
    ]
    edit = reverse("programme_edit", args=[p.pk])
    form = client.get(edit)
    assert form.context["form"].initial["budget_vnd"] == 100_000_000
    assert 'value="100.000.000"' in form.content.decode()
    client.post(
        edit,
        programme_post(
            name="Tháng Công nhân 2024 (bổ sung)",
            budget_vnd="120.000.000",
            **{
                "cat-TOTAL_FORMS": "1",
                "cat-0-name": "Khó khăn",
                "cat-0-amount_vnd": "1.200.000",
                "allow_in_kind": "on",
                "item-0-name": "Gạo",
                "item-0-unit_value_vnd": "250000",
            },
        ),
    )
    p.refresh_from_db()
    assert (p.name, p.budget_vnd) == ("Tháng Công nhân 2024 (bổ sung)", 120_000_000)
    assert list(p.categories.values_list("amount_vnd", flat=True)) == [1_200_000]
    # Who may not: a viewer, a sibling, and the units below (they record; the owner edits).
    for user in (cast.viewer, cast.y_officer, cast.chair):
        assert login(user).post(edit, programme_post(name="Hacked")).status_code == 404
        assert login(user).get(reverse("programme_create", args=[tree.X.pk])).status_code == 404
    p.refresh_from_db()
    assert p.name == "Tháng Công nhân 2024 (bổ sung)"


@pytest.fixture
def cases(tree: Tree, cast: Cast) -> Programme:
    """A programme of P with cases given by X1 (a member and a worker), X2 and Y1."""
    p = programme(tree.P, name="Tết 2024", budget_vnd=50_000_000)
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    care.support_record(
        actor=None,
        programme=p,
        data=care.SupportData(
            unit=tree.X1,
            person=care.Beneficiary(member=hoa),
            date=D(2024, 2, 1),
            cash_vnd=1_000_000,
        ),
    )
    care.support_record(
        actor=None,
        programme=p,
        status="paid",
        data=to_worker(tree.X1, name="Lò Văn Páo", cash_vnd=500_000),
    )
    for i, unit in enumerate([tree.X2, tree.Y1, tree.X2, tree.X3]):
        cccd = f"00109{i:07d}"
        care.support_record(
            actor=None,
            programme=p,
            status="approved",
            data=to_worker(unit, cccd=cccd, name=f"Trần Văn Ánh {i}", cash_vnd=300_000),
        )
    return p


def test_a_programmes_cases_within_reach(tree: Tree, cast: Cast, cases: Programme) -> None:
    url = reverse("programme_detail", args=[cases.pk])
    x = login(cast.x_officer).get(url)
    names = [s.person_name for s in x.context["rows"]]
    assert sorted(names) == [
        "Lò Văn Páo",
        "Nguyễn Thị Hoa",
        "Trần Văn Ánh 0",
        "Trần Văn Ánh 2",
        "Trần Văn Ánh 3",
    ]
    assert "Trần Văn Ánh 1" not in x.content.decode()  # given by Y1
    assert x.context["totals"]["people"] == 5
    assert x.context["totals"]["cash"] == 2_400_000
    assert x.context["used"] == 1_700_000  # the budget used anywhere (approved and paid)
    found = login(cast.x_officer).get(url, {"q": "nguyen thi hoa"})
    assert [s.person_name for s in found.context["rows"]] == ["Nguyễn Thị Hoa"]
    assert [
        s.person_name for s in login(cast.x_officer).get(url, {"q": "LO VAN"}).context["rows"]
    ] == ["Lò Văn Páo"]
    by_cccd = login(cast.x_officer).get(url, {"q": CCCD_A})
    assert [s.person_name for s in by_cccd.context["rows"]] == ["Lò Văn Páo"]
    paid = login(cast.x_officer).get(url, {"status": "paid"})
    assert [s.person_name for s in paid.context["rows"]] == ["Lò Văn Páo"]
    chair = login(cast.chair).get(url)
    assert sorted(s.person_name for s in chair.context["rows"]) == ["Lò Văn Páo", "Nguyễn Thị Hoa"]
    assert reverse("programme_edit", args=[cases.pk]) not in chair.content.decode()
    assert reverse("support_create", args=[cases.pk]) in chair.content.decode()
    viewer = login(cast.viewer).get(url)
    assert viewer.status_code == 200
    assert reverse("support_create", args=[cases.pk]) not in viewer.content.decode()


def test_the_programme_page_takes_the_same_queries_however_many_cases(
    tree: Tree, cast: Cast, cases: Programme, django_assert_num_queries: Any
) -> None:
    client = login(cast.province_officer)
    url = reverse("programme_detail", args=[cases.pk])
    client.get(url)
    # session, user, roles; programme; categories, items; budget used; totals; count, page;
    # whether the user may record
    with django_assert_num_queries(11):
        client.get(url)
    for i in range(5):
        care.support_record(
            actor=None,
            programme=cases,
            data=to_worker(tree.Y2, cccd=f"00119{i:07d}", cash_vnd=10_000),
        )
    with django_assert_num_queries(11):
        client.get(url)


def support_post(giver: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "giver": str(giver.pk),
        "who": "other",
        "person_name": "Lò Văn Páo",
        "person_cccd": CCCD_A,
        "employer_name": "Công ty May",
        "cash_vnd": "1.000.000",
        "date": "01/02/2024",
        "reference": "PC-7",
    }
    data.update(changes)
    return data


def test_recording_support_through_the_form(tree: Tree, cast: Cast) -> None:
    p = programme(tree.P, name="Tết 2024")
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    far = make_member(tree.Y1, "Lê Thị Xa")
    client = login(cast.chair)
    url = reverse("support_create", args=[p.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["giver"].queryset) == [tree.X1]
    assert "status" not in page.context["form"].fields  # the chair only proposes
    errors = [
        (
            support_post(tree.X1, cash_vnd="1000000.5"),
            "Amounts are whole numbers of đồng, without decimals.",
        ),
        (support_post(tree.X1, cash_vnd="0"), "The amount must be more than zero."),
        (
            support_post(tree.X1, date="01/02/2025"),
            "The date 01/02/2025 is outside the programme&#x27;s period (01/01/2024 – 31/12/2024).",
        ),
        (
            support_post(tree.X1, person_cccd=""),
            "Give the CCCD number of a person who is not a member.",
        ),
        (
            support_post(tree.X1, who="member", member=str(far.pk)),
            "No such member among your units.",
        ),
        (support_post(tree.Y1), "Select a valid choice."),
        (
            support_post(tree.X1, unit="Y1", employer_name=""),
            "No unit with code Y1 among your units.",
        ),
    ]
    for data, message in errors:
        response = client.post(url, data)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    assert Support.objects.count() == 0
    done = client.post(url, support_post(tree.X1, who="member", member=str(hoa.pk)))
    case = Support.objects.get()
    assert done["Location"] == reverse("support_detail", args=[case.pk])
    assert (case.member, case.cash_vnd, case.status, case.reference) == (
        hoa,
        1_000_000,
        "proposed",
        "PC-7",
    )
    again = client.post(
        url, support_post(tree.X1, who="other", person_cccd=CCCD_B, person_name="Nguyễn Thị Hoa")
    )
    assert "This person has already received support under this programme." in (
        again.content.decode()
    )
    # The province records directly as paid, for a worker with a grassroots union.
    officer = login(cast.province_officer)
    officer.post(url, support_post(tree.X2, unit="X2", employer_name="", status="paid"))
    worker = Support.objects.get(person_cccd=CCCD_A)
    assert (worker.person_unit, worker.status, worker.unit) == (tree.X2, "paid", tree.X2)
    for user in (cast.viewer, cast.nobody):
        assert login(user).post(url, support_post(tree.X1)).status_code == 404
    # The officer of Y records under the province's programme, but not for X1.
    other = login(cast.y_officer).post(url, support_post(tree.X1, person_cccd="001190054322"))
    assert "Select a valid choice." in other.content.decode()
    assert Support.objects.count() == 2


def test_the_member_search_finds_people_in_reach(tree: Tree, cast: Cast) -> None:
    make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    make_member(tree.Y1, "Nguyễn Thị Hòa")
    body = (
        login(cast.x_officer)
        .get(reverse("support_member_search"), {"member_q": "nguyen thi hoa"})
        .content.decode()
    )
    assert "Nguyễn Thị Hoa" in body and "Nguyễn Thị Hòa" not in body
    assert 'type="radio" name="member"' in body
    assert "001******321" in body  # the CCCD masked
    assert (
        "No one in your units matches."
        in login(cast.nobody)
        .get(reverse("support_member_search"), {"member_q": "nguyen thi hoa"})
        .content.decode()
    )


def test_the_workflow_buttons_follow_the_role(tree: Tree, cast: Cast) -> None:
    social = fund(tree.P, 5_000_000)
    p = programme(tree.P, name="Tết 2024", fund=social)
    case = care.support_record(
        actor=cast.chair, programme=p, data=to_worker(tree.X1, cash_vnd=1_000_000)
    )
    url = reverse("support_detail", args=[case.pk])
    decide = reverse("support_decide", args=[case.pk])
    chair = login(cast.chair)
    body = chair.get(url).content.decode()
    assert "Proposed" in body and decide not in body
    assert "001******345" in body and CCCD_A not in body
    assert chair.post(decide, {"decision": "approve"}).status_code == 404
    assert login(cast.viewer).post(decide, {"decision": "approve"}).status_code == 404
    assert login(cast.y_officer).get(url).status_code == 404
    officer = login(cast.province_officer)
    assert decide in officer.get(url).content.decode()
    response = officer.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert "Give the reason." in response.content.decode()
    officer.post(decide, {"decision": "approve"})
    officer.post(decide, {"decision": "pay"})
    case.refresh_from_db()
    assert case.status == "paid"
    page = officer.get(url).content.decode()
    assert "Grant out" in page and "-1.000.000 đ" in page
    assert "Paid" in page and "Approved" in page  # the trail, labelled
    edit = chair.get(reverse("support_edit", args=[case.pk]), follow=True)
    assert "A paid case is never edited" in edit.content.decode()
    officer.post(decide, {"decision": "reverse", "reason": "Chi trùng"})
    case.refresh_from_db()
    assert (case.status, FundEntry.objects.filter(support=case).count()) == ("reversed", 2)
    assert (
        AuditEvent.objects.filter(target_type="care.support", action="support.reverse").count() == 1
    )


def test_a_large_subtree_types_the_giving_unit_by_code(
    tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above a few hundred units the giving unit is typed by code (with suggestions) instead of
    chosen in a list."""
    from congdoan.care import forms_support

    monkeypatch.setattr(forms_support, "GIVER_SELECT_MAX", 2)
    p = programme(tree.P, name="Tết 2024")
    client = login(cast.province_officer)
    url = reverse("support_create", args=[p.pk])
    form = client.get(url).context["form"]
    assert isinstance(form.fields["giver"], forms_support.GiverCodeField)
    assert form.fields["giver"].initial == "P"
    wrong = client.post(url, {**support_post(tree.X1), "giver": "Q1"})
    assert "No unit with code Q1 among the units you may record for." in wrong.content.decode()
    client.post(url, {**support_post(tree.X1), "giver": "X2"})
    assert Support.objects.get().unit == tree.X2
    options = client.get(reverse("support_giver_options"), {"giver": "unit x"}).content.decode()
    assert '<option value="X">' in options and 'value="Y1"' not in options
    chair = login(cast.chair).get(reverse("support_giver_options"), {"giver": "unit x"})
    assert 'value="X1"' in chair.content.decode() and 'value="X"' not in chair.content.decode()


def test_a_viewer_gets_not_found_on_every_write_url(tree: Tree, cast: Cast) -> None:
    p = programme(tree.P, name="Tết 2024")
    case = care.support_record(actor=None, programme=p, data=to_worker(tree.X1, cash_vnd=1))
    client = login(cast.viewer)
    assert client.get(reverse("programme_detail", args=[p.pk])).status_code == 200
    assert client.get(reverse("support_detail", args=[case.pk])).status_code == 200
    writes = [("programme_create", tree.X1.pk), ("programme_edit", p.pk),
              ("support_create", p.pk), ("support_import", p.pk), ("support_template", p.pk),
              ("support_edit", case.pk), ("support_decide", case.pk)]  # fmt: skip
    for name, pk in writes:
        url = reverse(name, args=[pk])
        assert client.post(url, {"decision": "approve", "name": "x"}).status_code == 404, name
        if name != "support_decide":
            assert client.get(url).status_code == 404, name
    case.refresh_from_db()
    assert case.status == "proposed"


def test_a_proposal_is_edited_through_the_form(tree: Tree, cast: Cast) -> None:
    p = programme(tree.P, name="Tết 2024")
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd=CCCD_B)
    case = care.support_record(
        actor=cast.chair,
        programme=p,
        data=care.SupportData(
            unit=tree.X1, person=care.Beneficiary(member=hoa), date=D(2024, 2, 1), cash_vnd=1
        ),
    )
    client = login(cast.chair)
    url = reverse("support_edit", args=[case.pk])
    page = client.get(url)
    assert page.context["form"].initial["cash_vnd"] == 1
    assert page.context["chosen"] == hoa
    assert f'value="{hoa.pk}" checked' in page.content.decode()
    done = client.post(url, support_post(tree.X1, who="member", member=str(hoa.pk),
                                         cash_vnd="700.000"))  # fmt: skip
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.cash_vnd, case.reference, case.status) == (700_000, "PC-7", "proposed")
    assert login(cast.y_officer).get(url).status_code == 404
