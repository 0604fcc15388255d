"""Scorecards: created by a unit above grassroots, edited as a draft, published only when the
maxima total exactly 100, fixed once published, copied to another year; every write audited."""

import pytest

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import AuditEvent
from congdoan.emulation import indicators
from congdoan.grading import scorecards
from congdoan.grading.models import Criterion, Scorecard
from congdoan.grading.tests.setup import D, Setup, build_card, grading

__all__ = ["grading"]


def test_a_scorecard_totalling_100_is_published(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    assert scorecards.totals(card) == {"total_tenths": 1000, "count": 4}
    card = scorecards.scorecard_publish(actor=cast.province_officer, card=card, date=D(2021, 11, 1))
    assert (card.status, card.published_on) == ("published", D(2021, 11, 1))
    assert [(g.number, [c.code for c in cs]) for g, cs in scorecards.structure(card)] == [
        ("I", ["1.1", "1.2"]),
        ("II", ["2.1", "2.2"]),
    ]
    actions = list(
        AuditEvent.objects.filter(target_type="grading.scorecard", target_id=str(card.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["scorecard.create", "scorecard.group_add", "scorecard.group_add"] + [
        "scorecard.criterion_add"
    ] * 4 + ["scorecard.publish"]


def test_a_scorecard_not_totalling_100_is_not_published(tree: Tree, cast: Cast) -> None:
    card = build_card(cast.province_officer, tree.P, publish=False)
    last = Criterion.objects.get(scorecard=card, code="2.2")
    scorecards.criterion_save(
        actor=None,
        card=card,
        criterion=last,
        group=last.group,
        code="2.2",
        text="Tiêu chí 2.2",
        max_tenths=95,
    )
    with pytest.raises(ServiceError) as exc:
        scorecards.scorecard_publish(actor=None, card=card)
    assert exc.value.messages == [
        "The maximum scores total 99,5 points; they must total exactly 100 before the "
        "scorecard is published."
    ]
    card.refresh_from_db()
    assert card.status == "draft"


def test_an_empty_scorecard_or_group_is_not_published(tree: Tree, cast: Cast) -> None:
    card = scorecards.scorecard_create(actor=None, owner=tree.X, year=2021, title="Bảng điểm")
    with pytest.raises(ServiceError, match=r"The scorecard has no criteria yet\."):
        scorecards.scorecard_publish(actor=None, card=card)
    g = scorecards.group_save(actor=None, card=card, number="I", title="Nhóm I")
    scorecards.group_save(actor=None, card=card, number="II", title="Nhóm II")
    scorecards.criterion_save(actor=None, card=card, group=g, code="1", text="x", max_tenths=1000)
    with pytest.raises(ServiceError, match="Group II has no criteria"):
        scorecards.scorecard_publish(actor=None, card=card)


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"max_tenths": 0}, "The maximum score must be more than zero.", "max_tenths"),
        (
            {"max_tenths": 72},
            "A maximum score is a whole or half point (e.g. 5 or 2,5), not 7,2.",
            "max_tenths",
        ),
        ({"code": "1.1"}, "The scorecard already has a criterion numbered 1.1.", "code"),
        ({"text": " "}, "Write the criterion.", "text"),
        (
            {"source": "target", "indicator_key": "nope"},
            "Choose the emulation indicator the score is computed from.",
            "indicator_key",
        ),
    ],
)
def test_bad_criteria_are_refused(
    tree: Tree, cast: Cast, kwargs: dict[str, object], message: str, field: str
) -> None:
    card = build_card(None, tree.P, publish=False)
    group = card.groups.first()
    values = {"code": "3.1", "text": "Mới", "max_tenths": 50, **kwargs}
    with pytest.raises(ServiceError) as exc:
        scorecards.criterion_save(actor=None, card=card, group=group, **values)  # type: ignore[arg-type]
    assert (exc.value.messages, exc.value.field) == ([message], field)
    assert Criterion.objects.filter(scorecard=card).count() == 4


def test_a_computed_criterion_names_a_registered_indicator(tree: Tree, cast: Cast) -> None:
    indicators.register("test_new_members", "New members", None)
    try:
        card = build_card(None, tree.P, publish=False)
        c = scorecards.criterion_save(
            actor=None,
            card=card,
            group=card.groups.first(),
            code="1.3",
            text="Phát triển ĐV",
            max_tenths=50,
            source="target",
            indicator_key="test_new_members",
        )
        assert (c.source, c.indicator_key) == ("target", "test_new_members")
        typed = scorecards.criterion_save(
            actor=None,
            card=card,
            group=card.groups.first(),
            code="1.4",
            text="x",
            max_tenths=50,
            source="typed",
            indicator_key="test_new_members",
        )
        assert typed.indicator_key == ""
    finally:
        indicators.registry.pop("test_new_members")


def test_a_published_scorecard_is_fixed(grading: Setup) -> None:
    card = grading.card
    c = grading.criteria[0]
    fixed = (
        "This scorecard is published and can no longer be changed; units are assessed against it."
    )
    with pytest.raises(ServiceError, match=fixed):
        scorecards.criterion_save(
            actor=None, card=card, criterion=c, group=c.group, code="1.1", text="x", max_tenths=300
        )
    with pytest.raises(ServiceError, match=fixed):
        scorecards.criterion_delete(actor=None, criterion=c)
    with pytest.raises(ServiceError, match=fixed):
        scorecards.group_save(actor=None, card=card, number="III", title="x")
    c.refresh_from_db()
    assert c.max_tenths == 400


def test_thresholds_and_levels(tree: Tree, cast: Cast) -> None:
    with pytest.raises(ServiceError) as exc:
        scorecards.scorecard_create(
            actor=None,
            owner=tree.P,
            year=2021,
            title="x",
            excellent_min_tenths=700,
            good_min_tenths=700,
        )
    assert exc.value.messages == [
        "The thresholds must fall: HTXSNV above HTTNV, HTTNV above HTNV (now 70, 70, 50)."
    ]
    with pytest.raises(ServiceError) as exc:
        scorecards.scorecard_create(actor=None, owner=tree.X1, year=2021, title="x")
    assert exc.value.messages == ["Unit X1 cannot grade units of its own level or above it."]
    scorecards.scorecard_create(actor=None, owner=tree.P, year=2021, title="x")
    with pytest.raises(ServiceError) as exc:
        scorecards.scorecard_create(actor=None, owner=tree.P, year=2021, title="y")
    assert exc.value.messages == ["Unit P already has a scorecard for 2021 for these units."]
    card = scorecards.scorecard_create(
        actor=None,
        owner=tree.P,
        year=2021,
        title="Upper",
        level="upper",
        excellent_min_tenths=850,
        good_min_tenths=650,
        pass_min_tenths=455,
        strong_from="HTXSNV",
    )
    assert (card.level, card.pass_min_tenths, card.strong_from) == ("upper", 455, "HTXSNV")


def test_copy_to_the_next_year(grading: Setup) -> None:
    copy = scorecards.scorecard_copy(
        actor=grading.cast.province_officer, card=grading.card, year=2022
    )
    assert (copy.year, copy.title, copy.status, copy.copied_from_id) == (
        2022,
        "Bảng điểm CĐCS năm 2022",
        "draft",
        grading.card.pk,
    )
    assert [
        (g.number, g.title, [(c.code, c.max_tenths) for c in cs])
        for g, cs in scorecards.structure(copy)
    ] == [
        ("I", "Tổ chức và đoàn viên", [("1.1", 400), ("1.2", 200)]),
        ("II", "Chăm lo, đại diện", [("2.1", 300), ("2.2", 100)]),
    ]
    assert scorecards.totals(copy)["total_tenths"] == 1000
    assert AuditEvent.objects.filter(action="scorecard.copy", target_id=str(copy.pk)).count() == 1


def test_unpublish_and_delete_only_while_nobody_started(grading: Setup) -> None:
    from congdoan.grading import assessments

    card = scorecards.scorecard_unpublish(actor=None, card=grading.card)
    assert card.status == "draft"
    scorecards.scorecard_publish(actor=None, card=card)
    assessments.assessment_start(actor=None, unit=grading.tree.X1, year=2021)
    with pytest.raises(ServiceError) as exc:
        scorecards.scorecard_unpublish(actor=None, card=card)
    assert exc.value.messages == [
        "1 units have already started their assessment against this scorecard; it can no "
        "longer be changed."
    ]
    draft = build_card(None, grading.tree.P, year=2020, publish=False)
    scorecards.scorecard_delete(actor=None, card=draft)
    assert not Scorecard.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="scorecard.delete").count() == 1


def test_the_scorecard_trail_names_its_criteria_and_groups(tree: Tree, cast: Cast) -> None:
    from congdoan.core.audit import audit_display
    from congdoan.core.models import AuditEvent

    build_card(None, tree.P, publish=False)
    events = [
        AuditEvent.objects.filter(action=action).order_by("id").first()
        for action in ("scorecard.group_add", "scorecard.criterion_add")
    ]
    rows = audit_display(events)  # type: ignore[arg-type]
    # (sorted: PostgreSQL keeps a JSON object's keys in its own order)
    assert [sorted(row["changes"]) for row in rows] == [
        [
            ("Groups of criteria: number", "", "I"),
            ("Groups of criteria: title", "", "Tổ chức và đoàn viên"),
        ],
        [("Criteria: maximum score", "", "40"), ("Criteria: number", "", "1.1")],
    ]
