"""`manage.py stats --unit CODE [--as-of YYYY-MM-DD] [--from YYYY-MM-DD] --format json`: a
unit's roll-up figures on a date, and the sections higher layers add for the period from
`--from` (default 1 January of the as-of year) to the as-of date (`care`, ...)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import parse_date_vi
from congdoan.org import hooks, queries, services
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = "Print a unit's figures (as of a date, and for a period) as one JSON object."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="the unit's code")
        parser.add_argument("--as-of", help="date of the figures, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--from",
            dest="start",
            help="first day of the period, YYYY-MM-DD (default: 1 January of the as-of year)",
        )
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {opts['unit']}.")
        try:
            day = parse_date_vi(opts["as_of"]) if opts["as_of"] else services.today()
            start = parse_date_vi(opts["start"]) if opts["start"] else day.replace(month=1, day=1)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if start > day:
            raise CommandError(
                f"--from {start.isoformat()} is after the as-of date {day.isoformat()}."
            )
        out = {"unit": unit.code, "as_of": day.isoformat(), **queries.unit_figures(unit, day)}
        for name, section in hooks.stats_sections.items():
            out[name] = section(unit, start, day)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
