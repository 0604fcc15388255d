"""The emulation figures of a unit for a period, as `stats` and the API print them under
"emulation": movements launched in the subtree, the blocs the unit owns for the year of the
period's end with their members, and the unit's targets with what was achieved."""

import datetime
from typing import Any

from django.db.models import Count

from congdoan.org import access
from congdoan.org.models import Unit

from .models import Bloc, Movement, Registration
from .targets import target_rows


def emulation_section(unit: Unit, first: datetime.date, last: datetime.date) -> dict[str, Any]:
    year = last.year
    movements = Movement.objects.filter(
        access.path_q([unit.path], "unit__path"), start__lte=last, end__gte=first
    )
    registrations = Registration.objects.filter(
        access.path_q([unit.path], "unit__path"),
        cancelled_on__isnull=True,
        movement__start__lte=last,
        movement__end__gte=first,
    ).count()
    blocs = (
        Bloc.objects.filter(owner=unit, year=year)
        .annotate(n=Count("members"))
        .select_related("leader", "pact")
        .order_by("id")
    )
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "movements": movements.count(),
        "movement_registrations": registrations,
        "year": year,
        "blocs": [
            {
                "name": b.name,
                "leader": b.leader.code,
                "members": b.n,
                "pact": getattr(getattr(b, "pact", None), "state", None),
            }
            for b in blocs
        ],
        "targets": [
            {k: r[k] for k in ("key", "label", "achieved", "target", "percent", "phrase")}
            for r in target_rows(unit, year)
        ],
    }
