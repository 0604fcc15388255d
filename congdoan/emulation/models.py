"""Emulation (thi đua): movements and the units taking part, blocs of units that compete for a
year, their pacts (giao ước thi đua) with targets and signatures, indicators, and the numeric
targets (chỉ tiêu) assigned to units with what they achieved. See DOMAIN.md §4.

Targets of new members live in `members.MemberTarget` (one source of truth, written through
members' own service); every other target is a `Target` row.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from congdoan.org.models import Unit

USER = settings.AUTH_USER_MODEL


# ---------------------------------------------------------------------------------------------
# Movements (phong trào thi đua)


class Movement(models.Model):
    """A movement launched by a unit for its subtree over a period."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("launched by")
    )
    name = models.CharField(_("name"), max_length=255)
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        indexes = [models.Index(fields=["unit", "start"], name="movement_unit_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="movement_end_after")
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A unit of the owner's subtree registered to take part in a movement (đăng ký)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    registered_on = models.DateField(_("registered on"))
    commitment = models.CharField(_("commitment"), max_length=500, blank=True)
    registered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["unit", "movement"], name="registration_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "unit"],
                condition=Q(cancelled_on__isnull=True),
                name="registration_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.movement_id}"


# ---------------------------------------------------------------------------------------------
# Blocs (khối / cụm thi đua) and pacts (giao ước thi đua)


class Bloc(models.Model):
    """Units one level below `owner` (its direct children) grouped to compete for a year."""

    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader unit")
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("emulation bloc")
        verbose_name_plural = _("emulation blocs")
        indexes = [models.Index(fields=["owner", "year"], name="bloc_owner_year")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year", "name"], name="bloc_owner_year_name")
        ]

    def __str__(self) -> str:
        return self.name


class BlocMember(models.Model):
    """A unit in a bloc. `owner` and `year` repeat the bloc's so that the database itself keeps
    a unit in at most one bloc per owner and year; `position` is the fixed order in which the
    leadership rotates."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bloc member")
        verbose_name_plural = _("bloc members")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["unit", "year"], name="blocmember_unit_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "owner", "year"], name="blocmember_one_bloc_per_owner_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} in {self.bloc_id}"


class PactState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for signing")
    SIGNED = "signed", _("Signed")


class Pact(models.Model):
    """A bloc's pact for its year: the targets its units commit to, signed by each of them."""

    bloc = models.OneToOneField(Bloc, on_delete=models.CASCADE, related_name="pact")
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(_("number"), max_length=60, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    dated = models.DateField(_("date of the pact"))
    preamble = models.TextField(_("commitments"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=PactState.choices, default=PactState.DRAFT
    )
    opened_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("emulation pact")
        verbose_name_plural = _("emulation pacts")

    def __str__(self) -> str:
        return self.title


class PactTarget(models.Model):
    """One line of a pact: an indicator, the value committed to, its unit of measure."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(default=0)
    indicator = models.CharField(_("indicator"), max_length=255)
    value = models.BigIntegerField(_("value"))
    measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("pact target")
        verbose_name_plural = _("pact targets")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="pacttarget_value_positive")
        ]

    def __str__(self) -> str:
        return self.indicator


class PactSignature(models.Model):
    """A member unit's signature of its bloc's pact."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    signed_on = models.DateField(_("signed on"))
    signer_name = models.CharField(_("signer"), max_length=120)
    signer_position = models.CharField(_("signer's position"), max_length=120)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pact signature")
        verbose_name_plural = _("pact signatures")
        constraints = [
            models.UniqueConstraint(fields=["pact", "unit"], name="pactsignature_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} signed {self.pact_id}"


# ---------------------------------------------------------------------------------------------
# Indicators and targets (chỉ tiêu)


class Indicator(models.Model):
    """An indicator a federation defines for its subtree, whose results are typed in
    ("collective agreements signed", "money raised for funds")."""

    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("defined by")
    )
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="indicator_owner_key")]

    def __str__(self) -> str:
        return self.name


def _one_indicator(prefix: str) -> list[models.BaseConstraint]:
    """Either a registered indicator (`builtin`, a registry key) or a defined one, not both;
    one row per unit, year and indicator."""
    return [
        models.CheckConstraint(
            condition=(Q(builtin="") & Q(indicator__isnull=False))
            | (~Q(builtin="") & Q(indicator__isnull=True)),
            name=f"{prefix}_one_indicator",
        ),
        models.UniqueConstraint(
            fields=["unit", "year", "builtin"],
            condition=~Q(builtin=""),
            name=f"{prefix}_unit_year_builtin",
        ),
        models.UniqueConstraint(
            fields=["unit", "year", "indicator"],
            condition=Q(indicator__isnull=False),
            name=f"{prefix}_unit_year_indicator",
        ),
        models.CheckConstraint(condition=Q(value__gte=0), name=f"{prefix}_value_positive"),
    ]


class Target(models.Model):
    """The value a unit is to reach on an indicator in a year, set by the union above it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    builtin = models.CharField(max_length=40, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    value = models.BigIntegerField(_("target"))
    set_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["year", "unit"], name="target_year_unit")]
        constraints = _one_indicator("target")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.builtin or self.indicator_id}: {self.value}"


class Achievement(models.Model):
    """What a unit itself achieved on a typed-in indicator in a year (a subtree's result is
    the sum of its units' rows)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    builtin = models.CharField(max_length=40, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="achievements"
    )
    value = models.BigIntegerField(_("achieved"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        indexes = [models.Index(fields=["year", "indicator"], name="achievement_year_ind")]
        constraints = _one_indicator("achievement")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.value}"
