"""The audit trail: who changed what, when, with the values before and after."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded write. `changes` maps a field to [before, after]."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record id"), max_length=64)
    # The unit the record belongs to, so the trail can be scoped like everything else.
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx"),
            models.Index(fields=["unit_id", "at"], name="audit_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work (an import, an export, a report) run by the worker: its state, its
    result or error, and who asked for it. Progress while it runs is kept beside it in a small
    file (see core.jobs), because the work itself is one database transaction."""

    kind = models.CharField(max_length=50)
    title = models.CharField(_("title"), max_length=255)
    params = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)  # fmt: skip
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["created_by", "created_at"], name="job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"


class UploadStatus(models.TextChoices):
    DRAFT = "draft", _("Being checked")
    CHECKED = "checked", _("Checked, not imported")
    APPLIED = "applied", _("Imported")


class Upload(models.Model):
    """An uploaded spreadsheet kept between its preview and its import (in the database, not
    under the web root, and shown only to the user who uploaded it): the file, the sheet and
    columns chosen, what the check found, and the job checking or importing it."""

    file_name = models.CharField(max_length=255)
    sheet = models.CharField(max_length=100, blank=True)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=UploadStatus.choices,
                              default=UploadStatus.DRAFT)  # fmt: skip
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)  # [[row, column, message], ...]
    # The file's header cells and the column each is read as ("" for none): [[header, column]]
    columns = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # the user's choice: {header: column}
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the check or import running now, or last
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.file_name


class TotpDevice(models.Model):
    """A user's authenticator app for two-step verification (RFC 6238 codes). It protects
    logging in once confirmed with a first code; `last_step` is the time step of the last
    code accepted, which is not accepted again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("user"),
    )
    secret = models.CharField(_("secret"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last time step used"), null=True, blank=True)
    # SHA-256 of each unused recovery code (for a lost phone; each works once).
    recovery_codes = models.JSONField(_("recovery codes"), default=list, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"TOTP {self.user_id} {'on' if self.confirmed_at else 'pending'}"
