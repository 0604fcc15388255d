from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "congdoan.emulation"
    label = "emulation"
    verbose_name = _("Emulation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.org import hooks

        from .audit_labels import EMULATION_ACTION_LABELS
        from .builtin_indicators import register_builtins
        from .figures import emulation_section
        from .panels import unit_panel

        ACTION_LABELS.update(EMULATION_ACTION_LABELS)
        register_builtins()
        # `stats` and the API print the emulation figures of a period under "emulation".
        hooks.stats_sections["emulation"] = emulation_section
        hooks.unit_panels.append(unit_panel)
