"""Numbers, money and dates written the Vietnamese way."""

import datetime

from django.utils.translation import gettext as _


def number_vi(value: int) -> str:
    """3032 → '3.032'."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def vnd(value: int) -> str:
    """1600000000 → '1.600.000.000 đ'."""
    return f"{number_vi(value)} đ"


def date_vi(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date_vi(text: str) -> datetime.date:
    """Accept dd/mm/yyyy (the Vietnamese form) and yyyy-mm-dd (ISO)."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(text)s” is not a date (dd/mm/yyyy).") % {"text": text})
