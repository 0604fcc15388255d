"""Indicators that targets are set on (new members, initiatives, people supported...).

An indicator the system already counts has a `compute(unit, first_day, last_day) -> int` that
gives the achieved value for the unit's subtree over the period; one without is typed in. Apps
register theirs in their AppConfig.ready():

    from congdoan.emulation import indicators
    indicators.register("initiatives", label, compute)
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from congdoan.org.models import Unit

Compute = Callable[["Unit", datetime.date, datetime.date], int]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: "str | Promise"
    compute: Compute | None


registry: dict[str, Indicator] = {}


def register(key: str, label: "str | Promise", compute: Compute | None) -> None:
    registry[key] = Indicator(key, label, compute)
