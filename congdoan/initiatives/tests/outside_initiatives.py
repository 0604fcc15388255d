"""Initiative URLs with an id, each with a record under Q that the cast must not reach (read by
congdoan/org/tests/test_access.py)."""

import datetime
from collections.abc import Callable
from typing import Any

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.models import Upload
from congdoan.initiatives.models import (
    Initiative,
    InitiativeAuthor,
    InitiativeProgramme,
    InitiativeUpload,
)
from congdoan.members.models import Member

D = datetime.date


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def programme(user: Any) -> int:
        found = InitiativeProgramme.objects.filter(unit=tree.Q).first()
        if found is not None:
            return found.pk
        return InitiativeProgramme.objects.create(
            unit=tree.Q, name="Q programme", start=D(2024, 1, 1), end=D(2025, 12, 31)
        ).pk

    def initiative(user: Any) -> int:
        found = Initiative.objects.filter(unit=tree.Q1).first()
        if found is not None:
            return found.pk
        member = Member.objects.filter(unit=tree.Q1).first() or make_member(
            tree.Q1, "Người Ngoài Cuộc"
        )
        row = Initiative.objects.create(
            programme_id=programme(user), unit=tree.Q1, title="Q1 idea", title_key="q1 idea",
            field="technical", submitted_on=D(2024, 2, 1),
        )  # fmt: skip
        InitiativeAuthor.objects.create(initiative=row, member=member)
        return row.pk

    def upload(user: Any) -> int:
        found = InitiativeUpload.objects.filter(unit=tree.Q1).first()
        if found is not None:
            return found.pk
        return InitiativeUpload.objects.create(
            programme_id=programme(user), unit=tree.Q1, file_name="q1.csv", content=b"x",
            sha256="0", created_by=user if getattr(user, "pk", None) else None,
        ).pk  # fmt: skip

    assert issubclass(InitiativeUpload, Upload)
    return {
        "initiative_programme_create": unit,
        "initiative_programme_detail": programme,
        "initiative_programme_edit": programme,
        "initiative_programme_targets": programme,
        "initiative_import": programme,
        "initiative_template": programme,
        "initiative_upload": upload,
        "unit_initiatives": unit,
        "initiative_create": unit,
        "initiative_member_options": unit,
        "initiative_detail": initiative,
        "initiative_edit": initiative,
        "initiative_decide": initiative,
        "initiative_reopen": initiative,
        "initiative_portal": initiative,
        "initiative_delete": initiative,
    }
