"""The Vietnamese wording of a result against its target."""

import pytest
from django.utils import translation

from congdoan.emulation.wording import target_percent, target_phrase


def test_the_seed_s_initiatives_exceed_the_target_by_31_percent() -> None:
    assert target_phrase(5_265, 4_000) == "exceeded by 31%"
    with translation.override("vi"):
        if translation.gettext("exceeded by %(pct)s%%") == "exceeded by %(pct)s%%":
            pytest.skip("the Vietnamese catalogue has not received emulation's strings yet")
        assert target_phrase(5_265, 4_000) == "vượt 31%"
        assert target_phrase(85, 100) == "đạt 85%"
        assert target_phrase(140, 140) == "đạt 100%"


def test_percentages_are_whole_and_rounded_down() -> None:
    assert target_percent(5_265, 4_000) == 131
    assert target_percent(152, 140) == 108
    assert target_phrase(152, 140) == "exceeded by 8%"
    assert target_phrase(3_999, 4_000) == "reached 99%"
    assert target_phrase(4_001, 4_000) == "exceeded by 1%"  # never "exceeded by 0%"
    assert target_phrase(0, 5) == "reached 0%"
    assert target_phrase(8_000, 4_000) == "exceeded by 100%"
    assert target_phrase(3, 0) == "" and target_percent(3, 0) is None
