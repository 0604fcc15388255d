"""Forms for care programmes and support; each one feeds a service in support.py."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import BootstrapFormMixin, VnDateField
from congdoan.core.text import fold
from congdoan.members.forms import ColumnMappingForm, ImportForm
from congdoan.org.forms import UnitCodeField
from congdoan.org.models import Unit

from . import support as care
from .models import Fund, Programme, ProgrammeCategory, ProgrammeKind, SupportStatus


class MoneyField(forms.CharField):
    """An amount of đồng as people type it (1.500.000, 1500000, 1 500 000 đ): cleaned to a
    whole positive int, or refused with the service's message (no decimals, more than zero)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        return care.parse_vnd(text)


# ---------------------------------------------------------------------------------------------
# Programmes


class ProgrammeForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the programme"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of programme"), choices=ProgrammeKind.choices)
    start = VnDateField(label=_("From"))
    end = VnDateField(label=_("To"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    allow_cash = forms.BooleanField(label=_("Cash"), required=False, initial=True)
    allow_in_kind = forms.BooleanField(label=_("Gifts in kind"), required=False)
    allow_voucher = forms.BooleanField(label=_("Shopping vouchers"), required=False)
    repeat_allowed = forms.BooleanField(
        label=_("A person may receive support more than once"), required=False
    )
    max_per_person_vnd = MoneyField(
        label=_("Most per person (VND)"),
        required=False,
        help_text=_("Leave empty for no limit. With categories, each category sets the amount."),
    )
    budget_vnd = MoneyField(label=_("Budget (VND)"), required=False)
    fund = forms.ModelChoiceField(
        label=_("Paid from the fund"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("Cash paid under the programme is recorded as a grant out of this fund."),
    )
    decision_ref = forms.CharField(label=_("Decision"), max_length=120, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paths = [*unit.ancestor_paths(), unit.path]
        self.fields["fund"].queryset = (  # type: ignore[attr-defined]
            Fund.objects.filter(unit__path__in=paths)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        self.fields["fund"].label_from_instance = (  # type: ignore[attr-defined]
            lambda f: f"{f.name} — {f.unit.short_name or f.unit.name}"
        )

    @staticmethod
    def initial_of(programme: Programme) -> dict[str, Any]:
        return {f: getattr(programme, f) for f in care.PROGRAMME_FIELDS if f != "fund"} | {
            "fund": programme.fund_id
        }


class CategoryForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Category"), max_length=200, required=False)
    amount_vnd = MoneyField(label=_("Amount per person (VND)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("amount_vnd") is None and "amount_vnd" not in self.errors:
            self.add_error("amount_vnd", _("Give the amount per person."))
        return data


class ItemForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Gift item"), max_length=200, required=False)
    measure = forms.CharField(label=_("Unit of measure"), max_length=30, required=False)
    unit_value_vnd = MoneyField(label=_("Value per unit (VND)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("name")
            and data.get("unit_value_vnd") is None
            and "unit_value_vnd" not in self.errors
        ):
            self.add_error("unit_value_vnd", _("Give the value per unit."))
        return data


CategoryFormSet = forms.formset_factory(CategoryForm, extra=2)
ItemFormSet = forms.formset_factory(ItemForm, extra=2)


def programme_data(form: ProgrammeForm, categories: Any, items: Any) -> care.ProgrammeData:
    d = form.cleaned_data
    return care.ProgrammeData(
        name=d["name"], kind=d["kind"], start=d["start"], end=d["end"],
        description=d.get("description") or "", allow_cash=bool(d.get("allow_cash")),
        allow_in_kind=bool(d.get("allow_in_kind")), allow_voucher=bool(d.get("allow_voucher")),
        repeat_allowed=bool(d.get("repeat_allowed")),
        max_per_person_vnd=d.get("max_per_person_vnd"), budget_vnd=d.get("budget_vnd"),
        fund=d.get("fund"), decision_ref=d.get("decision_ref") or "",
        categories=[care.CategoryData(c["name"], c["amount_vnd"])
                    for c in categories.cleaned_data if c.get("name")],
        items=[care.ItemData(i["name"], i["unit_value_vnd"], i.get("measure") or "")
               for i in items.cleaned_data if i.get("name")],
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Support


WHO_CHOICES = [("member", _("A member (on a roster)")), ("other", _("Not a member"))]


GIVER_SELECT_MAX = 300  # more units than this are typed by code (with suggestions)


def giver_field(units: QuerySet[Unit], label: Any) -> forms.Field:
    """The unit that gives the support: a list to choose from, or, for an officer who may
    record for a large subtree, the unit's code typed with suggestions (a list of thousands of
    units would weigh down the page)."""
    first = list(units[: GIVER_SELECT_MAX + 1])
    if len(first) <= GIVER_SELECT_MAX:
        field: forms.Field = forms.ModelChoiceField(
            label=label, queryset=units, widget=forms.Select(attrs={"class": "form-select"})
        )
        field.label_from_instance = lambda u: f"{u.name} ({u.code})"  # type: ignore[attr-defined]
        if first:
            field.initial = first[0].pk  # the highest: usually the user's own unit
        return field
    field = GiverCodeField(label=label, units=units, initial=first[0].code)
    field.widget.attrs["class"] = "form-control"
    return field


class GiverCodeField(forms.CharField):
    """A giving unit typed by its code, among `units`."""

    def __init__(self, *, units: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.units = units
        self.widget.attrs.update({
            "list": "giver-options", "autocomplete": "off",
            "hx-get": reverse_lazy("support_giver_options"), "hx-target": "#giver-options",
            "hx-trigger": "input changed delay:300ms",
        })  # fmt: skip
        self.help_text = _("Type the unit's code or part of its name.")

    def clean(self, value: Any) -> Unit:
        code = (super().clean(value) or "").strip()
        unit = self.units.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("No unit with code %(code)s among the units you may record for.") % {"code": code}
            )
        return unit


class SupportForm(BootstrapFormMixin, forms.Form):
    """One case under a programme. The fields for amounts follow the programme: cash,
    vouchers, a quantity for each gift item, a category."""

    giver = forms.ModelChoiceField(label=_("Given by"), queryset=Unit.objects.none())
    who = forms.ChoiceField(
        label=_("Beneficiary"), choices=WHO_CHOICES, initial="member", widget=forms.RadioSelect
    )
    member_q = forms.CharField(
        label=_("Find the member by name, CCCD or member code"), required=False, max_length=100
    )
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    person_cccd = forms.CharField(label=_("CCCD number"), max_length=20, required=False)
    # named "unit" so that the unit lookup (org's datalist of codes) reads what is typed
    unit = UnitCodeField(label=_("Grassroots union (code)"), required=False)
    employer_name = forms.CharField(
        label=_("or employer"), max_length=255, required=False
    )  # fmt: skip
    category: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Category"), queryset=ProgrammeCategory.objects.none(), required=False
    )
    cash_vnd = MoneyField(label=_("Cash (VND)"), required=False)
    voucher_vnd = MoneyField(label=_("Vouchers (VND)"), required=False)
    date = VnDateField(label=_("Date"))
    reference = forms.CharField(label=_("Decision or voucher"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    status = forms.ChoiceField(
        label=_("Record as"),
        required=False,
        choices=[
            (SupportStatus.PROPOSED.value, _("Proposed (to be approved)")),
            (SupportStatus.APPROVED.value, _("Approved")),
            (SupportStatus.PAID.value, _("Paid")),
        ],
    )

    def __init__(self, *args: Any, programme: Programme, units: QuerySet[Unit],
                 may_approve: bool, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["giver"] = giver_field(units, self.fields["giver"].label)
        self.fields["who"].widget.attrs["class"] = "form-check-input"
        self.fields["member_q"].widget.attrs.update({
            "hx-get": reverse_lazy("support_member_search"), "hx-target": "#member-results",
            "hx-trigger": "input changed delay:300ms, search", "autocomplete": "off",
            "type": "search",
        })  # fmt: skip
        categories = programme.categories.order_by("id")
        if categories:
            self.fields["category"].queryset = categories  # type: ignore[attr-defined]
            self.fields["category"].required = False
            self.fields["category"].label_from_instance = (  # type: ignore[attr-defined]
                lambda c: f"{c.name}: {c.amount_vnd:,} đ".replace(",", ".")
            )
        else:
            del self.fields["category"]
        if not programme.allow_cash:
            del self.fields["cash_vnd"]
        if not programme.allow_voucher:
            del self.fields["voucher_vnd"]
        self.item_fields: list[tuple[str, Any]] = []
        if programme.allow_in_kind:
            for item in programme.items.order_by("id"):
                name = f"item_{item.pk}"
                label = f"{item.name} ({item.measure})" if item.measure else item.name
                self.fields[name] = forms.IntegerField(
                    label=label, required=False, min_value=1,
                    help_text=_("%(value)s đ each") % {
                        "value": f"{item.unit_value_vnd:,}".replace(",", ".")},
                    widget=forms.NumberInput(attrs={"class": "form-control", "min": 1}),
                )  # fmt: skip
                self.item_fields.append((name, item))
        if not may_approve:
            del self.fields["status"]

    def beneficiary_fields(self) -> list[Any]:
        return [self[n] for n in ("person_name", "person_cccd", "unit", "employer_name")]

    def amount_fields(self) -> list[Any]:
        names = ["category", "cash_vnd", "voucher_vnd", *(n for n, _i in self.item_fields)]
        return [self[n] for n in names if n in self.fields]

    def case_fields(self) -> list[Any]:
        return [self[n] for n in ("date", "reference", "note", "status") if n in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("who") == "member" and not data.get("member"):
            self.add_error("member_q", _("Find the member and choose them in the list."))
        return data

    def support_data(self, member: Any, person_unit: Unit | None) -> care.SupportData:
        d = self.cleaned_data
        if d.get("who") == "member":
            person = care.Beneficiary(member=member)
        else:
            person = care.Beneficiary(
                name=d.get("person_name") or "", cccd=d.get("person_cccd") or "",
                person_unit=person_unit, employer_name=d.get("employer_name") or "",
            )  # fmt: skip
        return care.SupportData(
            unit=d["giver"], person=person, date=d["date"], category=d.get("category"),
            cash_vnd=d.get("cash_vnd"), voucher_vnd=d.get("voucher_vnd"),
            items=[(item, d.get(name)) for name, item in self.item_fields if d.get(name)],
            reference=d.get("reference") or "", note=d.get("note") or "",
        )  # fmt: skip

    @staticmethod
    def initial_of(support: Any) -> dict[str, Any]:
        initial = {
            "giver": support.unit_id, "who": "member" if support.member_id else "other",
            "member": support.member_id, "person_name": support.person_name,
            "person_cccd": support.person_cccd,
            "unit": support.person_unit.code if support.person_unit else "",
            "employer_name": support.employer_name, "category": support.category_id,
            "cash_vnd": support.cash_vnd or None, "voucher_vnd": support.voucher_vnd or None,
            "date": support.date, "reference": support.reference, "note": support.note,
        }  # fmt: skip
        for given in support.items.all():
            initial[f"item_{given.item_id}"] = given.quantity
        return initial


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject"), ("pay", "pay"),
                 ("reverse", "reverse")]
    )  # fmt: skip
    reason = forms.CharField(max_length=255, required=False)


class SupportFilterForm(BootstrapFormMixin, forms.Form):
    """The filters of a programme's list of support (GET)."""

    q = forms.CharField(label=_("Name, CCCD or member code"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Any status")), *SupportStatus.choices],
    )  # fmt: skip


class SupportImportForm(ImportForm):
    """A support list to upload, and the unit that gave the support it lists."""

    unit = forms.ModelChoiceField(label=_("Given by"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Support list (.xlsx, .xls, .ods or .csv)")
        self.fields["unit"] = giver_field(units, self.fields["unit"].label)
        self.order_fields(["unit", "file"])


class SupportColumnsForm(ColumnMappingForm):
    """The roster import's Columns card for a support list: the choices are the list's
    columns (with a column for each gift item of the programme)."""

    def __init__(self, *args: Any, columns: Iterable[Sequence[str]],
                 known: dict[str, tuple[str, list[str]]], required: list[str],
                 **kwargs: Any) -> None:  # fmt: skip
        columns = list(columns)
        self.known = known
        self.required = required
        super().__init__(*args, columns=columns, **kwargs)
        read_as = {fold(h): c for h, c in columns}
        choices = [("", _("— do not import —")), *((c, vi) for c, (vi, _more) in known.items())]
        for name, header in self.headers:
            field = self.fields[name]
            field.choices = choices  # type: ignore[attr-defined]
            column = read_as.get(fold(header), "")
            field.initial = column if column in known else ""

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        first: dict[str, str] = {}
        for name, header in self.headers:
            column = data.get(name)
            if not column:
                continue
            if column in first:
                self.add_error(
                    None,
                    _("“%(first)s” and “%(second)s” are both read as %(column)s; choose one of "
                      "them.")
                    % {"first": first[column], "second": header, "column": self.known[column][0]},
                )  # fmt: skip
            first.setdefault(column, header)
        return data

    def required_unmatched(self) -> list[str]:
        chosen = {self.fields[name].initial for name, _header in self.headers}
        return [self.known[c][0] for c in self.required if c not in chosen]


class StartImportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Record the cases as"),
        choices=[
            (SupportStatus.PROPOSED.value, _("Proposed (to be approved)")),
            (SupportStatus.APPROVED.value, _("Approved")),
            (SupportStatus.PAID.value, _("Paid")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, may_approve: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_approve:
            self.fields["status"].choices = self.fields["status"].choices[:1]  # type: ignore[attr-defined]
