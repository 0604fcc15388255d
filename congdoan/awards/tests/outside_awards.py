"""Award URLs with an id, each with a record under Q (outside P) that the cast must not reach
(read by congdoan/org/tests/test_access.py)."""

import datetime
from collections.abc import Callable
from typing import Any

from congdoan.awards.models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Discipline,
    EligibilityRule,
    NominationBatch,
    Nominee,
)
from congdoan.conftest import Cast, Tree, make_member
from congdoan.members.models import Member

D = datetime.date


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def member() -> Member:
        return Member.objects.filter(unit=tree.Q1).first() or make_member(
            tree.Q1, "Người Ngoài Cuộc"
        )

    def form(user: Any) -> int:
        found, _ = AwardForm.objects.get_or_create(
            code="gk-q",
            defaults={
                "name": "Giấy khen Q",
                "kind": "commendation",
                "authority": "upper_union",
                "phrase": "tặng Giấy khen",
                "unit": tree.Q,
            },
        )
        return found.pk

    def rule(user: Any) -> int:
        return EligibilityRule.objects.get_or_create(
            form_id=form(user), kind="no_discipline", applies_to="individual"
        )[0].pk

    def discipline(user: Any) -> int:
        return Discipline.objects.get_or_create(
            member=member(), unit=tree.Q1, date=D(2024, 1, 1), form="warning", decision_ref="1"
        )[0].pk

    def batch(user: Any) -> int:
        found = NominationBatch.objects.filter(unit=tree.Q1).first()
        if found is None:
            found = NominationBatch.objects.create(
                unit=tree.Q1,
                council_unit=tree.Q,
                form=AwardForm.objects.get(code="gk-cdcs"),
                year=2024,
                date=D(2024, 12, 1),
            )
        return found.pk

    def nominee(user: Any) -> int:
        return Nominee.objects.get_or_create(
            batch_id=batch(user), member=member(), defaults={"achievements": "x"}
        )[0].pk

    def decision(user: Any) -> int:
        found = AwardDecision.objects.filter(unit=tree.Q).first()
        if found is None:
            found = AwardDecision.objects.create(
                unit=tree.Q,
                form=AwardForm.objects.get(code="bk-ldld-tinh"),
                year=2024,
                number="1/QĐ",
                date=D(2025, 1, 10),
                signer="A",
                signer_position="CHỦ TỊCH",
            )
        return found.pk

    def recipient(user: Any) -> int:
        return AwardRecipient.objects.get_or_create(
            decision_id=decision(user),
            unit=tree.Q1,
            defaults={"home_unit": tree.Q1, "path": tree.Q1.path, "name": "Unit Q1"},
        )[0].pk

    return {
        "unit_awards": unit,
        "unit_award_figures": unit,
        "unit_award_recipients": unit,
        "award_member_options": unit,
        "unit_disciplines": unit,
        "batch_create": unit,
        "decision_create": unit,
        "award_form_create": unit,
        "award_form_detail": form,
        "award_form_edit": form,
        "award_rule_delete": rule,
        "discipline_delete": discipline,
        "batch_detail": batch,
        "batch_edit": batch,
        "nominee_add": batch,
        "batch_submit": batch,
        "batch_withdraw": batch,
        "nominee_edit": nominee,
        "nominee_remove": nominee,
        "nominee_review": nominee,
        "decision_detail": decision,
        "decision_edit": decision,
        "recipient_add": decision,
        "decision_add_accepted": decision,
        "decision_issue": decision,
        "decision_revoke": decision,
        "decision_delete": decision,
        "decision_document": decision,
        "decision_certificates": decision,
        "recipient_remove": recipient,
    }
