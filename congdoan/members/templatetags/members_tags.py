"""Template filters for member pages: masked personal data, place names."""

from django import template

from congdoan.members import queries
from congdoan.members.reference import province_name, ward_name

register = template.Library()


@register.filter
def mask_cccd(value: str | None) -> str:
    return queries.mask_cccd(value) if value else ""


@register.filter
def province(code: int | None) -> str:
    return (province_name(code) or "") if code else ""


@register.filter
def ward(code: int | None) -> str:
    return (ward_name(code) or "") if code else ""
