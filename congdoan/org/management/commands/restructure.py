"""`manage.py restructure FILE --effective YYYY-MM-DD --decision REF [--dry-run]`.

Applies a plan of moves and merges in one transaction, or changes nothing and lists every
row's problem (row, column, message) with a non-zero exit.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from congdoan.core.errors import ServiceError
from congdoan.core.formatting import parse_date_vi
from congdoan.org import restructure


class Command(BaseCommand):
    help = "Apply a restructuring plan (.xlsx or .csv) in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--effective", required=True, help="effective date, YYYY-MM-DD")
        parser.add_argument("--decision", required=True, help="decision number, e.g. 123/QĐ-LĐLĐ")
        parser.add_argument("--decision-date", help="date the decision was signed, YYYY-MM-DD")
        parser.add_argument("--user", help="record the change as this user (default: system)")
        parser.add_argument("--dry-run", action="store_true", help="check and show; change nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            effective = parse_date_vi(opts["effective"])
            decided = parse_date_vi(opts["decision_date"]) if opts["decision_date"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"No user {opts['user']}.")
        try:
            rows, headers = restructure.parse_plan(path.name, path.read_bytes())
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        result = restructure.run_plan(
            actor=actor,
            rows=rows,
            effective_on=effective,
            decision_ref=opts["decision"],
            decision_date=decided,
            commit=not opts["dry_run"],
            headers=headers,
        )
        for p in result.parents:
            self.stdout.write(
                _("%(code)s\t%(name)s\tsub-units %(cb)s -> %(ca)s\tgrassroots %(gb)s -> %(ga)s")
                % {
                    "code": p.code,
                    "name": p.name,
                    "cb": p.children_before,
                    "ca": p.children_after,
                    "gb": p.grassroots_before,
                    "ga": p.grassroots_after,
                }
            )
        if result.errors:
            for e in result.errors:
                self.stderr.write(
                    _("row %(row)s, column %(column)s: %(message)s")
                    % {"row": e.row, "column": e.column, "message": e.error}
                )
            raise CommandError(
                _("%(count)s errors; nothing was changed.") % {"count": len(result.errors)}
            )
        moves = sum(1 for r in result.rows if r.action == "move")
        merges = len(result.rows) - moves
        message = (
            _("OK: would apply %(moves)s moves and %(merges)s merges (%(decision)s).")
            if opts["dry_run"]
            else _("OK: applied %(moves)s moves and %(merges)s merges (%(decision)s).")
        )
        self.stdout.write(
            message % {"moves": moves, "merges": merges, "decision": opts["decision"]}
        )
