"""A criterion computed from an emulation target: scored by the system from the members really
admitted against the unit's new-member target (full marks at or above the target, in
proportion below it, 0 without a target), whatever the unit types."""

from typing import Any

from congdoan.conftest import Cast, Tree, make_member
from congdoan.emulation import targets
from congdoan.grading import assessments, scorecards
from congdoan.grading.tests.setup import YEAR, D, build_card


def admit(unit: Any, n: int, year: int, prefix: str = "Mới") -> None:
    for i in range(n):
        make_member(unit, f"{prefix} Văn {unit.code}{i}", admit_on=D(year, 3, 1 + i))


def test_a_criterion_computed_from_the_new_member_target(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    c12 = card.criteria.get(code="1.2")  # 20 points
    scorecards.criterion_save(
        actor=cast.province_officer, card=card, group=c12.group, code="1.2",
        text="Phát triển đoàn viên", max_tenths=200, source="target",
        indicator_key="members_admitted", criterion=c12,
    )  # fmt: skip
    scorecards.scorecard_publish(actor=cast.province_officer, card=card, date=D(YEAR, 11, 1))
    ref = targets.indicator_ref(tree.X1, "members_admitted")
    targets.target_set(actor=cast.x_officer, unit=tree.X1, year=YEAR, ref=ref, value=8)
    targets.target_set(actor=cast.x_officer, unit=tree.X3, year=YEAR, ref=ref, value=2)
    admit(tree.X1, 5, YEAR)  # 5 of 8: 20 × 5/8 = 12,5 points
    admit(tree.X1, 4, YEAR - 1, "Cũ")  # the year before: not counted
    admit(tree.X2, 3, YEAR)  # another union's: not counted for X1
    admit(tree.X3, 3, YEAR)  # 3 of 2: full marks

    a = assessments.assessment_start(actor=cast.chair, unit=tree.X1, year=YEAR)
    scores = {s.criterion.code: s.self_tenths for s in a.scores.select_related("criterion")}
    assert scores == {"1.1": None, "1.2": 125, "2.1": None, "2.2": None}
    ids = {c.code: c.pk for c in card.criteria.all()}
    # What the union types for a computed criterion is not taken.
    a = assessments.assessment_self_save(
        actor=cast.chair, assessment=a, submit=True, date=D(YEAR + 1, 1, 10),
        entries={ids["1.1"]: ("36", ""), ids["1.2"]: ("20", "Kết nạp 5 ĐV"),
                 ids["2.1"]: ("27", ""), ids["2.2"]: ("9", "")},
    )  # fmt: skip
    assert a.self_total_tenths == 360 + 125 + 270 + 90
    [row] = [r for _g, rows in assessments.rows_of(a) for r in rows if r.computed]
    assert (row.criterion.code, row.target, row.achieved, row.score.self_tenths) == (
        "1.2",
        8,
        5,
        125,
    )
    a = assessments.assessment_review(
        actor=cast.province_officer, assessment=a, entries={}, approve=True, date=D(YEAR + 1, 1, 20)
    )
    assert (a.approved_total_tenths, a.grade) == (845, "HTTNV")

    x3 = assessments.assessment_start(actor=cast.x_officer, unit=tree.X3, year=YEAR)
    assert x3.scores.get(criterion__code="1.2").self_tenths == 200
    x2 = assessments.assessment_start(actor=cast.x_officer, unit=tree.X2, year=YEAR)
    assert x2.scores.get(criterion__code="1.2").self_tenths == 0  # no target: 0
    [x2_row] = [r for _g, rows in assessments.rows_of(x2) for r in rows if r.computed]
    assert (x2_row.target, x2_row.achieved) == (None, None)
