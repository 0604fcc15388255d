"""Forms of the initiatives pages; each feeds a service in services.py."""

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

from .models import (
    Initiative,
    InitiativeField,
    InitiativeProgramme,
    InitiativeStatus,
)

BLANK = [("", "—")]
AUTHOR_ROWS = 5


def members_of(unit: Unit) -> QuerySet[Member]:
    """The people who may author an initiative of `unit`: active members of its subtree."""
    return Member.objects.filter(member_queries.in_subtree(unit), status=MemberStatus.ACTIVE)


class ProgrammeForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("For example: 1 triệu sáng kiến"))  # fmt: skip
    start = VnDateField(label=_("From"))
    end = VnDateField(label=_("To"))
    decision_ref = forms.CharField(label=_("Decision or plan"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class TargetsForm(BootstrapFormMixin, forms.Form):
    """A target for each of the units shown (the root unit and its direct sub-units)."""

    def __init__(self, *args: Any, units: list[Unit], current: dict[int, int],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"target_{unit.pk}"] = forms.IntegerField(
                label=unit.name, min_value=0, max_value=10_000_000, required=False,
                initial=current.get(unit.pk) or None,
                error_messages={"min_value": _("A target cannot be negative."),
                                "invalid": _("A target is a whole number of initiatives.")},
            )  # fmt: skip

    def targets(self) -> dict[int, Any]:
        return {u.pk: self.cleaned_data.get(f"target_{u.pk}") for u in self.units}


class MemberPickField(forms.CharField):
    """A member typed by member code or CCCD, or picked by name from the list offered as you
    type."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "member-options", "autocomplete": "off"})


class InitiativeForm(BootstrapFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"),
                                       queryset=InitiativeProgramme.objects.none())  # fmt: skip
    title = forms.CharField(label=_("Initiative name"), max_length=300)
    field = forms.ChoiceField(label=_("Field"), choices=InitiativeField.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    value_vnd = forms.CharField(
        label=_("Estimated value (VND)"), max_length=24, required=False,
        help_text=_("Whole đồng, e.g. 12.500.000; leave blank when it cannot be estimated."),
    )  # fmt: skip
    submitted_on = VnDateField(label=_("Submitted on"))
    co_authors = forms.CharField(
        label=_("Other co-authors (not union members)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One name per line."),
    )  # fmt: skip

    def __init__(self, *args: Any, unit: Unit, programmes: QuerySet[InitiativeProgramme],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["value_vnd"].widget.attrs.update({"inputmode": "numeric",
                                                      "placeholder": "12.500.000"})  # fmt: skip
        self.fields["submitted_on"].initial = today()
        options = reverse("initiative_member_options", args=[unit.pk])
        for i in range(1, AUTHOR_ROWS + 1):
            self.fields[f"author_{i}"] = MemberPickField(
                label=_("Author %(n)s (member code, CCCD or name)") % {"n": i}
            )
            self.fields[f"author_{i}"].widget.attrs.update(
                {"hx-get": options, "hx-trigger": "keyup changed delay:300ms",
                 "hx-target": "#member-options", "class": "form-control"}
            )  # fmt: skip
            self.fields[f"share_{i}"] = forms.CharField(
                label=_("Share (%%) of author %(n)s") % {"n": i}, max_length=4, required=False
            )
            self.fields[f"share_{i}"].widget.attrs.update(
                {"inputmode": "numeric", "class": "form-control"}
            )

    @staticmethod
    def initial_for(initiative: Initiative) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "programme": initiative.programme_id, "title": initiative.title,
            "field": initiative.field, "description": initiative.description,
            "value_vnd": initiative.value_vnd, "submitted_on": initiative.submitted_on,
            "co_authors": initiative.co_authors,
        }  # fmt: skip
        for i, a in enumerate(initiative.authors.select_related("member").order_by("order"), 1):
            initial[f"author_{i}"] = a.member.card_number or a.member.cccd or a.member.full_name
            initial[f"share_{i}"] = a.share_pct
        return initial

    def author_rows(self) -> list[tuple[Any, Any]]:
        """(author field, share field) pairs, for the template."""
        return [(self[f"author_{i}"], self[f"share_{i}"]) for i in range(1, AUTHOR_ROWS + 1)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in ("programme", "title", "field", "description",
                                         "value_vnd", "submitted_on")]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        authors: list[tuple[Member, Any]] = []
        pool = members_of(self.unit)
        for i in range(1, AUTHOR_ROWS + 1):
            text = (data.get(f"author_{i}") or "").strip()
            share = (data.get(f"share_{i}") or "").strip()
            if not text:
                if share:
                    self.add_error(f"author_{i}", _("Name the author whose share this is."))
                continue
            found = list(member_queries.search(pool, text).order_by("sort_key", "id")[:2])
            if not found:
                self.add_error(
                    f"author_{i}",
                    _("No member of the unions under %(unit)s matches “%(text)s”.")
                    % {"unit": self.unit.name, "text": text},
                )
                continue
            if len(found) > 1:
                self.add_error(
                    f"author_{i}",
                    _("Several members match “%(text)s”; type the member code or the CCCD.")
                    % {"text": text},
                )
                continue
            authors.append((found[0], share or None))
        data["authors"] = authors
        return data


class FilterForm(BootstrapFormMixin, forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=InitiativeProgramme.objects.none(), required=False,
        empty_label="—",
    )  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=BLANK, required=False)
    field = forms.ChoiceField(label=_("Field"), choices=BLANK, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)

    def __init__(self, *args: Any, programmes: QuerySet[InitiativeProgramme],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["status"].choices = BLANK + list(InitiativeStatus.choices)  # type: ignore[attr-defined]
        self.fields["field"].choices = BLANK + list(InitiativeField.choices)  # type: ignore[attr-defined]


class DecideForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("The council's decision"),
        choices=[("recognised", _("Recognised")), ("not_recognised", _("Not recognised"))],
    )
    decided_on = VnDateField(label=_("Decided on"))
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120, required=False)
    comment = forms.CharField(label=_("Council's comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = today()


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PortalForm(BootstrapFormMixin, forms.Form):
    portal_on = VnDateField(label=_("Uploaded to the portal on"), required=False)
    undo = forms.BooleanField(label=_("It was not uploaded (undo the record)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["portal_on"].initial = today()
