"""Forms of the grading pages; each feeds a service in scorecards.py or assessments.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin
from congdoan.members.services import today

from .models import AssessmentStatus, Cap, CriterionGroup, Grade, Source
from .scoring import format_score, parse_score

BLANK = [("", "—")]


class ScoreField(forms.CharField):
    """Points with at most one decimal ("7,5" or "7.5"), cleaned to tenths of a point."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "class": "form-control score-input"})

    def prepare_value(self, value: Any) -> Any:
        return format_score(value) if isinstance(value, int) else value

    def clean(self, value: Any) -> int | None:
        return parse_score(super().clean(value))


class ScorecardForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255)
    excellent_min_tenths = ScoreField(label=_("HTXSNV from (points)"))
    good_min_tenths = ScoreField(label=_("HTTNV from (points)"))
    pass_min_tenths = ScoreField(label=_("HTNV from (points)"), help_text=_("Below this: KHTNV."))
    strong_from = forms.ChoiceField(
        label=_("“Strong union” (CĐCS vững mạnh) from grade"),
        choices=[
            (Grade.GOOD.value, _("HTTNV or better")),
            (Grade.EXCELLENT.value, _("HTXSNV only")),
        ],
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
        else:
            self.fields["year"].initial = today().year
        for name, value in (
            ("excellent_min_tenths", 900),
            ("good_min_tenths", 700),
            ("pass_min_tenths", 500),
        ):
            self.fields[name].initial = value
            self.fields[name].required = True


class GroupForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Number"), max_length=16, help_text=_("I, II, III..."))
    title = forms.CharField(label=_("Title"), max_length=255)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)


class CriterionForm(BootstrapFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=CriterionGroup.objects.none())
    code = forms.CharField(label=_("Number"), max_length=16, help_text=_("1.1, 1.2..."))
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 3}))
    max_tenths = ScoreField(
        label=_("Maximum score"), help_text=_("A whole or half point, e.g. 5 or 2,5.")
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)
    source = forms.ChoiceField(label=_("How it is scored"), choices=Source.choices)
    indicator_key = forms.ChoiceField(
        label=_("Emulation indicator (for a computed criterion)"),
        choices=BLANK,
        required=False,
        help_text=_(
            "Full marks when the target is reached, in proportion below it, 0 without a target."
        ),
    )

    def __init__(
        self, *args: Any, card: Any, indicators: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = card.groups.all()  # type: ignore[attr-defined]
        self.fields["indicator_key"].choices = BLANK + indicators  # type: ignore[attr-defined]
        self.fields["max_tenths"].required = True


class CopyForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the copy"), min_value=2000, max_value=2100)


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    status = forms.ChoiceField(
        label=_("State"),
        choices=[*BLANK, ("none", _("Not started")), *list(AssessmentStatus.choices)],
        required=False,
    )


class SelfForm(forms.Form):
    """One score and one evidence note per criterion of the assessment."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for _group, group_rows in rows:
            for row in group_rows:
                c = row.criterion
                self.fields[f"self_{c.pk}"] = forms.CharField(
                    required=False,
                    max_length=8,
                    initial=format_score(row.score.self_tenths),
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm score-input",
                            "inputmode": "decimal",
                            "aria-label": f"{c.code}",
                        }
                    ),
                )
                self.fields[f"evidence_{c.pk}"] = forms.CharField(
                    required=False,
                    initial=row.score.evidence,
                    widget=forms.Textarea(
                        attrs={"class": "form-control form-control-sm", "rows": 1}
                    ),
                )

    def entries(self) -> dict[int, tuple[Any, str]]:
        d = self.cleaned_data
        return {
            int(k[5:]): (d[k], d.get(f"evidence_{k[5:]}", "")) for k in d if k.startswith("self_")
        }


class ReviewForm(forms.Form):
    """One approved score and one comment per criterion, and the cap."""

    cap = forms.ChoiceField(label=_("Cap on the grade"), choices=Cap.choices, required=False)
    cap_reason = forms.CharField(
        label=_("Reason for the cap"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, rows: list[Any], assessment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cap"].widget.attrs["class"] = "form-select"
        self.fields["cap"].initial = assessment.cap
        self.fields["cap_reason"].initial = assessment.cap_reason
        for _group, group_rows in rows:
            for row in group_rows:
                c, s = row.criterion, row.score
                initial = s.approved_tenths if s.approved_tenths is not None else s.self_tenths
                self.fields[f"approved_{c.pk}"] = forms.CharField(
                    required=False,
                    max_length=8,
                    initial=format_score(initial),
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control form-control-sm score-input",
                            "inputmode": "decimal",
                            "aria-label": f"{c.code}",
                        }
                    ),
                )
                self.fields[f"comment_{c.pk}"] = forms.CharField(
                    required=False,
                    initial=s.comment,
                    widget=forms.Textarea(
                        attrs={"class": "form-control form-control-sm", "rows": 1}
                    ),
                )

    def entries(self) -> dict[int, tuple[Any, str]]:
        d = self.cleaned_data
        return {
            int(k[9:]): (d[k], d.get(f"comment_{k[9:]}", ""))
            for k in d
            if k.startswith("approved_")
        }
