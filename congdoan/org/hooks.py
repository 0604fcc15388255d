"""Where higher layers (members, care, ...) plug into the tree without the tree knowing them.

A higher app registers its callables in its AppConfig.ready(); the tree calls them inside the
same transaction as the structural change, so a failure rolls everything back.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Unit


@dataclass(frozen=True)
class Moved:
    """A subtree moved: its root, the ancestors it left and joined (nearest first), every unit
    in it, and the effective date."""

    root_id: int
    old_ancestor_ids: list[int]
    new_ancestor_ids: list[int]
    unit_ids: list[int]
    effective_on: datetime.date


# (unit, as_of, figures so far) -> figures to add (a key per figure).
FigureProvider = Callable[["Unit", datetime.date, dict[str, Any]], dict[str, Any]]
figure_providers: list[FigureProvider] = []

# Called after a subtree moved.
moved_listeners: list[Callable[[Moved], None]] = []

# Called when `source` is merged into `target`: (source, target, effective date, actor).
merged_listeners: list[Callable[["Unit", "Unit", datetime.date, Any], None]] = []

# Asked before a unit is dissolved: a message saying why not, or None. (A merge carries what
# hangs off the unit to the target through merged_listeners instead.)
dissolve_checks: list[Callable[["Unit"], str | None]] = []

# (unit, first day, last day) -> a section of `stats` (and of the API) for a period, under its
# own key: {"care": care_figures, ...}. A higher app registers its section under its name.
# (A section is an object, except `awards`, which the issue fixes as a list.)
StatsSection = Callable[["Unit", datetime.date, datetime.date], Any]
stats_sections: dict[str, StatsSection] = {}

# (request, unit) -> HTML of a panel on the unit page (awards history, ...), or "" for none.
# Each panel is rendered from the app's own template and escapes its own content.
Panel = Callable[[Any, "Unit"], str]
unit_panels: list[Panel] = []

# (request, member) -> HTML of a panel on a member's page, or "" for none.
member_panels: list[Callable[[Any, Any], str]] = []
