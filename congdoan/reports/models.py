"""Locked report figures (chốt số liệu) and a unit's own Word template of the report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.org.models import Unit

USER = settings.AUTH_USER_MODEL


class ReportLock(models.Model):
    """A period's figures of a unit, locked: the collected figures as they stood (`snapshot`,
    figures.collect's dict); the period's report is produced from it until it is unlocked."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    snapshot = models.JSONField()
    locked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    locked_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    unlocked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlock_reason = models.CharField(_("reason for unlocking"), max_length=500, blank=True)

    class Meta:
        ordering = ["-end", "-start", "-locked_at"]
        indexes = [models.Index(fields=["unit", "start", "end"], name="report_lock_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "start", "end"],
                condition=Q(unlocked_at__isnull=True),
                name="report_lock_once",
            ),
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")), name="report_lock_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None


class ReportTemplate(models.Model):
    """A unit's own Word template of the report (it applies to the unit's subtree, the nearest
    one above a unit winning); a new upload replaces the previous one, which is kept, inactive."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_active=True), name="report_template_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.name}"
