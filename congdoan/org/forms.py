"""Forms for the tree; each one feeds a service in services.py."""

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField

from .models import KIND_LEVEL, LEVEL_RANK, Kind, Level, Ownership, RoleKind, Unit


class UnitCodeField(forms.CharField):
    """A unit typed by its code; cleaned to the code (the view resolves it through access)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "list": "unit-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("unit_lookup"),
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#unit-options",
            }
        )


class EmployerFieldsMixin(forms.Form):
    employer_name = forms.CharField(label=_("Employer"), max_length=255, required=False)
    employer_tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False)
    employer_ownership = forms.ChoiceField(
        label=_("Ownership"), choices=Ownership.choices, initial=Ownership.PRIVATE
    )
    employer_sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    employer_workforce = forms.IntegerField(label=_("Workforce"), min_value=0, required=False)
    employer_address = forms.CharField(label=_("Employer address"), max_length=255, required=False)

    def employer_data(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("employer_name"):
            return None
        return {
            "name": d["employer_name"],
            "tax_code": d.get("employer_tax_code") or "",
            "ownership": d.get("employer_ownership") or Ownership.PRIVATE,
            "sector": d.get("employer_sector") or "",
            "workforce": d.get("employer_workforce") or 0,
            "address": d.get("employer_address") or "",
        }

    @staticmethod
    def employer_initial(unit: Unit) -> dict[str, Any]:
        e = unit.employer
        if e is None:
            return {}
        return {
            "employer_name": e.name,
            "employer_tax_code": e.tax_code,
            "employer_ownership": e.ownership,
            "employer_sector": e.sector,
            "employer_workforce": e.workforce,
            "employer_address": e.address,
        }


class UnitCreateForm(BootstrapFormMixin, EmployerFieldsMixin):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind"))
    founded_on = VnDateField(label=_("Founded on"))
    founded_decision = forms.CharField(label=_("Founding decision"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args: Any, parent: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rank = LEVEL_RANK[Level(parent.level)]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k.value, k.label)
            for k in Kind
            if LEVEL_RANK[KIND_LEVEL[k]] > rank
            or (KIND_LEVEL[k] == Level.SUBUNIT and parent.level == Level.SUBUNIT)
        ]


class UnitEditForm(BootstrapFormMixin, EmployerFieldsMixin):
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    founded_decision = forms.CharField(label=_("Founding decision"), max_length=120, required=False)


class DecisionForm(BootstrapFormMixin, forms.Form):
    """The dated decision behind a structural change."""

    effective_on = VnDateField(label=_("Effective date"))
    decision_ref = forms.CharField(label=_("Decision number"), max_length=120)
    decision_date = VnDateField(label=_("Decision date"), required=False)


class RenameForm(DecisionForm):
    name = forms.CharField(label=_("New name"), max_length=255)
    short_name = forms.CharField(label=_("New short name"), max_length=120, required=False)
    field_order = ["name", "short_name", "effective_on", "decision_ref", "decision_date"]


class MoveForm(DecisionForm):
    new_parent = UnitCodeField(label=_("Code of the new parent unit"))
    field_order = ["new_parent", "effective_on", "decision_ref", "decision_date"]


class MergeForm(DecisionForm):
    target = UnitCodeField(label=_("Code of the unit it merges into"))
    others = forms.CharField(
        label=_("Other units merging into it by the same decision (codes)"),
        required=False,
        max_length=2000,
        help_text=_(
            "Separate codes with commas or spaces. To merge A and B into a new unit C, "
            "create C first, then merge A here with B as another unit."
        ),
    )
    field_order = ["target", "others", "effective_on", "decision_ref", "decision_date"]


class DissolveForm(DecisionForm):
    pass


class RestructureUploadForm(DecisionForm):
    file = forms.FileField(
        label=_("Plan (.xlsx or .csv)"),
        help_text=_(
            "Columns: unit_code and new_parent_code or merge_into_code "
            "(or Mã đơn vị, Mã đơn vị cấp trên mới, Mã đơn vị sáp nhập vào)."
        ),
    )
    field_order = ["file", "effective_on", "decision_ref", "decision_date"]


class UserCreateForm(BootstrapFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    unit = UnitCodeField(label=_("Unit code"))
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)


class RoleGrantForm(BootstrapFormMixin, forms.Form):
    unit = UnitCodeField(label=_("Unit code"))
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)


class AsOfForm(forms.Form):
    as_of = VnDateField(label=_("As of"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
