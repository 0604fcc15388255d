from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "congdoan.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core.audit import ACTION_LABELS
        from congdoan.org import hooks

        from .views import member_panel

        ACTION_LABELS["personal.anonymise"] = _("Personal data anonymised")
        ACTION_LABELS["upload.create"] = _("File uploaded for import")
        ACTION_LABELS["upload.delete"] = _("Uploaded file deleted (never imported)")
        ACTION_LABELS["upload.clear"] = _("Uploaded file's content deleted after import")
        hooks.member_panels.append(member_panel)
