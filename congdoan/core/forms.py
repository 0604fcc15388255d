"""Form pieces shared by every app: Vietnamese dates and turning service errors into form errors."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from .errors import ServiceError

T = TypeVar("T")

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    def __init__(self) -> None:
        super().__init__(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        )


class VnDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (ISO accepted too)."""

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)


def run_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Call a service; on ServiceError put its message on the named field (or the form)."""
    try:
        return call()
    except ServiceError as exc:
        field = exc.field if exc.field in form.fields else None
        for message in exc.messages:
            form.add_error(field, message)
        return None


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
