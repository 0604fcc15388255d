"""Movements: launched by a unit for its subtree, units registering and cancelling, the pages."""

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.emulation import movements
from congdoan.emulation.models import Movement, Registration

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def launch(tree: Tree, actor: Any = None, unit: Any = None) -> Movement:
    return movements.movement_create(
        actor=actor,
        unit=unit or tree.P,
        data=movements.MovementData(
            name="Lao động giỏi, lao động sáng tạo",
            start=D(2022, 1, 1),
            end=D(2022, 12, 31),
            theme="Năng suất, chất lượng",
        ),
    )


def test_a_movement_is_seen_by_the_owner_s_subtree_and_above(tree: Tree, cast: Cast) -> None:
    m = launch(tree, cast.province_officer)
    x = launch(tree, unit=tree.X)
    assert set(movements.movements_visible(cast.chair)) == {m, x}
    assert set(movements.movements_visible(cast.y_officer)) == {m}
    assert set(movements.movements_visible(cast.province_officer)) == {m, x}
    assert movements.movement_for_view(cast.chair, m.pk) == m
    with pytest.raises(Http404):
        movements.movement_for_view(cast.y_officer, x.pk)
    with pytest.raises(Http404):
        movements.movement_for_write(cast.x_officer, m.pk)
    event = AuditEvent.objects.get(action="movement.create", target_id=str(m.pk))
    assert event.changes["name"] == [None, "Lao động giỏi, lao động sáng tạo"]


def test_registration_rules(tree: Tree, cast: Cast) -> None:
    m = launch(tree)
    reg = movements.registration_create(
        actor=cast.chair, movement=m, unit=tree.X1, registered_on=D(2022, 2, 1)
    )
    with pytest.raises(ServiceError, match="Unit X1 has already registered"):
        movements.registration_create(
            actor=cast.x_officer, movement=m, unit=tree.X1, registered_on=D(2022, 2, 2)
        )
    with pytest.raises(ServiceError, match="is not among the units of Unit P you may register"):
        movements.registration_create(
            actor=cast.chair, movement=m, unit=tree.X2, registered_on=D(2022, 2, 1)
        )
    with pytest.raises(ServiceError, match="Registration is open from 01/01/2022 to 31/12/2022"):
        movements.registration_create(
            actor=None, movement=m, unit=tree.X2, registered_on=D(2023, 1, 1)
        )
    outside = launch(tree, unit=tree.X)
    with pytest.raises(ServiceError, match="is not among the units of Unit X"):
        movements.registration_create(
            actor=None, movement=outside, unit=tree.Y1, registered_on=D(2022, 2, 1)
        )
    with pytest.raises(ServiceError, match="before the registration"):
        movements.registration_cancel(actor=cast.chair, registration=reg, date=D(2022, 1, 5))
    movements.registration_cancel(actor=cast.chair, registration=reg, date=D(2022, 6, 1))
    with pytest.raises(ServiceError, match="already cancelled"):
        movements.registration_cancel(actor=None, registration=reg, date=D(2022, 6, 2))
    # Registering again after a cancellation is a new registration.
    again = movements.registration_create(
        actor=cast.chair, movement=m, unit=tree.X1, registered_on=D(2022, 7, 1)
    )
    assert list(movements.registrations_of(cast.province_officer, m)) == [again]
    assert list(movements.registrations_of(cast.y_officer, m)) == []
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="movement.").order_by("id")
    ] == [
        "movement.create",
        "movement.register",
        "movement.create",
        "movement.unregister",
        "movement.register",
    ]


def test_change_and_delete(tree: Tree, cast: Cast) -> None:
    m = launch(tree)
    movements.registration_create(actor=None, movement=m, unit=tree.X1, registered_on=D(2022, 9, 1))
    data = movements.MovementData(name="Đổi tên", start=D(2022, 1, 1), end=D(2022, 6, 30))
    with pytest.raises(ServiceError, match="registered on 01/09/2022, after the new end"):
        movements.movement_update(actor=cast.province_officer, movement=m, data=data)
    data.end = D(2022, 3, 1)
    data.start = D(2022, 4, 1)
    with pytest.raises(ServiceError, match="end of the period is before its start"):
        movements.movement_update(actor=cast.province_officer, movement=m, data=data)
    with pytest.raises(ServiceError, match="cannot be deleted"):
        movements.movement_delete(actor=cast.province_officer, movement=m)
    empty = launch(tree)
    movements.movement_delete(actor=cast.province_officer, movement=empty)
    assert not Movement.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(action="movement.delete").count() == 1


def test_the_pages(tree: Tree, cast: Cast) -> None:
    client = login(cast.province_officer)
    response = client.post(
        reverse("movement_create", args=[tree.P.pk]),
        {"name": "Giỏi việc nước, đảm việc nhà", "start": "01/01/2022", "end": "31/12/2022"},
    )
    m = Movement.objects.get(name="Giỏi việc nước, đảm việc nhà")
    assert response.status_code == 302 and response["Location"] == f"/emulation/movements/{m.pk}/"
    bad = client.post(
        reverse("movement_edit", args=[m.pk]),
        {"name": "x", "start": "01/01/2022", "end": "31/12/2021"},
    )
    assert "The end of the period is before its start." in bad.content.decode()
    chair = login(cast.chair)
    page = chair.get(reverse("movement_detail", args=[m.pk])).content.decode()
    assert "Register a unit" in page and "Unit X1" in page
    chair.post(
        reverse("movement_register", args=[m.pk]),
        {"unit": tree.X1.pk, "registered_on": "05/02/2022", "commitment": "100% đạt"},
    )
    reg = Registration.objects.get(movement=m)
    assert (reg.unit_id, reg.registered_on, reg.commitment) == (
        tree.X1.pk,
        D(2022, 2, 5),
        "100% đạt",
    )
    # The chair cannot register a unit outside their reach (the choice is refused).
    chair.post(
        reverse("movement_register", args=[m.pk]),
        {"unit": tree.X2.pk, "registered_on": "05/02/2022"},
    )
    assert Registration.objects.filter(movement=m).count() == 1
    assert (
        login(cast.viewer)
        .post(reverse("movement_register", args=[m.pk]), {"unit": tree.X2.pk})
        .status_code
        == 404
    )
    chair.post(reverse("registration_cancel", args=[reg.pk]), {"date": "01/03/2022"})
    reg.refresh_from_db()
    assert reg.cancelled_on == D(2022, 3, 1)
    overview = chair.get(reverse("unit_emulation", args=[tree.X1.pk]), {"year": 2022})
    assert "Giỏi việc nước, đảm việc nhà" in overview.content.decode()
    assert login(cast.y_officer).get(reverse("emulation_home")).status_code == 302
