"""How the audit trail names the care actions (added to core's labels when the app loads)."""

from django.utils.translation import gettext_lazy as _

CARE_ACTION_LABELS = {
    "programme.create": _("Programme created"),
    "programme.update": _("Programme changed"),
    "support.propose": _("Proposed"),
    "support.update": _("Case changed"),
    "support.approve": _("Approved"),
    "support.pay": _("Paid"),
    "support.reject": _("Rejected"),
    "support.reverse": _("Reversed"),
    "support.import": _("Support list imported"),
    "support.bulk": _("Support recorded in bulk"),
    "house.create": _("Case proposed"),
    "house.approve": _("Case approved"),
    "house.start": _("Building started"),
    "house.hand_over": _("House handed over"),
    "house.cancel": _("Case cancelled"),
    "house.contribution": _("Contribution recorded"),
    "house.document_add": _("Document attached"),
    "house.document_delete": _("Document removed"),
    "fund.create": _("Fund created"),
    "fund.entry": _("Money in or out of a fund"),
    "fund.allocation": _("Allocation between funds"),
    "fund.reversal": _("Entry reversed"),
    "loan.apply": _("Loan applied for"),
    "loan.approve": _("Loan approved"),
    "loan.reject": _("Loan rejected"),
    "loan.disburse": _("Loan disbursed"),
    "loan.repayment": _("Repayment recorded"),
    "loan.repaid": _("Loan repaid"),
}
