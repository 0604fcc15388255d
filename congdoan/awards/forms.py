"""Forms of the awards pages; each feeds a service in services.py."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.core.text import fold
from congdoan.members import queries as member_queries
from congdoan.members.models import Member, MemberStatus
from congdoan.members.services import today
from congdoan.org import access
from congdoan.org.models import Unit

from .models import (
    Authority,
    AwardForm,
    DecisionStatus,
    DisciplineForm,
    FormKind,
    Grade,
    RecipientKind,
    RuleKind,
)

BLANK = [("", "—")]


def _this_year() -> int:
    return today().year


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Emulation year"))
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class FormChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_recipients_display().lower()})"


class YearFilterForm(BootstrapFormMixin, forms.Form):
    year = YearField(required=False)


class PeriodForm(BootstrapFormMixin, forms.Form):
    start = VnDateField(label=_("From"), required=False)
    end = VnDateField(label=_("To"), required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for; this year so far by default."""
        day = today()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or day
        start = data.get("start") or end.replace(month=1, day=1)
        if start > end:
            start, end = end, start
        return start, end


def members_of(unit: Unit) -> QuerySet[Member]:
    """Active members of `unit`'s subtree."""
    return Member.objects.filter(
        access.path_q([unit.path], "unit__path"), status=MemberStatus.ACTIVE
    )


class MemberPickField(forms.CharField):
    """A member of the unit's subtree by member code, CCCD or name (picked from the list the
    page offers as you type)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("label", _("Member (member code, CCCD or name)"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "member-options", "autocomplete": "off"})


class UnitPickField(forms.CharField):
    """A unit of the subtree by its code or its name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("label", _("Unit (code or name)"))
        super().__init__(**kwargs)


def pick_member(root: Unit, text: str) -> Member:
    found = list(member_queries.search(members_of(root), text).order_by("sort_key", "id")[:2])
    if not found:
        raise forms.ValidationError(
            _("No member of the unions under %(unit)s matches “%(text)s”."),
            params={"unit": root.name, "text": text},
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("Several members match “%(text)s”; type the member code or the CCCD."),
            params={"text": text},
        )
    return found[0]


def pick_unit(root: Unit, text: str) -> Unit:
    """By code anywhere (the service then says if it is outside), else by name in the subtree."""
    by_code = Unit.objects.filter(code=text.strip()).first()
    if by_code is not None:
        return by_code
    key = fold(text)
    found = list(
        Unit.objects.filter(access.path_q([root.path]), name_key__contains=key).order_by("path")[:2]
    )
    if len(found) != 1:
        raise forms.ValidationError(
            _("No single unit under %(unit)s matches “%(text)s”; type its code."),
            params={"unit": root.name, "text": text},
        )
    return found[0]


class _WithPicks(BootstrapFormMixin, forms.Form):
    """A unit or a member of `root`'s subtree, with the member list offered as you type."""

    def __init__(self, *args: Any, root: Unit, options_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = root
        if "member" in self.fields:
            self.fields["member"].widget.attrs.update(
                {
                    "hx-get": options_url,
                    "hx-trigger": "keyup changed delay:300ms",
                    "hx-target": "#member-options",
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit_text = (data.get("unit") or "").strip()
        member_text = (data.get("member") or "").strip()
        if bool(unit_text) == bool(member_text):
            raise forms.ValidationError(
                _("Type either a unit (collective) or a member (individual).")
            )
        try:
            data["unit"] = pick_unit(self.root, unit_text) if unit_text else None
        except forms.ValidationError as exc:
            self.add_error("unit", exc)
        try:
            data["member"] = pick_member(self.root, member_text) if member_text else None
        except forms.ValidationError as exc:
            self.add_error("member", exc)
        return data


class NomineeForm(_WithPicks):
    unit = UnitPickField(required=False)
    member = MemberPickField(required=False)
    achievements = forms.CharField(
        label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 4})
    )
    personal_rating = forms.ChoiceField(
        label=_("Personal rating of the year (individuals)"),
        choices=BLANK + list(Grade.choices),
        required=False,
        help_text=_("Without it, the grade of the member's grassroots union is used."),
    )
    override_reason = forms.CharField(
        label=_("Reason to propose anyway"),
        max_length=255,
        required=False,
        help_text=_("Needed only if the nominee fails a condition of the form."),
    )


class NomineeEditForm(BootstrapFormMixin, forms.Form):
    achievements = forms.CharField(
        label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 4})
    )
    personal_rating = forms.ChoiceField(
        label=_("Personal rating of the year (individuals)"),
        choices=BLANK + list(Grade.choices),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason to propose anyway"), max_length=255, required=False
    )


class RecipientForm(_WithPicks):
    unit = UnitPickField(required=False)
    member = MemberPickField(required=False)
    description = forms.CharField(
        label=_("Position and workplace"),
        max_length=255,
        required=False,
        help_text=_("Printed beside the name; left empty, the union's name is used."),
    )
    personal_rating = forms.ChoiceField(
        label=_("Personal rating of the year (individuals)"),
        choices=BLANK + list(Grade.choices),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason to award anyway"),
        max_length=255,
        required=False,
        help_text=_("Needed only if the recipient fails a condition of the form."),
    )


class BatchForm(BootstrapFormMixin, forms.Form):
    form = FormChoiceField(label=_("Award form"), queryset=AwardForm.objects.none())
    year = YearField()
    number = forms.CharField(label=_("Number of the proposal"), max_length=60, required=False)
    date = VnDateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, forms_qs: QuerySet[AwardForm] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if forms_qs is None:
            del self.fields["form"]
            del self.fields["year"]
        else:
            self.fields["form"].queryset = forms_qs  # type: ignore[attr-defined]
            self.fields["year"].initial = _this_year() - 1
        self.fields["date"].initial = today()


class DecisionForm(BootstrapFormMixin, forms.Form):
    form = FormChoiceField(label=_("Award form"), queryset=AwardForm.objects.none())
    year = YearField()
    number = forms.CharField(
        label=_("Decision number"), max_length=60, help_text=_("For example 12/QĐ-LĐLĐ.")
    )
    date = VnDateField(label=_("Date"))
    issuer = forms.CharField(
        label=_("Issuing body"),
        max_length=255,
        required=False,
        help_text=_(
            "Left empty, the unit's name (for a decision of the Prime Minister or a "
            "People's Committee, write its name)."
        ),
    )
    place = forms.CharField(label=_("Place"), max_length=80, required=False)
    signer = forms.CharField(label=_("Signer"), max_length=120)
    signer_position = forms.CharField(
        label=_("Signer's position"), max_length=120, help_text=_("For example CHỦ TỊCH.")
    )
    on_behalf = forms.CharField(
        label=_("On behalf of"),
        max_length=120,
        required=False,
        help_text=_("For example TM. BAN THƯỜNG VỤ."),
    )
    grounds = forms.CharField(
        label=_("Grounds (Căn cứ)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line; left empty, the Law, Decree 98/2023 and Decision 999/QĐ-TLĐ."),
    )

    def __init__(self, *args: Any, forms_qs: QuerySet[AwardForm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = forms_qs  # type: ignore[attr-defined]
        self.fields["year"].initial = _this_year() - 1
        self.fields["date"].initial = today()


class ReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Council's review"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class RevokeForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Revoked on"))
    reason = forms.CharField(label=_("Reason"), max_length=255)


class DisciplineForm_(BootstrapFormMixin, forms.Form):
    member = MemberPickField()
    date = VnDateField(label=_("Date"))
    form = forms.ChoiceField(label=_("Measure"), choices=DisciplineForm.choices)
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, root: Unit, options_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = root
        self.fields["member"].widget.attrs.update(
            {
                "hx-get": options_url,
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#member-options",
            }
        )

    def clean_member(self) -> Member:
        return pick_member(self.root, self.cleaned_data["member"].strip())


class AwardFormForm(BootstrapFormMixin, forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits and dashes, e.g. gk-ldld-huyen."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind of award"), choices=FormKind.choices)
    authority = forms.ChoiceField(label=_("Granted by"), choices=Authority.choices)
    recipients = forms.ChoiceField(label=_("Awarded to"), choices=RecipientKind.choices)
    phrase = forms.CharField(
        label=_("Phrase in the decision"),
        max_length=120,
        help_text=_("For example: tặng Giấy khen."),
    )
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=0,
        max_value=1000,
        initial=20,
        help_text=_(
            "Higher is more senior (Giấy khen 10-30, Bằng khen of the province 50, of TLĐ 80)."
        ),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        else:
            del self.fields["is_active"]


class RuleForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Rule"), choices=RuleKind.choices)
    applies_to = forms.ChoiceField(
        label=_("Applies to"), choices=RecipientKind.choices, initial=RecipientKind.BOTH
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=BLANK + list(Grade.choices), required=False)
    number = forms.IntegerField(
        label=_("Years or months"), min_value=1, max_value=600, required=False
    )
    lower_form = forms.ModelChoiceField(
        label=_("Lower form"), queryset=AwardForm.objects.none(), required=False
    )

    def __init__(self, *args: Any, forms_qs: QuerySet[AwardForm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lower_form"].queryset = forms_qs  # type: ignore[attr-defined]


class RecipientsFilterForm(PeriodForm):
    form = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("collective", _("Collectives")), ("individual", _("Individuals"))],
        label=_("Recipients"),
    )


DECISION_STATUS_CHOICES = BLANK + list(DecisionStatus.choices)


def options_url(unit: Unit) -> str:
    return reverse("award_member_options", args=[unit.pk])
