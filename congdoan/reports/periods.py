"""Reporting periods: a year (tổng kết năm), a half-year (sơ kết 6 tháng) or any range, and the
period a report compares with (the same period of the year before: "so với cùng kỳ")."""

import datetime
from dataclasses import dataclass
from typing import Any

D = datetime.date


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    year: int | None = None  # a whole calendar year, or the year of a half
    half: int | None = None  # 1 or 2

    @property
    def kind(self) -> str:
        if self.half:
            return "half"
        return "year" if self.year else "custom"

    def previous(self) -> "Period":
        """The same period one year earlier."""
        if self.year:
            return make(self.year - 1, self.half)
        return Period(_year_back(self.start), _year_back(self.end))

    def ended(self, today: datetime.date) -> bool:
        return self.end < today

    def as_of(self, today: datetime.date) -> datetime.date:
        """The day the figures are counted on: the period's end, or today if it is not over."""
        return min(self.end, today)

    def params(self) -> dict[str, str]:
        """The query string that names this period (pages, API, command line)."""
        if self.year:
            out = {"year": str(self.year)}
            if self.half:
                out["half"] = str(self.half)
            return out
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "year": self.year,
            "half": self.half,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Period":
        return cls(
            D.fromisoformat(str(data["from"])),
            D.fromisoformat(str(data["to"])),
            data.get("year"),
            data.get("half"),
        )


def _year_back(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def make(year: int, half: int | None = None) -> Period:
    if half == 1:
        return Period(D(year, 1, 1), D(year, 6, 30), year, 1)
    if half == 2:
        return Period(D(year, 7, 1), D(year, 12, 31), year, 2)
    return Period(D(year, 1, 1), D(year, 12, 31), year, None)


def custom(start: datetime.date, end: datetime.date) -> Period:
    """A range; a range that is exactly a year or a half is named as one."""
    for half in (None, 1, 2):
        named = make(start.year, half)
        if (named.start, named.end) == (start, end):
            return named
    return Period(start, end)
