"""Forms for members; each one feeds a service in services.py."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.core.text import fold
from congdoan.org.forms import UnitCodeField
from congdoan.org.models import Level, Status, Unit

from . import roster_io
from .models import EventKind, Sex
from .reference import (
    EDUCATION_CHOICES,
    ETHNICITY_CHOICES,
    PROVINCES,
    QUALIFICATION_CHOICES,
    RELIGIONS,
    wards_of,
)
from .services import PersonData

BLANK = [("", "—")]


class MemberForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_date = VnDateField(label=_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + list(Sex.choices))
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNICITY_CHOICES, initial="01")
    religion = forms.ChoiceField(label=_("Religion"), choices=RELIGIONS, initial="none")
    cccd = forms.CharField(label=_("CCCD number"), max_length=15, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    hometown_province = forms.TypedChoiceField(
        label=_("Hometown: province"), coerce=int, empty_value=None, required=False
    )
    hometown_ward = forms.TypedChoiceField(
        label=_("Hometown: commune"), coerce=int, empty_value=None, required=False
    )
    residence_province = forms.TypedChoiceField(
        label=_("Residence: province"), coerce=int, empty_value=None, required=False
    )
    residence_ward = forms.TypedChoiceField(
        label=_("Residence: commune"), coerce=int, empty_value=None, required=False
    )
    residence_address = forms.CharField(
        label=_("Residence: address"), max_length=255, required=False
    )
    education = forms.ChoiceField(
        label=_("General education"), choices=BLANK + list(EDUCATION_CHOICES), required=False
    )
    qualification = forms.ChoiceField(
        label=_("Professional qualification"),
        choices=BLANK + list(QUALIFICATION_CHOICES),
        required=False,
    )
    job_title = forms.CharField(label=_("Job or position"), max_length=120, required=False)
    party_member = forms.BooleanField(label=_("Party member"), required=False)
    party_joined_on = VnDateField(label=_("Party member since"), required=False)
    joined_on = VnDateField(label=_("Joined the union on"), required=False)
    subunit = forms.ModelChoiceField(
        label=_("Union group or department"), required=False, queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = BLANK + [(str(code), name) for code, name in PROVINCES]
        for prefix in ("hometown", "residence"):
            self.fields[f"{prefix}_province"].choices = provinces  # type: ignore[attr-defined]
            chosen = self.data.get(f"{prefix}_province") or self.initial.get(f"{prefix}_province")
            wards = wards_of(int(str(chosen))) if str(chosen or "").isdigit() else []
            self.fields[f"{prefix}_ward"].choices = BLANK + [  # type: ignore[attr-defined]
                (str(c), n) for c, n in wards
            ]
            self.fields[f"{prefix}_province"].widget.attrs.update(
                {
                    "hx-get": "/members/wards/",
                    "hx-target": f"#id_{prefix}_ward",
                    "hx-trigger": "change",
                }
            )
        self.fields["subunit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            path__startswith=unit.path, level=Level.SUBUNIT, status=Status.ACTIVE
        ).order_by("name")

    def person(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            full_name=d["full_name"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            ethnicity=d["ethnicity"],
            religion=d["religion"],
            cccd=d.get("cccd") or "",
            hometown_province=d.get("hometown_province"),
            hometown_ward=d.get("hometown_ward"),
            residence_province=d.get("residence_province"),
            residence_ward=d.get("residence_ward"),
            residence_address=d.get("residence_address") or "",
            phone=d.get("phone") or "",
            education=d.get("education") or "",
            qualification=d.get("qualification") or "",
            job_title=d.get("job_title") or "",
            party_member=bool(d.get("party_member")),
            party_joined_on=d.get("party_joined_on"),
            joined_on=d.get("joined_on"),
            subunit=d.get("subunit"),
        )


class MemberCreateForm(MemberForm):
    admit = forms.BooleanField(
        label=_("Admit as a union member now"),
        required=False,
        initial=True,
        help_text=_("Leave unticked to record a worker who is not a member."),
    )
    decision_ref = forms.CharField(
        label=_("Admission decision number"), max_length=120, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("admit") and not data.get("joined_on"):
            self.add_error("joined_on", _("Give the date of admission."))
        return data


class AdmitForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date of admission"))
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120, required=False)


class LeaveForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (EventKind.SUSPENDED.value, EventKind.SUSPENDED.label),
            (EventKind.WITHDRAWN.value, EventKind.WITHDRAWN.label),
            (EventKind.EXPELLED.value, EventKind.EXPELLED.label),
        ],
    )
    date = VnDateField(label=_("Date"))
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120, required=False)
    note = forms.CharField(label=_("Reason"), max_length=255, required=False)


class TransferForm(BootstrapFormMixin, forms.Form):
    to_unit = UnitCodeField(label=_("Code of the receiving grassroots union"))
    date = VnDateField(label=_("Transfer date"))
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120, required=False)


class CardForm(BootstrapFormMixin, forms.Form):
    date = VnDateField(label=_("Date"))
    note = forms.CharField(label=_("Reason (lost, damaged...)"), max_length=255, required=False)


class TargetForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    new_members = forms.IntegerField(label=_("New members"), min_value=0)


class RosterForm(BootstrapFormMixin, forms.Form):
    """The roster's filters (GET)."""

    q = forms.CharField(label=_("Name, CCCD or member code"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Active members")),
            ("worker", _("Workers, not members")),
            ("suspended", _("Suspended")),
            ("left", _("Left the union")),
            ("all", _("Everyone")),
        ],
    )
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("Any sex")), *Sex.choices]
    )
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[
            ("", _("Any age")),
            ("under_30", _("Under 30")),
            ("30_45", _("30 to 45")),
            ("over_45", _("Over 45")),
        ],
    )
    ethnicity = forms.ChoiceField(
        label=_("Ethnicity"),
        required=False,
        choices=[
            ("", _("Any ethnicity")),
            ("kinh", _("Kinh")),
            ("minority", _("Ethnic minorities")),
            *ETHNICITY_CHOICES,
        ],
    )
    party = forms.ChoiceField(
        label=_("Party member"),
        required=False,
        choices=[
            ("", _("Party: any")),
            ("yes", _("Party members")),
            ("no", _("Not party members")),
        ],
    )
    as_of = VnDateField(label=_("As of"), required=False)
    join_year = forms.IntegerField(
        label=_("Joined in"), required=False, min_value=1900, max_value=2100
    )
    subunit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Roster (.xlsx, .xls, .ods or .csv)"))

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = settings.CONGDOAN_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        return upload


class ColumnMappingForm(BootstrapFormMixin, forms.Form):
    """The column each header cell of an uploaded roster is read as, for the user to confirm or
    correct. `columns` is what the check found ([header as written, column or ""]); a header
    written twice (compared folded, as the reader does) is one choice."""

    def __init__(self, *args: Any, columns: Iterable[Sequence[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— do not import —"))] + [
            (column, vietnamese) for column, (vietnamese, _aliases) in roster_io.COLUMNS.items()
        ]
        self.headers: list[tuple[str, str]] = []  # (field name, header as written)
        seen: set[str] = set()
        for header, column in columns:
            if fold(header) in seen:
                continue
            seen.add(fold(header))
            name = f"column_{len(self.headers)}"
            self.headers.append((name, header))
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=column if column in roster_io.COLUMNS else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first: dict[str, tuple[str, str]] = {}  # column -> (field name, header)
        for name, header in self.headers:
            column = data.get(name)
            if not column:
                continue
            if column not in first:
                first[column] = (name, header)
                continue
            other_name, other = first[column]
            self.add_error(
                None,
                _("“%(first)s” and “%(second)s” are both read as %(column)s; choose one of them.")
                % {"first": other, "second": header, "column": roster_io.COLUMNS[column][0]},
            )
            for clash in (other_name, name):
                attrs = self.fields[clash].widget.attrs
                if "is-invalid" not in attrs["class"]:
                    attrs["class"] += " is-invalid"
        return data

    def mapping(self) -> dict[str, str]:
        """{header as written: column, or "" for "do not import"} for every header."""
        return {header: self.cleaned_data.get(name) or "" for name, header in self.headers}

    def imported_count(self) -> int:
        """How many headers are read as a column now."""
        return sum(1 for name, _header in self.headers if self.fields[name].initial)

    def required_unmatched(self) -> list[str]:
        """The template headers of required columns that no header is read as now."""
        chosen = {self.fields[name].initial for name, _header in self.headers}
        return [roster_io.COLUMNS[c][0] for c in roster_io.REQUIRED if c not in chosen]
