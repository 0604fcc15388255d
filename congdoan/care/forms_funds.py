"""Forms for funds, their movements and loans; each one feeds a service in funds.py or
loans.py, which does the checking that matters (the forms only turn text into values)."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.formatting import number_vi
from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.org.forms import UnitCodeField

from .funds import HAND_KINDS
from .loans import rate_text
from .models import MAX_TERM_MONTHS, EntryKind, Fund, FundKind, LoanStatus

BLANK = [("", "—")]
_GROUPED = re.compile(r"\d{1,3}([. ]\d{3})+")


def parse_vnd(text: str) -> int | None:
    """'1.600.000', '1 600 000', '1600000' (with or without 'đ') → 1600000; None when the
    text is not a whole number (decimals, letters)."""
    text = re.sub(r"\s*(đ|đồng|vnd|VND|VNĐ)$", "", text.strip()).strip()
    if text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[. ]", "", text))
    return None


class VndField(forms.Field):
    """An amount of đồng typed as a whole number (thousands may be grouped with dots)."""

    widget = forms.TextInput

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "placeholder": "1.000.000", "maxlength": "30"}
        )

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if text.startswith("-"):
            raise forms.ValidationError(_("The amount must be more than zero."))
        amount = parse_vnd(text)
        if amount is None:
            raise forms.ValidationError(_("Amounts are whole numbers of đồng, without decimals."))
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount

    def prepare_value(self, value: Any) -> Any:
        return number_vi(value) if isinstance(value, int) else value


class RateField(forms.Field):
    """A monthly interest rate typed as a percentage ('0,45' or '0.45'), cleaned to hundredths
    of a percent (45)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "placeholder": "0,45", "maxlength": "10"})

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip().rstrip("%").strip().replace(",", ".")
        if not text:
            return None
        match = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,2}))?", text)
        if not match:
            raise forms.ValidationError(
                _("Give the rate as a percentage a month with at most two decimals, e.g. 0,45.")
            )
        return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))

    def prepare_value(self, value: Any) -> Any:
        return rate_text(value) if isinstance(value, int) else value


class FundCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of fund"), choices=FundKind.choices)
    allow_overdraft = forms.BooleanField(label=_("May go below zero"), required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class EntryForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Movement"), choices=[(k.value, k.label) for k in HAND_KINDS])
    date = VnDateField(label=_("Date"))
    amount_vnd = VndField(label=_("Amount (VND)"))
    unit = UnitCodeField(
        label=_("Donated by a unit (code)"),
        required=False,
        help_text=_("For a donation from a union of this subtree, whose members contributed."),
    )
    counterpart = forms.CharField(
        label=_("Donor or recipient"),
        max_length=255,
        required=False,
        help_text=_("A company's or person's name; a grant names who received it."),
    )
    reference = forms.CharField(label=_("Decision or voucher"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class AllocationForm(BootstrapFormMixin, forms.Form):
    target = forms.ModelChoiceField(label=_("To the fund"), queryset=Fund.objects.none())
    date = VnDateField(label=_("Date"))
    amount_vnd = VndField(label=_("Amount (VND)"))
    reference = forms.CharField(label=_("Decision or voucher"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = targets  # type: ignore[attr-defined]
        field.label_from_instance = lambda f: f"{f.name} — {f.unit.name}"  # type: ignore[attr-defined]


class ReverseForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date of the reversal"))
    reason = forms.CharField(label=_("Reason"), max_length=255)


class LedgerFilterForm(BootstrapFormMixin, forms.Form):
    start = VnDateField(label=_("From"), required=False)
    end = VnDateField(label=_("To"), required=False)
    kind = forms.ChoiceField(
        label=_("Movement"), choices=BLANK + list(EntryKind.choices), required=False
    )
    on = VnDateField(label=_("Balance on"), required=False)


class PeriodForm(BootstrapFormMixin, forms.Form):
    start = VnDateField(label=_("From"))
    end = VnDateField(label=_("To"))


class LoanForm(BootstrapFormMixin, forms.Form):
    member = forms.CharField(
        label=_("Member (member code or CCCD)"),
        max_length=200,
        help_text=_("The 10-digit member code or the 12-digit CCCD number."),
    )
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    amount_vnd = VndField(label=_("Amount (VND)"))
    rate = RateField(label=_("Interest (% a month)"), initial=45)
    term_months = forms.IntegerField(
        label=_("Term (months)"), min_value=1, max_value=MAX_TERM_MONTHS, initial=12
    )
    applied_on = VnDateField(label=_("Applied on"))
    purpose = forms.CharField(label=_("Purpose"), max_length=255, required=False)
    decision_ref = forms.CharField(label=_("Application number"), max_length=120, required=False)

    def __init__(self, *args: Any, funds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        field.queryset = funds  # type: ignore[attr-defined]
        field.label_from_instance = lambda f: f"{f.name} — {f.unit.name}"  # type: ignore[attr-defined]
        self.fields["member"].widget.attrs.update({"list": "member-options", "autocomplete": "off"})


DECISIONS = [
    ("approve", _("Approve")),
    ("reject", _("Reject")),
    ("disburse", _("Disburse")),
]


class LoanDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=DECISIONS)
    date = VnDateField(label=_("Date"))
    reference = forms.CharField(label=_("Decision or voucher"), max_length=120, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class RepaymentForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date"))
    principal_vnd = VndField(label=_("Principal (VND)"), allow_zero=True)
    interest_vnd = VndField(label=_("Interest (VND)"), allow_zero=True, required=False)
    reference = forms.CharField(label=_("Voucher"), max_length=120, required=False)


class LoanFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=BLANK + list(LoanStatus.choices), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    on = VnDateField(label=_("As of"), required=False)
