"""Forms of meetings, programmes and inspections; each feeds a service, which holds the rules."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.formatting import date_vi
from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.members.services import today

from .inspections import InspectionData
from .models import InspectionMode, InspectionState, MeetingKind, Subject
from .services import GuestLine, MeetingData

BLANK = [("", "—")]
TIME_FORMATS = ["%H:%M", "%Hh%M", "%H.%M", "%Hh"]


class TimeField(forms.TimeField):
    """A time typed as 08:00, 8h00 or 8h."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", TIME_FORMATS)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TimeInput(format="%H:%M", attrs={"placeholder": "08:00", "inputmode": "numeric"}),
        )
        super().__init__(**kwargs)


class IdsField(forms.Field):
    """Ids ticked in a list; whether each may be used is the service's to say (with a message
    naming it), so an id not offered is passed on rather than dropped."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        out = []
        for v in values:
            if not str(v).isdigit():
                raise forms.ValidationError(_("Tick the items in the list."))
            out.append(int(v))
        return out


class Checkboxes(forms.CheckboxSelectMultiple):
    def __init__(self) -> None:
        super().__init__(attrs={"class": "form-check-input"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MeetingFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=BLANK + list(MeetingKind.choices), required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)


class MeetingForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    parts = forms.MultipleChoiceField(
        label=_("Also (a combined conference)"),
        choices=MeetingKind.choices,
        required=False,
        widget=Checkboxes(),
    )
    title = forms.CharField(label=_("Meeting title"), max_length=300)
    date = VnDateField(label=_("Date"))
    start_time = TimeField(label=_("Start time"))
    end_date = VnDateField(label=_("End date (if on another day)"), required=False)
    end_time = TimeField(label=_("End time"))
    place = forms.CharField(label=_("Venue"), max_length=255, required=False)
    chair_name = forms.CharField(label=_("Chair"), max_length=120, required=False)
    chair_position = forms.CharField(label=_("Chair's position"), max_length=200, required=False)
    plenary_number = forms.IntegerField(
        label=_("Plenary number (executive committee plenary)"), min_value=1, required=False
    )
    committee_term = forms.CharField(
        label=_("Executive committee (khóa), in Roman numerals"), max_length=20, required=False
    )
    expanded = forms.BooleanField(label=_("Expanded plenary"), required=False)
    congress_term = forms.CharField(
        label=_("Congress term (nhiệm kỳ)"),
        max_length=20,
        required=False,
        help_text=_("For example 2023-2028."),
    )
    guests = forms.CharField(
        label=_("Guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One guest a line, in the order they are introduced: name | position | organisation."
        ),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item a line, in order."),
    )
    represented = forms.CharField(
        label=_("Units represented (codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The codes of the units of the subtree that attended, separated by commas, "
            "spaces or lines."
        ),
    )
    decision_ids = IdsField(label=_("Award decisions handed out"), required=False)
    pact_ids = IdsField(label=_("Pacts signed"), required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, decisions: Any, pacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_ids"].widget = Checkboxes()
        self.fields["decision_ids"].widget.choices = [
            (
                d.pk,
                f"{d.number} ({date_vi(d.date)}) · {d.form} · {d.unit.short_name or d.unit.name}",
            )
            for d in decisions
        ]
        self.fields["pact_ids"].widget = Checkboxes()
        self.fields["pact_ids"].widget.choices = [
            (p.pk, f"{p.title} · {p.bloc.name} ({p.bloc.year})") for p in pacts
        ]
        if not self.is_bound and "date" not in self.initial:
            self.fields["date"].initial = today()

    def data_for_service(self) -> MeetingData:
        d = self.cleaned_data
        guests = []
        for line in _lines(d.get("guests") or ""):
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            guests.append(GuestLine(parts[0], parts[1], " | ".join(p for p in parts[2:] if p)))
        return MeetingData(
            kind=d["kind"],
            title=d["title"],
            date=d["date"],
            start_time=d.get("start_time"),
            end_date=d.get("end_date"),
            end_time=d.get("end_time"),
            place=d.get("place") or "",
            chair_name=d.get("chair_name") or "",
            chair_position=d.get("chair_position") or "",
            parts=list(d.get("parts") or []),
            plenary_number=d.get("plenary_number"),
            committee_term=d.get("committee_term") or "",
            expanded=bool(d.get("expanded")),
            congress_term=d.get("congress_term") or "",
            summary=d.get("summary") or "",
            guests=guests,
            agenda=_lines(d.get("agenda") or ""),
            represented=[c for c in re.split(r"[\s,;]+", d.get("represented") or "") if c],
            decision_ids=d.get("decision_ids") or [],
            pact_ids=d.get("pact_ids") or [],
        )


def meeting_initial(data: MeetingData) -> dict[str, Any]:
    """A meeting's content as the form's initial values."""
    return {
        "kind": data.kind,
        "parts": data.parts,
        "title": data.title,
        "date": data.date,
        "start_time": data.start_time,
        "end_date": data.end_date,
        "end_time": data.end_time,
        "place": data.place,
        "chair_name": data.chair_name,
        "chair_position": data.chair_position,
        "plenary_number": data.plenary_number,
        "committee_term": data.committee_term,
        "expanded": data.expanded,
        "congress_term": data.congress_term,
        "summary": data.summary,
        "guests": "\n".join(
            " | ".join(x for x in (g.name, g.title, g.organisation)) for g in data.guests
        ),
        "agenda": "\n".join(data.agenda),
        "represented": ", ".join(data.represented),
        "decision_ids": [str(i) for i in data.decision_ids],
        "pact_ids": [str(i) for i in data.pact_ids],
    }


class CancelForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Cancelled on"))
    reason = forms.CharField(label=_("Reason"), max_length=255)


class DocumentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or a photo (JPEG, PNG, WebP)."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)


class ProgrammeForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the blocs"), min_value=2000, max_value=2100)
    first_day = VnDateField(label=_("From"))
    last_day = VnDateField(label=_("To"))
    title = forms.CharField(label=_("Programme title"), max_length=255, required=False)
    place = forms.CharField(
        label=_("Venue"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to meet at each bloc's leader unit."),
    )


class PlanForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=255)
    decision_ref = forms.CharField(label=_("Decision"), max_length=120, required=False)


class InspectionFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=BLANK + list(InspectionState.choices), required=False
    )
    subject = forms.ChoiceField(
        label=_("Subject"), choices=BLANK + list(Subject.choices), required=False
    )


class InspectionForm(BootstrapFormMixin, forms.Form):
    mode = forms.ChoiceField(label=_("Inspection or supervision"), choices=InspectionMode.choices)
    inspected_unit = forms.CharField(
        label=_("Unit inspected (code)"),
        max_length=40,
        required=False,
        help_text=_("A union unit of the plan's subtree; or leave empty and name an employer."),
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=255, required=False)
    employer_tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False)
    employer_address = forms.CharField(
        label=_("Employer's address"), max_length=255, required=False
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), choices=Subject.choices, widget=Checkboxes()
    )
    start_date = VnDateField(label=_("From"))
    end_date = VnDateField(label=_("To"), required=False)
    team = forms.CharField(
        label=_("Team"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    state = forms.ChoiceField(label=_("State"), choices=InspectionState.choices)
    done_on = VnDateField(label=_("Done on"), required=False)
    followed_up_on = VnDateField(label=_("Recommendations followed up on"), required=False)
    closed_on = VnDateField(label=_("Closed on"), required=False)

    def data_for_service(self) -> InspectionData:
        d = self.cleaned_data
        return InspectionData(
            start_date=d["start_date"],
            subjects=list(d["subjects"]),
            mode=d["mode"],
            inspected_unit=(d.get("inspected_unit") or "").strip(),
            employer_name=d.get("employer_name") or "",
            employer_tax_code=d.get("employer_tax_code") or "",
            employer_address=d.get("employer_address") or "",
            end_date=d.get("end_date"),
            team=d.get("team") or "",
            findings=d.get("findings") or "",
            recommendations=d.get("recommendations") or "",
            state=d["state"],
            done_on=d.get("done_on"),
            followed_up_on=d.get("followed_up_on"),
            closed_on=d.get("closed_on"),
        )


def inspection_initial(data: InspectionData) -> dict[str, Any]:
    return dict(data.__dict__)
