"""Small pieces the emulation services share: who acts, and the system actor (None) that the
demo, commands and tests use."""

from django.contrib.auth.models import AnonymousUser, User

from congdoan.org import access
from congdoan.org.models import Unit

Actor = User | AnonymousUser | None


def user_or_none(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def may_write(actor: Actor, unit: Unit) -> bool:
    """System writes (no actor) may do anything."""
    return actor is None or access.can_write(actor, unit)


def in_subtree(unit: Unit, of: Unit) -> bool:
    return unit.path.startswith(of.path)
