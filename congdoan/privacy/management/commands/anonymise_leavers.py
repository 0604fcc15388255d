"""`manage.py anonymise_leavers [--dry-run] [--as-of YYYY-MM-DD]`: anonymise everyone who left
the union more than CONGDOAN_RETENTION_YEARS (default 5) years before the date, and print how
many."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import parse_date_vi
from congdoan.members.services import today
from congdoan.privacy import services


class Command(BaseCommand):
    help = "Anonymise the personal data of people who left the union before the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="the date to count the retention period back from")
        parser.add_argument(
            "--dry-run", action="store_true", help="count the people without changing anything"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            day = parse_date_vi(opts["as_of"]) if opts["as_of"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        count = services.anonymise_leavers(as_of=day, dry_run=opts["dry_run"])
        cutoff = services.cutoff(day or today())
        if opts["dry_run"]:
            self.stdout.write(f"{count} people would be anonymised (left on or before {cutoff}).")
        else:
            self.stdout.write(f"{count} people anonymised (left on or before {cutoff}).")
