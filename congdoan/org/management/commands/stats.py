"""`manage.py stats --unit CODE [--as-of YYYY-MM-DD] --format json`: a unit's roll-up figures."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import parse_date_vi
from congdoan.org import queries, services
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = "Print a unit's figures (as of a date) as one JSON object."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="the unit's code")
        parser.add_argument("--as-of", help="date of the figures, YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {opts['unit']}.")
        try:
            day = parse_date_vi(opts["as_of"]) if opts["as_of"] else services.today()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out = {"unit": unit.code, "as_of": day.isoformat(), **queries.unit_figures(unit, day)}
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
