"""Changing a draft scorecard's title and thresholds, deleting a group of criteria (with its
criteria) and deleting one criterion: the state after, the audit record on the scorecard naming
the actor and what changed, and the refusals (a published scorecard, a user who may not write
for the owner) that change nothing."""

from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser, User
from django.http import Http404
from django.test import Client
from django.urls import reverse

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.grading import scorecards
from congdoan.grading.models import Criterion, CriterionGroup, Grade, Scorecard
from congdoan.grading.tests.setup import Setup, build_card, grading

__all__ = ["grading"]


def as_user(user: AbstractBaseUser) -> User:
    """A member of the test cast as the services type their actor."""
    assert isinstance(user, User)
    return user


PUBLISHED = (
    "This scorecard is published and can no longer be changed; units are assessed against it."
)


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _events(action: str, card: Scorecard) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, target_type="grading.scorecard", target_id=str(card.pk)
        ).order_by("id")
    )


def _card_row(card: Scorecard) -> tuple[object, ...]:
    card.refresh_from_db()
    return (
        card.title,
        card.excellent_min_tenths,
        card.good_min_tenths,
        card.pass_min_tenths,
        card.strong_from,
        card.status,
    )


def _layout(card: Scorecard) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        (g.number, [(c.code, c.max_tenths) for c in cs]) for g, cs in scorecards.structure(card)
    ]


FULL = [("I", [("1.1", 400), ("1.2", 200)]), ("II", [("2.1", 300), ("2.2", 100)])]


# ---------------------------------------------------------------------------------------------
# scorecard_update


def test_scorecard_update_changes_a_draft_and_records_the_difference(
    tree: Tree, cast: Cast
) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    updated = scorecards.scorecard_update(
        actor=as_user(cast.province_officer),
        card=card,
        title="  Bảng chấm điểm CĐCS năm 2021 ",
        excellent_min_tenths=850,
        good_min_tenths=700,
        pass_min_tenths=455,
        strong_from=Grade.EXCELLENT,
    )
    assert updated.pk == card.pk
    assert _card_row(card) == ("Bảng chấm điểm CĐCS năm 2021", 850, 700, 455, "HTXSNV", "draft")
    [event] = _events("scorecard.update", card)
    assert event.actor == cast.province_officer
    assert event.unit_id == tree.P.pk
    assert event.changes == {
        "title": ["Bảng điểm CĐCS năm 2021", "Bảng chấm điểm CĐCS năm 2021"],
        "excellent_min_tenths": [900, 850],
        "pass_min_tenths": [500, 455],
        "strong_from": ["HTTNV", "HTXSNV"],
    }
    assert event.summary == "Bảng chấm điểm CĐCS năm 2021"
    assert _layout(card) == FULL


def test_scorecard_update_through_the_edit_page(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    response = login(cast.province_admin).post(
        reverse("scorecard_edit", args=[card.pk]),
        {
            "title": "Bảng điểm sửa",
            "excellent_min_tenths": "92,5",
            "good_min_tenths": "75",
            "pass_min_tenths": "50",
            "strong_from": "HTTNV",
        },
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("scorecard_detail", args=[card.pk]),
    )
    assert _card_row(card) == ("Bảng điểm sửa", 925, 750, 500, "HTTNV", "draft")
    [event] = _events("scorecard.update", card)
    assert event.actor == cast.province_admin
    assert event.changes == {
        "title": ["Bảng điểm CĐCS năm 2021", "Bảng điểm sửa"],
        "excellent_min_tenths": [900, 925],
        "good_min_tenths": [700, 750],
    }


def test_scorecard_update_is_refused_once_published_or_outside_the_owner(
    grading: Setup,
) -> None:
    card, cast = grading.card, grading.cast
    before = _card_row(card)
    with pytest.raises(ServiceError, match=PUBLISHED):
        scorecards.scorecard_update(
            actor=as_user(cast.province_officer),
            card=card,
            title="Đổi",
            excellent_min_tenths=850,
            good_min_tenths=650,
            pass_min_tenths=450,
            strong_from=Grade.GOOD,
        )
    draft = build_card(None, grading.tree.P, year=2020, publish=False)
    draft_before = _card_row(draft)
    with pytest.raises(ServiceError, match="The thresholds must fall"):
        scorecards.scorecard_update(
            actor=as_user(cast.province_officer),
            card=draft,
            title="Đổi",
            excellent_min_tenths=600,
            good_min_tenths=700,
            pass_min_tenths=500,
            strong_from=Grade.GOOD,
        )
    # A district sees P's scorecard from below but may not change it.
    with pytest.raises(Http404):
        scorecards.scorecard_for_write(as_user(cast.x_officer), draft.pk)
    response = login(cast.x_officer).post(
        reverse("scorecard_edit", args=[draft.pk]),
        {
            "title": "Đổi",
            "excellent_min_tenths": "85",
            "good_min_tenths": "65",
            "pass_min_tenths": "45",
            "strong_from": "HTTNV",
        },
    )
    assert response.status_code == 404
    assert (_card_row(card), _card_row(draft)) == (before, draft_before)
    assert AuditEvent.objects.filter(action="scorecard.update").count() == 0


# ---------------------------------------------------------------------------------------------
# group_delete


def test_group_delete_removes_the_group_and_its_criteria(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    group = CriterionGroup.objects.get(scorecard=card, number="II")
    scorecards.group_delete(actor=as_user(cast.province_officer), group=group)
    assert not CriterionGroup.objects.filter(pk=group.pk).exists()
    assert _layout(card) == [("I", [("1.1", 400), ("1.2", 200)])]
    assert scorecards.totals(card) == {"total_tenths": 600, "count": 2}
    [event] = _events("scorecard.group_delete", card)
    assert event.actor == cast.province_officer
    assert event.unit_id == tree.P.pk
    assert event.changes == {"criteria": [2, 0]}
    assert event.summary == "II. Chăm lo, đại diện"


def test_group_delete_through_the_page(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    group = CriterionGroup.objects.get(scorecard=card, number="I")
    response = login(cast.province_officer).post(reverse("group_delete", args=[group.pk]))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("scorecard_detail", args=[card.pk]),
    )
    assert _layout(card) == [("II", [("2.1", 300), ("2.2", 100)])]
    [event] = _events("scorecard.group_delete", card)
    assert (event.actor, event.changes, event.summary) == (
        cast.province_officer,
        {"criteria": [2, 0]},
        "I. Tổ chức và đoàn viên",
    )


def test_group_delete_is_refused_once_published_or_outside_the_owner(grading: Setup) -> None:
    card, cast = grading.card, grading.cast
    group = CriterionGroup.objects.get(scorecard=card, number="I")
    with pytest.raises(ServiceError, match=PUBLISHED):
        scorecards.group_delete(actor=as_user(cast.province_officer), group=group)
    draft = build_card(None, grading.tree.P, year=2020, publish=False)
    draft_group = CriterionGroup.objects.get(scorecard=draft, number="I")
    for user in (cast.x_officer, cast.y_officer, cast.viewer):
        with pytest.raises(Http404):
            scorecards.group_for_write(as_user(user), draft_group.pk)
        assert login(user).post(reverse("group_delete", args=[draft_group.pk])).status_code == 404
    assert (_layout(card), _layout(draft)) == (FULL, FULL)
    assert AuditEvent.objects.filter(action="scorecard.group_delete").count() == 0


# ---------------------------------------------------------------------------------------------
# criterion_delete


def test_criterion_delete_removes_one_criterion(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    criterion = Criterion.objects.get(scorecard=card, code="1.2")
    scorecards.criterion_delete(actor=as_user(cast.province_officer), criterion=criterion)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()
    assert _layout(card) == [("I", [("1.1", 400)]), ("II", [("2.1", 300), ("2.2", 100)])]
    assert scorecards.totals(card) == {"total_tenths": 800, "count": 3}
    [event] = _events("scorecard.criterion_delete", card)
    assert event.actor == cast.province_officer
    assert event.unit_id == tree.P.pk
    assert event.changes == {"criteria.max_tenths": ["20", None]}
    assert event.summary == "1.2 Tiêu chí 1.2"


def test_criterion_delete_through_the_page(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    criterion = Criterion.objects.get(scorecard=card, code="2.1")
    response = login(cast.province_admin).post(reverse("criterion_delete", args=[criterion.pk]))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("scorecard_detail", args=[card.pk]),
    )
    assert _layout(card) == [("I", [("1.1", 400), ("1.2", 200)]), ("II", [("2.2", 100)])]
    [event] = _events("scorecard.criterion_delete", card)
    assert (event.actor, event.changes, event.summary) == (
        cast.province_admin,
        {"criteria.max_tenths": ["30", None]},
        "2.1 Tiêu chí 2.1",
    )


def test_criterion_delete_is_refused_once_published_or_outside_the_owner(
    grading: Setup,
) -> None:
    card, cast = grading.card, grading.cast
    with pytest.raises(ServiceError, match=PUBLISHED):
        scorecards.criterion_delete(
            actor=as_user(cast.province_officer), criterion=grading.criteria[0]
        )
    draft = build_card(None, grading.tree.P, year=2020, publish=False)
    criterion = Criterion.objects.get(scorecard=draft, code="1.1")
    for user in (cast.x_officer, cast.chair, cast.viewer):
        with pytest.raises(Http404):
            scorecards.criterion_for_write(as_user(user), criterion.pk)
        response = login(user).post(reverse("criterion_delete", args=[criterion.pk]))
        assert response.status_code == 404
    assert (_layout(card), _layout(draft)) == (FULL, FULL)
    assert AuditEvent.objects.filter(action="scorecard.criterion_delete").count() == 0
