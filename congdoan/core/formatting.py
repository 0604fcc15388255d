"""Numbers, money and dates written the Vietnamese way."""

import datetime
import re

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


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date_vi(text: str) -> datetime.date:
    """dd/mm/yyyy (the Vietnamese form), d/m/yy, yyyy-mm-dd (also with a time after it), or a
    spreadsheet's date serial number: every way a date reaches us from a form, a command line or
    a file."""
    text = text.strip()
    plain = _DMY.fullmatch(text)
    if plain:  # the common case, without strptime's cost (imports parse two dates a row)
        try:
            return datetime.date(int(plain[3]), int(plain[2]), int(plain[1]))
        except ValueError:
            pass  # 31/02/2020: strptime below says it is not a date
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    with_time = re.fullmatch(r"(\S+)\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?", text)
    if with_time:  # a date and time: the date
        text = with_time.group(1)
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if fmt.endswith("%y") and day.year > datetime.date.today().year:
            day = day.replace(year=day.year - 100)  # 15/3/85 is 1985, not 2085
        return day
    raise ValueError(_("“%(text)s” is not a date (dd/mm/yyyy).") % {"text": text})
