"""Grading URLs with an id, each with a record under Q that the cast must not reach (read by
congdoan/org/tests/test_access.py)."""

from collections.abc import Callable
from typing import Any

from congdoan.conftest import Cast, Tree
from congdoan.grading.models import (
    Assessment,
    Criterion,
    CriterionGroup,
    Score,
    Scorecard,
    ScorecardStatus,
)


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def card(user: Any) -> int:
        found = Scorecard.objects.filter(owner=tree.Q).first()
        if found is not None:
            return found.pk
        made = Scorecard.objects.create(
            owner=tree.Q, year=2021, title="Outside", status=ScorecardStatus.DRAFT
        )
        group = CriterionGroup.objects.create(scorecard=made, number="I", title="Outside")
        Criterion.objects.create(
            scorecard=made, group=group, code="1.1", text="Outside", max_tenths=1000
        )
        return made.pk

    def group(user: Any) -> int:
        return CriterionGroup.objects.get(scorecard_id=card(user)).pk

    def criterion(user: Any) -> int:
        return Criterion.objects.get(scorecard_id=card(user)).pk

    def assessment(user: Any) -> int:
        found = Assessment.objects.filter(unit=tree.Q1).first()
        if found is not None:
            return found.pk
        made = Assessment.objects.create(scorecard_id=card(user), unit=tree.Q1, year=2021)
        Score.objects.create(assessment=made, criterion_id=criterion(user))
        return made.pk

    return {
        "unit_grading": unit,
        "scorecard_create": unit,
        "assessment_start": unit,
        "scorecard_detail": card,
        "scorecard_edit": card,
        "scorecard_action": card,
        "group_create": card,
        "criterion_create": card,
        "group_edit": group,
        "group_delete": group,
        "criterion_edit": criterion,
        "criterion_delete": criterion,
        "assessment_detail": assessment,
        "assessment_self": assessment,
        "assessment_review": assessment,
        "assessment_reopen": assessment,
        "assessment_delete": assessment,
    }
