from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "congdoan.grading"
    label = "grading"
    verbose_name = _("Year-end grading")
    default_auto_field = "django.db.models.BigAutoField"
