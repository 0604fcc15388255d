"""Compute and keep the dashboard figures of the top units, so that the first officer to open
a dashboard does not wait for them to be counted.

Figures are kept (org.figures_cache) until a write touches them, and some depend on the day
(what is overdue today), so run this after loading data and each night after midnight
(deploy/congdoan-warm.timer). It writes nothing but the figures cache."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.dashboard.figures import dashboard_figures
from congdoan.org.models import Level, Unit

DEFAULT_LEVELS = "central,province"


class Command(BaseCommand):
    help = "Compute the dashboard figures of the units at the given levels and keep them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--levels", default=DEFAULT_LEVELS,
            help="comma-separated levels: central, province, upper, grassroots "
                 f"(default {DEFAULT_LEVELS})",
        )  # fmt: skip
        parser.add_argument("--year", type=int, default=None, help="a past year (default: now)")

    def handle(self, *args: Any, **opts: Any) -> None:
        levels = [x.strip() for x in opts["levels"].split(",") if x.strip()]
        unknown = sorted(set(levels) - set(Level.values))
        if unknown or not levels:
            raise CommandError(f"Unknown level(s): {', '.join(unknown) or '(none)'}; "
                               f"choose from {', '.join(Level.values)}.")  # fmt: skip
        units = Unit.objects.filter(level__in=levels, dissolved_on__isnull=True).order_by("path")
        started = time.monotonic()
        count = 0
        for unit in units.iterator(chunk_size=200):
            dashboard_figures(unit, opts["year"])
            count += 1
        self.stdout.write(
            f"Figures of {count} units computed and kept in {time.monotonic() - started:.1f} s."
        )
