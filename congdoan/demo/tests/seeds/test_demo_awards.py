"""The demo's awards reproduce the seeds (SEED-FIGURES.md): seed 001's Bằng khen (1 collective,
4 individuals) and Giấy khen (6 collectives, 10 individuals) for Mẫu Sơn in 2020, and seed 003's
Cờ thi đua of TLĐ and the Prime Minister's Bằng khen for Quảng Bình in 2022."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from congdoan.awards.models import (
    AwardDecision,
    AwardRecipient,
    DecisionStatus,
    NominationBatch,
)


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
    # Seed 001.
    assert awards("LS-MS", "2020-01-01", "2021-01-31") == [
        ("bk-ldld-tinh", "province_union", 1, 4),
        ("gk-cong-doan-cap-tren", "upper_union", 6, 10),
    ]
    # The Giấy khen came through a proposal reviewed by the district's council.
    batch = NominationBatch.objects.get(unit__code="LS-MS")
    assert (batch.status, batch.nominees.filter(review="accepted").count()) == ("reviewed", 16)
    # The four individuals' Giấy khen for 2019, which the provincial Bằng khen requires: every
    # recipient in Mẫu Sơn meets the rules of the form, none is recorded with an override.
    assert awards("LS-MS", "2019-01-01", "2019-12-31") == [
        ("gk-cong-doan-cap-tren", "upper_union", 0, 4)
    ]
    in_ls = AwardRecipient.objects.filter(decision__unit__code__startswith="LS")
    assert (in_ls.count(), in_ls.exclude(override_reason="").count()) == (25, 0)
    assert not batch.nominees.exclude(override_reason="").exists()
    assert not batch.nominees.exclude(failures=[]).exists()
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
    # Elsewhere the paper decisions' recipients had no grade in the system: each override says
    # what was checked on paper; every individual was a member for the whole year awarded.
    reasons = AwardRecipient.objects.exclude(override_reason="").values_list(
        "decision__number", "override_reason"
    )
    assert {n: r.split(";")[0].split(",")[0] for n, r in reasons} == {
        "6125/QĐ-TLĐ": "Cờ thi đua của Tổng Liên đoàn xét cho LĐLĐ tỉnh theo kết quả cụm thi đua "
        "của các LĐLĐ tỉnh",
        "1480/QĐ-TTg": "Bằng khen của Tổng Liên đoàn năm 2019 có trong hồ sơ đề nghị (bản giấy)",
        **{
            n: "Xếp loại năm 2020 được cấp trên phê duyệt trên hồ sơ giấy"
            for n in ("112/QĐ-TLĐ", "113/QĐ-TLĐ", "98/QĐ-UBND", "10/QĐ-LĐLĐ", "11/QĐ-LĐLĐ")
        },
    }
    individuals = AwardRecipient.objects.filter(member__isnull=False).values_list(
        "member__joined_on", "decision__year"
    )
    assert len(individuals) == 4 + 4 + 10 + 1 + 2 + 3 + 5
    assert all(joined.year < year for joined, year in individuals)
