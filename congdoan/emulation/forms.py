"""Forms of the emulation pages; each feeds a service."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.org.models import Unit

from .targets import IndicatorRef

_WHOLE = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


class WholeNumberField(forms.CharField):
    """A whole number not below zero, typed plainly or with thousands dots ("4.000")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def clean(self, value: Any) -> int | None:
        text = str(super().clean(value) or "").strip().replace(" ", "")
        if not text:
            return None
        if text.startswith("-") and _WHOLE.fullmatch(text[1:]):
            raise forms.ValidationError(_("The value cannot be negative."))
        if not _WHOLE.fullmatch(text):
            raise forms.ValidationError(_("The value must be a whole number."))
        return int(text.replace(".", ""))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class YearForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


# ---------------------------------------------------------------------------------------------
# Movements


class MovementForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the movement"), max_length=255)
    theme = forms.CharField(label=_("Theme"), max_length=255, required=False)
    start = VnDateField(label=_("From"))
    end = VnDateField(label=_("To"))
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RegistrationForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    registered_on = VnDateField(label=_("Registered on"))
    commitment = forms.CharField(label=_("Commitment"), max_length=500, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CancelForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Cancelled on"))


# ---------------------------------------------------------------------------------------------
# Blocs and pacts


class BlocForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the bloc"), max_length=200)
    members = UnitsChoiceField(
        label=_("Units of the bloc"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("The leadership rotates in this order (by code)."),
    )
    leader = UnitChoiceField(label=_("Leader unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = units  # type: ignore[attr-defined]
        self.fields["leader"].queryset = units  # type: ignore[attr-defined]


class PactForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    dated = VnDateField(label=_("Date of the pact"))
    preamble = forms.CharField(
        label=_("Commitments"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    targets = forms.CharField(
        label=_("Targets"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One target per line: indicator; value; unit of measure; note. "
            "For example: New members admitted; 500; members"
        ),
    )


class SignForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    signed_on = VnDateField(label=_("Signed on"))
    signer_name = forms.CharField(label=_("Signer"), max_length=120)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=120)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class DateForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date"))


# ---------------------------------------------------------------------------------------------
# Targets


def _indicator_field(refs: list[IndicatorRef]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Indicator"),
        choices=[(r.key, f"{r.label} ({r.measure})" if r.measure else r.label) for r in refs],
    )


class TargetForm(BootstrapFormMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    value = WholeNumberField(label=_("Target"))

    def __init__(self, *args: Any, refs: list[IndicatorRef], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = _indicator_field(refs)
        self.fields["indicator"].widget.attrs["class"] = "form-select"


class AchievementForm(BootstrapFormMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    value = WholeNumberField(label=_("Achieved"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, refs: list[IndicatorRef], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = _indicator_field([r for r in refs if not r.computed])
        self.fields["indicator"].widget.attrs["class"] = "form-select"


class IndicatorForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the indicator"), max_length=200)
    key = forms.SlugField(
        label=_("Short key"),
        max_length=40,
        help_text=_("Letters, digits and underscores, e.g. collective_agreements."),
    )
    measure = forms.CharField(label=_("Unit of measure"), max_length=60, required=False)


class GridChoiceForm(BootstrapFormMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, refs: list[IndicatorRef], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = _indicator_field(refs)
        self.fields["indicator"].widget.attrs["class"] = "form-select"
