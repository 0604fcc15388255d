"""Reads of members, always through the user's reach (`congdoan.org.access`).

Rosters are listed in Vietnamese name order with keyset pagination: each page continues after
the last (sort key, id) of the previous one, so page 200 costs what page 1 costs. The filter
that picks the subtree uses a column copied onto the member row (province, upper unit or
grassroots union) so that one index gives both the subtree and the order.
"""

import base64
import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from congdoan.core.text import fold
from congdoan.org import access
from congdoan.org.access import AnyUser
from congdoan.org.models import PATH_END, Level, Unit

from .models import Member, MembershipSpell, MemberStatus
from .reference import KINH

PAGE_SIZE = 50


def members_visible(user: AnyUser) -> QuerySet[Member]:
    """Every member whose grassroots union the user reaches."""
    r = access.reach(user)
    qs = Member.objects.all()
    if r.everything:
        return qs
    return qs.filter(access.path_q(r.paths(), "unit__path"))


def member_for_view(user: AnyUser, pk: int) -> Member:
    member = Member.objects.select_related("unit", "subunit").filter(pk=pk).first()
    if member is None or not access.can_see(user, member.unit):
        raise Http404
    return member


def member_for_write(user: AnyUser, pk: int) -> Member:
    member = member_for_view(user, pk)
    if not access.can_write(user, member.unit):
        raise Http404
    return member


def in_subtree(unit: Unit) -> Q:
    """Members of `unit`'s subtree, by the column whose index also gives name order."""
    if unit.level == Level.GRASSROOTS:
        return Q(unit=unit)
    if unit.level == Level.PROVINCE:
        return Q(province=unit)
    if unit.level == Level.CENTRAL and unit.parent_id is None:
        return Q()
    if (
        Unit.objects.filter(parent=unit, level=Level.GRASSROOTS).exists()
        and not (
            Unit.objects.filter(parent=unit).exclude(level__in=[Level.GRASSROOTS, Level.SUBUNIT])
        ).exists()
    ):
        return Q(upper=unit)
    if unit.level == Level.SUBUNIT:
        return Q(subunit=unit)
    return Q(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)


@dataclass
class RosterFilter:
    status: str = MemberStatus.ACTIVE
    sex: str = ""
    age_band: str = ""  # "under_30", "30_45", "over_45"
    ethnicity: str = ""  # a code, or "kinh" / "minority"
    party: str = ""  # "yes" / "no"
    subunit: int | None = None
    join_year: int | None = None
    q: str = ""
    as_of: datetime.date | None = None  # a past date: who was a member then, in the tree then


def _age_q(band: str, today: datetime.date) -> Q:
    y = today.year
    if band == "under_30":
        return Q(birth_date__gte=datetime.date(y - 29, 1, 1))
    if band == "30_45":
        return Q(
            birth_date__gte=datetime.date(y - 45, 1, 1), birth_date__lt=datetime.date(y - 29, 1, 1)
        )
    if band == "over_45":
        return Q(birth_date__lt=datetime.date(y - 45, 1, 1))
    return Q()


def roster(unit: Unit, f: RosterFilter, today: datetime.date) -> QuerySet[Member]:
    """The filtered members of `unit`'s subtree, in Vietnamese name order.

    With `f.as_of` in the past: the members whose membership spell covered that date in a
    grassroots union that was in the subtree on that date (status filters do not apply).
    """
    if f.as_of is not None and f.as_of < today:
        from .figures import subtree_unit_ids

        ids = subtree_unit_ids(unit, f.as_of)
        if ids is None:
            return Member.objects.none()
        spells = MembershipSpell.objects.filter(unit_id__in=ids, start__lte=f.as_of).filter(
            Q(end__isnull=True) | Q(end__gt=f.as_of)
        )
        qs = Member.objects.filter(pk__in=spells.values("member_id"))
        today = f.as_of
    else:
        qs = Member.objects.filter(in_subtree(unit))
        if f.status:
            qs = qs.filter(status=f.status)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.age_band:
        qs = qs.filter(_age_q(f.age_band, today))
    if f.ethnicity == "kinh":
        qs = qs.filter(ethnicity=KINH)
    elif f.ethnicity == "minority":
        qs = qs.exclude(ethnicity=KINH)
    elif f.ethnicity:
        qs = qs.filter(ethnicity=f.ethnicity)
    if f.party == "yes":
        qs = qs.filter(party_member=True)
    elif f.party == "no":
        qs = qs.filter(party_member=False)
    if f.subunit:
        qs = qs.filter(subunit_id=f.subunit)
    if f.join_year:
        qs = qs.filter(joined_on__year=f.join_year)
    if f.q:
        qs = search(qs, f.q)
    return qs.order_by("sort_key", "id")


def search(qs: QuerySet[Member], text: str) -> QuerySet[Member]:
    """By CCCD (12 digits), member code (10 digits) or name, ignoring case and diacritics."""
    digits = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"\d{12}", digits):
        return qs.filter(cccd=digits)
    if re.fullmatch(r"\d{10}", digits):
        return qs.filter(card_number=digits)
    words = fold(text).split()
    for i, word in enumerate(words):
        # Whole words, and the beginning of the last one (typed as you search): "nguyen thi
        # hoa" finds Nguyễn Thị Hoa and Nguyễn Thị Hoà, not Nguyễn Hoàng Thịnh.
        last = i == len(words) - 1
        starts = Q(name_key__startswith=word if last else word + " ") | Q(name_key=word)
        inside = Q(name_key__contains=" " + word if last else " " + word + " ")
        ends = Q() if last else Q(name_key__endswith=" " + word)
        qs = qs.filter(starts | inside | ends) if not last else qs.filter(starts | inside)
    return qs


def encode_cursor(member: Member) -> str:
    raw = f"{member.sort_key}\x00{member.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        key, pk = raw.rsplit("\x00", 1)
        return key, int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def page_after(
    qs: QuerySet[Member], cursor: str | None, size: int = PAGE_SIZE
) -> tuple[list[Member], str | None]:
    """One page of an ordered roster after `cursor`, and the cursor of the next page (or None)."""
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        key, pk = after
        qs = qs.filter(Q(sort_key__gt=key) | Q(sort_key=key, id__gt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


def mask_cccd(value: str) -> str:
    return value[:3] + "*" * 6 + value[-3:] if len(value) == 12 else ("*" * len(value))


def mask_phone(value: str) -> str:
    return value[:3] + "*" * max(len(value) - 5, 0) + value[-2:] if len(value) > 5 else value
