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


# (size, Vietnamese word, English word), largest first.
_MONEY_SCALES = [
    (1_000_000_000, "tỷ", "billion"),
    (1_000_000, "triệu", "million"),
    (1_000, "nghìn", "thousand"),
]


def _money_rounded(amount: int) -> tuple[int, int, int, int]:
    """`amount` (positive) rounded as report prose says it: in the largest of tỷ / triệu /
    nghìn it reaches, with one decimal below 10 of that scale and none from 10 on (unless the
    amount is exact in tenths), halves rounded up. Returns (index of the scale, tenths of the
    scale, the rounded amount, decimals); a rounding that reaches 1000 of a scale is said in the
    next one (999.960.000 is 1 tỷ)."""
    index = next(i for i, (size, _vi, _en) in enumerate(_MONEY_SCALES) if amount >= size)
    while True:
        size = _MONEY_SCALES[index][0]
        # From 10 of a scale on, a report drops the decimal ("gần 23 tỷ") unless the amount is
        # exactly so many tenths ("11,5 tỷ").
        decimals = 1 if amount < 10 * size or amount % (size // 10) == 0 else 0
        step = size // 10**decimals
        units = (amount + step // 2) // step
        rounded = units * step
        if index > 0 and rounded >= 1000 * size:
            index -= 1
            continue
        return index, units, rounded, decimals


def _money_words(amount_vnd: int, *, english: bool) -> str:
    amount = int(amount_vnd)
    sign = ("minus " if english else "âm ") if amount < 0 else ""
    amount = abs(amount)
    currency = "VND" if english else "đồng"
    if amount < _MONEY_SCALES[-1][0]:
        return f"{sign}{amount} {currency}"
    index, units, rounded, decimals = _money_rounded(amount)
    _size, word_vi, word_en = _MONEY_SCALES[index]
    whole, tenth = divmod(units, 10**decimals) if decimals else (units, 0)
    point = "." if english else ","
    number = (f"{whole:,}" if english else number_vi(whole)) + (f"{point}{tenth}" if tenth else "")
    if rounded == amount:
        qualifier = ""
    elif english:
        qualifier = "over " if amount > rounded else "nearly "
    else:
        qualifier = "trên " if amount > rounded else "gần "
    return f"{sign}{qualifier}{number} {word_en if english else word_vi} {currency}"


def money_words_vi(amount_vnd: int) -> str:
    """An amount in words the way reports say it: 1.023.450.000 → 'trên 1 tỷ đồng',
    22.870.000.000 → 'gần 23 tỷ đồng', 70.000.000 → '70 triệu đồng', 1.612.000.000 → 'trên
    1,6 tỷ đồng'. "trên" when the exact figure is a little more than the rounded one, "gần"
    when a little less, nothing when they are equal."""
    return _money_words(amount_vnd, english=False)


def money_words_en(amount_vnd: int) -> str:
    """The same in English: 'over 1 billion VND', 'nearly 23 billion VND'."""
    return _money_words(amount_vnd, english=True)


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
