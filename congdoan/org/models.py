"""The organisation tree (hệ thống tổ chức công đoàn), its dated history, employers and roles.

`Unit` holds each unit as it is now, with a materialized path for subtree queries.
`UnitVersion` holds each unit as it was over a period [valid_from, valid_to), so the tree can be
rebuilt for any date. `UnitEvent` is the structural change with its decision. Members and other
records hang off units by id, so moving a subtree rewrites unit rows only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Each path step is the unit's id in base 36, fixed width: ids up to 2,176,782,335.
PATH_STEP = 6
PATH_END = "~"  # sorts after every step character: descendants of P are in [P, P + "~")


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Provincial")
    UPPER = "upper", _("Directly above grassroots")
    GRASSROOTS = "grassroots", _("Grassroots")
    SUBUNIT = "subunit", _("Sub-unit")


LEVEL_RANK = {
    Level.CENTRAL: 0,
    Level.PROVINCE: 1,
    Level.UPPER: 2,
    Level.GRASSROOTS: 3,
    Level.SUBUNIT: 4,
}


class Kind(models.TextChoices):
    CONFEDERATION = "confederation", _("Vietnam General Confederation of Labour")
    PROVINCIAL_FEDERATION = "provincial_federation", _("Provincial federation of labour")
    CENTRAL_SECTOR = "central_sector", _("Central sector union")
    CORPORATION = "corporation", _("Corporation union")
    DISTRICT_FEDERATION = "district_federation", _("District federation of labour")
    COMMUNE = "commune", _("Commune or ward union")
    LOCAL_SECTOR = "local_sector", _("Local sector union")
    INDUSTRIAL_ZONE = "industrial_zone", _("Industrial or economic zone union")
    PUBLIC_SERVANTS = "public_servants", _("Provincial public servants' union")
    ENTERPRISE = "enterprise", _("Grassroots union of an enterprise")
    AGENCY = "agency", _("Grassroots union of an agency or public service unit")
    SCHOOL = "school", _("Grassroots union of a school")
    GUILD = "guild", _("Grassroots trade guild")
    MEMBER_UNION = "member_union", _("Member grassroots union")
    DEPARTMENT = "department", _("Department union")
    GROUP = "group", _("Union group")


KIND_LEVEL = {
    Kind.CONFEDERATION: Level.CENTRAL,
    Kind.PROVINCIAL_FEDERATION: Level.PROVINCE,
    Kind.CENTRAL_SECTOR: Level.PROVINCE,
    Kind.CORPORATION: Level.PROVINCE,
    Kind.DISTRICT_FEDERATION: Level.UPPER,
    Kind.COMMUNE: Level.UPPER,
    Kind.LOCAL_SECTOR: Level.UPPER,
    Kind.INDUSTRIAL_ZONE: Level.UPPER,
    Kind.PUBLIC_SERVANTS: Level.UPPER,
    Kind.ENTERPRISE: Level.GRASSROOTS,
    Kind.AGENCY: Level.GRASSROOTS,
    Kind.SCHOOL: Level.GRASSROOTS,
    Kind.GUILD: Level.GRASSROOTS,
    Kind.MEMBER_UNION: Level.SUBUNIT,
    Kind.DEPARTMENT: Level.SUBUNIT,
    Kind.GROUP: Level.SUBUNIT,
}


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")
    MERGED = "merged", _("Merged")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned enterprise")
    PRIVATE = "private", _("Private enterprise")
    FDI = "fdi", _("Foreign-invested enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    PUBLIC = "public", _("Public agency or service unit")
    OTHER = "other", _("Other")


class Employer(models.Model):
    """The employer (đơn vị sử dụng lao động) a grassroots union sits in."""

    name = models.CharField(_("name"), max_length=255)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    ownership = models.CharField(
        _("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.PRIVATE
    )
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    workforce = models.PositiveIntegerField(_("workforce"), default=0)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~models.Q(tax_code=""),
                name="employer_tax_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A union organisation as it is today."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    # Binary (C) collation on PostgreSQL, set in the migration, so range scans use the b-tree.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    employer = models.ForeignKey(
        Employer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("employer"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    founded_on = models.DateField(_("founded on"))
    founded_decision = models.CharField(_("founding decision"), max_length=120, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolved_decision = models.CharField(_("dissolution decision"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["parent", "status"], name="unit_parent_status_idx"),
            models.Index(fields=["level", "path"], name="unit_level_path_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def path_end(self) -> str:
        return self.path + PATH_END

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit's ancestors, root first (not including itself)."""
        return [self.path[: i * PATH_STEP] for i in range(1, len(self.path) // PATH_STEP)]


class UnitVersion(models.Model):
    """A unit as it was from `valid_from` (inclusive) to `valid_to` (exclusive, null = now)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=120, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices)

    class Meta:
        indexes = [
            models.Index(fields=["path", "valid_from"], name="unitversion_path_idx"),
            models.Index(fields=["parent", "valid_from"], name="unitversion_parent_idx"),
            models.Index(fields=["unit", "valid_from"], name="unitversion_unit_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitversion_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from}, {self.valid_to or '…'})"


class EventKind(models.TextChoices):
    CREATED = "created", _("Founded")
    UPDATED = "updated", _("Details changed")
    RENAMED = "renamed", _("Renamed")
    MOVED = "moved", _("Moved")
    MERGED = "merged", _("Merged into another unit")
    ABSORBED = "absorbed", _("Received a merged unit")
    DISSOLVED = "dissolved", _("Dissolved")


class UnitEvent(models.Model):
    """A dated structural change with its decision (quyết định)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("change"), max_length=16, choices=EventKind.choices)
    effective_on = models.DateField(_("effective date"))
    decision_ref = models.CharField(_("decision number"), max_length=120, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    from_parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    old_name = models.CharField(max_length=255, blank=True)
    new_name = models.CharField(max_length=255, blank=True)
    plan = models.ForeignKey(
        "RestructurePlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["unit", "effective_on"], name="unitevent_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind} {self.effective_on}"


class RoleKind(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer")


class Role(models.Model):
    """A user's role on a unit; it reaches the unit and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="role_one_per_user_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.unit}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")


class RestructurePlan(models.Model):
    """An uploaded bulk restructuring plan, kept between preview and apply."""

    file_name = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    effective_on = models.DateField(_("effective date"))
    decision_ref = models.CharField(_("decision number"), max_length=120)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("restructuring plan")
        verbose_name_plural = _("restructuring plans")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.decision_ref})"


class TreeStamp(models.Model):
    """A counter that every change to the tree or to an employer increments: figures cached
    under an older value are stale."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class SubtreeFigures(models.Model):
    """Today's tree figures of a unit's subtree, cached under the tree stamp they were counted at
    (the tree changes by decisions, rarely; it is read on every page)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, primary_key=True, related_name="+")
    version = models.BigIntegerField()
    child_units = models.IntegerField()
    grassroots_units = models.IntegerField()
    workforce = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.version}"


class FiguresStamp(models.Model):
    """A counter per area of figures and province ("care:<province path>", "care:*" for the
    whole country, "tree" for the shape of the tree), bumped by every write that changes them.
    Cached figures remember the stamps they were computed under (see core.figures_cache)."""

    scope = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}@{self.version}"


class FiguresCache(models.Model):
    """Figures of one unit and period as last computed, valid while the stamps are unchanged."""

    key = models.CharField(max_length=200, unique=True)
    stamps = models.CharField(max_length=100)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
