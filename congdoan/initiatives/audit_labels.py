"""How the audit trail names the initiatives' actions (added to core's labels when the app
loads)."""

from django.utils.translation import gettext_lazy as _

INITIATIVE_ACTION_LABELS = {
    "initiative_programme.create": _("Initiative programme created"),
    "initiative_programme.update": _("Initiative programme changed"),
    "initiative_programme.target": _("Initiative target set"),
    "initiative.create": _("Initiative recorded"),
    "initiative.update": _("Initiative changed"),
    "initiative.recognise": _("Initiative recognised"),
    "initiative.reject": _("Initiative not recognised"),
    "initiative.reopen": _("Decision reopened"),
    "initiative.portal": _("National portal upload recorded"),
    "initiative.delete": _("Initiative removed"),
    "initiative.import": _("Initiative list imported"),
    "initiative.bulk": _("Initiatives recorded in bulk"),
}
