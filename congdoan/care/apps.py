from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "congdoan.care"
    label = "care"
    verbose_name = _("Care and welfare")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core import audit
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.org import hooks

        from . import jobs  # noqa: F401  (registers the support import's jobs for the worker)
        from .audit_labels import CARE_ACTION_LABELS
        from .figures import care_section, care_written

        ACTION_LABELS.update(CARE_ACTION_LABELS)

        # `stats` and the API print the care figures of a period under "care".
        hooks.stats_sections["care"] = care_section

        # Every audited care write makes the cached care figures of its province stale.
        audit.listeners.append(care_written)
