"""Changing a movement, changing a draft pact and taking an open pact back to draft: the state
after, the audit record naming the actor and what changed, and the refusals (a user who may
not write for the owner, a pact in the wrong state) that change nothing."""

import datetime

import pytest
from django.contrib.auth.models import AbstractBaseUser, User
from django.http import Http404
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.emulation import movements, pacts
from congdoan.emulation.models import Bloc, Movement, Pact, PactState
from congdoan.emulation.tests.test_blocs import make
from congdoan.emulation.tests.test_movements import launch, login
from congdoan.emulation.tests.test_pacts import DATA

D = datetime.date


def as_user(user: AbstractBaseUser) -> User:
    """A member of the test cast as the services type their actor."""
    assert isinstance(user, User)
    return user


TARGETS = [pacts.TargetLine("Kết nạp đoàn viên", 500, "đoàn viên")]


def _events(action: str, target: Movement | Pact) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
        ).order_by("id")
    )


def _movement_row(m: Movement) -> tuple[object, ...]:
    m.refresh_from_db()
    return (m.name, m.theme, m.description, m.start, m.end)


def _bloc(tree: Tree) -> Bloc:
    """The bloc of districts X and Y, owned by province P (as in test_pacts)."""
    return make(tree, units=[tree.X, tree.Y], leader=tree.X)


def _targets(pact: Pact) -> list[tuple[int, str, int, str, str]]:
    return list(
        pact.targets.order_by("position").values_list(
            "position", "indicator", "value", "measure", "note"
        )
    )


# ---------------------------------------------------------------------------------------------
# movement_update


def test_movement_update_changes_the_movement_and_records_the_difference(
    tree: Tree, cast: Cast
) -> None:
    m = launch(tree, cast.province_officer)
    updated = movements.movement_update(
        actor=as_user(cast.province_officer),
        movement=m,
        data=movements.MovementData(
            name="  Lao động giỏi năm 2022 ",
            start=D(2022, 1, 1),
            end=D(2022, 11, 30),
            theme="Năng suất, chất lượng",
            description="Phát động toàn tỉnh",
        ),
    )
    assert updated.pk == m.pk
    assert _movement_row(m) == (
        "Lao động giỏi năm 2022",
        "Năng suất, chất lượng",
        "Phát động toàn tỉnh",
        D(2022, 1, 1),
        D(2022, 11, 30),
    )
    [event] = _events("movement.update", m)
    assert event.actor == cast.province_officer
    assert event.unit_id == tree.P.pk
    assert event.changes == {
        "name": ["Lao động giỏi, lao động sáng tạo", "Lao động giỏi năm 2022"],
        "description": ["", "Phát động toàn tỉnh"],
        "end": ["2022-12-31", "2022-11-30"],
    }
    assert event.summary == "Lao động giỏi năm 2022"


def test_movement_update_through_the_edit_page(tree: Tree, cast: Cast) -> None:
    m = launch(tree, cast.province_officer)
    response = login(cast.province_officer).post(
        reverse("movement_edit", args=[m.pk]),
        {"name": "Giỏi việc nước", "start": "01/02/2022", "end": "31/12/2022", "theme": ""},
    )
    assert (response.status_code, response["Location"]) == (302, f"/emulation/movements/{m.pk}/")
    assert _movement_row(m) == ("Giỏi việc nước", "", "", D(2022, 2, 1), D(2022, 12, 31))
    [event] = _events("movement.update", m)
    assert event.actor == cast.province_officer
    assert event.changes == {
        "name": ["Lao động giỏi, lao động sáng tạo", "Giỏi việc nước"],
        "theme": ["Năng suất, chất lượng", ""],
        "start": ["2022-01-01", "2022-02-01"],
    }


def test_movement_update_is_refused_to_a_user_who_may_not_write_for_the_owner(
    tree: Tree, cast: Cast
) -> None:
    m = launch(tree, cast.province_officer)
    before = _movement_row(m)
    data = movements.MovementData(name="Đổi tên", start=D(2022, 1, 1), end=D(2022, 12, 31))
    # X's officer sees P's movement from below but may not change it; Q's units do not see it.
    for user in (cast.x_officer, cast.viewer, cast.nobody):
        with pytest.raises(Http404):
            movements.movement_update(actor=as_user(user), movement=m, data=data)
    assert (
        login(cast.y_officer)
        .post(
            reverse("movement_edit", args=[m.pk]),
            {"name": "Đổi tên", "start": "01/01/2022", "end": "31/12/2022"},
        )
        .status_code
        == 404
    )
    assert _movement_row(m) == before
    assert _events("movement.update", m) == []


# ---------------------------------------------------------------------------------------------
# pact_update


def test_pact_update_changes_a_draft_and_its_targets(tree: Tree, cast: Cast) -> None:
    pact = pacts.pact_create(
        actor=as_user(cast.province_officer), bloc=_bloc(tree), data=DATA, targets=TARGETS
    )
    new_targets = [
        pacts.TargetLine("Kết nạp đoàn viên", 600, "đoàn viên"),
        pacts.TargetLine("Nhà Mái ấm", 10, "nhà", "sửa chữa"),
    ]
    data = pacts.PactData(
        title="BẢN GIAO ƯỚC THI ĐUA NĂM 2021 (sửa đổi)",
        dated=D(2021, 1, 20),
        number="01/GƯ",
        place="Thái Bình",
        preamble="Các đơn vị cam kết",
    )
    updated = pacts.pact_update(
        actor=as_user(cast.province_officer), pact=pact, data=data, targets=new_targets
    )
    assert updated.pk == pact.pk
    pact.refresh_from_db()
    assert (pact.title, pact.number, pact.place, pact.dated, pact.preamble, pact.state) == (
        "BẢN GIAO ƯỚC THI ĐUA NĂM 2021 (sửa đổi)",
        "01/GƯ",
        "Thái Bình",
        D(2021, 1, 20),
        "Các đơn vị cam kết",
        PactState.DRAFT,
    )
    assert _targets(pact) == [
        (1, "Kết nạp đoàn viên", 600, "đoàn viên", ""),
        (2, "Nhà Mái ấm", 10, "nhà", "sửa chữa"),
    ]
    [event] = _events("pact.update", pact)
    assert event.actor == cast.province_officer
    assert event.unit_id == tree.P.pk
    assert event.changes == {
        "title": ["BẢN GIAO ƯỚC THI ĐUA NĂM 2021", "BẢN GIAO ƯỚC THI ĐUA NĂM 2021 (sửa đổi)"],
        "dated": ["2021-01-15", "2021-01-20"],
        "preamble": ["", "Các đơn vị cam kết"],
        "targets": [
            "Kết nạp đoàn viên: 500 đoàn viên",
            "Kết nạp đoàn viên: 600 đoàn viên; Nhà Mái ấm: 10 nhà",
        ],
    }
    assert event.summary == "BẢN GIAO ƯỚC THI ĐUA NĂM 2021 (sửa đổi)"


def test_pact_update_keeping_the_targets_records_only_the_fields(tree: Tree, cast: Cast) -> None:
    pact = pacts.pact_create(actor=None, bloc=_bloc(tree), data=DATA, targets=TARGETS)
    first_target = pact.targets.get().pk
    data = pacts.PactData(title=DATA.title, dated=DATA.dated, number="02/GƯ", place="Hà Nội")
    pacts.pact_update(
        actor=as_user(cast.province_admin), pact=pact, data=data, targets=list(TARGETS)
    )
    pact.refresh_from_db()
    assert (pact.number, pact.place) == ("02/GƯ", "Hà Nội")
    # The targets were not rewritten: the same row is still there.
    assert pact.targets.get().pk == first_target
    [event] = _events("pact.update", pact)
    assert event.actor == cast.province_admin
    assert event.changes == {"number": ["01/GƯ", "02/GƯ"], "place": ["Thái Bình", "Hà Nội"]}


def test_pact_update_is_refused_outside_the_owner_and_once_open(tree: Tree, cast: Cast) -> None:
    bloc = _bloc(tree)
    pact = pacts.pact_create(actor=None, bloc=bloc, data=DATA, targets=TARGETS)
    data = pacts.PactData(title="Khác", dated=D(2021, 2, 1))
    # X leads the bloc but the pact belongs to P, the bloc's owner.
    for user in (cast.x_officer, cast.chair, cast.viewer):
        with pytest.raises(Http404):
            pacts.pact_update(actor=as_user(user), pact=pact, data=data, targets=[])
    assert (
        login(cast.x_officer)
        .post(
            reverse("pact_edit", args=[bloc.pk]),
            {"title": "Khác", "dated": "01/02/2021", "targets": "A; 1"},
        )
        .status_code
        == 404
    )
    pacts.pact_open(actor=None, pact=pact, date=D(2021, 1, 15))
    with pytest.raises(ServiceError, match="open for signing; take it back to draft"):
        pacts.pact_update(actor=as_user(cast.province_officer), pact=pact, data=data, targets=[])
    pact.refresh_from_db()
    assert (pact.title, pact.dated, pact.state) == (DATA.title, DATA.dated, PactState.OPEN)
    assert _targets(pact) == [(1, "Kết nạp đoàn viên", 500, "đoàn viên", "")]
    assert _events("pact.update", pact) == []


# ---------------------------------------------------------------------------------------------
# pact_withdraw


def test_pact_withdraw_takes_an_unsigned_open_pact_back_to_draft(tree: Tree, cast: Cast) -> None:
    pact = pacts.pact_create(actor=None, bloc=_bloc(tree), data=DATA, targets=TARGETS)
    pacts.pact_open(actor=as_user(cast.province_officer), pact=pact, date=D(2021, 1, 15))
    result = pacts.pact_withdraw(actor=as_user(cast.province_officer), pact=pact)
    assert (result.state, result.opened_on) == (PactState.DRAFT, None)
    pact.refresh_from_db()
    assert (pact.state, pact.opened_on, pact.signed_on) == (PactState.DRAFT, None, None)
    [event] = _events("pact.withdraw", pact)
    assert event.actor == cast.province_officer
    assert event.unit_id == tree.P.pk
    assert event.changes == {"state": ["open", "draft"]}
    assert event.summary == DATA.title
    # A draft again: it may be changed.
    pacts.pact_update(
        actor=as_user(cast.province_officer),
        pact=pact,
        data=pacts.PactData(title=DATA.title, dated=D(2021, 1, 25), number="01/GƯ"),
        targets=TARGETS,
    )
    pact.refresh_from_db()
    assert (pact.dated, pact.place) == (D(2021, 1, 25), "")


def test_pact_withdraw_through_the_bloc_page(tree: Tree, cast: Cast) -> None:
    bloc = _bloc(tree)
    pact = pacts.pact_create(actor=None, bloc=bloc, data=DATA, targets=TARGETS)
    pacts.pact_open(actor=None, pact=pact, date=D(2021, 1, 15))
    response = login(cast.province_admin).post(reverse("pact_withdraw", args=[bloc.pk]))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("bloc_detail", args=[bloc.pk]),
    )
    pact.refresh_from_db()
    assert (pact.state, pact.opened_on) == (PactState.DRAFT, None)
    [event] = _events("pact.withdraw", pact)
    assert (event.actor, event.changes) == (cast.province_admin, {"state": ["open", "draft"]})


def test_pact_withdraw_is_refused_outside_the_owner_and_for_a_draft(tree: Tree, cast: Cast) -> None:
    bloc = _bloc(tree)
    pact = pacts.pact_create(actor=None, bloc=bloc, data=DATA, targets=TARGETS)
    with pytest.raises(ServiceError, match="Only a pact open for signing can go back to draft"):
        pacts.pact_withdraw(actor=as_user(cast.province_officer), pact=pact)
    pacts.pact_open(actor=None, pact=pact, date=D(2021, 1, 15))
    for user in (cast.x_officer, cast.y_officer, cast.viewer):
        with pytest.raises(Http404):
            pacts.pact_withdraw(actor=as_user(user), pact=pact)
    assert login(cast.y_officer).post(reverse("pact_withdraw", args=[bloc.pk])).status_code == 404
    pact.refresh_from_db()
    assert (pact.state, pact.opened_on) == (PactState.OPEN, D(2021, 1, 15))
    assert _events("pact.withdraw", pact) == []
