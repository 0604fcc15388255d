"""Initiatives (sáng kiến): programmes such as "1 triệu sáng kiến" run by a unit for its subtree
over a period, with a target for each unit of the subtree; initiatives recorded under them with
their authors, and the initiative council's decision. See DOMAIN.md §4.

An initiative belongs to the unit that records it (a grassroots union, or a union above it) and
is seen by whoever reaches that unit; a programme is also seen by the units below its owner
(they record initiatives under it). Values are whole VND.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import Upload
from congdoan.members.models import Member
from congdoan.org.models import Unit

USER = settings.AUTH_USER_MODEL


class InitiativeProgramme(models.Model):
    """A programme of initiatives run by `unit` for its subtree (phong trào "1 triệu sáng
    kiến"). Its total target is the target set for the owner unit itself."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    description = models.TextField(_("description"), blank=True)
    decision_ref = models.CharField(_("decision"), max_length=120, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("initiative programme")
        verbose_name_plural = _("initiative programmes")
        indexes = [models.Index(fields=["unit", "start"], name="initprog_unit_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="initprog_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeTarget(models.Model):
    """How many initiatives a unit of the programme's subtree is to contribute (chỉ tiêu),
    counted over its own subtree."""

    programme = models.ForeignKey(
        InitiativeProgramme, on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    target = models.PositiveIntegerField(_("target (initiatives)"))

    class Meta:
        verbose_name = _("initiative target")
        verbose_name_plural = _("initiative targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit"], name="inittarget_unique"),
        ]
        indexes = [models.Index(fields=["unit", "programme"], name="inittarget_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.target}"


class InitiativeField(models.TextChoices):
    TECHNICAL = "technical", _("Technical")
    MANAGEMENT = "management", _("Management")
    PRODUCTION = "production", _("Production")
    SERVICE = "service", _("Service")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class InitiativeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class Initiative(models.Model):
    """One initiative recorded by a unit under a programme, and what the initiative council
    decided about it (hội đồng sáng kiến)."""

    programme = models.ForeignKey(
        InitiativeProgramme, verbose_name=_("programme"), on_delete=models.PROTECT,
        related_name="initiatives",
    )  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False)  # folded, for search
    field = models.CharField(_("field"), max_length=12, choices=InitiativeField.choices)
    description = models.TextField(_("description"), blank=True)
    # Co-authors who are not union members (or not in the system), one per line.
    co_authors = models.TextField(_("other co-authors"), blank=True)
    value_vnd = models.BigIntegerField(_("estimated value (VND)"), default=0)
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(
        _("status"), max_length=16, choices=InitiativeStatus.choices,
        default=InitiativeStatus.SUBMITTED,
    )  # fmt: skip
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    council_comment = models.TextField(_("council's comment"), blank=True)
    on_portal = models.BooleanField(_("uploaded to the national portal"), default=False)
    portal_on = models.DateField(_("uploaded to the portal on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [
            # figures of a subtree over a period (joined to the unit's path range)
            models.Index(fields=["unit", "submitted_on"], name="initiative_unit_day"),
            models.Index(fields=["programme", "unit"], name="initiative_prog_unit"),
            models.Index(fields=["submitted_on", "id"], name="initiative_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(value_vnd__gte=0), name="initiative_value_gte_0"),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_on__isnull=False),
                name="initiative_decided_has_date",
            ),
            models.CheckConstraint(
                condition=Q(on_portal=False) | Q(portal_on__isnull=False),
                name="initiative_portal_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.status != InitiativeStatus.SUBMITTED


class InitiativeAuthor(models.Model):
    """A union member who authored an initiative, in the order the authors are listed, with
    their share of the work (percent; the shares of an initiative add up to 100)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    member = models.ForeignKey(
        Member, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    share_pct = models.PositiveSmallIntegerField(_("share (%)"), default=100)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "member"], name="initauthor_unique"),
            models.CheckConstraint(
                condition=Q(share_pct__gte=1, share_pct__lte=100), name="initauthor_share"
            ),
        ]
        indexes = [models.Index(fields=["member", "initiative"], name="initauthor_member")]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.member_id}"


class InitiativeUpload(Upload):
    """A spreadsheet list of initiatives recorded by `unit` under a programme."""

    programme = models.ForeignKey(InitiativeProgramme, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
