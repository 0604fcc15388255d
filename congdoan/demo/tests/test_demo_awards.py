"""The demo's awards reproduce the seeds (SEED-FIGURES.md): seed 001's Bằng khen (1 collective,
4 individuals) and Giấy khen (6 collectives, 10 individuals) for Mẫu Sơn in 2020, and seed 003's
Cờ thi đua of TLĐ and the Prime Minister's Bằng khen for Quảng Bình in 2022."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from congdoan.awards.models import AwardDecision, DecisionStatus, NominationBatch


def awards(code: str, start: str, end: str) -> Any:
    out = io.StringIO()
    call_command(
        "stats", "--unit", code, "--from", start, "--as-of", end, "--format", "json", stdout=out
    )
    return [
        (a["form_code"], a["authority"], a["collectives"], a["individuals"])
        for a in json.loads(out.getvalue())["awards"]
    ]


@pytest.mark.django_db
def test_demo_awards_reproduce_the_seeds() -> None:
    """One load of the demo (it is slow), then every seed's figures."""
    call_command("demo", stdout=io.StringIO())
    # Seed 001.
    assert awards("LS-MS", "2020-01-01", "2021-01-31") == [
        ("bk-ldld-tinh", "province_union", 1, 4),
        ("gk-cong-doan-cap-tren", "upper_union", 6, 10),
    ]
    # The Giấy khen came through a proposal reviewed by the district's council.
    batch = NominationBatch.objects.get(unit__code="LS-MS")
    assert (batch.status, batch.nominees.filter(review="accepted").count()) == ("reviewed", 16)
    assert awards("LS-MS", "2019-01-01", "2019-12-31") == []
    # Seed 003.
    assert awards("QB", "2022-01-01", "2022-12-31") == [
        ("bk-thu-tuong", "prime_minister", 0, 1),
        ("co-tld", "tld", 1, 0),
    ]
    # Seed 000: the conference of 15/01/2021.
    assert awards("TB", "2021-01-01", "2021-01-31") == [
        ("co-tld", "tld", 1, 0),
        ("bk-tld", "tld", 1, 2),
        ("bk-ubnd-tinh", "province_pc", 2, 3),
        ("co-ldld-tinh", "province_union", 2, 0),
        ("bk-ldld-tinh", "province_union", 3, 5),
    ]
    assert not AwardDecision.objects.exclude(status=DecisionStatus.ISSUED).exists()
