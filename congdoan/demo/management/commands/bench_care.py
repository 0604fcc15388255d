"""`manage.py bench_care`: the care figures of a year at national scale.

A synthetic tree (63 provinces × 12 upper units × 45 grassroots unions by default, as in
`bench`), one programme per province, and `--supports` paid support cases in one year (3.5
million by default: about a third of 11 million members supported in a year, as Quảng Bình's
33,778 of its members and workers in 2022), each given by a grassroots union to one of 3
million people, written with COPY. Then the year's care figures (`care_figures`, what the care
page, `stats` and the API print) for the country, the largest province, an upper unit and a
grassroots union, each the median of `--runs` runs after a warm-up; figures also go to
var/bench-care-<vendor>.json.

    PG_DURABLE=1 scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && \
        .venv/bin/python manage.py bench_care'
"""

import datetime
import json
import random
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from congdoan.care.figures import care_figures, care_figures_cached
from congdoan.care.models import Programme, ProgrammeKind, Support, SupportStatus
from congdoan.core.bulk import RowWriter, db_value, refresh_statistics
from congdoan.demo.synthetic import synth_tree
from congdoan.org import figures_cache
from congdoan.org.models import Level, Unit

from .bench import timed

FIELDS = [
    "programme", "unit", "person_name", "name_key", "sort_key", "person_cccd", "person_unit",
    "employer_name", "person_key", "person_no", "date", "cash_vnd", "in_kind_vnd", "voucher_vnd",
    "reference", "note", "status", "reason", "proposed_at", "is_demo",
]  # fmt: skip
YEAR = 2024
CHUNK = 50_000


class Command(BaseCommand):
    help = "Time the care figures of a year on a national-size set of support cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--supports", type=int, default=3_500_000)
        parser.add_argument("--people", type=int, default=3_000_000)
        parser.add_argument("--provinces", type=int, default=63)
        parser.add_argument("--uppers", type=int, default=12)
        parser.add_argument("--grassroots", type=int, default=45)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args: Any, **opts: Any) -> None:
        vendor = connection.vendor
        start = time.perf_counter()
        seed = 900 + Unit.objects.filter(parent=None, code__startswith="S9").count()
        root = synth_tree(provinces=opts["provinces"], uppers=opts["uppers"],
                          grassroots=opts["grassroots"], seed=seed)  # fmt: skip
        provinces = list(Unit.objects.filter(parent=root).order_by("pk"))
        grassroots = list(
            Unit.objects.filter(path__startswith=root.path, level=Level.GRASSROOTS)
            .order_by("path")
            .values_list("pk", "path")
        )
        programmes = {
            p.path: Programme.objects.create(
                unit=p, name=f"Tết Sum vầy {YEAR}", kind=ProgrammeKind.TET,
                start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31),
                repeat_allowed=True,
            ).pk
            for p in provinces
        }  # fmt: skip
        self.stdout.write(
            f"[{vendor}] tree of {Unit.objects.filter(path__startswith=root.path).count():,} "
            f"units in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        rng = random.Random(seed)
        writer = RowWriter(Support, FIELDS)
        now = db_value(Support, "proposed_at", timezone.now())
        province_of = {g: path[: 2 * len(root.path)] for g, path in grassroots}
        left = opts["supports"]
        with transaction.atomic():
            while left > 0:
                rows = []
                for _ in range(min(CHUNK, left)):
                    unit, _path = grassroots[int(rng.random() ** 1.6 * len(grassroots))]
                    number = rng.randrange(opts["people"])
                    key = f"c:{number:012d}"
                    day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(366))
                    rows.append((
                        programmes[province_of[unit]], unit, "Nguyễn Văn An", "nguyen van an",
                        "A", "", unit, "", key, number, day,
                        rng.choice((300_000, 500_000, 1_000_000)), 0, 0, "", "",
                        SupportStatus.PAID.value, "", now, True,
                    ))  # fmt: skip
                writer.write(rows)
                left -= len(rows)
        refresh_statistics()
        count = Support.objects.filter(unit__path__startswith=root.path).count()
        self.stdout.write(
            f"[{vendor}] {count:,} support cases written in {time.perf_counter() - start:.1f} s"
        )
        biggest = max(
            provinces,
            key=lambda p: Support.objects.filter(unit__path__startswith=p.path).count(),
        )
        upper = Unit.objects.filter(parent=biggest).order_by("pk").first()
        grassroots_unit = Unit.objects.filter(parent=upper).order_by("pk").first()
        assert upper is not None and grassroots_unit is not None
        start_day, end_day = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
        results = []
        levels = [("country", root), ("largest province", biggest), ("upper unit", upper),
                  ("grassroots union", grassroots_unit)]  # fmt: skip
        for label, target in levels:

            def figures_of(u: Unit = target) -> dict[str, Any]:
                return care_figures(u, start_day, end_day)

            ms = timed(figures_of, runs=opts["runs"])
            figures = care_figures(target, start_day, end_day)

            # What a page, `stats` and the API read: the same figures, kept until a care
            # write in the province. The first read after a write counts them again.
            def cached_of(u: Unit = target) -> dict[str, Any]:
                return care_figures_cached(u, start_day, end_day)

            figures_cache.bump("care")
            cached_of()
            cached_ms = timed(cached_of, runs=opts["runs"])
            assert cached_of() == figures
            results.append({"label": label, "ms": round(ms, 1), "cached_ms": round(cached_ms, 2),
                            "support_acts": figures["support_acts"],
                            "people_supported": figures["people_supported"]})  # fmt: skip
            self.stdout.write(
                f"[{vendor}] care figures of a year, {label:<17} {ms:9.1f} ms, cached "
                f"{cached_ms:6.2f} ms  "
                f"({figures['support_acts']:,} acts, {figures['people_supported']:,} people)"
            )
        out = Path(settings.BASE_DIR) / "var" / f"bench-care-{vendor}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"vendor": vendor, "supports": count, "results": results},
                                  indent=2))  # fmt: skip
        self.stdout.write(f"[{vendor}] figures written to {out}")
