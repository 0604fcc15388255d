"""Seed 003 in the demo: LĐLĐ tỉnh Quảng Bình's "1 triệu sáng kiến" programme, 5.265 initiatives
against a target of 4.000 by 28/12/2022 ("vượt 31% chỉ tiêu"), from recorded initiatives."""

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from congdoan.emulation.wording import target_phrase


def stats(code: str, start: str, end: str) -> Any:
    out = io.StringIO()
    call_command("stats", "--unit", code, "--from", start, "--as-of", end, "--format", "json",
                 stdout=out)  # fmt: skip
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_quang_binh_initiatives_against_target(demo: Any) -> None:
    qb = stats("QB", "2021-09-01", "2022-12-28")["initiatives"]
    assert (qb["submitted"], qb["target"]) == (5_265, 4_000)
    assert qb["target_pct"] == 131
    assert target_phrase(qb["submitted"], qb["target"]) == "exceeded by 31%"
    with translation.override("vi"):
        vietnamese = target_phrase(qb["submitted"], qb["target"])
    assert vietnamese == "vượt 31%"


@pytest.mark.django_db
def test_the_demo_initiatives_are_ones_the_services_accept(demo: Any) -> None:
    from congdoan.demo.initiatives import record_initiatives
    from congdoan.initiatives.models import Initiative, InitiativeAuthor, ProgrammeTarget
    from congdoan.members.models import MemberStatus
    from congdoan.org.models import Unit

    record_initiatives()  # a second time: records nothing more
    qb = Unit.objects.get(code="QB")
    rows = Initiative.objects.filter(is_demo=True)
    assert rows.count() == 5_265
    assert not rows.exclude(unit__path__startswith=qb.path).exists()
    assert not rows.exclude(unit__level="grassroots").exists()
    # a realistic share recognised; decisions after submission and by 28/12/2022
    recognised = rows.filter(status="recognised").count()
    assert 0.5 < recognised / 5_265 < 0.8
    figures = stats("QB", "2021-09-01", "2022-12-28")["initiatives"]
    assert figures["recognised"] == recognised
    for row in rows.exclude(status="submitted").values("submitted_on", "decided_on"):
        assert row["submitted_on"] <= row["decided_on"] <= datetime.date(2022, 12, 28)
    # every initiative has authors, active members of its own union, whose shares make 100
    bad = 0
    shares: dict[int, int] = {}
    for a in InitiativeAuthor.objects.filter(initiative__is_demo=True).values(
        "initiative_id", "initiative__unit_id", "member__unit_id", "member__status", "share_pct"
    ):
        bad += a["member__unit_id"] != a["initiative__unit_id"]
        bad += a["member__status"] != MemberStatus.ACTIVE
        shares[a["initiative_id"]] = shares.get(a["initiative_id"], 0) + a["share_pct"]
    assert bad == 0
    assert len(shares) == 5_265 and set(shares.values()) == {100}
    # the province's target is split among its direct sub-units
    targets = dict(ProgrammeTarget.objects.values_list("unit__code", "target"))
    assert targets == {"QB": 4_000, "QB-DH": 1_000, "QB-BT": 800, "QB-QT": 800, "QB-LT": 800,
                       "QB-GD": 600}  # fmt: skip
    # a district's figure is its own subtree's
    dh = stats("QB-DH", "2021-09-01", "2022-12-28")["initiatives"]
    assert dh["target"] == 1_000 and 0 < dh["submitted"] < 5_265
