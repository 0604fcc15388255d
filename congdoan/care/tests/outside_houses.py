"""House grant URLs with an id, each with a record under Q1 that the cast must not reach
(read by congdoan/org/tests/test_access.py)."""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile

from congdoan.care.models import CareDocument, HouseCase
from congdoan.conftest import Cast, Tree, make_member
from congdoan.members.models import Member

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def case(user: Any) -> int:
        found = HouseCase.objects.filter(unit=tree.Q1).first()
        if found is not None:
            return found.pk
        member = Member.objects.filter(unit=tree.Q1).first() or make_member(
            tree.Q1, "Người Ngoài Cuộc"
        )
        return HouseCase.objects.create(
            unit=tree.Q1,
            member=member,
            kind="build",
            amount_vnd=60_000_000,
            proposed_on=datetime.date(2024, 1, 1),
        ).pk

    def document(user: Any) -> int:
        house = HouseCase.objects.get(pk=case(user))
        found = CareDocument.objects.filter(house=house).first()
        if found is not None:
            return found.pk
        doc = CareDocument(
            house=house, original_name="q1.png", content_type="image/png", size=len(PNG), sha256="0"
        )
        doc.file.save("outside.png", ContentFile(PNG), save=True)
        return doc.pk

    return {
        "unit_houses": unit,
        "house_create": unit,
        "house_member_options": unit,
        "house_detail": case,
        "house_decide": case,
        "house_contribution_create": case,
        "house_document_add": case,
        "care_document": document,
        "care_document_delete": document,
    }
