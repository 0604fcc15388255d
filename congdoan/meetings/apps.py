from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "congdoan.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.org import hooks

        from .audit_labels import MEETINGS_ACTION_LABELS
        from .figures import inspections_section, meetings_section
        from .panels import unit_panel

        ACTION_LABELS.update(MEETINGS_ACTION_LABELS)
        # `stats` and the API print these under "meetings" and "inspections".
        hooks.stats_sections["meetings"] = meetings_section
        hooks.stats_sections["inspections"] = inspections_section
        hooks.unit_panels.append(unit_panel)
