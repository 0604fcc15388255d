"""The one place that decides what a user may see and change.

A role on unit U reaches U and every unit below it (its path prefix), and nothing else.
Superusers reach everything. Lookups outside the user's reach raise Http404, never 403, so
ids cannot be probed. Every view, API endpoint, export and report goes through here.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import PATH_END, PATH_STEP, Role, RoleKind, Unit

AnyUser = User | AnonymousUser

_WRITE_KINDS: set[str] = {RoleKind.ADMIN, RoleKind.OFFICER}


@dataclass(frozen=True)
class Reach:
    """The units a user's roles reach: (path, role kind) pairs, or everything."""

    everything: bool = False
    grants: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def paths(self, kinds: set[str] | None = None) -> list[str]:
        return [p for p, k in self.grants if kinds is None or k in kinds]

    def covers(self, path: str, kinds: set[str] | None = None) -> bool:
        if self.everything:
            return True
        return any(path.startswith(p) for p in self.paths(kinds))


def reach(user: AnyUser) -> Reach:
    """The user's reach, computed once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return Reach()
    cached = getattr(user, "_congdoan_reach", None)
    if cached is not None:
        return cached
    if getattr(user, "is_superuser", False):
        result = Reach(everything=True)
    else:
        grants = tuple(
            Role.objects.filter(user_id=user.pk)
            .values_list("unit__path", "kind")
            .order_by("unit__path")
        )
        result = Reach(grants=grants)
    setattr(user, "_congdoan_reach", result)  # noqa: B010 (a per-request cache on the object)
    return result


def forget(user: AnyUser) -> None:
    """Drop the cached reach (after roles change)."""
    if hasattr(user, "_congdoan_reach"):
        del user._congdoan_reach


def path_q(paths: list[str], field_name: str = "path") -> Q:
    """Rows whose `field_name` lies in any of the subtrees rooted at `paths`."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field_name}__gte": p, f"{field_name}__lt": p + PATH_END})
    return q


def units_visible(user: AnyUser) -> QuerySet[Unit]:
    """Every unit the user may see."""
    r = reach(user)
    qs = Unit.objects.all()
    if r.everything:
        return qs
    return qs.filter(path_q(r.paths()))


def units_writable(user: AnyUser) -> QuerySet[Unit]:
    r = reach(user)
    qs = Unit.objects.all()
    if r.everything:
        return qs
    return qs.filter(path_q(r.paths(_WRITE_KINDS)))


def seen_from_below_q(user: AnyUser, field_name: str = "path") -> Q:
    """Rows whose unit (`field_name` is its path) the user reaches, or that lie above a unit
    the user reaches: things a unit runs for its whole subtree (a care programme) are seen by
    the units below it. Everything for a superuser."""
    r = reach(user)
    if r.everything:
        return Q()
    paths = r.paths()
    above = {p[:i] for p in paths for i in range(PATH_STEP, len(p), PATH_STEP)}
    return path_q(paths, field_name) | Q(**{f"{field_name}__in": sorted(above)})


def can_see_from_below(user: AnyUser, unit: Unit) -> bool:
    """The user reaches `unit`, or a unit below it (see seen_from_below_q)."""
    r = reach(user)
    return r.everything or any(p.startswith(unit.path) or unit.path.startswith(p)
                               for p in r.paths())  # fmt: skip


def can_see(user: AnyUser, unit: Unit) -> bool:
    return reach(user).covers(unit.path)


def can_write(user: AnyUser, unit: Unit) -> bool:
    return reach(user).covers(unit.path, _WRITE_KINDS)


def can_admin(user: AnyUser, unit: Unit) -> bool:
    return reach(user).covers(unit.path, {str(RoleKind.ADMIN)})


def is_admin_anywhere(user: AnyUser) -> bool:
    r = reach(user)
    return r.everything or bool(r.paths({str(RoleKind.ADMIN)}))


def unit_for_view(user: AnyUser, pk: int) -> Unit:
    """The unit with this id if the user may see it; otherwise 404."""
    unit = Unit.objects.select_related("parent", "employer", "merged_into").filter(pk=pk).first()
    if unit is None or not can_see(user, unit):
        raise Http404
    return unit


def unit_for_write(user: AnyUser, pk: int) -> Unit:
    """The unit with this id if the user may change it; 404 if unseen, 404 if read-only too
    (a viewer must not learn that a write URL exists for a unit)."""
    unit = unit_for_view(user, pk)
    if not can_write(user, unit):
        raise Http404
    return unit


def can_restructure(user: AnyUser, unit: Unit) -> bool:
    """Renaming, moving, merging or dissolving a unit is decided by the union above it: the
    user needs write access to its parent, not only to the unit itself."""
    return unit.parent is not None and can_write(user, unit.parent)


def unit_for_restructure(user: AnyUser, pk: int) -> Unit:
    unit = unit_for_view(user, pk)
    if not can_restructure(user, unit):
        raise Http404
    return unit


def unit_for_admin(user: AnyUser, pk: int) -> Unit:
    unit = unit_for_view(user, pk)
    if not can_admin(user, unit):
        raise Http404
    return unit


def unit_by_code_for_view(user: AnyUser, code: str) -> Unit:
    unit = Unit.objects.select_related("parent", "employer").filter(code=code).first()
    if unit is None or not can_see(user, unit):
        raise Http404
    return unit


def top_units(user: AnyUser) -> QuerySet[Unit]:
    """The highest units the user reaches (the roots of what they see)."""
    r = reach(user)
    if r.everything:
        return Unit.objects.filter(parent__isnull=True)
    paths = r.paths()
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return Unit.objects.filter(path__in=tops)
