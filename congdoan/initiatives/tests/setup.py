"""A programme of P's with targets, and members to author initiatives (shared by the tests)."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from congdoan.conftest import Cast, Tree, make_member
from congdoan.initiatives import services
from congdoan.initiatives.models import Initiative, InitiativeProgramme

D = datetime.date
START, END = D(2024, 1, 1), D(2025, 12, 31)
FIRST_MARCH = D(2024, 3, 1)


@dataclass
class Setup:
    tree: Tree
    cast: Cast
    programme: InitiativeProgramme
    hoa: Any  # X1
    lan: Any  # X1
    minh: Any  # X2
    nam: Any  # Y1
    outsider: Any  # Q1


@pytest.fixture
def scene(tree: Tree, cast: Cast) -> Setup:
    programme = services.programme_create(
        actor=cast.province_officer, unit=tree.P,
        data=services.ProgrammeData(name="1 triệu sáng kiến", start=START, end=END),
    )  # fmt: skip
    services.targets_set(
        actor=cast.province_officer, programme=programme,
        targets={tree.P.pk: 10, tree.X.pk: 6, tree.Y.pk: 4},
    )  # fmt: skip
    return Setup(
        tree=tree, cast=cast, programme=programme,
        hoa=make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190000001"),
        lan=make_member(tree.X1, "Trần Thị Lan", cccd="001190000002"),
        minh=make_member(tree.X2, "Lê Văn Minh", cccd="001090000003", sex="male"),
        nam=make_member(tree.Y1, "Phạm Văn Nam", cccd="001090000004", sex="male"),
        outsider=make_member(tree.Q1, "Người Ngoài Cuộc", cccd="001190000009"),
    )  # fmt: skip


def record(s: Setup, *, unit: Any = None, authors: list[tuple[Any, Any]] | None = None,
           title: str = "Cải tiến băng tải", submitted_on: datetime.date = FIRST_MARCH,
           value_vnd: Any = 12_500_000, field: str = "technical", actor: Any = None,
           co_authors: str = "") -> Initiative:  # fmt: skip
    return services.initiative_create(
        actor=actor, programme=s.programme, unit=unit or s.tree.X1,
        data=services.InitiativeData(
            title=title, field=field, submitted_on=submitted_on, value_vnd=value_vnd,
            authors=authors if authors is not None else [(s.hoa, None)], co_authors=co_authors,
        ),
    )  # fmt: skip
