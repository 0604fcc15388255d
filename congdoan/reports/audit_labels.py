"""How the audit trail names the report actions (added to core's labels when the app loads)."""

from django.utils.translation import gettext_lazy as _

REPORT_ACTION_LABELS = {
    "report.lock": _("Report figures locked"),
    "report.unlock": _("Report figures unlocked"),
    "report.template_upload": _("Report template uploaded"),
    "report.template_remove": _("Report template removed"),
}
