"""Where higher layers (members, care, ...) plug into the tree without the tree knowing them.

A higher app registers its callables in its AppConfig.ready(); the tree calls them inside the
same transaction as the structural change, so a failure rolls everything back.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Unit

# (unit, as_of) -> figures to merge into the unit's figures (a key per figure).
FigureProvider = Callable[["Unit", datetime.date], dict[str, Any]]
figure_providers: list[FigureProvider] = []

# Called after a subtree moved: (ids of every unit in the moved subtree, effective date).
moved_listeners: list[Callable[[list[int], datetime.date], None]] = []

# Called when `source` is merged into `target`: (source, target, effective date, actor).
merged_listeners: list[Callable[["Unit", "Unit", datetime.date, Any], None]] = []

# Asked before a unit is dissolved or merged away: a message saying why not, or None.
dissolve_checks: list[Callable[["Unit"], str | None]] = []
