"""Year-end grading of grassroots unions (đánh giá, xếp loại CĐCS).

A `Scorecard` (bảng chấm điểm) is defined by an owner unit for a year and a level of units
below it: groups of criteria, each with a maximum, totalling 100. Each unit in its scope fills
an `Assessment` (self-assessed score per criterion), the union above approves or adjusts each
score, and the approved total gives the grade, possibly capped by a recorded condition.

Scores are stored as whole tenths of a point (`*_tenths`: 7,5 points = 75), so sums are exact.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congdoan.org.models import Level, Unit


class Grade(models.TextChoices):
    """The four grades of Guidance 1294/HD-TLĐ (DOMAIN.md §4), best first."""

    EXCELLENT = "HTXSNV", _("Excellently completed tasks (HTXSNV)")
    GOOD = "HTTNV", _("Well completed tasks (HTTNV)")
    PASS = "HTNV", _("Completed tasks (HTNV)")
    FAIL = "KHTNV", _("Did not complete tasks (KHTNV)")


# Best first: a lower index is a better grade.
GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL]


class Cap(models.TextChoices):
    """A condition that caps the grade whatever the score (a serious violation, ...)."""

    NONE = "", _("No cap")
    AT_MOST_GOOD = "HTTNV", _("At most HTTNV")
    AT_MOST_PASS = "HTNV", _("At most HTNV")
    FAIL = "KHTNV", _("KHTNV whatever the score")
    NOT_GRADED = "not_graded", _("Not graded")


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Source(models.TextChoices):
    TYPED = "typed", _("Scored by hand")
    TARGET = "target", _("Computed from a target")


class Scorecard(models.Model):
    """The criteria an owner unit grades the units of one level below it by, for one year."""

    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="grading_scorecards", verbose_name=_("owner")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(
        _("units graded"), max_length=16, choices=Level.choices, default=Level.GRASSROOTS
    )
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    # Grade thresholds, in tenths of a point: a total at or above the threshold gets the grade.
    excellent_min_tenths = models.PositiveIntegerField(_("HTXSNV from (points)"), default=900)
    good_min_tenths = models.PositiveIntegerField(_("HTTNV from (points)"), default=700)
    pass_min_tenths = models.PositiveIntegerField(_("HTNV from (points)"), default=500)
    # "CĐCS vững mạnh": the title goes to units graded this or better.
    strong_from = models.CharField(
        _("“Strong union” title from grade"),
        max_length=8,
        choices=[
            (Grade.EXCELLENT.value, Grade.EXCELLENT.label),
            (Grade.GOOD.value, Grade.GOOD.label),
        ],
        default=Grade.GOOD,
    )
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("copied from"),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year", "level"], name="grading_scorecard_owner_year_level"
            ),
            models.CheckConstraint(
                condition=models.Q(excellent_min_tenths__gt=models.F("good_min_tenths"))
                & models.Q(good_min_tenths__gt=models.F("pass_min_tenths")),
                name="grading_scorecard_thresholds_ordered",
            ),
        ]
        indexes = [models.Index(fields=["year", "level"], name="grading_scorecard_year_idx")]

    def __str__(self) -> str:
        return self.title


class CriterionGroup(models.Model):
    """A group of criteria (I. Tổ chức và đoàn viên, II. Đại diện, chăm lo, ...)."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="groups", verbose_name=_("scorecard")
    )
    number = models.CharField(_("number"), max_length=16)
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("group of criteria")
        verbose_name_plural = _("groups of criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    """One line of the scorecard with its maximum score."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scorecard")
    )
    group = models.ForeignKey(
        CriterionGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group")
    )
    code = models.CharField(_("number"), max_length=16)
    text = models.TextField(_("criterion"))
    max_tenths = models.PositiveIntegerField(_("maximum score"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.CharField(
        _("how it is scored"), max_length=16, choices=Source.choices, default=Source.TYPED
    )
    # The emulation indicator (congdoan.emulation.indicators.registry) of a computed criterion:
    # full marks when achieved ≥ target, proportional below it, 0 without a target.
    indicator_key = models.CharField(_("indicator"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_tenths__gt=0), name="grading_criterion_max_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessing")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")


class Assessment(models.Model):
    """A unit's assessment for a year: its self-assessed scores, the approved scores, the grade."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("scorecard")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="grading_assessments", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))  # the scorecard's, kept for lookups
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    self_total_tenths = models.PositiveIntegerField(_("self-assessed total"), default=0)
    approved_total_tenths = models.PositiveIntegerField(_("approved total"), null=True, blank=True)
    score_grade = models.CharField(
        _("grade by score"), max_length=8, choices=Grade.choices, blank=True
    )
    cap = models.CharField(_("cap"), max_length=16, choices=Cap.choices, blank=True, default="")
    cap_reason = models.TextField(_("reason for the cap"), blank=True)
    # The final grade (min of the grade by score and the cap); empty until approved, and for a
    # unit that is not graded.
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, blank=True)
    strong = models.BooleanField(_("strong union"), default=False)  # "CĐCS vững mạnh"
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="grading_assessment_unit_year"),
        ]
        indexes = [
            models.Index(fields=["year", "status", "unit"], name="grading_assess_year_idx"),
            models.Index(fields=["scorecard", "status"], name="grading_assess_card_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"


class Score(models.Model):
    """One criterion of an assessment: the unit's own score and evidence, the approved score."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    self_tenths = models.PositiveIntegerField(_("self-assessed score"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    approved_tenths = models.PositiveIntegerField(_("approved score"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="grading_score_assessment_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.criterion.code}"
