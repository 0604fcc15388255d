"""The invariant of the tree's history, checked on every date where something changed:
each unit founded by then has exactly one version; an active unit's parent is active that day;
and its path is its parent's path that day plus its own step."""

import datetime
from collections import defaultdict

from congdoan.org.models import Status, Unit, UnitVersion
from congdoan.org.services import path_step


def history_problems() -> list[str]:
    versions = list(UnitVersion.objects.all())
    by_unit: dict[int, list[UnitVersion]] = defaultdict(list)
    dates: set[datetime.date] = set()
    for v in versions:
        by_unit[v.unit_id].append(v)
        dates.add(v.valid_from)
        dates.add(v.valid_from - datetime.timedelta(days=1))
        if v.valid_to:
            dates.add(v.valid_to - datetime.timedelta(days=1))
    units = {u.pk: u for u in Unit.objects.all()}
    problems = []
    for day in sorted(dates):
        on: dict[int, UnitVersion] = {}
        for pk, unit in units.items():
            valid = [
                v
                for v in by_unit[pk]
                if v.valid_from <= day and (v.valid_to is None or v.valid_to > day)
            ]
            if unit.founded_on <= day and len(valid) != 1:
                problems.append(f"{day}: {unit.code} has {len(valid)} versions")
            if unit.founded_on > day and valid:
                problems.append(f"{day}: {unit.code} has a version before it was founded")
            if valid:
                on[pk] = valid[0]
        for pk, v in on.items():
            if v.status != Status.ACTIVE:
                continue
            if v.parent_id is None:
                if v.path != path_step(pk):
                    problems.append(f"{day}: root {units[pk].code} has path {v.path}")
                continue
            parent = on.get(v.parent_id)
            if parent is None:
                problems.append(f"{day}: {units[pk].code}'s parent has no version")
            elif parent.status != Status.ACTIVE:
                problems.append(f"{day}: {units[pk].code} is active under a closed unit")
            elif v.path != parent.path + path_step(pk):
                problems.append(f"{day}: {units[pk].code}'s path does not follow its parent's")
    return problems
