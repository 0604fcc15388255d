"""Members (đoàn viên) and workers, their membership events, and the figures kept up to date.

The roster of any date follows from `MembershipSpell` rows (a member's time in one grassroots
union, with the few attributes the statistics need copied onto it). Current figures come from
`SubtreeTally` rows, one per unit for its whole subtree, updated in the same transaction as each
event (a member event touches one row per ancestor, about five). `manage.py recount_members`
rebuilds them, and a test proves they always equal a recount.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.core.models import Upload
from congdoan.org.models import Unit

from .reference import EDUCATION_CHOICES, ETHNICITY_CHOICES, QUALIFICATION_CHOICES, RELIGIONS


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MemberStatus(models.TextChoices):
    WORKER = "worker", _("Worker (not a member)")
    ACTIVE = "active", _("Active member")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left the union")


class Member(models.Model):
    """A person on a grassroots union's books: a member, or a worker who is not (yet) one."""

    full_name = models.CharField(_("full name"), max_length=120)
    # Folded (no diacritics, lower case) for search; binary-ordered key for Vietnamese sorting.
    name_key = models.CharField(max_length=120, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=ETHNICITY_CHOICES, default="01"
    )
    religion = models.CharField(_("religion"), max_length=20, choices=RELIGIONS, default="none")
    cccd = models.CharField(_("CCCD number"), max_length=12, blank=True)
    hometown_province = models.PositiveIntegerField(_("hometown (province)"), null=True, blank=True)
    hometown_ward = models.PositiveIntegerField(_("hometown (commune)"), null=True, blank=True)
    residence_province = models.PositiveIntegerField(
        _("residence (province)"), null=True, blank=True
    )
    residence_ward = models.PositiveIntegerField(_("residence (commune)"), null=True, blank=True)
    residence_address = models.CharField(_("residence address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    education = models.CharField(
        _("general education"), max_length=20, blank=True, choices=EDUCATION_CHOICES
    )
    qualification = models.CharField(
        _("professional qualification"), max_length=20, blank=True, choices=QUALIFICATION_CHOICES
    )
    job_title = models.CharField(_("job or position"), max_length=120, blank=True)
    party_member = models.BooleanField(_("party member"), default=False)
    party_joined_on = models.DateField(_("party member since"), null=True, blank=True)
    joined_on = models.DateField(_("joined the union on"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="members", verbose_name=_("grassroots union")
    )
    subunit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subunit_members",
        verbose_name=_("union group or department"),
    )
    # Copies of the unit's ancestors, so that a province's or district's roster can be listed in
    # name order from one index (PERFORMANCE.md); rewritten when units move.
    province = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    upper = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    card_number = models.CharField(
        _("member code"), max_length=12, null=True, blank=True, unique=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.WORKER
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["unit", "status", "sort_key", "id"], name="member_unit_sort"),
            models.Index(fields=["upper", "status", "sort_key", "id"], name="member_upper_sort"),
            models.Index(
                fields=["province", "status", "sort_key", "id"], name="member_province_sort"
            ),
            models.Index(fields=["status", "sort_key", "id"], name="member_sort"),
            models.Index(fields=["name_key"], name="member_name_key"),
            models.Index(fields=["cccd"], name="member_cccd"),
        ]
        constraints = [
            # The same person cannot be an active member twice.
            models.UniqueConstraint(
                fields=["cccd"],
                condition=Q(status="active") & ~Q(cccd=""),
                name="member_one_active_per_cccd",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_member(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def given_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    READMITTED = "readmitted", _("Re-admitted")
    TRANSFER_OUT = "transfer_out", _("Transferred out")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrew from the union")
    EXPELLED = "expelled", _("Expelled")
    CARD_ISSUED = "card_issued", _("Card issued")
    CARD_REISSUED = "card_reissued", _("Card reissued")
    RECORDED = "recorded", _("Recorded as a worker")


class MemberEvent(models.Model):
    """A dated change of membership (biến động đoàn viên), with its decision where formal."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("change"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("date"))
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    other_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["member", "date"], name="memberevent_member"),
            models.Index(fields=["unit", "kind", "date"], name="memberevent_unit_kind"),
            # A year's transfers, admissions or departures: an index-only scan on PostgreSQL.
            models.Index(
                fields=["kind", "date"],
                include=["unit", "other_unit"],
                name="memberevent_kind_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.kind} {self.date}"


class MembershipSpell(models.Model):
    """A member's time as an active member of one grassroots union: [start, end)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spells")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    # Copied from the member for statistics without a join over millions of rows.
    sex = models.CharField(max_length=6, choices=Sex.choices)
    birth_date = models.DateField()
    minority = models.BooleanField(default=False)
    party_since = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "start"], name="spell_unit_start"),
            models.Index(fields=["member", "start"], name="spell_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.unit_id} [{self.start}, {self.end or '…'})"


class SubtreeTally(models.Model):
    """Current figures of a unit's whole subtree (the unit and everything below it)."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, primary_key=True, related_name="member_tally"
    )
    members = models.IntegerField(default=0)
    female = models.IntegerField(default=0)
    party = models.IntegerField(default=0)
    minority = models.IntegerField(default=0)
    workers = models.IntegerField(default=0)  # recorded non-members
    # {birth year: active members born that year}: age bands for any current date.
    birth_years = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"tally {self.unit_id}: {self.members}"


class YearTally(models.Model):
    """Movements within one calendar year, for a unit's whole subtree as the tree is now:
    admissions and departures (which add up from sub-units), and transfers that crossed the
    subtree's border (which do not: a transfer between two sub-units crosses neither's parent's
    border, so they are counted from the events for each unit)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    admitted = models.IntegerField(default=0)
    left = models.IntegerField(default=0)
    transferred_in = models.IntegerField(default=0)
    transferred_out = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="yeartally_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class MemberTarget(models.Model):
    """A unit's target of new members for a year (chỉ tiêu phát triển đoàn viên)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="member_targets")
    year = models.PositiveSmallIntegerField(_("year"))
    new_members = models.PositiveIntegerField(_("new members"))

    class Meta:
        verbose_name = _("member development target")
        verbose_name_plural = _("member development targets")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="membertarget_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.new_members}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving union")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(models.Model):
    """A member moving to another grassroots union; the receiving union confirms it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="incoming_transfers")
    date = models.DateField(_("transfer date"))
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["to_unit", "status"], name="transfer_to_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="transfer_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_unit}"


class CardSequence(models.Model):
    """The last member code serial handed out; codes are never reused."""

    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last)


class RosterUpload(Upload):
    """An uploaded roster, for a unit's subtree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
