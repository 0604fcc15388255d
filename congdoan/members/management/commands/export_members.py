"""`manage.py export_members --unit CODE --out FILE [--as-of DATE]`: a subtree's roster in the
importer's columns (.xlsx or .csv by the file's ending)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import parse_date_vi
from congdoan.members import queries, roster_io, services
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = "Export the roster of a unit's subtree (active members; as of a date if given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv")
        parser.add_argument("--as-of", help="members on this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit with code {opts['unit']}.")
        out = Path(opts["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("The output file must end in .xlsx or .csv.")
        try:
            as_of = parse_date_vi(opts["as_of"]) if opts["as_of"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        f = queries.RosterFilter(as_of=as_of)
        members = queries.roster(unit, f, services.today())
        with out.open("wb") as handle:
            count = roster_io.write_roster(members, fmt, handle)
        # Personal data left the system: logged like an export from the page (no user).
        services.roster_exported(actor=None, unit=unit, count=count, fmt=fmt, status=f.status,
                                 as_of=as_of)  # fmt: skip
        self.stdout.write(f"Wrote {count} members to {out}.")
