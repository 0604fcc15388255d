"""Cancelling a pending transfer from the sending side: the transfer is cancelled, the member
stays where they were, the cancellation is audited; a decided transfer cannot be cancelled, and
nobody outside the sending union's subtree may cancel one."""

import datetime

import pytest
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.messages import get_messages
from django.urls import reverse

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.members import services
from congdoan.members.models import Member, MembershipSpell, Transfer, TransferStatus
from congdoan.members.tests.test_pages import login
from congdoan.members.tests.test_services import kinds

D = datetime.date


def as_user(user: AbstractBaseUser) -> User:
    """A member of the test cast as the services type their actor."""
    assert isinstance(user, User)
    return user


def _pending(tree: Tree, cast: Cast, name: str = "Hoàng Thị Em") -> tuple[Member, Transfer]:
    """A member of X1 whose union asked Y1 to receive them on 01/03/2022."""
    member = make_member(tree.X1, name)
    transfer = services.transfer_request(
        actor=as_user(cast.chair),
        member=member,
        to_unit=tree.Y1,
        date=D(2022, 3, 1),
        decision_ref="12/QĐ",
    )
    return member, transfer


def _where(member: Member) -> tuple[object, ...]:
    member.refresh_from_db()
    return (member.status, member.unit_id, member.upper_id, member.province_id)


def _cancel_events(transfer: Transfer) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action="transfer.cancelled", target_type="members.transfer", target_id=str(transfer.pk)
        )
    )


def test_the_sending_union_cancels_a_pending_transfer(tree: Tree, cast: Cast) -> None:
    member, transfer = _pending(tree, cast)
    events_before = kinds(member)
    result = services.transfer_cancel(actor=as_user(cast.chair), transfer=transfer)
    assert result.pk == transfer.pk
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by, transfer.requested_by) == (
        TransferStatus.CANCELLED,
        cast.chair,
        cast.chair,
    )
    assert transfer.decided_at is not None and transfer.decided_at >= transfer.created_at
    # The member never moved: same union, same spell, no transfer events.
    assert _where(member) == ("active", tree.X1.pk, tree.X.pk, tree.P.pk)
    assert kinds(member) == events_before
    assert list(MembershipSpell.objects.filter(member=member).values_list("unit_id", "end")) == [
        (tree.X1.pk, None)
    ]
    [event] = _cancel_events(transfer)
    assert event.actor == cast.chair
    assert event.unit_id == tree.X1.pk
    assert event.summary == "Hoàng Thị Em → Unit Y1"
    assert event.changes == {"status": [TransferStatus.PENDING, TransferStatus.CANCELLED]}
    # The member may be put forward again, now that nothing is waiting.
    again = services.transfer_request(
        actor=as_user(cast.x_officer), member=member, to_unit=tree.Y2, date=D(2022, 4, 1)
    )
    assert again.status == TransferStatus.PENDING
    assert list(Transfer.objects.filter(member=member).order_by("id").values_list("status")) == [
        ("cancelled",),
        ("pending",),
    ]


def test_cancelling_from_the_transfers_page(tree: Tree, cast: Cast) -> None:
    member, transfer = _pending(tree, cast)
    response = login(cast.x_officer).post(
        reverse("transfer_decide", args=[transfer.pk]), {"decision": "cancel"}
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("unit_transfers", args=[tree.X1.pk]),
    )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.CANCELLED, cast.x_officer)
    assert _where(member) == ("active", tree.X1.pk, tree.X.pk, tree.P.pk)
    [event] = _cancel_events(transfer)
    assert (event.actor, event.unit_id) == (cast.x_officer, tree.X1.pk)


def test_a_decided_transfer_cannot_be_cancelled(tree: Tree, cast: Cast) -> None:
    member, confirmed = _pending(tree, cast)
    services.transfer_decide(actor=as_user(cast.y_officer), transfer=confirmed, accept=True)
    other, refused = _pending(tree, cast, name="Đỗ Văn Giang")
    services.transfer_decide(actor=as_user(cast.y_officer), transfer=refused, accept=False)
    for transfer in (confirmed, refused):
        with pytest.raises(ServiceError, match=r"This transfer was already decided\."):
            services.transfer_cancel(actor=as_user(cast.chair), transfer=transfer)
    confirmed.refresh_from_db()
    refused.refresh_from_db()
    assert (confirmed.status, confirmed.decided_by) == (TransferStatus.CONFIRMED, cast.y_officer)
    assert (refused.status, refused.decided_by) == (TransferStatus.REFUSED, cast.y_officer)
    assert _where(member) == ("active", tree.Y1.pk, tree.Y.pk, tree.P.pk)
    assert _where(other) == ("active", tree.X1.pk, tree.X.pk, tree.P.pk)
    # Through the page, the sending side is told so, and nothing changes.
    client = login(cast.x_officer)
    response = client.post(reverse("transfer_decide", args=[refused.pk]), {"decision": "cancel"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This transfer was already decided."
    ]
    refused.refresh_from_db()
    assert refused.status == TransferStatus.REFUSED
    assert AuditEvent.objects.filter(action="transfer.cancelled").count() == 0


def test_a_user_outside_the_sending_union_cannot_cancel(tree: Tree, cast: Cast) -> None:
    member, transfer = _pending(tree, cast)
    # The receiving district, a viewer and a user with no role: not found.
    for user in (cast.y_officer, cast.viewer, cast.nobody):
        response = login(user).post(
            reverse("transfer_decide", args=[transfer.pk]), {"decision": "cancel"}
        )
        assert response.status_code == 404
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by, transfer.decided_at) == (
        TransferStatus.PENDING,
        None,
        None,
    )
    assert _where(member) == ("active", tree.X1.pk, tree.X.pk, tree.P.pk)
    assert _cancel_events(transfer) == []
