"""`manage.py bench_report [--scale small|tenth] [--members N --units M] [--runs 3]`: time the
year report of the largest province of a synthetic federation (1/10 national scale by
default, built like `manage.py synth`, or reused if the database holds one of that size), as
.docx (target < 5 s) and PDF (target < 15 s); also the statistics workbook. The first run is
cold (nothing cached); the median of the next runs is printed too. Writes
var/bench-report-<database>-<scale>.json."""

import datetime
import json
import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from congdoan.demo.management.commands.bench import SCALES
from congdoan.demo.synthetic import SYN_PREFIX, synth_federation
from congdoan.members.models import Member, SubtreeTally
from congdoan.members.services import today
from congdoan.org.models import Level, Unit
from congdoan.reports import build
from congdoan.reports.periods import make

TARGETS_S = {"docx": 5.0, "pdf": 15.0, "xlsx": None}


class Command(BaseCommand):
    help = "Time a province's year report (docx, pdf, xlsx) on a synthetic federation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="tenth")
        parser.add_argument("--members", type=int)
        parser.add_argument("--units", type=int)
        parser.add_argument("--runs", type=int, default=3, help="timed runs after the cold one")

    def federation(self, members: int, units: int) -> Unit:
        roots = Unit.objects.filter(
            parent=None, code__startswith=SYN_PREFIX, code__endswith="-ROOT"
        )
        seeds = []
        for root in roots:
            if not SubtreeTally.objects.filter(unit=root).exists():
                continue
            seeds.append(int(root.code[len(SYN_PREFIX) : -len("-ROOT")]))
            provinces = Unit.objects.filter(parent=root).values("pk")
            if Member.objects.filter(province_id__in=provinces).count() == members:
                self.stdout.write(f"reusing synthetic federation {root.code}")
                return root
        self.stdout.write(f"building a federation of {members:,} members, ~{units:,} units")
        return synth_federation(
            members=members,
            units=units,
            seed=max(seeds, default=0) + 1,
            progress=lambda line: self.stdout.write(f"  {line}"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        vendor = connection.vendor
        members, units = SCALES[opts["scale"]]
        scale = opts["scale"]
        if opts["members"]:
            members, units = opts["members"], opts["units"] or max(8, opts["members"] // 85)
            scale = f"{members}m-{units}u"
        root = self.federation(members, units)
        province = (
            SubtreeTally.objects.filter(
                unit__level=Level.PROVINCE, unit__path__startswith=root.path
            )
            .order_by("-members")
            .select_related("unit")
            .first()
        )
        assert province is not None
        unit = province.unit
        period = make(today().year - 1)
        self.stdout.write(
            f"[{vendor}] province {unit.code} ({province.members:,} members), year {period.year}"
        )
        results: list[dict[str, Any]] = []
        for fmt in ("docx", "pdf", "xlsx"):
            samples = []
            size = 0
            for _ in range(1 + opts["runs"]):
                start = time.perf_counter()
                size = len(build.produce(unit, period, fmt).content)
                samples.append(time.perf_counter() - start)
            cold, warm = samples[0], statistics.median(samples[1:]) if samples[1:] else samples[0]
            target = TARGETS_S[fmt]
            verdict = "" if target is None else ("ok" if cold <= target else "MISSED")
            results.append(
                {
                    "format": fmt,
                    "cold_s": round(cold, 2),
                    "warm_s": round(warm, 2),
                    "target_s": target,
                    "bytes": size,
                    "verdict": verdict,
                }
            )
            self.stdout.write(
                f"[{vendor}] report {fmt}: cold {cold:.2f} s, warm {warm:.2f} s"
                + (f" (target < {target:.0f} s: {verdict})" if target else "")
            )
        out = Path(settings.BASE_DIR) / "var" / f"bench-report-{vendor}-{scale}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(
            json.dumps(
                {
                    "vendor": vendor,
                    "scale": scale,
                    "members": members,
                    "unit": unit.code,
                    "year": period.year,
                    "at": datetime.datetime.now().isoformat(timespec="seconds"),
                    "results": results,
                },
                indent=2,
            )
        )
        self.stdout.write(f"[{vendor}] figures written to {out}")
