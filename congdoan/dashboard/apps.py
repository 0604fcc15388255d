from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "congdoan.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congdoan.core import audit

        from .figures import members_written

        # The members of past year ends are cached (figures_cache area "members"): every
        # audited membership or tree write makes them stale.
        audit.listeners.append(members_written)
