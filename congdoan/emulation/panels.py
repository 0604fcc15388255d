"""The emulation panel on a unit's page: its bloc this year, the movements it takes part in or
launched, and its targets for the year (two queries)."""

import datetime
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from congdoan.members.models import MemberTarget
from congdoan.members.services import today
from congdoan.org.models import Unit

from .models import BlocMember, Movement, Target


def _count(qs: QuerySet[Any]) -> Coalesce:
    """The number of rows of `qs` (filtered on OuterRef("pk")), as a subquery."""
    counted = qs.order_by().values("unit").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def unit_panel(request: Any, unit: Unit) -> str:
    day = today()
    year = day.year
    bloc = BlocMember.objects.filter(unit=OuterRef("pk"), year=year).order_by("bloc_id")
    found = (
        Unit.objects.filter(pk=unit.pk)
        .annotate(
            p_bloc=Subquery(bloc.values("bloc_id")[:1]),
            p_bloc_name=Subquery(bloc.values("bloc__name")[:1]),
            p_leader=Subquery(bloc.values("bloc__leader__name")[:1]),
            p_targets=_count(Target.objects.filter(unit=OuterRef("pk"), year=year)),
            p_member_targets=_count(MemberTarget.objects.filter(unit=OuterRef("pk"), year=year)),
        )
        .values("p_bloc", "p_bloc_name", "p_leader", "p_targets", "p_member_targets")
        .get()
    )
    movements = list(
        Movement.objects.filter(
            Q(unit=unit) | Q(registrations__unit=unit, registrations__cancelled_on__isnull=True),
            end__gte=datetime.date(year, 1, 1),
            start__lte=datetime.date(year, 12, 31),
        )
        .distinct()
        .order_by("-start", "name")[:10]
    )
    targets = int(found["p_targets"]) + int(found["p_member_targets"])
    in_bloc = None
    if found["p_bloc"] is not None:
        in_bloc = SimpleNamespace(
            pk=found["p_bloc"],
            name=found["p_bloc_name"],
            leader=SimpleNamespace(name=found["p_leader"]),
        )
    if in_bloc is None and not movements and not targets:
        return ""
    return render_to_string(
        "emulation/_unit_panel.html",
        {"unit": unit, "year": year, "bloc": in_bloc, "movements": movements, "targets": targets},
        request=request,
    )
