"""A published scorecard of province P for 2021 (two groups, 100 points) and helpers to take
an assessment through its states; shared by the grading tests."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from congdoan.conftest import Cast, Tree
from congdoan.grading import assessments, scorecards
from congdoan.grading.models import Assessment, Criterion, Scorecard

D = datetime.date
YEAR = 2021


@dataclass
class Setup:
    tree: Tree
    cast: Cast
    card: Scorecard
    criteria: list[Criterion]  # 1.1 (40), 1.2 (20), 2.1 (30), 2.2 (10)


def build_card(actor: Any, owner: Any, year: int = YEAR, publish: bool = True) -> Scorecard:
    card = scorecards.scorecard_create(
        actor=actor, owner=owner, year=year, title=f"Bảng điểm CĐCS năm {year}"
    )
    g1 = scorecards.group_save(actor=actor, card=card, number="I", title="Tổ chức và đoàn viên")
    g2 = scorecards.group_save(actor=actor, card=card, number="II", title="Chăm lo, đại diện")
    for group, code, max_tenths in ((g1, "1.1", 400), (g1, "1.2", 200), (g2, "2.1", 300),
                                    (g2, "2.2", 100)):  # fmt: skip
        scorecards.criterion_save(
            actor=actor, card=card, group=group, code=code, text=f"Tiêu chí {code}",
            max_tenths=max_tenths,
        )  # fmt: skip
    if publish:
        scorecards.scorecard_publish(actor=actor, card=card, date=D(year, 11, 1))
    return card


@pytest.fixture
def grading(tree: Tree, cast: Cast) -> Setup:
    card = build_card(cast.province_officer, tree.P)
    return Setup(tree=tree, cast=cast, card=card, criteria=list(card.criteria.order_by("code")))


def ids(s: Setup) -> list[int]:
    return [c.pk for c in s.criteria]


def submitted(s: Setup, unit: Any = None, scores: tuple[Any, ...] = ("36", "18", "27", "9"),
              actor: Any = None) -> Assessment:  # fmt: skip
    """The unit's assessment started, scored and submitted by the grassroots chair."""
    unit = unit or s.tree.X1
    actor = actor or s.cast.chair
    a = assessments.assessment_start(actor=actor, unit=unit, year=YEAR)
    return assessments.assessment_self_save(
        actor=actor, assessment=a, submit=True, date=D(2022, 1, 10),
        entries={cid: (v, "Báo cáo") for cid, v in zip(ids(s), scores, strict=True)},
    )  # fmt: skip


def approved(s: Setup, unit: Any = None, scores: tuple[Any, ...] = ("36", "18", "27", "9"),
             adjust: dict[int, tuple[Any, str]] | None = None, cap: str = "",
             cap_reason: str = "") -> Assessment:  # fmt: skip
    """Submitted by the chair (or the district officer for units other than X1) and approved
    by the province officer."""
    unit = unit or s.tree.X1
    author = s.cast.chair if unit == s.tree.X1 else s.cast.x_officer
    if unit.parent_id == s.tree.Y.pk:
        author = s.cast.y_officer
    a = submitted(s, unit, scores, actor=author)
    return assessments.assessment_review(
        actor=s.cast.province_officer, assessment=a, entries=adjust or {}, cap=cap,
        cap_reason=cap_reason, approve=True, date=D(2022, 1, 20),
    )  # fmt: skip
