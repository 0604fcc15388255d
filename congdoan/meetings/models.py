"""Meetings and inspections (hội nghị, kiểm tra, giám sát). See DOMAIN.md §5.

A meeting belongs to the unit that holds it and is seen by whoever reaches that unit: its
conferences and sessions (tổng kết, sơ kết, hội nghị Ban Chấp hành, đại hội, làm việc), with the
guests, units represented, agenda, documents, and the award decisions handed out and pacts
signed at it. A working-session programme (chương trình làm việc) generates one session per
emulation bloc. An inspection plan (kế hoạch kiểm tra) of a unit for a year holds its
inspections of units of its subtree or of employers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.awards.models import AwardDecision
from congdoan.emulation.models import Bloc, Pact
from congdoan.org.models import Unit

USER = settings.AUTH_USER_MODEL


class Holiday(models.Model):
    """A public holiday (ngày nghỉ lễ, tết) or its compensatory day off: working sessions are
    not scheduled on it. Seeded for 2020-2027 by migration 0002 (Labour Code 2019 art. 112)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class MeetingKind(models.TextChoices):
    YEAR_REVIEW = "year_review", _("Year-end review")  # tổng kết năm
    HALF_YEAR_REVIEW = "half_year_review", _("Half-year review")  # sơ kết 6 tháng
    MID_TERM_REVIEW = "mid_term_review", _("Mid-term review")  # sơ kết giữa nhiệm kỳ
    LAUNCH = "launch", _("Launch of tasks")  # triển khai nhiệm vụ
    PLENARY = "plenary", _("Executive committee plenary")  # hội nghị Ban Chấp hành
    CONGRESS = "congress", _("Congress")  # đại hội
    WORKING_SESSION = "working_session", _("Working session")  # buổi làm việc
    OTHER = "other", _("Other")


# The kinds that count as conferences in reports (a working session is not one).
CONFERENCE_KINDS = [
    MeetingKind.YEAR_REVIEW,
    MeetingKind.HALF_YEAR_REVIEW,
    MeetingKind.MID_TERM_REVIEW,
    MeetingKind.LAUNCH,
    MeetingKind.PLENARY,
    MeetingKind.CONGRESS,
]


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class WorkProgramme(models.Model):
    """A programme of working sessions of a unit's standing committee with the emulation blocs
    of a year (seed 002), each session a Meeting of kind WORKING_SESSION."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year of the blocs"))
    title = models.CharField(_("title"), max_length=255)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("working-session programme")
        verbose_name_plural = _("working-session programmes")
        indexes = [models.Index(fields=["unit", "year"], name="workprogramme_unit_year")]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """A conference or session held by `unit`."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    # Other parts of a combined conference (the year-end review that also launches next year's
    # tasks and reviews the congress term at mid-term): kinds besides `kind`.
    parts = models.JSONField(_("also"), default=list, blank=True)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    chair_name = models.CharField(_("chair"), max_length=120, blank=True)
    chair_position = models.CharField(_("chair's position"), max_length=200, blank=True)
    # Hội nghị Ban Chấp hành lần thứ 12, khóa XVIII (mở rộng).
    plenary_number = models.PositiveSmallIntegerField(_("plenary number"), null=True, blank=True)
    committee_term = models.CharField(_("executive committee (khóa)"), max_length=20, blank=True)
    expanded = models.BooleanField(_("expanded"), default=False)
    congress_term = models.CharField(_("congress term (nhiệm kỳ)"), max_length=9, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    units_represented = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("units represented")
    )
    decisions = models.ManyToManyField(
        AwardDecision, blank=True, related_name="+", verbose_name=_("award decisions handed out")
    )
    pacts = models.ManyToManyField(
        Pact, blank=True, related_name="+", verbose_name=_("pacts signed")
    )
    programme = models.ForeignKey(
        WorkProgramme, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    bloc = models.ForeignKey(
        Bloc,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("emulation bloc"),
    )
    host_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("host unit"),
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["unit", "date"], name="meeting_unit_date"),
            models.Index(fields=["date", "status"], name="meeting_date_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    def part_labels(self) -> list[str]:
        labels = dict(MeetingKind.choices)
        return [str(labels[p]) for p in self.parts if p in labels]


class Guest(models.Model):
    """A guest of a meeting (đại biểu khách mời), in the order they are introduced."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """An item of a meeting's agenda (chương trình hội nghị), in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("item"), max_length=500)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class MeetingDocument(models.Model):
    """A paper of a meeting (report, resolution, minutes, photos), stored outside the web root
    and served only through an access-checked view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="meetings/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------------------------
# Inspections (kiểm tra, giám sát)


class InspectionPlan(models.Model):
    """A unit's inspection and supervision plan for a year."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=255)
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        indexes = [models.Index(fields=["unit", "year"], name="inspplan_unit_year")]

    def __str__(self) -> str:
        return self.name


class InspectionMode(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")  # kiểm tra
    SUPERVISION = "supervision", _("Supervision")  # giám sát


class Subject(models.TextChoices):
    CHARTER = "charter", _("Union charter")  # Điều lệ Công đoàn
    FINANCE = "finance", _("Union finance")  # tài chính công đoàn
    LABOUR_LAW = "labour_law", _("Labour law")  # pháp luật lao động
    UNION_LAW = "union_law", _("Trade Union Law")  # Luật Công đoàn
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")  # bảo hiểm xã hội


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Inspection planned")
    DONE = "done", _("Inspection done")
    FOLLOWED_UP = "followed_up", _("Recommendations followed up")
    CLOSED = "closed", _("Inspection closed")


class Inspection(models.Model):
    """One inspection of a plan: of a unit of the plan's subtree or of an employer (for labour
    law, the Trade Union Law and social insurance), on one or more subjects."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspections")
    # The plan's unit, repeated so that a subtree's figures need no join through the plan.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(
        _("inspection or supervision"),
        max_length=12,
        choices=InspectionMode.choices,
        default=InspectionMode.INSPECTION,
    )
    inspected_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspected unit"),
    )
    employer_name = models.CharField(_("employer"), max_length=255, blank=True)
    employer_tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    employer_address = models.CharField(_("employer's address"), max_length=255, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    team = models.TextField(_("team"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=InspectionState.choices,
        default=InspectionState.PLANNED,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [models.Index(fields=["unit", "start_date"], name="inspection_unit_start")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(inspected_unit__isnull=False) & Q(employer_name=""))
                | (Q(inspected_unit__isnull=True) & ~Q(employer_name="")),
                name="inspection_unit_or_employer",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="inspection_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.target_name

    @property
    def target_name(self) -> str:
        return self.inspected_unit.name if self.inspected_unit_id else self.employer_name  # type: ignore[union-attr]

    def subject_list(self) -> list[str]:
        """Its subjects in the order of `Subject` (from prefetched rows when there are)."""
        have = {row.subject for row in self.subject_rows.all()}
        return [s for s in Subject.values if s in have]

    def subject_labels(self) -> list[str]:
        labels = dict(Subject.choices)
        return [str(labels[s]) for s in self.subject_list()]


class InspectionSubject(models.Model):
    """One subject of an inspection (an inspection often covers several)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="subject_rows"
    )
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)

    class Meta:
        verbose_name = _("inspection subject")
        verbose_name_plural = _("inspection subjects")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "subject"], name="inspectionsubject_once")
        ]

    def __str__(self) -> str:
        return self.subject
