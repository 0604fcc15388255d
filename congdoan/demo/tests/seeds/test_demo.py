"""`manage.py demo`: the demo federation reproduces the figures of the seeds' conference
reports (../shared/docs/SEED-FIGURES.md) from recorded data, and loading it twice changes
nothing."""

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from congdoan.care.funds import balance
from congdoan.care.models import Fund
from congdoan.core.formatting import money_words_vi


def run(*args: str) -> Any:
    out = io.StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def care(code: str, start: str, end: str) -> Any:
    return run("stats", "--unit", code, "--from", start, "--as-of", end)["care"]


@pytest.mark.django_db
def test_demo_reproduces_the_seeds_and_is_idempotent() -> None:
    from congdoan.org.models import Unit, UnitVersion

    # Loaded once for the package (conftest.py); a second load changes nothing.
    counts = (Unit.objects.count(), UnitVersion.objects.count())
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Unit.objects.count(), UnitVersion.objects.count()) == counts
    seed_001 = run("stats", "--unit", "LS-MS", "--as-of", "2020-12-31")
    assert seed_001["grassroots_units"] == 124  # type: ignore[index]
    assert seed_001["child_units"] == 124  # type: ignore[index]
    # Dissolved in the 2025 reorganisation; its unions now sit under three commune unions.
    assert run("stats", "--unit", "LS-MS")["grassroots_units"] == 0  # type: ignore[index]
    communes = [run("stats", "--unit", c)["grassroots_units"] for c in ("LS-X1", "LS-X2", "LS-X3")]  # type: ignore[index]
    assert sum(communes) == 127
    # The provinces of the seeds, and the public servants' union of seed 004.
    assert set(Unit.objects.filter(level="province").values_list("code", flat=True)) == {
        "TB",
        "LS",
        "NT",
        "QB",
        "HB",
    }
    assert Unit.objects.get(code="HB-VC").kind == "public_servants"
    assert Unit.objects.filter(parent__code="NT", level="grassroots").count() == 60
    # Care and welfare (SEED-FIGURES.md), from the recorded cases, not typed-in totals.
    tb = care("TB", "2020-01-01", "2020-12-31")  # seed 000: Covid-19 support in 2020
    assert tb["grassroots_units_supported"] == 16
    assert tb["cash_vnd"] == 1_023_000_000 and money_words_vi(tb["cash_vnd"]) == "trên 1 tỷ đồng"
    assert tb["in_kind_items"] == 17_391  # "hàng chục nghìn nhu yếu phẩm"
    ms = care("LS-MS", "2020-01-01", "2020-12-31")  # seed 001
    assert ms["houses_proposed"] == 3
    assert ms["donations_vnd"] == 1_612_500_000
    assert money_words_vi(ms["donations_vnd"]) == "trên 1,6 tỷ đồng"
    qb = care("QB", "2022-01-01", "2022-12-31")  # seed 003
    assert qb["people_supported"] == 33_778
    assert 22_500_000_000 <= qb["support_vnd"] < 23_000_000_000
    assert money_words_vi(qb["support_vnd"]) == "gần 23 tỷ đồng"
    assert (qb["houses"], qb["loans_granted"]) == (38, 250)
    vc = care("HB-VC", "2022-01-01", "2022-06-30")  # seed 004: the first half of 2022
    acts = {p["name"]: p["acts"] for p in vc["by_programme"]}
    gifts = acts["Tặng quà đoàn viên có hoàn cảnh khó khăn năm 2022"]
    visits = acts["Thăm hỏi đoàn viên, người lao động bị ảnh hưởng bởi dịch Covid-19"]
    assert gifts >= 100 and 850 <= visits < 900, acts  # "hàng trăm suất quà", "gần 900 người"
    assert (vc["houses"], vc["houses_vnd"]) == (1, 70_000_000)
    # Every fund's balance is the sum of its ledger, and none is below zero.
    for fund in Fund.objects.all():
        assert balance(fund) == sum(fund.entries.values_list("amount_vnd", flat=True)) >= 0
