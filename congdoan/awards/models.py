"""Awards (khen thưởng): the catalogue of award forms with their eligibility rules, disciplines,
nominations (đề nghị) grouped in batches (tờ trình), the emulation council's review and the
decisions (quyết định) with their recipients.

A recipient keeps the path its unit had on the decision's date, so that the figures of a past
year count by the tree of that year (DOMAIN.md §1), whatever moved since.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.members.models import Member
from congdoan.org.models import Unit


class FormKind(models.TextChoices):
    ORDER = "order", _("Order (Huân chương)")
    FLAG = "flag", _("Emulation flag (Cờ thi đua)")
    MERIT = "merit", _("Certificate of merit (Bằng khen)")
    CREATIVE = "creative", _("Creative labour certificate (Bằng Lao động sáng tạo)")
    MEDAL = "medal", _("Commemorative medal (Kỷ niệm chương)")
    COMMENDATION = "commendation", _("Certificate of commendation (Giấy khen)")


class Authority(models.TextChoices):
    """Who grants the form (cấp khen)."""

    STATE = "state", _("President of the State")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    TLD = "tld", _("Vietnam General Confederation of Labour")
    PROVINCE_PC = "province_pc", _("Chair of the provincial People's Committee")
    PROVINCE_UNION = "province_union", _("Chair of the provincial federation")
    UPPER_UNION = "upper_union", _("Chair of the upper union")
    GRASSROOTS = "grassroots", _("Grassroots union")


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collectives")
    INDIVIDUAL = "individual", _("Individuals")
    BOTH = "both", _("Collectives and individuals")


class AwardForm(models.Model):
    """A form of award (hình thức khen thưởng). Forms without a unit are the national catalogue;
    a federation adds its own under its unit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind of award"), max_length=16, choices=FormKind.choices)
    authority = models.CharField(_("granted by"), max_length=16, choices=Authority.choices)
    # Higher is more senior; lists and the catalogue are ordered by it.
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    recipients = models.CharField(
        _("awarded to"), max_length=12, choices=RecipientKind.choices, default=RecipientKind.BOTH
    )
    # "tặng Bằng khen": what the decision's title says is given.
    phrase = models.CharField(_("phrase in the decision"), max_length=120)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_forms",
        verbose_name=_("added by"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("award form")
        verbose_name_plural = _("award forms")
        ordering = ["-rank", "name"]

    def __str__(self) -> str:
        return self.name

    def takes(self, collective: bool) -> bool:
        wanted = RecipientKind.COLLECTIVE if collective else RecipientKind.INDIVIDUAL
        return self.recipients in (wanted, RecipientKind.BOTH)


class RuleKind(models.TextChoices):
    GRADE = "grade", _("Grade of the year at least")
    NO_DISCIPLINE = "no_discipline", _("No discipline in the year")
    YEARS_SINCE_SAME = "years_since_same", _("Years since the last award of this form")
    LOWER_FORM = "lower_form", _("A lower form in the previous years")
    SERVICE_MONTHS = "service_months", _("Months of union membership")


class Grade(models.TextChoices):
    HTXSNV = "HTXSNV", _("Excellently completed its tasks (HTXSNV)")
    HTTNV = "HTTNV", _("Well completed its tasks (HTTNV)")
    HTNV = "HTNV", _("Completed its tasks (HTNV)")
    KHTNV = "KHTNV", _("Did not complete its tasks (KHTNV)")


class EligibilityRule(models.Model):
    """One condition a nominee must meet for a form, configured as data."""

    form = models.ForeignKey(AwardForm, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=20, choices=RuleKind.choices)
    applies_to = models.CharField(
        _("applies to"), max_length=12, choices=RecipientKind.choices, default=RecipientKind.BOTH
    )
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, blank=True)
    # Years (YEARS_SINCE_SAME, LOWER_FORM) or months (SERVICE_MONTHS).
    number = models.PositiveSmallIntegerField(_("years or months"), null=True, blank=True)
    lower_form = models.ForeignKey(
        AwardForm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lower form"),
    )

    class Meta:
        verbose_name = _("eligibility rule")
        ordering = ["form", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def applies(self, collective: bool) -> bool:
        wanted = RecipientKind.COLLECTIVE if collective else RecipientKind.INDIVIDUAL
        return self.applies_to in (wanted, RecipientKind.BOTH)


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand (khiển trách)")
    WARNING = "warning", _("Warning (cảnh cáo)")
    DISMISSAL = "dismissal", _("Dismissal from a post (cách chức)")
    EXPULSION = "expulsion", _("Expulsion (khai trừ)")


class Discipline(models.Model):
    """A disciplinary measure against a member (kỷ luật): it bars most awards that year."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="disciplines")
    # The unit that recorded it (the member's union then, or a union above it).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    form = models.CharField(_("measure"), max_length=12, choices=DisciplineForm.choices)
    decision_ref = models.CharField(_("decision number"), max_length=120)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discipline")
        indexes = [models.Index(fields=["member", "date"], name="discipline_member_date")]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.decision_ref}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by the council")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NominationBatch(models.Model):
    """A unit's proposal (tờ trình) of several nominees for one form and year, addressed to the
    emulation council of the unit that grants the form."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="award_batches", verbose_name=_("proposed by")
    )
    council_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    form = models.ForeignKey(
        AwardForm, on_delete=models.PROTECT, related_name="+", verbose_name=_("award form")
    )
    year = models.PositiveSmallIntegerField(_("emulation year"))
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nomination batch")
        indexes = [
            models.Index(fields=["unit", "year"], name="batch_unit_year"),
            models.Index(fields=["council_unit", "status"], name="batch_council_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.pk} · {self.form}"


class Review(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Nominee(models.Model):
    """One unit (collective) or member (individual) proposed in a batch."""

    batch = models.ForeignKey(NominationBatch, on_delete=models.CASCADE, related_name="nominees")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    achievements = models.TextField(_("achievements"))
    personal_rating = models.CharField(
        _("personal rating of the year"), max_length=8, choices=Grade.choices, blank=True
    )
    # The rules failed when last checked (messages in the language of the check), and why the
    # unit proposes the nominee anyway.
    failures = models.JSONField(default=list)
    override_reason = models.CharField(_("reason to propose anyway"), max_length=255, blank=True)
    review = models.CharField(
        _("council's review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_note = models.CharField(_("council's note"), max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nominee")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) ^ Q(member__isnull=True), name="nominee_one_kind"
            ),
            models.UniqueConstraint(
                fields=["batch", "member"],
                condition=Q(member__isnull=False),
                name="nominee_member_once",
            ),
            models.UniqueConstraint(
                fields=["batch", "unit"],
                condition=Q(unit__isnull=False),
                name="nominee_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return self.member.full_name if self.member_id else str(self.unit)  # type: ignore[union-attr]

    @property
    def is_collective(self) -> bool:
        return self.unit_id is not None


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class AwardDecision(models.Model):
    """A decision to award one form (quyết định khen thưởng). `unit` issues it, or records it
    when the authority is outside the union (the State, the Prime Minister, a People's
    Committee). Issued decisions are never edited, only revoked."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="award_decisions", verbose_name=_("unit")
    )
    form = models.ForeignKey(
        AwardForm, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("award form")
    )
    year = models.PositiveSmallIntegerField(_("emulation year"))
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("date"))
    # The year of `date`, kept for the "one number per authority and year" constraint.
    number_year = models.PositiveSmallIntegerField(editable=False)
    issuer = models.CharField(_("issuing body"), max_length=255, blank=True)
    signer = models.CharField(_("signer"), max_length=120)
    signer_position = models.CharField(_("signer's position"), max_length=120)
    on_behalf = models.CharField(_("on behalf of"), max_length=120, blank=True)
    place = models.CharField(_("place"), max_length=80, blank=True)
    grounds = models.TextField(_("grounds (Căn cứ)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award decision")
        indexes = [
            models.Index(fields=["unit", "year"], name="decision_unit_year"),
            models.Index(fields=["status", "date"], name="decision_status_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number_year", "number"], name="decision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.form}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.number_year = self.date.year
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class AwardRecipient(models.Model):
    """A collective (unit) or an individual (member) awarded by a decision."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    nominee = models.ForeignKey(
        Nominee, on_delete=models.SET_NULL, null=True, blank=True, related_name="recipients"
    )
    # The unit the recipient lies in (the collective itself, or the member's union) and its path
    # on the decision's date: the figures of a year count by the tree of that year.
    home_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255)
    name = models.CharField(_("name"), max_length=255)
    description = models.CharField(_("position and workplace"), max_length=255, blank=True)
    override_reason = models.CharField(_("reason to award anyway"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("recipient")
        indexes = [models.Index(fields=["path"], name="recipient_path")]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) ^ Q(member__isnull=True),
                name="recipient_one_kind",
            ),
            models.UniqueConstraint(
                fields=["decision", "member"],
                condition=Q(member__isnull=False),
                name="recipient_member_once",
            ),
            models.UniqueConstraint(
                fields=["decision", "unit"],
                condition=Q(unit__isnull=False),
                name="recipient_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.unit_id is not None
