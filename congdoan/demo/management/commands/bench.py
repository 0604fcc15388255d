"""`manage.py bench`: timings of the hot reads and writes on synthetic federations.

Two parts, each printed with the database vendor:

1. the tree (as before): figures, children, an officer's reach and a move on a tree of
   provinces x uppers x grassroots units with no members;
2. members, at a scale (`--scale small|tenth|full`, or `--members N --units M`): today's and
   past figures, roster pages, a national name search and two pages' server time, each the
   median of several runs after one warm-up, with its target. The federation is built with
   the same code as `manage.py synth`, or reused when the database holds one of the same size
   (so `synth` once, then `bench` several times). Figures also go to
   var/bench-<vendor>-<scale>.json.

`make bench` runs the small scale on fresh SQLite and PostgreSQL databases (a few minutes).
The 1/10 and national scales, on a durable throw-away PostgreSQL:

    PG_DURABLE=1 scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && \
        .venv/bin/python manage.py bench --scale tenth'
    PG_DURABLE=1 scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 && \
        .venv/bin/python manage.py bench --scale full --no-tree'

and on SQLite (1/10):

    DATABASE_URL=sqlite:///$PWD/var/bench-tenth.sqlite3 .venv/bin/python manage.py migrate -v0
    DATABASE_URL=sqlite:///$PWD/var/bench-tenth.sqlite3 .venv/bin/python manage.py bench \
        --scale tenth
"""

import datetime
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from congdoan.core.bulk import refresh_statistics
from congdoan.demo.synthetic import SYN_PREFIX, synth_federation, synth_tree
from congdoan.members import queries as member_queries
from congdoan.members.models import Member, SubtreeTally
from congdoan.org import access, queries, services
from congdoan.org.models import Level, Role, Unit

# (members, units) of each preset: small keeps `make bench` to minutes; tenth and full are the
# 1/10 and national scales of issue 3.
SCALES = {"small": (20_000, 300), "tenth": (1_100_000, 13_000), "full": (11_000_000, 130_000)}
SEARCH = "nguyen thi hoa"


def timed(fn: Callable[[], Any], runs: int = 7) -> float:
    """Median wall time of `fn` in milliseconds (after one warm-up run)."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


@dataclass
class Result:
    label: str
    ms: float
    target_ms: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.ms <= self.target_ms else "MISSED"


class Command(BaseCommand):
    help = (
        "Benchmark the tree and the member register on synthetic federations. --scale small "
        "(default, 20,000 members), tenth (1.1 million members, 13,000 units) or full (11 "
        "million, 130,000); --members 0 for the tree only. For 1/10 scale on PostgreSQL: "
        "PG_DURABLE=1 scripts/with-postgres.sh bash -c '.venv/bin/python manage.py migrate -v0 "
        "&& .venv/bin/python manage.py bench --scale tenth'"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=63)
        parser.add_argument("--uppers", type=int, default=12)
        parser.add_argument("--grassroots", type=int, default=45)
        parser.add_argument("--no-tree", action="store_true", help="skip the tree-only part")
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--members", type=int, default=None, help="members (overrides --scale; 0: no members)"
        )
        parser.add_argument("--units", type=int, default=None, help="units (overrides --scale)")
        parser.add_argument("--runs", type=int, default=7, help="timed runs per measure")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.vendor = connection.vendor
        report: dict[str, Any] = {"vendor": self.vendor, "runs": opts["runs"]}
        if not opts["no_tree"]:
            report["tree"] = [r.__dict__ for r in self.tree(opts)]
        members, units = SCALES[opts["scale"]]
        scale = opts["scale"]
        if opts["members"] is not None or opts["units"] is not None:
            members = opts["members"] if opts["members"] is not None else members
            units = opts["units"] if opts["units"] is not None else max(8, members // 85)
            scale = next(
                (k for k, v in SCALES.items() if v == (members, units)), f"{members}m-{units}u"
            )
        if members <= 0:
            return
        report.update(scale=scale, members=members)
        results, facts = self.members(members, units, scale, opts["runs"])
        report.update(facts)
        report["results"] = [r.__dict__ for r in results]
        out = Path(settings.BASE_DIR) / "var" / f"bench-{self.vendor}-{scale}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        self.stdout.write(f"[{self.vendor}] figures written to {out}")

    # -----------------------------------------------------------------------------------------
    # The tree only (unchanged measures; the tree is reused if an earlier run built it).

    def tree(self, opts: dict[str, Any]) -> list[Result]:
        vendor = self.vendor
        start = time.perf_counter()
        root = Unit.objects.filter(code="S1-ROOT").first()
        if root is None:
            root = synth_tree(
                provinces=opts["provinces"], uppers=opts["uppers"], grassroots=opts["grassroots"]
            )
            refresh_statistics()
        build = time.perf_counter() - start
        units = Unit.objects.filter(path__startswith=root.path).count()
        self.stdout.write(f"[{vendor}] synthetic tree: {units:,} units built in {build:.1f} s")
        province = Unit.objects.filter(parent=root).order_by("pk").first()
        other = Unit.objects.filter(parent=root).order_by("-pk").first()
        assert province is not None and other is not None
        upper = Unit.objects.filter(parent=province).order_by("pk").first()
        assert upper is not None
        today = services.today()
        past = datetime.date(2010, 6, 30)

        officer = get_user_model().objects.create_user(f"bench-{time.time_ns()}", "", "pw")
        Role.objects.create(user=officer, unit=province, kind="officer")

        def move_and_roll_back() -> None:
            with transaction.atomic():
                services.unit_move(
                    actor=None,
                    unit=upper,
                    new_parent=other,
                    effective_on=today,
                    decision_ref="bench",
                )
                transaction.set_rollback(True)

        def officer_scope() -> int:
            access.forget(officer)
            return access.units_visible(officer).filter(level=Level.GRASSROOTS).count()

        measures = [
            ("figures, country, today", lambda: queries.unit_figures(root, today)),
            ("figures, province, today", lambda: queries.unit_figures(province, today)),
            ("figures, district, today", lambda: queries.unit_figures(upper, today)),
            ("figures, country, as of 2010", lambda: queries.unit_figures(root, past)),
            ("figures, province, as of 2010", lambda: queries.unit_figures(province, past)),
            ("children of the root (tree page)", lambda: queries.children_on(root, today)),
            ("children of a district", lambda: queries.children_on(upper, today)),
            ("grassroots in an officer's reach", officer_scope),
            ("move a district to another province", move_and_roll_back),
        ]
        results = []
        for label, fn in measures:
            ms = timed(fn)
            results.append(Result(f"tree: {label}", ms))
            self.stdout.write(f"[{vendor}] {label:<40} {ms:8.1f} ms")
        return results

    # -----------------------------------------------------------------------------------------
    # Members.

    def federation(self, members: int, units: int) -> tuple[Unit, float | None]:
        """A synthetic federation with exactly `members` members: an existing one, or a new one
        (with the next free seed). Returns it and its build time (None if reused)."""
        roots = Unit.objects.filter(
            parent=None, code__startswith=SYN_PREFIX, code__endswith="-ROOT"
        )
        seeds = []
        for root in roots:
            # Only completed builds have the root's tally (written by the recount at the end).
            if not SubtreeTally.objects.filter(unit=root).exists():
                continue
            seeds.append(int(root.code[len(SYN_PREFIX) : -len("-ROOT")]))
            provinces = Unit.objects.filter(parent=root).values("pk")
            if Member.objects.filter(province_id__in=provinces).count() == members:
                self.stdout.write(f"[{self.vendor}] reusing synthetic federation {root.code}")
                return root, None
        seed = max(seeds, default=0) + 1
        self.stdout.write(
            f"[{self.vendor}] building a federation of {members:,} members, ~{units:,} units"
        )
        start = time.perf_counter()
        root = synth_federation(
            members=members,
            units=units,
            seed=seed,
            progress=lambda line: self.stdout.write(f"[{self.vendor}]   {line}"),
        )
        return root, time.perf_counter() - start

    def members(
        self, members: int, units: int, scale: str, runs: int
    ) -> tuple[list[Result], dict[str, Any]]:
        vendor = self.vendor
        root, build = self.federation(members, units)
        today = services.today()
        past = datetime.date(today.year - 3, 12, 31)

        def biggest(parent: Unit, level: str) -> Unit:
            # The biggest unit of a level below `parent` (by today's members): the hard case.
            row = (
                SubtreeTally.objects.filter(
                    unit__level=level,
                    unit__path__startswith=parent.path,
                )
                .order_by("-members")
                .select_related("unit")
                .first()
            )
            assert row is not None, f"no {level} unit with members"
            return row.unit

        province = biggest(root, Level.PROVINCE)
        upper = biggest(province, Level.UPPER)
        grassroots = biggest(upper, Level.GRASSROOTS)
        sizes = {
            u.code: SubtreeTally.objects.get(unit=u).members
            for u in (root, province, upper, grassroots)
        }
        unit_count = Unit.objects.filter(path__startswith=root.path).count()
        facts: dict[str, Any] = {
            "units": unit_count,
            "build_s": round(build, 1) if build is not None else None,
            "active_members": sizes,
            "past_date": past.isoformat(),
        }
        self.stdout.write(
            f"[{vendor}] federation {root.code}: {members:,} members, {unit_count:,} units; "
            f"province {province.code} ({sizes[province.code]:,} active), upper {upper.code} "
            f"({sizes[upper.code]:,}), grassroots {grassroots.code} ({sizes[grassroots.code]:,})"
        )

        # Roster of the province: follow the cursors to page 200 untimed, then time that page.
        qs = member_queries.roster(province, member_queries.RosterFilter(), today)
        cursor: str | None = None
        page = 1
        while page < 200:
            _rows, following = member_queries.page_after(qs, cursor)
            if following is None:
                break
            cursor, page = following, page + 1
        deep_cursor = cursor

        def search() -> list[Member]:
            return list(member_queries.search(Member.objects.all(), SEARCH)[:50])

        user = get_user_model().objects.create_superuser(f"bench-su-{time.time_ns()}", "", "pw")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)

        def get(url: str) -> Callable[[], None]:
            def fetch() -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise CommandError(f"GET {url} answered {response.status_code}")

            return fetch

        measures: list[tuple[str, Callable[[], Any], float, int]] = [
            ("figures today, country", lambda: queries.unit_figures(root, today), 50, runs),
            ("figures today, province", lambda: queries.unit_figures(province, today), 50, runs),
            ("figures today, upper unit", lambda: queries.unit_figures(upper, today), 50, runs),
            (
                "figures today, grassroots",
                lambda: queries.unit_figures(grassroots, today),
                50,
                runs,
            ),
            (f"figures {past}, province", lambda: queries.unit_figures(province, past), 1000, runs),
            (
                f"figures {past}, country",
                lambda: queries.unit_figures(root, past),
                10_000,
                min(runs, 3),
            ),
            ("roster, province, page 1", lambda: member_queries.page_after(qs, None), 100, runs),
            (
                f"roster, province, page {page}",
                lambda: member_queries.page_after(qs, deep_cursor),
                100,
                runs,
            ),
            (f"name search '{SEARCH}', country", search, 100, runs),
            ("page /units/<province>/members/", get(f"/units/{province.pk}/members/"), 150, runs),
            ("page /units/<province>/", get(f"/units/{province.pk}/"), 150, runs),
        ]
        results = []
        for label, fn, target, n in measures:
            results.append(Result(label, timed(fn, n), target))
        found = len(search())
        facts["search_rows"] = found

        head = f"[{vendor}, {scale}: {members:,} members, {unit_count:,} units]"
        self.stdout.write(head)
        self.stdout.write(f"{'measure':<44} {'median ms':>10} {'target':>8}")
        for r in results:
            shown = f"{r.target_ms:,.0f}" if r.target_ms is not None else ""
            self.stdout.write(f"{r.label:<44} {r.ms:10.1f} {shown:>8}  {r.verdict}")
        self.stdout.write(f"(the search found {found} rows; page {page} is the deepest timed)")
        return results, facts
