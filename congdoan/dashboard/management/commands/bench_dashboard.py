"""`manage.py bench_dashboard`: the server time of the home page (the dashboard) of a province
officer at 1/10 national scale (issue 7: under 300 ms).

A synthetic federation (`--scale tenth`: 1.1 million members with ten years of history, about
13,000 units, built with the same code as `manage.py synth`, or reused when the database holds
one of that size), one care programme per province with `--supports` paid support cases this
year (350,000 by default: a tenth of the national bench_care), then the page of the largest
province for an officer of it: this year's page and a past year's, warm (each the median of
`--runs` requests after one that fills the caches), the first request after a write made the
cached figures stale, and the API. Figures also go to var/bench-dashboard-<vendor>.json.

    DATABASE_URL=sqlite:///$PWD/var/bench-tenth.sqlite3 .venv/bin/python manage.py migrate -v0
    DATABASE_URL=sqlite:///$PWD/var/bench-tenth.sqlite3 .venv/bin/python manage.py \
        bench_dashboard
    PG_DURABLE=1 scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && \
        .venv/bin/python manage.py bench_dashboard'
"""

import datetime
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from congdoan.care.models import Programme, ProgrammeKind, Support, SupportStatus
from congdoan.core.bulk import RowWriter, db_value, refresh_statistics
from congdoan.core.tokens import api_token_create
from congdoan.demo.synthetic import SYN_PREFIX, synth_federation
from congdoan.members.models import Member, SubtreeTally
from congdoan.members.services import today
from congdoan.org import figures_cache
from congdoan.org.models import Level, Role, RoleKind, Unit

SCALES = {"small": (20_000, 300), "tenth": (1_100_000, 13_000)}
TARGET_MS = 300
SUPPORT_FIELDS = [
    "programme", "unit", "person_name", "name_key", "sort_key", "person_cccd", "person_unit",
    "employer_name", "person_key", "person_no", "date", "cash_vnd", "in_kind_vnd", "voucher_vnd",
    "reference", "note", "status", "reason", "proposed_at", "is_demo",
]  # fmt: skip
CHUNK = 50_000


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    """Median wall time of `fn` in milliseconds, after one warm-up run."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def once_ms(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class Command(BaseCommand):
    help = "Time the dashboard of a province officer on a synthetic federation (1/10 scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="tenth")
        parser.add_argument("--supports", type=int, default=None,
                            help="paid support cases this year (default: members / 3)")  # fmt: skip
        parser.add_argument("--runs", type=int, default=7, help="timed requests per measure")

    def say(self, line: str) -> None:
        self.stdout.write(f"[{self.vendor}] {line}")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.vendor = connection.vendor
        members, units = SCALES[opts["scale"]]
        supports = opts["supports"] if opts["supports"] is not None else members // 3
        root = self.federation(members, units)
        provinces = list(Unit.objects.filter(parent=root).order_by("pk"))
        self.care(root, provinces, supports)
        row = (
            SubtreeTally.objects.filter(unit__in=provinces)
            .order_by("-members")
            .select_related("unit")
            .first()
        )
        if row is None:
            raise CommandError("the federation has no province with members")
        province = row.unit
        officer = get_user_model().objects.create_user(f"bench-dash-{time.time_ns()}", "", "pw")
        Role.objects.create(user=officer, unit=province, kind=RoleKind.OFFICER)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(officer)
        _token, key = api_token_create(actor=officer, name="bench")
        api = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {key}"})
        past = today().year - 2

        def get(c: Client, url: str) -> Callable[[], None]:
            def fetch() -> None:
                response = c.get(url)
                if response.status_code != 200:
                    raise CommandError(f"GET {url} answered {response.status_code}")

            return fetch

        page = get(client, "/")
        results: list[tuple[str, float, int | None]] = []

        def stale() -> None:
            # What a write in the province does to the cached figures.
            figures_cache.bump("members", [province.pk])
            figures_cache.bump("care", [province.pk])

        stale()
        results.append(("page /, first request after a write", once_ms(page), None))
        results.append(("page / (this year), warm", median_ms(page, opts["runs"]), TARGET_MS))
        past_page = get(client, f"/?year={past}")
        stale()
        results.append((f"page /?year={past}, first after a write", once_ms(past_page), None))
        results.append((f"page /?year={past}, warm", median_ms(past_page, opts["runs"]),
                        TARGET_MS))  # fmt: skip
        results.append(("GET /api/v1/dashboard/, warm",
                        median_ms(get(api, f"/api/v1/dashboard/?unit={province.code}"),
                                  opts["runs"]), TARGET_MS))  # fmt: skip
        size = row.members
        self.say(f"province {province.code}: {size:,} members; {supports:,} support cases in all")
        self.say(f"{'measure':<44} {'ms':>9} {'target':>7}")
        for label, ms, target in results:
            verdict = "" if target is None else ("ok" if ms <= target else "MISSED")
            shown = "" if target is None else f"{target}"
            self.say(f"{label:<44} {ms:9.1f} {shown:>7}  {verdict}")
        out = Path(settings.BASE_DIR) / "var" / f"bench-dashboard-{self.vendor}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({
            "vendor": self.vendor, "scale": opts["scale"], "province": province.code,
            "province_members": size, "supports": supports, "runs": opts["runs"],
            "results": [{"label": lb, "ms": round(ms, 1), "target_ms": t}
                        for lb, ms, t in results],
        }, indent=2))  # fmt: skip
        self.say(f"figures written to {out}")

    def federation(self, members: int, units: int) -> Unit:
        """A complete synthetic federation of `members` members: reused, or built."""
        seeds = []
        for root in Unit.objects.filter(parent=None, code__startswith=SYN_PREFIX,
                                         code__endswith="-ROOT"):  # fmt: skip
            if not SubtreeTally.objects.filter(unit=root).exists():  # an unfinished build
                continue
            seeds.append(int(root.code[len(SYN_PREFIX) : -len("-ROOT")]))
            provinces = Unit.objects.filter(parent=root).values("pk")
            if Member.objects.filter(province_id__in=provinces).count() == members:
                self.say(f"reusing synthetic federation {root.code}")
                return root
        seed = max(seeds, default=0) + 1
        self.say(f"building a federation of {members:,} members, ~{units:,} units")
        return synth_federation(members=members, units=units, seed=seed,
                                progress=lambda line: self.say(f"  {line}"))  # fmt: skip

    def care(self, root: Unit, provinces: list[Unit], supports: int) -> None:
        """One programme per province this year with paid support cases given by its
        grassroots unions (written once; kept when the federation is reused)."""
        year = today().year
        name = f"Bench Tết Sum vầy {year}"
        if Programme.objects.filter(unit__in=provinces, name=name).exists():
            return
        programmes = {
            p.path: Programme.objects.create(
                unit=p, name=name, kind=ProgrammeKind.TET, start=datetime.date(year, 1, 1),
                end=datetime.date(year, 12, 31), repeat_allowed=True,
            ).pk
            for p in provinces
        }  # fmt: skip
        grassroots = list(
            Unit.objects.filter(path__startswith=root.path, level=Level.GRASSROOTS)
            .order_by("path")
            .values_list("pk", "path")
        )
        step = len(root.path)
        rng = random.Random(year)
        writer = RowWriter(Support, SUPPORT_FIELDS)
        now = db_value(Support, "proposed_at", timezone.now())
        days = (min(today(), datetime.date(year, 12, 31)) - datetime.date(year, 1, 1)).days + 1
        start = time.perf_counter()
        left = supports
        with transaction.atomic():
            while left > 0:
                rows = []
                for _ in range(min(CHUNK, left)):
                    unit, path = grassroots[int(rng.random() ** 1.6 * len(grassroots))]
                    number = rng.randrange(supports)
                    day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))
                    rows.append((
                        programmes[path[: 2 * step]], unit, "Nguyễn Văn An", "nguyen van an",
                        "A", "", unit, "", f"c:{number:012d}", number, day,
                        rng.choice((300_000, 500_000, 1_000_000)), 0, 0, "", "",
                        SupportStatus.PAID.value, "", now, True,
                    ))  # fmt: skip
                writer.write(rows)
                left -= len(rows)
            figures_cache.bump("care")  # written in bulk, without the services' audit
        refresh_statistics()
        self.say(f"{supports:,} support cases written in {time.perf_counter() - start:.1f} s")
