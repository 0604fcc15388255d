"""Figures that are costly at national scale (a province's year of care: millions of rows),
kept until a write changes them.

Each area of figures ("care", ...) has a stamp per province and one for the whole country. A
write bumps the stamps of the provinces it touches and the country's, in its own transaction;
any change to the tree bumps the tree's stamp (`TreeStamp`, see services.touch_tree). Cached figures
are stored with the stamps read BEFORE they were computed, so a figure is never newer-stamped
than its data: a write that commits while figures are being computed leaves them stale-stamped,
and the next read computes them again.

    figures = cached("care", unit, ("2022-01-01", "2022-12-31"), lambda: compute(unit, ...))
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import PATH_STEP, FiguresCache, FiguresStamp, TreeStamp, Unit

COUNTRY = "*"


def _province_scope(path: str) -> str:
    """The province part of a path ("*" for the root, which covers the whole country)."""
    return path[: 2 * PATH_STEP] if len(path) >= 2 * PATH_STEP else COUNTRY


def _bump_scopes(scopes: Iterable[str]) -> None:
    for scope in sorted(set(scopes)):
        if not FiguresStamp.objects.filter(scope=scope).update(version=F("version") + 1):
            try:
                with transaction.atomic():
                    FiguresStamp.objects.create(scope=scope, version=1)
            except IntegrityError:  # created meanwhile by another writer
                FiguresStamp.objects.filter(scope=scope).update(version=F("version") + 1)


def bump(area: str, unit_ids: Iterable[int | None] = ()) -> None:
    """Record that `area`'s figures changed for these units (their provinces) and so for the
    whole country. Without units, every province of the area is considered changed."""
    ids = {i for i in unit_ids if i is not None}
    paths = Unit.objects.filter(pk__in=ids).values_list("path", flat=True) if ids else []
    scopes = {f"{area}:{_province_scope(p)}" for p in paths} | {f"{area}:{COUNTRY}"}
    if not ids:
        scopes.add(f"{area}:all")
    _bump_scopes(scopes)


def _stamps(area: str, unit: Unit) -> str:
    scopes = [f"{area}:all", f"{area}:{_province_scope(unit.path)}"]
    found = dict(FiguresStamp.objects.filter(scope__in=scopes).values_list("scope", "version"))
    tree = TreeStamp.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    return ".".join(str(v) for v in [tree, *(found.get(scope, 0) for scope in scopes)])


def cached(
    area: str, unit: Unit, parts: Iterable[Any], compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """`compute()`'s figures for `unit`, from the cache when no write touched them since."""
    key = ":".join([area, str(unit.pk), *(str(p) for p in parts)])[:200]
    stamps = _stamps(area, unit)
    hit = FiguresCache.objects.filter(key=key, stamps=stamps).values_list("data", flat=True)
    for data in hit:
        return data
    data = compute()
    try:
        with transaction.atomic():
            FiguresCache.objects.update_or_create(
                key=key, defaults={"stamps": stamps, "data": data}
            )
    except IntegrityError:  # stored meanwhile by a concurrent reader: theirs is as good
        pass
    return data
