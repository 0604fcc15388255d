from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "congdoan.grading"
    label = "grading"
    verbose_name = _("Year-end grading")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.org import hooks

        from .audit_labels import GRADING_ACTION_LABELS
        from .figures import grading_section, unit_panel

        ACTION_LABELS.update(GRADING_ACTION_LABELS)
        # `stats` and the API print the grade distribution of the period's year under "grading".
        hooks.stats_sections["grading"] = grading_section
        hooks.unit_panels.append(unit_panel)
