"""Forms of the list import: the file and the unit whose initiatives it lists, and the
Columns card."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.text import fold
from congdoan.members.forms import ColumnMappingForm, ImportForm
from congdoan.org.models import Unit

from . import lists


class ListImportForm(ImportForm):
    unit = forms.ModelChoiceField(label=_("Recorded by"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("List of initiatives (.xlsx, .xls, .ods or .csv)")
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["unit"].help_text = _(
            "Rows without a unit code are recorded for this unit; rows with one, for that unit "
            "(which must be under it)."
        )
        self.order_fields(["unit", "file"])


class ListColumnsForm(ColumnMappingForm):
    """The Columns card for a list of initiatives."""

    def __init__(self, *args: Any, columns: Iterable[Sequence[str]], **kwargs: Any) -> None:
        columns = list(columns)
        super().__init__(*args, columns=columns, **kwargs)
        read_as = {fold(h): c for h, c in columns}
        choices = [("", _("— do not import —")),
                   *((c, vi) for c, (vi, _more) in lists.COLUMNS.items())]  # fmt: skip
        for name, header in self.headers:
            field = self.fields[name]
            field.choices = choices  # type: ignore[attr-defined]
            column = read_as.get(fold(header), "")
            field.initial = column if column in lists.COLUMNS else ""

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
                    % {"first": first[column], "second": header,
                       "column": lists.COLUMNS[column][0]},
                )  # fmt: skip
            first.setdefault(column, header)
        return data

    def required_unmatched(self) -> list[str]:
        chosen = {self.fields[name].initial for name, _header in self.headers}
        return [lists.COLUMNS[c][0] for c in lists.REQUIRED if c not in chosen]
