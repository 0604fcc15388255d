"""The award services that change or remove what was written (a proposal's details, its
withdrawal, a form, a nominee, a recipient, a rule): the state after, the audit record left
naming its actor, and the refusals (a closed record, a user outside the unit) with nothing
changed."""

import datetime

import pytest
from django.contrib.auth.models import AbstractBaseUser, User
from django.test import Client
from django.urls import reverse

from congdoan.awards import services
from congdoan.awards.models import (
    AwardForm,
    AwardRecipient,
    BatchStatus,
    EligibilityRule,
    NominationBatch,
    Nominee,
    Review,
)
from congdoan.awards.tests.test_services import Setup, check, form, proposal, s  # noqa: F401
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent

D = datetime.date


def as_user(user: AbstractBaseUser) -> User:
    """A cast member as the services type their actor."""
    assert isinstance(user, User)
    return user


def login(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(as_user(user))
    return client


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def own_form(setup: Setup) -> AwardForm:
    """A Giấy khen that federation P adds for its own subtree (as in test_services)."""
    return services.form_create(
        actor=as_user(setup.cast.province_admin),
        unit=setup.tree.P,
        code="gk-p",
        name="Giấy khen P",
        kind="commendation",
        authority="upper_union",
        recipients="individual",
        phrase="tặng Giấy khen",
    )


# --- batch_update ----------------------------------------------------------------------------


def test_batch_update_changes_a_draft_and_records_each_field(s: Setup) -> None:  # noqa: F811
    batch = proposal(s)  # by X, for 2024, dated 05/01/2025, number 3/TTr
    officer = as_user(s.cast.x_officer)
    services.batch_update(
        actor=officer, batch=batch, date=D(2025, 2, 10), number=" 7/TTr-CĐ ", note=" Bổ sung "
    )
    batch = NominationBatch.objects.get(pk=batch.pk)
    assert (batch.date, batch.number, batch.note) == (D(2025, 2, 10), "7/TTr-CĐ", "Bổ sung")
    [event] = events("award_batch.update")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        officer.pk,
        "awards.nominationbatch",
        str(batch.pk),
        s.tree.X.pk,
    )
    assert event.changes == {
        "date": ["2025-01-05", "2025-02-10"],
        "number": ["3/TTr", "7/TTr-CĐ"],
        "note": ["", "Bổ sung"],
    }
    # Only what changed is recorded.
    services.batch_update(
        actor=officer, batch=batch, date=D(2025, 2, 10), number="7/TTr-CĐ", note="Đã ký"
    )
    assert events("award_batch.update")[1].changes == {"note": ["Bổ sung", "Đã ký"]}

    # A date before the year proposed for is refused.
    with pytest.raises(ServiceError, match=r"A proposal for 2024 is dated in 2024 or later\."):
        services.batch_update(actor=officer, batch=batch, date=D(2023, 12, 1), number="x", note="")
    # A sibling district cannot reach X's proposal; the page answers 404.
    response = login(s.cast.y_officer).post(
        reverse("batch_edit", args=[batch.pk]),
        {"form": batch.form_id, "year": 2024, "date": "2025-03-01", "number": "9", "note": "Y"},
    )
    assert response.status_code == 404
    batch = NominationBatch.objects.get(pk=batch.pk)
    assert (batch.date, batch.number, batch.note) == (D(2025, 2, 10), "7/TTr-CĐ", "Đã ký")
    assert len(events("award_batch.update")) == 2

    # Once submitted, it is no longer changed.
    services.nominee_add(actor=officer, batch=batch, member=s.hoa, achievements="Tốt")
    services.batch_submit(actor=officer, batch=batch)
    with pytest.raises(ServiceError, match="already submitted; it can no longer be changed"):
        services.batch_update(actor=officer, batch=batch, date=D(2025, 3, 1), number="x", note="x")
    assert NominationBatch.objects.get(pk=batch.pk).number == "7/TTr-CĐ"
    assert len(events("award_batch.update")) == 2


# --- batch_withdraw --------------------------------------------------------------------------


def test_batch_withdraw_of_a_submitted_proposal_with_its_reason(s: Setup) -> None:  # noqa: F811
    officer = as_user(s.cast.x_officer)
    batch = proposal(s, unit=s.tree.X1)  # its council is X
    services.nominee_add(actor=officer, batch=batch, member=s.hoa, achievements="Tốt")
    services.batch_submit(actor=officer, batch=batch)

    with pytest.raises(ServiceError, match=r"Say why the proposal is withdrawn\."):
        services.batch_withdraw(actor=officer, batch=batch, reason="  ")
    # The province's viewer sees the proposal but may not withdraw it.
    client = login(s.cast.viewer)
    url = reverse("batch_withdraw", args=[batch.pk])
    assert client.get(reverse("batch_detail", args=[batch.pk])).status_code == 200
    assert client.post(url, {"withdraw-reason": "Không"}).status_code == 404
    assert NominationBatch.objects.get(pk=batch.pk).status == BatchStatus.SUBMITTED
    assert events("award_batch.withdraw") == []

    services.batch_withdraw(actor=officer, batch=batch, reason=" Hồ sơ thiếu minh chứng ")
    assert NominationBatch.objects.get(pk=batch.pk).status == BatchStatus.WITHDRAWN
    [event] = events("award_batch.withdraw")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        officer.pk,
        "awards.nominationbatch",
        str(batch.pk),
        s.tree.X1.pk,
    )
    assert event.changes == {"status": ["submitted", "withdrawn"]}
    assert event.summary == "Hồ sơ thiếu minh chứng"
    # A withdrawn proposal is not withdrawn again, nor reviewed.
    with pytest.raises(ServiceError, match="Only a proposal not yet reviewed can be withdrawn"):
        services.batch_withdraw(actor=officer, batch=batch, reason="Lần hai")
    assert len(events("award_batch.withdraw")) == 1


def test_batch_withdraw_is_refused_once_the_council_has_started(s: Setup) -> None:  # noqa: F811
    officer = as_user(s.cast.x_officer)
    batch = proposal(s, unit=s.tree.X1)
    first = services.nominee_add(actor=officer, batch=batch, member=s.hoa, achievements="Tốt")
    services.nominee_add(actor=officer, batch=batch, unit=s.tree.X1, achievements="Vững mạnh",
                         override_reason="Xếp loại đang chờ")  # fmt: skip
    services.batch_submit(actor=officer, batch=batch)
    services.nominee_review(actor=officer, nominee=first, accept=True)
    assert NominationBatch.objects.get(pk=batch.pk).status == BatchStatus.SUBMITTED
    with pytest.raises(ServiceError, match="The council has started its review"):
        services.batch_withdraw(actor=officer, batch=batch, reason="Rút")
    batch = NominationBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.SUBMITTED
    assert Nominee.objects.get(pk=first.pk).review == Review.ACCEPTED
    assert events("award_batch.withdraw") == []
    # A draft may be withdrawn too.
    draft = proposal(s)
    services.batch_withdraw(actor=officer, batch=draft, reason="Trùng")
    assert NominationBatch.objects.get(pk=draft.pk).status == BatchStatus.WITHDRAWN
    assert [e.changes for e in events("award_batch.withdraw")] == [
        {"status": ["draft", "withdrawn"]}
    ]


# --- form_update -----------------------------------------------------------------------------


def test_form_update_changes_a_federation_form(s: Setup) -> None:  # noqa: F811
    own = own_form(s)
    admin = as_user(s.cast.province_admin)
    services.form_update(
        actor=admin, form=own, name="Giấy khen của LĐLĐ P", rank=5, is_active=False
    )
    own = AwardForm.objects.get(pk=own.pk)
    assert (own.name, own.rank, own.is_active, own.phrase) == (
        "Giấy khen của LĐLĐ P",
        5,
        False,
        "tặng Giấy khen",
    )
    # Put out of use: no longer offered to the units below P.
    assert own not in services.forms_for(s.tree.X1)
    [event] = events("award_form.update")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        admin.pk,
        "awards.awardform",
        str(own.pk),
        s.tree.P.pk,
    )
    assert event.changes == {
        "name": ["Giấy khen P", "Giấy khen của LĐLĐ P"],
        "rank": [0, 5],
        "is_active": [True, False],
    }
    assert event.summary == "Giấy khen của LĐLĐ P"

    # A field that is not the form's own is refused, and nothing is saved.
    with pytest.raises(TypeError, match="code"):
        services.form_update(actor=admin, form=own, name="Đổi", code="khac")
    own = AwardForm.objects.get(pk=own.pk)
    assert (own.name, own.code) == ("Giấy khen của LĐLĐ P", "gk-p")
    # A district officer under P reads the form but may not edit it; P's admin may not edit a
    # national form.
    data = {"name": "X đổi", "kind": "commendation", "authority": "upper_union",
            "recipients": "individual", "phrase": "tặng", "rank": 1}  # fmt: skip
    x_client = login(s.cast.x_officer)
    assert x_client.get(reverse("award_form_detail", args=[own.pk])).status_code == 200
    assert x_client.post(reverse("award_form_edit", args=[own.pk]), data).status_code == 404
    national = form("gk-cdcs")
    response = login(s.cast.province_admin).post(
        reverse("award_form_edit", args=[national.pk]), data
    )
    assert response.status_code == 404
    assert AwardForm.objects.get(pk=own.pk).name == "Giấy khen của LĐLĐ P"
    assert AwardForm.objects.get(pk=national.pk).name == national.name
    assert len(events("award_form.update")) == 1


# --- nominee_remove --------------------------------------------------------------------------


def test_nominee_remove_from_a_draft(s: Setup) -> None:  # noqa: F811
    officer = as_user(s.cast.x_officer)
    batch = proposal(s)
    hoa = services.nominee_add(actor=officer, batch=batch, member=s.hoa, achievements="Tốt")
    lan = services.nominee_add(actor=officer, batch=batch, member=s.lan, achievements="Giỏi")

    # Y's officer cannot reach X's proposal.
    response = login(s.cast.y_officer).post(reverse("nominee_remove", args=[hoa.pk]))
    assert response.status_code == 404
    assert list(batch.nominees.order_by("id")) == [hoa, lan]

    services.nominee_remove(actor=officer, nominee=hoa)
    assert list(batch.nominees.order_by("id")) == [lan]
    assert not Nominee.objects.filter(pk=hoa.pk).exists()
    [event] = events("award_nominee.remove")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        officer.pk,
        "awards.nominationbatch",
        str(batch.pk),
        s.tree.X.pk,
    )
    assert (event.summary, event.changes) == ("Nguyễn Thị Hoa", {})

    # Submitted: the nominees stay as they were sent.
    services.batch_submit(actor=officer, batch=batch)
    lan = Nominee.objects.get(pk=lan.pk)
    with pytest.raises(ServiceError, match="already submitted; it can no longer be changed"):
        services.nominee_remove(actor=officer, nominee=lan)
    assert list(batch.nominees.order_by("id")) == [lan]
    assert len(events("award_nominee.remove")) == 1


# --- recipient_remove ------------------------------------------------------------------------


def test_recipient_remove_from_a_draft_decision(s: Setup) -> None:  # noqa: F811
    officer = as_user(s.cast.x_officer)
    decision = services.decision_create(
        actor=officer,
        unit=s.tree.X,
        form=form("gk-cong-doan-cap-tren"),
        year=2024,
        number="12/QĐ-LĐLĐ",
        date=D(2025, 1, 14),
        signer="Hoàng Văn A",
        signer_position="Chủ tịch",
    )
    hoa = services.recipient_add(actor=officer, decision=decision, member=s.hoa)
    x1 = services.recipient_add(
        actor=officer, decision=decision, unit=s.tree.X1, override_reason="Xếp loại đang chờ"
    )

    response = login(s.cast.y_officer).post(reverse("recipient_remove", args=[hoa.pk]))
    assert response.status_code == 404
    assert list(decision.recipients.order_by("id")) == [hoa, x1]

    services.recipient_remove(actor=officer, recipient=hoa)
    assert list(decision.recipients.order_by("id")) == [x1]
    assert not AwardRecipient.objects.filter(pk=hoa.pk).exists()
    [event] = events("award_recipient.remove")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        officer.pk,
        "awards.awarddecision",
        str(decision.pk),
        s.tree.X.pk,
    )
    assert (event.summary, event.changes) == ("Nguyễn Thị Hoa", {})

    # Issued: the list is final.
    services.decision_issue(actor=officer, decision=decision)
    x1 = AwardRecipient.objects.get(pk=x1.pk)
    with pytest.raises(ServiceError, match="An issued decision cannot be edited"):
        services.recipient_remove(actor=officer, recipient=x1)
    assert list(decision.recipients.all()) == [x1]
    assert len(events("award_recipient.remove")) == 1


# --- rule_delete -----------------------------------------------------------------------------


def test_rule_delete_lifts_the_condition(s: Setup) -> None:  # noqa: F811
    own = own_form(s)
    admin = as_user(s.cast.province_admin)
    rule = services.rule_add(actor=admin, form=own, kind="service_months", number=24)
    assert check(s, "gk-p", 2020, member=s.lan) == [
        "Only 9 months of union membership by 31/12/2020; the form needs 24."
    ]

    # X's officer may not change P's form; nor P's admin the national catalogue.
    url = reverse("award_rule_delete", args=[rule.pk])
    assert login(s.cast.x_officer).post(url).status_code == 404
    national = form("bk-ldld-tinh").rules.first()
    assert national is not None
    response = login(s.cast.province_admin).post(reverse("award_rule_delete", args=[national.pk]))
    assert response.status_code == 404
    assert EligibilityRule.objects.filter(pk__in=[rule.pk, national.pk]).count() == 2
    assert events("award_rule.delete") == []

    services.rule_delete(actor=admin, rule=rule)
    assert not own.rules.exists()
    assert check(s, "gk-p", 2020, member=s.lan) == []
    [event] = events("award_rule.delete")
    assert (event.actor_id, event.target_type, event.target_id, event.unit_id) == (
        admin.pk,
        "awards.awardform",
        str(own.pk),
        s.tree.P.pk,
    )
    assert (event.summary, event.changes) == ("At least 24 months of union membership", {})
