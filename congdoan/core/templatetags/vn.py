"""Template filters that print numbers, money and dates the Vietnamese way."""

import datetime

from django import template
from django.utils.translation import get_language

from congdoan.core.formatting import date_vi, money_words_en, money_words_vi, number_vi, vnd

register = template.Library()


@register.filter
def vn_number(value: int | None) -> str:
    return "" if value is None else number_vi(int(value))


@register.filter
def vn_money(value: int | None) -> str:
    return "" if value is None else vnd(int(value))


@register.filter
def vn_money_words(value: int | None) -> str:
    """An amount as report prose says it ("trên 1 tỷ đồng"), in English when the page is."""
    if value is None:
        return ""
    english = (get_language() or "vi").startswith("en")
    return money_words_en(int(value)) if english else money_words_vi(int(value))


@register.filter
def vn_date(value: datetime.date | datetime.datetime | None) -> str:
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return date_vi(value)


@register.filter
def person(user: object) -> str:
    """A user's name the Vietnamese way: family and middle names, then the given name."""
    first = getattr(user, "first_name", "")
    last = getattr(user, "last_name", "")
    return " ".join(p for p in (last, first) if p) or str(getattr(user, "username", ""))
