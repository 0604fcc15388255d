"""Indicators that targets are set on (new members, initiatives, people supported...).

An indicator the system already counts has a `compute(unit, first_day, last_day) -> int` that
gives the achieved value for the unit's subtree over the period; one without is typed in. Apps
register theirs in their AppConfig.ready():

    from congdoan.emulation import indicators
    indicators.register("initiatives", label, compute)

A federation may also define its own typed-in indicators (`models.Indicator`); those are not in
this registry. `compute_many`, when given, computes the value of several units at once (a
bloc's or an upper union's children) in fewer queries than one call per unit.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from congdoan.org.models import Unit

Compute = Callable[["Unit", datetime.date, datetime.date], int]
ComputeMany = Callable[[Sequence["Unit"], datetime.date, datetime.date], dict[int, int]]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: "str | Promise"
    compute: Compute | None
    measure: "str | Promise" = ""
    compute_many: ComputeMany | None = None

    def values_of(
        self, units: Sequence["Unit"], first: datetime.date, last: datetime.date
    ) -> dict[int, int] | None:
        """{unit id: achieved} for computed indicators; None for typed-in ones."""
        if self.compute is None:
            return None
        if self.compute_many is not None:
            return self.compute_many(units, first, last)
        return {u.pk: self.compute(u, first, last) for u in units}


registry: dict[str, Indicator] = {}


def register(
    key: str,
    label: "str | Promise",
    compute: Compute | None,
    *,
    measure: "str | Promise" = "",
    compute_many: ComputeMany | None = None,
) -> None:
    registry[key] = Indicator(key, label, compute, measure, compute_many)
