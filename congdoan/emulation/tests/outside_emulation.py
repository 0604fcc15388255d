"""Emulation URLs with an id, each with a record under Q (outside every cast member's reach but
the outsider's), read by congdoan/org/tests/test_access.py."""

import datetime
from collections.abc import Callable
from typing import Any

from congdoan.conftest import Cast, Tree, make_unit
from congdoan.emulation import blocs, movements, pacts
from congdoan.emulation.models import Bloc, Movement, Registration
from congdoan.org.models import Kind, Unit

D = datetime.date


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def movement(user: Any) -> int:
        found = Movement.objects.filter(unit=tree.Q).first()
        if found is not None:
            return found.pk
        return movements.movement_create(
            actor=None,
            unit=tree.Q,
            data=movements.MovementData(
                name="Phong trào Q", start=D(2024, 1, 1), end=D(2024, 12, 31)
            ),
        ).pk

    def registration(user: Any) -> int:
        found = Registration.objects.filter(unit=tree.Q1).first()
        if found is not None:
            return found.pk
        m = Movement.objects.get(pk=movement(user))
        return movements.registration_create(
            actor=None, movement=m, unit=tree.Q1, registered_on=D(2024, 2, 1)
        ).pk

    def bloc(user: Any) -> int:
        found = Bloc.objects.filter(owner=tree.Q).first()
        if found is not None:
            return found.pk
        q2 = Unit.objects.filter(code="Q2").first() or make_unit(tree.Q, "Q2", Kind.ENTERPRISE)
        made = blocs.bloc_create(
            actor=None,
            owner=tree.Q,
            year=2024,
            name="Khối Q",
            units=[tree.Q1, q2],
            leader=tree.Q1,
        )
        pacts.pact_create(
            actor=None,
            bloc=made,
            data=pacts.PactData(title="BẢN GIAO ƯỚC THI ĐUA NĂM 2024", dated=D(2024, 2, 1)),
            targets=[pacts.TargetLine("Kết nạp đoàn viên", 10, "đoàn viên")],
        )
        return made.pk

    return {
        "unit_emulation": unit,
        "movement_create": unit,
        "movement_detail": movement,
        "movement_edit": movement,
        "movement_delete": movement,
        "movement_register": movement,
        "registration_cancel": registration,
        "unit_blocs": unit,
        "bloc_create": unit,
        "blocs_rotate": unit,
        "bloc_detail": bloc,
        "bloc_edit": bloc,
        "bloc_delete": bloc,
        "pact_edit": bloc,
        "pact_open": bloc,
        "pact_withdraw": bloc,
        "pact_sign": bloc,
        "pact_document": bloc,
        "emulation_targets": unit,
        "targets_grid": unit,
        "unit_indicators": unit,
    }
