"""How the audit trail names the awards actions (added to core's labels when the app loads)."""

from django.utils.translation import gettext_lazy as _

AWARDS_ACTION_LABELS = {
    "award_form.create": _("Award form added"),
    "award_form.update": _("Award form changed"),
    "award_rule.add": _("Eligibility rule added"),
    "award_rule.delete": _("Eligibility rule removed"),
    "discipline.record": _("Discipline recorded"),
    "discipline.delete": _("Discipline record removed"),
    "award_batch.create": _("Award proposal created"),
    "award_batch.update": _("Award proposal changed"),
    "award_batch.submit": _("Award proposal submitted"),
    "award_batch.withdraw": _("Award proposal withdrawn"),
    "award_nominee.add": _("Nominee added"),
    "award_nominee.update": _("Nominee changed"),
    "award_nominee.remove": _("Nominee removed"),
    "award_nominee.review": _("Nominee reviewed by the council"),
    "award_decision.create": _("Award decision drafted"),
    "award_decision.update": _("Award decision changed"),
    "award_decision.issue": _("Award decision issued"),
    "award_decision.revoke": _("Award decision revoked"),
    "award_decision.delete": _("Draft award decision deleted"),
    "award_recipient.add": _("Recipient added"),
    "award_recipient.remove": _("Recipient removed"),
}
