from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "congdoan.awards"
    label = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.org import hooks

        from .audit_labels import AWARDS_ACTION_LABELS
        from .figures import awards_section
        from .views import member_panel, unit_panel

        ACTION_LABELS.update(AWARDS_ACTION_LABELS)
        # `stats` and the API print the awards of a period under "awards" (a list, as the
        # issue fixes it).
        hooks.stats_sections["awards"] = awards_section
        hooks.unit_panels.append(unit_panel)
        hooks.member_panels.append(member_panel)
