"""The emulation panel on a unit's page: its bloc this year, the movements it takes part in or
launched, and its targets for the year (three queries)."""

import datetime
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string

from congdoan.members.models import MemberTarget
from congdoan.members.services import today
from congdoan.org.models import Unit

from .models import BlocMember, Movement, Target


def unit_panel(request: Any, unit: Unit) -> str:
    year = today().year
    day = today()
    member = (
        BlocMember.objects.filter(unit=unit, year=year).select_related("bloc", "bloc__leader")
        .order_by("bloc_id").first()
    )  # fmt: skip
    movements = list(
        Movement.objects.filter(
            Q(unit=unit) | Q(registrations__unit=unit, registrations__cancelled_on__isnull=True),
            end__gte=datetime.date(year, 1, 1),
            start__lte=day.replace(month=12, day=31),
        )
        .distinct()
        .order_by("-start", "name")[:10]
    )
    targets = Target.objects.filter(unit=unit, year=year).count() + (
        MemberTarget.objects.filter(unit=unit, year=year).count()
    )
    if member is None and not movements and not targets:
        return ""
    return render_to_string(
        "emulation/_unit_panel.html",
        {"unit": unit, "year": year, "bloc": member.bloc if member else None,
         "movements": movements, "targets": targets},
        request=request,
    )  # fmt: skip
