"""Scores in tenths, grades from thresholds, caps, the "strong union" rule, target scores and
ranking: the arithmetic, exact."""

import pytest

from congdoan.core.errors import ServiceError
from congdoan.grading.figures import Ranked, rank, rank_in_groups
from congdoan.grading.scoring import (
    capped,
    check_score,
    format_score,
    grade_for,
    is_strong,
    parse_score,
    target_score,
)


def test_scores_are_read_and_written_with_one_decimal() -> None:
    assert parse_score("7,5") == 75
    assert parse_score("7.5") == 75
    assert parse_score(" 8 ") == 80
    assert parse_score("0") == 0
    assert parse_score("") is None
    assert format_score(75) == "7,5"
    assert format_score(80) == "8"
    assert format_score(1000) == "100"
    assert format_score(None) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "Criterion 1.1: a score cannot be negative."),
        ("7,25", "Criterion 1.1: scores have at most one decimal place (e.g. 7,5)."),
        ("abc", "Criterion 1.1: type a score such as 8 or 7,5."),
    ],
)
def test_bad_scores_are_refused_naming_the_criterion(text: str, message: str) -> None:
    with pytest.raises(ServiceError) as exc:
        parse_score(text, what="Criterion 1.1")
    assert exc.value.messages == [message]


def test_a_score_above_the_maximum_is_refused() -> None:
    check_score(100, 100, what="Criterion 2.2")
    with pytest.raises(ServiceError) as exc:
        check_score(105, 100, what="Criterion 2.2")
    assert exc.value.messages == ["Criterion 2.2: the score 10,5 is above the maximum of 10."]


def test_grades_from_the_default_thresholds() -> None:
    t = {"excellent": 900, "good": 700, "passing": 500}
    assert [grade_for(x, **t) for x in (1000, 900, 899, 700, 699, 500, 499, 0)] == [
        "HTXSNV", "HTXSNV", "HTTNV", "HTTNV", "HTNV", "HTNV", "KHTNV", "KHTNV",
    ]  # fmt: skip


def test_a_cap_lowers_the_grade_never_raises_it() -> None:
    assert capped("HTXSNV", "HTNV") == "HTNV"
    assert capped("KHTNV", "HTNV") == "KHTNV"
    assert capped("HTTNV", "HTTNV") == "HTTNV"
    assert capped("HTXSNV", "") == "HTXSNV"
    assert capped("HTXSNV", "KHTNV") == "KHTNV"
    assert capped("HTXSNV", "not_graded") == ""


def test_strong_union_title() -> None:
    assert [is_strong(g, "HTTNV") for g in ("HTXSNV", "HTTNV", "HTNV", "KHTNV", "")] == [
        True, True, False, False, False,
    ]  # fmt: skip
    assert [is_strong(g, "HTXSNV") for g in ("HTXSNV", "HTTNV")] == [True, False]


def test_target_score_full_proportional_or_zero() -> None:
    assert target_score(100, 140, 152) == 100  # target exceeded: full marks
    assert target_score(100, 140, 140) == 100
    assert target_score(100, 140, 119) == 85  # 85% of the target: 8,5 of 10
    assert target_score(75, 3, 1) == 25  # 7,5 × 1/3 = 2,5
    assert target_score(100, 3, 2) == 66  # rounded down to a tenth: 6,6
    assert target_score(100, None, 50) == 0  # no target
    assert target_score(100, 0, 50) == 0
    assert target_score(100, 140, None) == 0


def _r(uid: int, name: str, total: int) -> Ranked:
    return Ranked(unit_id=uid, code=str(uid), name=name, total_tenths=total, grade="", strong=False)


def test_ranking_ties_share_a_rank_and_are_ordered_by_name() -> None:
    rows = rank([_r(1, "Đông", 900), _r(2, "An", 955), _r(3, "Bình", 900), _r(4, "Ê", 850)])
    assert [(r.rank, r.name) for r in rows] == [(1, "An"), (2, "Bình"), (2, "Đông"), (4, "Ê")]


def test_ranking_inside_groups() -> None:
    class Bloc:
        def __init__(self, id: int, name: str) -> None:
            self.id, self.name = id, name

    # Blocs in the order they were made (their ids), not by name: "số 2" before "số 10".
    k1, k2 = Bloc(10, "Cụm số 2"), Bloc(11, "Cụm số 10")
    groups = rank_in_groups(
        [_r(1, "A", 800), _r(2, "B", 900), _r(3, "C", 700), _r(4, "D", 950), _r(5, "E", 600)],
        lambda ids: {1: k1, 2: k1, 3: k2, 4: k2},
    )
    assert [(g.name, [(r.rank, r.name) for r in g.rows]) for g in groups] == [
        ("Cụm số 2", [(1, "B"), (2, "A")]),
        ("Cụm số 10", [(1, "D"), (2, "C")]),
        ("Not in a bloc", [(1, "E")]),
    ]
