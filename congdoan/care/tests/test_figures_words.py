"""Amounts in words, the way report prose says them."""

import pytest
from django.template import Context, Template
from django.utils import translation

from congdoan.core.formatting import money_words_en, money_words_vi


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_023_450_000, "trên 1 tỷ đồng"),
        (22_870_000_000, "gần 23 tỷ đồng"),
        (70_000_000, "70 triệu đồng"),
        (1_612_000_000, "trên 1,6 tỷ đồng"),
        (1_000_000_000, "1 tỷ đồng"),
        (1_500_000, "1,5 triệu đồng"),
        (3_000_000, "3 triệu đồng"),
        (5_540_000, "trên 5,5 triệu đồng"),
        (5_560_000, "gần 5,6 triệu đồng"),
        (15_430_000, "trên 15 triệu đồng"),
        (15_400_000, "15,4 triệu đồng"),
        (11_500_000_000, "11,5 tỷ đồng"),  # exact in tenths: said exactly
        (866_700_000, "866,7 triệu đồng"),
        (2_190_000_000, "gần 2,2 tỷ đồng"),
        (123_456_789_012, "trên 123 tỷ đồng"),
        (1_234_567_000_000, "gần 1.235 tỷ đồng"),
        (999_960_000, "gần 1 tỷ đồng"),  # 999,96 triệu rounds to 1.000 triệu: said in tỷ
        (9_960_000_000, "gần 10 tỷ đồng"),
        (12_345, "trên 12 nghìn đồng"),
        (500_000, "500 nghìn đồng"),
        (500, "500 đồng"),
        (0, "0 đồng"),
        (-3_000_000, "âm 3 triệu đồng"),
    ],
)
def test_money_words_vi(amount: int, words: str) -> None:
    assert money_words_vi(amount) == words


def test_money_words_en() -> None:
    assert money_words_en(1_023_450_000) == "over 1 billion VND"
    assert money_words_en(22_870_000_000) == "nearly 23 billion VND"
    assert money_words_en(1_612_000_000) == "over 1.6 billion VND"
    assert money_words_en(70_000_000) == "70 million VND"
    assert money_words_en(1_234_567_000_000) == "nearly 1,235 billion VND"


def test_template_filter_follows_the_page_language() -> None:
    template = Template("{% load vn %}{{ a|vn_money_words }}|{{ b|vn_money_words }}")
    context = Context({"a": 22_870_000_000, "b": None})
    with translation.override("vi"):
        assert template.render(context) == "gần 23 tỷ đồng|"
    with translation.override("en"):
        assert template.render(context) == "nearly 23 billion VND|"
