from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "congdoan.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.emulation import indicators
        from congdoan.org import hooks

        from . import jobs  # noqa: F401  (registers the list import's jobs for the worker)
        from .audit_labels import INITIATIVE_ACTION_LABELS
        from .panels import member_panel, unit_panel
        from .queries import initiatives_section, submitted_count

        ACTION_LABELS.update(INITIATIVE_ACTION_LABELS)
        # `stats` and the API print the initiatives of a period under "initiatives".
        hooks.stats_sections["initiatives"] = initiatives_section
        hooks.unit_panels.append(unit_panel)
        hooks.member_panels.append(member_panel)
        # Emulation targets on "initiatives" are computed from the initiatives recorded here.
        indicators.register(
            "initiatives", _("Initiatives submitted"), submitted_count, measure=_("initiatives")
        )
