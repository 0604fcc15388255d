"""How the audit trail names the grading actions (added to core's labels when the app loads)."""

from django.utils.translation import gettext_lazy as _

GRADING_ACTION_LABELS = {
    "scorecard.create": _("Scorecard created"),
    "scorecard.update": _("Scorecard changed"),
    "scorecard.group_add": _("Group of criteria added"),
    "scorecard.group_update": _("Group of criteria changed"),
    "scorecard.group_delete": _("Group of criteria deleted"),
    "scorecard.criterion_add": _("Criterion added"),
    "scorecard.criterion_update": _("Criterion changed"),
    "scorecard.criterion_delete": _("Criterion deleted"),
    "scorecard.publish": _("Scorecard published"),
    "scorecard.unpublish": _("Scorecard back to draft"),
    "scorecard.delete": _("Scorecard deleted"),
    "scorecard.copy": _("Scorecard copied from another year"),
    "assessment.start": _("Self-assessment started"),
    "assessment.self_score": _("Self-assessed scores recorded"),
    "assessment.submit": _("Self-assessment submitted"),
    "assessment.review": _("Scores reviewed"),
    "assessment.approve": _("Assessment approved"),
    "assessment.reopen": _("Assessment reopened"),
    "assessment.delete": _("Self-assessment deleted"),
}
