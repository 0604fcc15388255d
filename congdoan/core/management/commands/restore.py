"""`manage.py restore FILE [--yes]`: replace the database and write back the uploaded files
from a file made by `manage.py backup`, then check every table against the backup's manifest.

Without `--yes` it asks for confirmation on a terminal, and refuses when there is none (cron,
CI). It exits non-zero, naming the first table that differs, if the restored database does not
match the backup."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from congdoan.core import backup


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a backup file, replacing what is "
        "there, and check every table against the backup."
    )
    # Tests pass stdin=... to call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file (made by manage.py backup)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **opts: Any) -> None:
        using = opts["database"]
        try:
            manifest = backup.read_manifest(opts["file"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not opts["yes"]:
            stdin = opts.get("stdin") or sys.stdin
            if not _is_tty(stdin):
                raise CommandError(
                    _(
                        "Restoring replaces the whole database; there is no terminal to ask "
                        "on, so run it again with --yes to confirm."
                    )
                )
            self.stdout.write(
                _(
                    "Restoring replaces every table of database %(name)s with the backup made "
                    "at %(created)s (%(tables)s tables, %(rows)s rows). Continue? [y/N] "
                )
                % {
                    "name": connections[using].settings_dict["NAME"],
                    "created": manifest.created_local,
                    "tables": len(manifest.tables),
                    "rows": manifest.rows,
                },
                ending="",
            )
            self.stdout.flush()
            answer = stdin.readline().strip().lower()
            if answer not in ("y", "yes", "c", "co", "có"):
                raise CommandError(_("Cancelled: nothing was changed."))
        try:
            outcome = backup.restore(opts["file"], using=using)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Restored %(path)s (made at %(created)s): %(tables)s tables, %(rows)s rows and "
                "%(files)s uploaded files, all matching the backup."
            )
            % {
                "path": outcome.path,
                "created": outcome.manifest.created_local,
                "tables": len(outcome.manifest.tables),
                "rows": outcome.manifest.rows,
                "files": len(outcome.manifest.files),
            }
        )
