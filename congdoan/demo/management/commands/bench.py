"""`manage.py bench`: timings of the tree's hot reads and writes on a synthetic federation.

Run through `make bench`, which gives it a fresh database (SQLite, then PostgreSQL).
"""

import datetime
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from congdoan.demo.synthetic import synth_tree
from congdoan.org import access, queries, services
from congdoan.org.models import Level, Role, Unit


def timed(fn: Callable[[], Any], runs: int = 7) -> float:
    """Median wall time of `fn` in milliseconds (after one warm-up run)."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


class Command(BaseCommand):
    help = "Benchmark tree queries on a synthetic federation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=int, default=63)
        parser.add_argument("--uppers", type=int, default=12)
        parser.add_argument("--grassroots", type=int, default=45)

    def handle(self, *args: Any, **opts: Any) -> None:
        vendor = connection.vendor
        start = time.perf_counter()
        root = synth_tree(
            provinces=opts["provinces"], uppers=opts["uppers"], grassroots=opts["grassroots"]
        )
        build = time.perf_counter() - start
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        units = Unit.objects.count()
        self.stdout.write(f"[{vendor}] synthetic tree: {units:,} units built in {build:.1f} s")
        province = Unit.objects.filter(parent=root).order_by("pk").first()
        other = Unit.objects.filter(parent=root).order_by("-pk").first()
        assert province is not None and other is not None
        upper = Unit.objects.filter(parent=province).order_by("pk").first()
        assert upper is not None
        today = services.today()
        past = datetime.date(2010, 6, 30)

        from django.contrib.auth import get_user_model

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

        results = [
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
        for label, fn in results:
            self.stdout.write(f"[{vendor}] {label:<40} {timed(fn):8.1f} ms")
