"""How the audit trail names the meetings and inspections actions (added to core's labels when
the app loads)."""

from django.utils.translation import gettext_lazy as _

MEETINGS_ACTION_LABELS = {
    "meeting.create": _("Meeting recorded"),
    "meeting.update": _("Meeting changed"),
    "meeting.cancel": _("Meeting cancelled"),
    "meeting.document_add": _("Document attached"),
    "meeting.document_delete": _("Document removed"),
    "work_programme.create": _("Working-session programme created"),
    "inspection_plan.create": _("Inspection plan created"),
    "inspection_plan.update": _("Inspection plan changed"),
    "inspection.create": _("Inspection recorded"),
    "inspection.update": _("Inspection changed"),
    "inspection.planned": _("Inspection back to planned"),
    "inspection.done": _("Inspection done"),
    "inspection.followed_up": _("Recommendations followed up"),
    "inspection.closed": _("Inspection closed"),
}
