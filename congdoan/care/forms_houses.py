"""Forms for house grants; each feeds a service in houses.py or documents.py."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.members import queries as member_queries
from congdoan.members.models import Member, MemberStatus
from congdoan.members.services import today
from congdoan.org.models import Unit

from .models import Fund, HouseKind, HouseStatus

BLANK = [("", "—")]
_WHOLE = re.compile(r"\d+|\d{1,3}([.,]\d{3})+|\d{1,3}( \d{3})+")


class AmountField(forms.CharField):
    """Whole đồng, typed plainly or with thousands separators ("50.000.000", "50,000,000");
    decimals, zero and negative amounts are refused with a message saying so."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "placeholder": "50.000.000"})

    def clean(self, value: Any) -> int | None:
        text = str(super().clean(value) or "").strip().replace("đ", "").replace("VND", "")
        text = text.strip()
        if not text:
            return None
        negative = text.startswith("-")
        digits = text.lstrip("+-").strip()
        if _WHOLE.fullmatch(digits):
            number = int(re.sub(r"[., ]", "", digits))
            if negative or number == 0:
                raise forms.ValidationError(_("The amount must be more than zero."))
            return number
        if re.fullmatch(r"[\d.,\s]+", digits):
            raise forms.ValidationError(_("Amounts are whole numbers of đồng, without decimals."))
        raise forms.ValidationError(_("Type the amount in đồng, e.g. 50.000.000."))


class HouseFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=BLANK, required=False)
    kind = forms.ChoiceField(label=_("Build or repair"), choices=BLANK, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = BLANK + list(HouseStatus.choices)  # type: ignore[attr-defined]
        self.fields["kind"].choices = BLANK + list(HouseKind.choices)  # type: ignore[attr-defined]


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.unit.short_name or obj.unit.name
        return f"{obj.name} · {unit}"


def members_of(unit: Unit) -> QuerySet[Member]:
    """The people a house may be proposed for: active members of `unit`'s subtree."""
    return Member.objects.filter(member_queries.in_subtree(unit), status=MemberStatus.ACTIVE)


class MemberPickField(forms.CharField):
    """A member of the unit's subtree, typed by member code or CCCD, or picked by name from
    the list the page offers as you type."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "member-options", "autocomplete": "off"})


class HouseForm(BootstrapFormMixin, forms.Form):
    member = MemberPickField(
        label=_("Member (member code, CCCD or name)"),
        help_text=_("Type a name and pick the person from the list."),
    )
    kind = forms.ChoiceField(label=_("Build or repair"), choices=HouseKind.choices)
    amount_vnd = AmountField(
        label=_("Amount proposed (VND)"),
        help_text=_("Usually 50-70 million đồng to build, about 30 million to repair."),
    )
    to_fund = FundChoiceField(
        label=_("Proposed to the fund"), queryset=Fund.objects.none(), required=False
    )
    proposed_on = VnDateField(label=_("Proposed on"))
    circumstances = forms.CharField(
        label=_("Circumstances"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, unit: Unit, funds: QuerySet[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["to_fund"].queryset = funds  # type: ignore[attr-defined]
        self.fields["proposed_on"].initial = today()
        self.fields["member"].widget.attrs.update(
            {
                "hx-get": reverse("house_member_options", args=[unit.pk]),
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#member-options",
            }
        )

    def clean_member(self) -> Member:
        text = self.cleaned_data["member"].strip()
        found = list(member_queries.search(members_of(self.unit), text).order_by("sort_key")[:2])
        if not found:
            raise forms.ValidationError(
                _("No member of the unions under %(unit)s matches “%(text)s”."),
                params={"unit": self.unit.name, "text": text},
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several members match “%(text)s”; type the member code or the CCCD."),
                params={"text": text},
            )
        return found[0]


class ApproveForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Approved on"))
    decision_ref = forms.CharField(label=_("Approval decision"), max_length=120)
    amount_vnd = AmountField(label=_("Amount approved (VND)"), required=False)


class StepForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date"))


class CancelForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ContributionForm(BootstrapFormMixin, forms.Form):
    fund = FundChoiceField(label=_("From the fund"), queryset=Fund.objects.none(), required=False)
    sponsor = forms.CharField(label=_("Or from a sponsor (name)"), max_length=255, required=False)
    amount_vnd = AmountField(label=_("Amount (VND)"))
    date = VnDateField(label=_("Date"))
    reference = forms.CharField(label=_("Decision or voucher"), max_length=120, required=False)

    def __init__(self, *args: Any, funds: QuerySet[Fund], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds  # type: ignore[attr-defined]
        self.fields["date"].initial = today()


class DocumentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("JPEG, PNG, WebP or PDF."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,"
                                                         "application/pdf"}),
    )  # fmt: skip
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)
