"""A small year of data for the report tests: members in X1, X2 and Q1 (outside), support paid
by P's programme in 2024 to two people of X1 and one of Q1's."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from congdoan.care.models import Programme, ProgrammeKind, Support, SupportStatus
from congdoan.conftest import Cast, Tree, make_member

D = datetime.date


@dataclass
class Year:
    tree: Tree
    cast: Cast
    hoa: Any
    lan: Any
    minh: Any


def pay(programme: Programme, unit: Any, member: Any, amount: int, day: datetime.date) -> Support:
    return Support.objects.create(
        programme=programme,
        unit=unit,
        member=member,
        person_name=member.full_name,
        person_key=f"m:{member.pk}",
        date=day,
        cash_vnd=amount,
        status=SupportStatus.PAID,
    )


@pytest.fixture
def year(tree: Tree, cast: Cast) -> Year:
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa")
    lan = make_member(tree.X1, "Trần Thị Lan", party=True)
    minh = make_member(tree.X2, "Lê Văn Minh", sex="male", admit_on=D(2024, 3, 1))
    outsider = make_member(tree.Q1, "Người Ngoài Cuộc")
    tet = Programme.objects.create(
        unit=tree.P,
        name="Tết Sum vầy 2024",
        kind=ProgrammeKind.TET,
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),
    )
    pay(tet, tree.X1, hoa, 1_000_000, D(2024, 1, 20))
    pay(tet, tree.X1, lan, 1_500_000, D(2024, 1, 21))
    pay(tet, tree.Q1, outsider, 9_000_000, D(2024, 1, 22))
    return Year(tree=tree, cast=cast, hoa=hoa, lan=lan, minh=minh)
