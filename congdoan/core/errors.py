"""The error every service raises for bad input: a message for a person, nothing written."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """Raised inside a service's transaction; the transaction rolls back.

    `field` names the form field (or spreadsheet column) at fault when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None, row: int | None = None):
        super().__init__(message)
        self.field = field
        self.row = row
