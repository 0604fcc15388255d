"""`manage.py backup [--out FILE]`: the database and the uploaded files in one file.

See congdoan/core/backup.py for what the file holds."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from congdoan.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite or PostgreSQL) and the uploaded files to one file "
        "(default: var/backups/congdoan-YYYYMMDD-HHMMSS.tar, .tar.gz on SQLite)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="the backup file to write")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            outcome = backup.backup(opts["out"], using=opts["database"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = outcome.manifest
        self.stdout.write(
            _(
                "Backup written to %(path)s: %(tables)s tables, %(rows)s rows, "
                "%(files)s uploaded files."
            )
            % {
                "path": outcome.path,
                "tables": len(manifest.tables),
                "rows": manifest.rows,
                "files": len(manifest.files),
            }
        )
