"""How a result is said against its target, the way conference reports say it: "vượt 31%"
(5.265 against 4.000), "đạt 85%", "đạt 100%". Reports (issue 7) reuse `target_phrase`.

Percentages are whole and rounded down, as the seeds write them: 5.265 / 4.000 is 131,6%,
"vượt 31%". Integers only, so no float surprises."""

from django.utils.translation import gettext as _


def target_percent(achieved: int, target: int) -> int | None:
    """Achieved as a whole percentage of the target, rounded down (None without a target)."""
    if target <= 0:
        return None
    return (100 * achieved) // target


def target_phrase(achieved: int, target: int) -> str:
    """ "vượt N%" above the target (N = achieved/target - 1), "đạt N%" below it, "đạt 100%"
    when equal; "" without a target. A result just above the target reads "vượt 1%", never
    "vượt 0%" (and one just below cannot read "đạt 100%", since it is rounded down)."""
    if target <= 0:
        return ""
    if achieved > target:
        pct = max(1, (100 * (achieved - target)) // target)
        return _("exceeded by %(pct)s%%") % {"pct": pct}
    return _("reached %(pct)s%%") % {"pct": (100 * achieved) // target}
