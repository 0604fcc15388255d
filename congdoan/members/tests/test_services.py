"""Membership changes: events, spells, card numbers, duplicates and bad input, exact values."""

import datetime

import pytest

from congdoan.conftest import Tree, make_member
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.members import services
from congdoan.members.models import (
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    Transfer,
    TransferStatus,
)
from congdoan.members.services import PersonData
from congdoan.org import services as org_services

D = datetime.date


def kinds(member: Member) -> list[str]:
    return list(member.events.order_by("date", "id").values_list("kind", flat=True))


def test_worker_then_admitted_then_suspended_then_readmitted(tree: Tree) -> None:
    m = make_member(tree.X1, "Nguyễn Văn An", sex="male", admit_on=None)
    assert (m.status, m.card_number, m.joined_on) == (MemberStatus.WORKER, None, None)
    services.member_admit(actor=None, member=m, date=D(2018, 5, 1), decision_ref="5/QĐ-CĐCS")
    m.refresh_from_db()
    assert (m.status, m.joined_on) == (MemberStatus.ACTIVE, D(2018, 5, 1))
    assert services.card_number_valid(m.card_number or "")
    services.member_leave(actor=None, member=m, kind=EventKind.SUSPENDED, date=D(2020, 1, 15))
    services.member_admit(actor=None, member=m, date=D(2021, 2, 1))
    m.refresh_from_db()
    assert kinds(m) == ["admitted", "card_issued", "suspended", "readmitted", "recorded"]
    assert m.joined_on == D(2018, 5, 1)
    spells = list(
        MembershipSpell.objects.filter(member=m).order_by("start").values_list("start", "end")
    )
    assert spells == [(D(2018, 5, 1), D(2020, 1, 15)), (D(2021, 2, 1), None)]


def test_card_numbers_are_unique_checked_and_never_reused(tree: Tree) -> None:
    a = make_member(tree.X1, "Trần Thị Bình")
    b = make_member(tree.X2, "Lê Văn Cường", sex="male")
    assert a.card_number == "0000000018" and b.card_number == "0000000026"
    services.member_leave(actor=None, member=a, kind=EventKind.WITHDRAWN, date=D(2020, 1, 1))
    c = make_member(tree.X2, "Phạm Thị Dung")
    assert c.card_number == "0000000034"
    assert not services.card_number_valid("0000000019")
    services.card_reissue(actor=None, member=b, date=D(2022, 1, 1), note="mất thẻ")
    b.refresh_from_db()
    assert b.card_number == "0000000026"
    assert kinds(b)[-1] == EventKind.CARD_REISSUED


def test_transfer_waits_for_the_receiving_union(tree: Tree) -> None:
    m = make_member(tree.X1, "Hoàng Thị Em", cccd="020190001234")
    t = services.transfer_request(
        actor=None, member=m, to_unit=tree.Y1, date=D(2022, 3, 1), decision_ref="12/QĐ"
    )
    m.refresh_from_db()
    assert m.unit_id == tree.X1.pk and t.status == TransferStatus.PENDING
    services.transfer_decide(actor=None, transfer=t, accept=True)
    m.refresh_from_db()
    assert (m.unit_id, m.upper_id, m.province_id) == (tree.Y1.pk, tree.Y.pk, tree.P.pk)
    assert kinds(m)[-2:] == ["transfer_out", "transfer_in"]
    spells = list(m.spells.order_by("start").values_list("unit_id", "start", "end"))
    assert spells == [(tree.X1.pk, D(2015, 3, 1), D(2022, 3, 1)), (tree.Y1.pk, D(2022, 3, 1), None)]


def test_refused_transfer_changes_nothing(tree: Tree) -> None:
    m = make_member(tree.X1, "Đỗ Văn Giang", sex="male")
    t = services.transfer_request(actor=None, member=m, to_unit=tree.Y1, date=D(2022, 3, 1))
    services.transfer_decide(actor=None, transfer=t, accept=False)
    m.refresh_from_db()
    assert m.unit_id == tree.X1.pk and Transfer.objects.get().status == TransferStatus.REFUSED
    assert MembershipSpell.objects.filter(member=m).count() == 1


def test_same_cccd_cannot_be_active_twice(tree: Tree, cast) -> None:  # type: ignore[no-untyped-def]
    make_member(tree.Y1, "Ngô Thị Hạnh", cccd="020190001234")
    with pytest.raises(ServiceError) as exc:
        make_member(tree.X1, "Ngô Thị Hạnh", cccd="020190001234")
    assert "active member of another union" in exc.value.messages[0]
    # A worker with the same CCCD may be recorded, but not admitted.
    worker = make_member(tree.X1, "Ngô Thị Hạnh", cccd="020190001234", admit_on=None)
    with pytest.raises(ServiceError) as exc:
        services.member_admit(actor=cast.province_officer, member=worker, date=D(2023, 1, 1))
    assert exc.value.messages[0].startswith(
        "This CCCD number belongs to Ngô Thị Hạnh, an active member of Unit Y1."
    )
    with pytest.raises(ServiceError) as exc:
        services.member_admit(actor=cast.x_officer, member=worker, date=D(2023, 1, 1))
    assert "Unit Y1" not in exc.value.messages[0]


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        Member.objects.count(),
        MemberEvent.objects.count(),
        MembershipSpell.objects.count(),
        AuditEvent.objects.count(),
        Transfer.objects.count(),
    )


def person(**kw) -> PersonData:  # type: ignore[no-untyped-def]
    base = {"full_name": "Vũ Thị Lan", "birth_date": D(1990, 5, 1), "sex": "female"}
    return PersonData(**{**base, **kw})


@pytest.mark.parametrize(
    ("data", "admit_on", "field", "message"),
    [
        (person(cccd="0201900012"), D(2015, 1, 1), "cccd", "exactly 12 digits"),
        (person(cccd="999190001234"), D(2015, 1, 1), "cccd", "not a province code"),
        (person(cccd="020185001234"), D(2015, 1, 1), "cccd", "born in 1985"),
        (person(cccd="020090001234"), D(2015, 1, 1), "cccd", "male"),
        (person(birth_date=D(2015, 1, 1)), D(2024, 1, 1), "joined_on", "at least 15"),
        (person(birth_date=D(1900, 1, 1)), None, "birth_date", "years old"),
        (person(), D(1989, 1, 1), "joined_on", "before the date of birth"),
        (person(), D(2099, 1, 1), "joined_on", "in the future"),
        (person(full_name="Lan"), None, "full_name", "full name"),
        (person(phone="12345"), None, "phone", "10 digits"),
    ],
)
def test_bad_person_data_is_refused(
    tree: Tree, data: PersonData, admit_on, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.member_create(actor=None, unit=tree.X1, data=data, admit_on=admit_on)
    assert exc.value.field == field
    assert message in exc.value.messages[0]
    assert snapshot() == before


def test_bad_changes_are_refused(tree: Tree) -> None:
    m = make_member(tree.X1, "Bùi Văn Khoa", sex="male")
    org_services.unit_dissolve(
        actor=None, unit=tree.Y2, effective_on=D(2020, 1, 1), decision_ref="1"
    )
    tree.refresh()
    before = snapshot()
    cases = [
        (lambda: services.member_admit(actor=None, member=m, date=D(2020, 1, 1)), "already"),
        (
            lambda: services.transfer_request(
                actor=None, member=m, to_unit=tree.Y2, date=D(2021, 1, 1)
            ),
            "dissolved",
        ),
        (
            lambda: services.transfer_request(
                actor=None, member=m, to_unit=tree.X1, date=D(2021, 1, 1)
            ),
            "already in",
        ),
        (
            lambda: services.transfer_request(
                actor=None, member=m, to_unit=tree.X, date=D(2021, 1, 1)
            ),
            "not one",
        ),
        (
            lambda: services.member_leave(
                actor=None, member=m, kind=EventKind.EXPELLED, date=D(2021, 1, 1)
            ),
            "decision number",
        ),
        (
            lambda: services.member_leave(
                actor=None, member=m, kind=EventKind.WITHDRAWN, date=D(2010, 1, 1)
            ),
            "is earlier",
        ),
        (
            lambda: services.member_create(
                actor=None, unit=tree.X, data=person(), admit_on=D(2015, 1, 1)
            ),
            "not one",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ServiceError) as exc:
            call()
        assert message in exc.value.messages[0], message
    assert snapshot() == before


def test_dissolving_a_union_with_members_is_refused(tree: Tree) -> None:
    make_member(tree.Y2, "Cao Thị Mai")
    with pytest.raises(ServiceError) as exc:
        org_services.unit_dissolve(
            actor=None, unit=tree.Y2, effective_on=D(2024, 1, 1), decision_ref="1"
        )
    assert "still has 1 active members" in exc.value.messages[0]


def test_merging_unions_carries_the_members(tree: Tree) -> None:
    a = make_member(tree.Y2, "Cao Thị Mai")
    w = make_member(tree.Y2, "Cao Văn Nam", sex="male", admit_on=None)
    org_services.unit_merge(
        actor=None, sources=[tree.Y2], target=tree.Y1, effective_on=D(2024, 1, 1), decision_ref="2"
    )
    a.refresh_from_db()
    w.refresh_from_db()
    assert a.unit_id == w.unit_id == tree.Y1.pk
    assert kinds(a)[-2:] == ["transfer_out", "transfer_in"]


def test_moving_a_district_updates_copied_ancestors(tree: Tree) -> None:
    m = make_member(tree.X1, "Lý Thị Oanh")
    org_services.unit_move(
        actor=None, unit=tree.X, new_parent=tree.Q, effective_on=D(2024, 1, 1), decision_ref="3"
    )
    m.refresh_from_db()
    assert (m.province_id, m.upper_id) == (tree.Q.pk, tree.X.pk)
