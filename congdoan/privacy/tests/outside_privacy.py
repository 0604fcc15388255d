"""Personal-data URLs with an id, each with a record under Q1 that the cast must not reach (read
by congdoan/org/tests/test_access.py)."""

from collections.abc import Callable
from typing import Any

from congdoan.conftest import Cast, Tree, make_member
from congdoan.members.models import Member


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def member(user: Any) -> int:
        found = Member.objects.filter(unit=tree.Q1).order_by("pk").first()
        if found is None:
            found = make_member(tree.Q1, "Người Ở Xa")
        return found.pk

    return {
        "member_access_log": member,
        "member_record_export": member,
        "member_anonymise": member,
    }
