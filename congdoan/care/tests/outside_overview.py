"""Id URLs of the care overview pages, each with a record the cast must not reach (for
congdoan/org/tests/test_access.py)."""

from collections.abc import Callable
from typing import Any

from congdoan.conftest import Cast, Tree


def outside_ids(tree: Tree, cast: Cast) -> dict[str, Callable[[Any], int]]:
    def unit(user: Any) -> int:
        return tree.Q1.pk

    return {"unit_care": unit}
