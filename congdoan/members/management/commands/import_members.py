"""`manage.py import_members FILE --unit CODE [--dry-run]`: import a roster (.xlsx or .csv)
into a unit's subtree, all or nothing."""

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from congdoan.core.errors import ServiceError
from congdoan.members import roster_io
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = "Import a roster into a unit's subtree; on any error print them all and write nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="code of the unit (or grassroots union)")
        parser.add_argument("--user", help="import as this user (default: the system)")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with code %(code)s.") % {"code": opts["unit"]})
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(_("No user %(name)s.") % {"name": opts["user"]})
        content = path.read_bytes()
        try:
            plan = roster_io.plan_import(user=user, name=path.name, content=content, root=unit)
            problems = plan.problems
            counts = None
            if plan.ok and not opts["dry_run"]:
                counts = roster_io.apply_import(
                    user=user,
                    plan=plan,
                    file_name=path.name,
                    file_hash=hashlib.sha256(content).hexdigest(),
                )
        except roster_io.ImportFailed as exc:
            problems = exc.problems
        except ServiceError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if problems:
            for p in problems:
                self.stderr.write(
                    _("row %(row)s, column %(column)s: %(message)s")
                    % {"row": p.row, "column": p.column, "message": p.message}
                )
            raise CommandError(
                _("%(count)s errors; nothing was written.") % {"count": len(problems)}
            )
        counts = counts or {a: plan.count(a) for a in ("create", "update", "transfer", "unchanged")}
        verb = _("would import") if opts["dry_run"] else _("imported")
        self.stdout.write(
            _(
                "OK: %(verb)s %(rows)s rows: %(create)s new, %(update)s updated, "
                "%(transfer)s transferred in, %(unchanged)s unchanged."
            )
            % {"verb": verb, "rows": len(plan.rows), **counts}
        )
