from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "congdoan.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS

        from . import jobs  # noqa: F401  (registers the lock job)
        from .audit_labels import REPORT_ACTION_LABELS

        ACTION_LABELS.update(REPORT_ACTION_LABELS)
