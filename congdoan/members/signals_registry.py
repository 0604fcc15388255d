"""How members follow the tree: registered with `congdoan.org.hooks` when the app is ready.

- a moved subtree: members' copied ancestors are rewritten, and the tallies of the ancestors
  it left and joined are rebuilt from their sub-units;
- a merged grassroots union: its members move to the union it merged into;
- a grassroots union with members on its books cannot be dissolved or merged away empty-handed;
- the unit's figures gain the member figures.
"""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from congdoan.org import hooks
from congdoan.org.models import Level, Unit

from . import figures, tally
from .models import EventKind, Member, MemberStatus, Transfer, TransferStatus


def on_moved(moved: hooks.Moved) -> None:
    from .services import ancestors_for  # services import this module's neighbours

    for unit in Unit.objects.filter(pk__in=moved.unit_ids, level=Level.GRASSROOTS):
        province, upper = ancestors_for(unit)
        Member.objects.filter(unit=unit).exclude(province_id=province, upper_id=upper).update(
            province_id=province, upper_id=upper
        )
    # The ancestors both before and after keep the subtree: their figures do not change.
    shared = set(moved.old_ancestor_ids) & set(moved.new_ancestor_ids)
    tally.rebuild_from_children([u for u in moved.old_ancestor_ids if u not in shared])
    tally.rebuild_from_children([u for u in moved.new_ancestor_ids if u not in shared])


def on_merged(source: Unit, target: Unit, day: datetime.date, actor: Any) -> None:
    """The members of a merged grassroots union continue in the union it merged into."""
    if source.level != Level.GRASSROOTS:
        return
    from .services import _event, _relocate

    Transfer.objects.filter(to_unit=source, status=TransferStatus.PENDING).update(
        status=TransferStatus.CANCELLED
    )
    for member in Member.objects.filter(unit=source).exclude(status=MemberStatus.LEFT):
        member.unit = source
        _relocate(member, target, day)
        if member.status == MemberStatus.ACTIVE:
            note = _("merger of %(unit)s") % {"unit": source.name}
            _event(
                member,
                EventKind.TRANSFER_OUT,
                day,
                actor,
                unit=source,
                other_unit=target,
                note=note,
            )
            _event(
                member, EventKind.TRANSFER_IN, day, actor, unit=target, other_unit=source, note=note
            )


def dissolve_check(unit: Unit) -> str | None:
    if unit.level != Level.GRASSROOTS:
        return None
    active = Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE).count()
    if active:
        return _(
            "%(unit)s still has %(count)s active members; transfer them or record their "
            "departure first."
        ) % {"unit": unit.name, "count": active}
    return None


hooks.moved_listeners.append(on_moved)
hooks.merged_listeners.append(on_merged)
hooks.dissolve_checks.append(dissolve_check)
hooks.figure_providers.append(figures.member_figures)
