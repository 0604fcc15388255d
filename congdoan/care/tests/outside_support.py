"""Id URLs of the programme and support pages, each with a record the cast must not reach (for
congdoan/org/tests/test_access.py): a programme run by Q1, a case given under it to the
outsider's member, and a list uploaded by the outsider."""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from congdoan.care import support as care
from congdoan.care.models import Programme, ProgrammeKind, Support, SupportUpload
from congdoan.conftest import Cast, Tree
from congdoan.members.models import Member

D = datetime.date


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    def programme(user: Any) -> int:
        found = Programme.objects.filter(unit=tree.Q1).first()
        if found is None:
            found = care.programme_create(
                actor=None, unit=tree.Q1,
                data=care.ProgrammeData(name="Tết Q1", kind=ProgrammeKind.TET,
                                        start=D(2024, 1, 1), end=D(2024, 12, 31)),
            )  # fmt: skip
        return found.pk

    def support(user: Any) -> int:
        found = Support.objects.filter(programme__unit=tree.Q1).first()
        if found is None:
            member = Member.objects.get(full_name="Người Ngoài Cuộc")
            found = care.support_record(
                actor=None, programme=Programme.objects.get(pk=programme(user)),
                data=care.SupportData(unit=tree.Q1, person=care.Beneficiary(member=member),
                                      date=D(2024, 2, 1), cash_vnd=500_000),
            )  # fmt: skip
        return found.pk

    def upload(user: Any) -> int:
        return SupportUpload.objects.create(
            programme_id=programme(user), unit=tree.Q1, file_name="ds.csv", content=b"x",
            sha256="0", created_by=get_user_model().objects.get(username="outsider"),
        ).pk  # fmt: skip

    return {
        "unit_programmes": unit,
        "programme_create": unit,
        "programme_detail": programme,
        "programme_edit": programme,
        "support_create": programme,
        "support_import": programme,
        "support_template": programme,
        "support_detail": support,
        "support_edit": support,
        "support_decide": support,
        "support_upload": upload,
    }
