"""Structural changes, the dated history, and figures as of a date: exact values."""

import datetime

import pytest

from congdoan.conftest import Tree, make_unit
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.org import queries, services
from congdoan.org.models import EventKind, Kind, Level, Status, Unit, UnitEvent, UnitVersion
from congdoan.org.tests.history_check import history_problems

D = datetime.date
MOVE_DAY = D(2025, 7, 1)


def figures(unit: Unit, day: datetime.date) -> tuple[int, int, int]:
    f = queries.unit_figures(unit, day)
    return f["child_units"], f["grassroots_units"], f["workforce"]


def assert_history_consistent() -> None:
    assert history_problems() == []


def assert_versions_match_units() -> None:
    """Every unit's open version equals the unit row as it is now."""
    for unit in Unit.objects.all():
        v = UnitVersion.objects.get(unit=unit, valid_to__isnull=True)
        assert (v.parent_id, v.path, v.name, v.level, v.status) == (
            unit.parent_id,
            unit.path,
            unit.name,
            unit.level,
            unit.status,
        )


def test_paths_are_fixed_width_steps(tree: Tree) -> None:
    assert len(tree.C.path) == 6
    assert tree.X1.path.startswith(tree.X.path) and len(tree.X1.path) == 24
    assert tree.X1T.depth == 4
    assert services.path_step(35) == "00000Z"
    assert services.path_step(36) == "000010"


def test_figures_today(tree: Tree) -> None:
    today = services.today()
    assert figures(tree.C, today) == (2, 6, 707)
    assert figures(tree.P, today) == (3, 5, 207)
    assert figures(tree.X, today) == (3, 3, 157)
    assert figures(tree.X1, today) == (1, 1, 100)
    assert figures(tree.Z, today) == (0, 0, 0)


def test_move_keeps_the_past(tree: Tree) -> None:
    """Three grassroots unions move from X to Z on 01/07/2025; the tree of 2024 still has them
    under X."""
    for unit in (tree.X1, tree.X2, tree.X3):
        services.unit_move(
            actor=None,
            unit=unit,
            new_parent=tree.Z,
            effective_on=MOVE_DAY,
            decision_ref="12/QĐ-LĐLĐ",
        )
    tree.refresh()
    assert tree.X1.parent_id == tree.Z.pk
    assert tree.X1.path.startswith(tree.Z.path)
    assert tree.X1T.path.startswith(tree.X1.path)  # the sub-unit moved with its parent
    before, after = D(2024, 12, 31), D(2025, 7, 1)
    assert figures(tree.X, before) == (3, 3, 157)
    assert figures(tree.Z, before) == (0, 0, 0)
    assert figures(tree.X, after) == (0, 0, 0)
    assert figures(tree.Z, after) == (3, 3, 157)
    assert figures(tree.P, before) == figures(tree.P, after) == (3, 5, 207)
    assert [n.code for n in queries.children_on(tree.X, before)] == ["X1", "X2", "X3"]
    assert [n.code for n in queries.children_on(tree.Z, after)] == ["X1", "X2", "X3"]
    assert [v.unit.code for v in queries.ancestors_on(tree.X1T, before)] == ["C", "P", "X", "X1"]
    assert [v.unit.code for v in queries.ancestors_on(tree.X1T, after)] == ["C", "P", "Z", "X1"]
    assert UnitEvent.objects.filter(kind=EventKind.MOVED).count() == 3
    assert_versions_match_units()


def test_move_a_whole_district_to_another_province(tree: Tree) -> None:
    services.unit_move(
        actor=None,
        unit=tree.X,
        new_parent=tree.Q,
        effective_on=D(2021, 1, 1),
        decision_ref="1/QĐ-TLĐ",
    )
    tree.refresh()
    assert figures(tree.Q, D(2021, 1, 1)) == (2, 4, 657)
    assert figures(tree.P, D(2021, 1, 1)) == (2, 2, 50)
    assert figures(tree.P, D(2020, 12, 31)) == (3, 5, 207)
    assert tree.X1T.depth == 4 and tree.X1T.path.startswith(tree.Q.path)
    assert_versions_match_units()


def test_merge_two_districts_into_a_third(tree: Tree) -> None:
    services.unit_merge(
        actor=None,
        sources=[tree.X, tree.Y],
        target=tree.Z,
        effective_on=MOVE_DAY,
        decision_ref="5/QĐ",
    )
    tree.refresh()
    assert tree.X.status == Status.MERGED and tree.X.merged_into_id == tree.Z.pk
    assert tree.Y.status == Status.MERGED
    assert figures(tree.Z, MOVE_DAY) == (5, 5, 207)
    assert figures(tree.P, MOVE_DAY) == (1, 5, 207)
    assert figures(tree.P, D(2025, 6, 30)) == (3, 5, 207)
    assert figures(tree.X, D(2025, 6, 30)) == (3, 3, 157)
    assert UnitEvent.objects.filter(unit=tree.Z, kind=EventKind.ABSORBED).count() == 2
    assert_versions_match_units()


def test_dissolve_then_counts(tree: Tree) -> None:
    services.unit_dissolve(
        actor=None, unit=tree.Y2, effective_on=D(2020, 6, 30), decision_ref="9/QĐ"
    )
    tree.refresh()
    assert tree.Y2.status == Status.DISSOLVED
    assert figures(tree.Y, D(2020, 6, 29)) == (2, 2, 50)
    assert figures(tree.Y, D(2020, 6, 30)) == (1, 1, 30)
    assert [n.code for n in queries.children_on(tree.Y, D(2020, 7, 1), include_closed=True)] == [
        "Y1",
        "Y2",
    ]


def test_rename_is_dated(tree: Tree) -> None:
    services.unit_rename(
        actor=None,
        unit=tree.X,
        name="LĐLĐ thị xã X",
        short_name="TX X",
        effective_on=D(2020, 1, 1),
        decision_ref="3/QĐ",
    )
    assert queries.version_on(tree.X, D(2019, 12, 31)).name == "Unit X"  # type: ignore[union-attr]
    assert queries.version_on(tree.X, D(2020, 1, 1)).name == "LĐLĐ thị xã X"  # type: ignore[union-attr]
    assert queries.search_units(Unit.objects.all(), "thi xa").get() == tree.X


def test_unit_did_not_exist_yet(tree: Tree) -> None:
    assert queries.version_on(tree.X1, D(1999, 12, 31)) is None
    assert figures(tree.X, D(1999, 12, 31)) == (0, 0, 0)
    assert figures(tree.P, D(1999, 12, 31)) == (3, 0, 0)


def test_two_changes_on_one_day_leave_one_version(tree: Tree) -> None:
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2021, 1, 1), decision_ref="1"
    )
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Z, effective_on=D(2021, 1, 1), decision_ref="2"
    )
    assert UnitVersion.objects.filter(unit=tree.X1).count() == 2
    assert figures(tree.Z, D(2021, 1, 1)) == (1, 1, 100)
    assert figures(tree.Y, D(2021, 1, 1)) == (2, 2, 50)
    assert_versions_match_units()


def test_changes_are_audited(tree: Tree) -> None:
    services.unit_update(
        actor=None,
        unit=tree.X1,
        address="Số 1 Lê Lợi",
        employer={"name": "Employer X1", "workforce": 120},
    )
    event = AuditEvent.objects.filter(action="unit.update", unit_id=tree.X1.pk).get()
    assert event.changes == {"address": ["", "Số 1 Lê Lợi"], "employer.workforce": [100, 120]}
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2021, 1, 1), decision_ref="1"
    )
    move = AuditEvent.objects.filter(action="unit.move", unit_id=tree.X1.pk).get()
    assert move.changes == {"parent": [tree.X.pk, tree.Y.pk]}


# ---- Bad input: refused with a message, nothing changed ---------------------------------------


def snapshot() -> tuple[list[tuple[str, str, str]], int, int, int]:
    return (
        list(Unit.objects.order_by("code").values_list("code", "path", "status")),
        UnitVersion.objects.count(),
        UnitEvent.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda t: services.unit_move(
                actor=None, unit=t.X, new_parent=t.X1T, effective_on=MOVE_DAY, decision_ref="1"
            ),
            "cannot be moved under itself",
        ),
        (
            lambda t: services.unit_merge(
                actor=None, sources=[t.X1], target=t.Y, effective_on=MOVE_DAY, decision_ref="1"
            ),
            "different levels",
        ),
        (
            lambda t: services.unit_dissolve(
                actor=None, unit=t.X, effective_on=MOVE_DAY, decision_ref="1"
            ),
            "still has 3 active sub-units",
        ),
        (lambda t: make_unit(t.X, "x1", Kind.ENTERPRISE), "already used"),
        (
            lambda t: services.unit_move(
                actor=None, unit=t.X1, new_parent=t.Y, effective_on=D(1999, 1, 1), decision_ref="1"
            ),
            "was founded on 01/01/2000",
        ),
        (
            lambda t: make_unit(t.X, "NEW", Kind.ENTERPRISE, founded=D(1994, 1, 1)),
            "did not exist yet on 01/01/1994",
        ),
        (
            lambda t: services.unit_move(
                actor=None, unit=t.X1, new_parent=t.Y, effective_on=D(2030, 1, 1), decision_ref="1"
            ),
            "in the future",
        ),
        (
            lambda t: services.unit_move(
                actor=None, unit=t.X1, new_parent=t.X1T, effective_on=MOVE_DAY, decision_ref="1"
            ),
            "cannot be moved under itself",
        ),
        (
            lambda t: services.unit_move(
                actor=None, unit=t.X1, new_parent=t.Y, effective_on=MOVE_DAY, decision_ref=" "
            ),
            "decision number is required",
        ),
        (lambda t: make_unit(t.X1, "BAD", Kind.DISTRICT_FEDERATION), "cannot be placed under"),
    ],
)
def test_bad_structural_changes_are_refused(tree: Tree, call, message: str) -> None:
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        call(tree)
    assert message in exc.value.messages[0]
    assert snapshot() == before


def test_changes_must_be_recorded_in_date_order(tree: Tree) -> None:
    services.unit_move(
        actor=None, unit=tree.X1, new_parent=tree.Y, effective_on=D(2022, 1, 1), decision_ref="1"
    )
    tree.refresh()
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.unit_rename(
            actor=None,
            unit=tree.X1,
            name="Renamed",
            short_name="",
            effective_on=D(2021, 1, 1),
            decision_ref="2",
        )
    assert exc.value.messages[0] == (
        "Unit X1 has a change recorded on 01/01/2022, after the effective date 01/01/2021. "
        "Record changes in date order."
    )
    assert snapshot() == before
    # Nor may X move on a date before X1 left it: between the two dates X1 would sit under X in
    # one place and X in another.
    with pytest.raises(ServiceError) as exc:
        services.unit_move(
            actor=None, unit=tree.X, new_parent=tree.Q, effective_on=D(2021, 1, 1), decision_ref="3"
        )
    assert "Unit X1 has a change recorded on 01/01/2022" in exc.value.messages[0]
    assert snapshot() == before
    # On or after that date it may.
    services.unit_move(
        actor=None, unit=tree.X, new_parent=tree.Q, effective_on=D(2022, 1, 1), decision_ref="3"
    )
    assert figures(tree.Q, D(2022, 1, 1)) == (2, 3, 557)
    assert_history_consistent()


def test_no_move_into_a_unit_that_was_elsewhere_then(tree: Tree) -> None:
    services.unit_move(
        actor=None, unit=tree.Z, new_parent=tree.Q, effective_on=D(2022, 1, 1), decision_ref="1"
    )
    tree.refresh()
    before = snapshot()
    with pytest.raises(ServiceError) as exc:
        services.unit_move(
            actor=None,
            unit=tree.X1,
            new_parent=tree.Z,
            effective_on=D(2021, 6, 1),
            decision_ref="2",
        )
    assert "was moved after 01/06/2021" in exc.value.messages[0]
    assert snapshot() == before


def test_vietnamese_messages(tree: Tree) -> None:
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ServiceError) as exc:
        services.unit_dissolve(actor=None, unit=tree.X, effective_on=MOVE_DAY, decision_ref="1")
    assert exc.value.messages[0] == (
        "Unit X vẫn còn 3 đơn vị trực thuộc đang hoạt động; hãy chuyển, sáp nhập hoặc giải thể "
        "các đơn vị đó trước."
    )


@pytest.mark.parametrize("seed", range(12))
def test_random_sequences_keep_the_history_consistent(db: None, seed: int) -> None:
    """Random founding, moves, merges, dissolutions and renames on random dates: whatever the
    services accept, the history stays a tree on every date."""
    import random

    rnd = random.Random(seed)
    dates = [D(2001, 1, 1) + datetime.timedelta(days=365 * i) for i in range(12)]
    below = {
        Level.CENTRAL: Kind.PROVINCIAL_FEDERATION,
        Level.PROVINCE: Kind.DISTRICT_FEDERATION,
        Level.UPPER: Kind.ENTERPRISE,
        Level.GRASSROOTS: Kind.GROUP,
        Level.SUBUNIT: Kind.GROUP,
    }
    root = make_unit(None, "C", Kind.CONFEDERATION, D(1929, 1, 1))
    make_unit(root, "P", Kind.PROVINCIAL_FEDERATION, D(1990, 1, 1))
    accepted = 0
    for step in range(40):
        units = list(Unit.objects.filter(status=Status.ACTIVE))
        u, v = rnd.choice(units), rnd.choice(units)
        day = dates[max(0, min(11, step // 4 + rnd.randint(-3, 1)))]
        op = rnd.choice(["create"] * 4 + ["move"] * 3 + ["merge", "dissolve", "rename"])
        try:
            if op == "create":
                make_unit(u, f"U{step}", below[Level(u.level)], day)
            elif op == "move":
                services.unit_move(
                    actor=None, unit=u, new_parent=v, effective_on=day, decision_ref="1"
                )
            elif op == "merge":
                services.unit_merge(
                    actor=None, sources=[u], target=v, effective_on=day, decision_ref="1"
                )
            elif op == "dissolve":
                services.unit_dissolve(actor=None, unit=u, effective_on=day, decision_ref="1")
            else:
                services.unit_rename(
                    actor=None,
                    unit=u,
                    name=u.name + "'",
                    short_name="",
                    effective_on=day,
                    decision_ref="1",
                )
            accepted += 1
        except ServiceError:
            pass
    assert accepted >= 10
    assert_versions_match_units()


def test_a_second_union_in_the_same_employer_links_without_overwriting(tree: Tree) -> None:
    x1_employer = tree.X1.employer
    assert x1_employer is not None
    services.unit_update(
        actor=None,
        unit=tree.X1,
        employer={"name": "Employer X1", "tax_code": "0101234567", "workforce": 100},
    )
    twin = services.unit_create(
        actor=None,
        parent=tree.Y,
        code="Y9",
        name="Second union",
        kind=Kind.ENTERPRISE,
        founded_on=D(2020, 1, 1),
        employer={"name": "employer x1", "tax_code": "0101234567", "workforce": 5},
    )
    x1_employer.refresh_from_db()
    assert twin.employer_id == x1_employer.pk and x1_employer.workforce == 100
    with pytest.raises(ServiceError) as exc:
        services.unit_create(
            actor=None,
            parent=tree.Y,
            code="Y8",
            name="Third",
            kind=Kind.AGENCY,
            founded_on=D(2020, 1, 1),
            employer={"name": "Another name", "tax_code": "0101234567"},
        )
    assert exc.value.messages[0] == "The tax code 0101234567 belongs to Employer X1."


def test_cached_figures_follow_every_change(tree: Tree) -> None:
    from congdoan.org.models import SubtreeFigures

    today = services.today()
    assert figures(tree.P, today) == (3, 5, 207)
    assert SubtreeFigures.objects.filter(unit=tree.P).exists()
    assert figures(tree.P, today) == (3, 5, 207)  # from the cache
    services.unit_dissolve(actor=None, unit=tree.Y2, effective_on=today, decision_ref="1")
    assert figures(tree.P, today) == (3, 4, 187)
    services.unit_update(
        actor=None, unit=tree.X1, employer={"name": "Employer X1", "workforce": 300}
    )
    assert figures(tree.P, today) == (3, 4, 387)
