"""`manage.py report --unit CODE --period 2020 [--half 1|2] [--from D --to D]
--format docx|pdf|xlsx --out FILE`: a unit's review report (or statistics workbook) for a
year, a half-year or a range, written to FILE (from the locked figures if the period is
locked)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import parse_date_vi
from congdoan.org.models import Unit
from congdoan.reports import build
from congdoan.reports.periods import custom, make


class Command(BaseCommand):
    help = "Write a unit's review report (.docx, .pdf) or statistics workbook (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="the unit's code")
        parser.add_argument("--period", type=int, help="the year, e.g. 2020")
        parser.add_argument("--half", type=int, choices=[1, 2], help="1 or 2: a half-year")
        parser.add_argument("--from", dest="start", help="first day of a range (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="last day of a range (YYYY-MM-DD)")
        parser.add_argument("--format", choices=build.FORMATS, default="docx")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {opts['unit']}.")
        if opts["start"] or opts["end"]:
            if not (opts["start"] and opts["end"]):
                raise CommandError("Give both --from and --to.")
            try:
                start, end = parse_date_vi(opts["start"]), parse_date_vi(opts["end"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if start > end:
                raise CommandError("--from is after --to.")
            period = custom(start, end)
        elif opts["period"]:
            period = make(opts["period"], opts["half"])
        else:
            raise CommandError("Give --period YEAR [--half 1|2], or --from and --to.")
        report = build.produce(unit, period, opts["format"])
        Path(opts["out"]).write_bytes(report.content)
        locked = " (locked figures)" if report.lock else ""
        self.stdout.write(f"{opts['out']}: {len(report.content)} bytes{locked}")
