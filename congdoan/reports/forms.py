"""The forms of the reports pages: the period, a lock's note, unlocking, a template upload."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.members.services import today

from .periods import Period, custom, make

HALVES = [("", _("Whole year")), ("1", _("First half")), ("2", _("Second half"))]


def default_year(day: datetime.date) -> int:
    """The year a report is most likely wanted for: last year in January (the year-end
    conferences), else this year."""
    return day.year - 1 if day.month == 1 else day.year


class PeriodForm(BootstrapFormMixin, forms.Form):
    """A year, a half of a year, or a range (from and to both given)."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    half = forms.ChoiceField(label=_("Half"), choices=HALVES, required=False)
    start = VnDateField(label=_("From"), required=False)
    end = VnDateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                self.add_error(
                    "end" if start else "start",
                    _("Give both the first and the last day of the period."),
                )
            elif start > end:
                self.add_error("end", _("The end of the period is before its start."))
        return data

    def period(self) -> Period:
        """The period asked for (the default year when the form is empty or wrong)."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            if data.get("start") and data.get("end"):
                return custom(data["start"], data["end"])
            year = data.get("year") or default_year(today())
            return make(year, int(data["half"]) if data.get("half") else None)
        return make(default_year(today()))


def period_from_params(params: Any) -> tuple[Period, PeriodForm]:
    form = PeriodForm(params or None)
    return form.period(), form


class LockForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class UnlockForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for unlocking"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class TemplateForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Word template (.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
