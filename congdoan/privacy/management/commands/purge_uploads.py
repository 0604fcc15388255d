"""`manage.py purge_uploads`: uploaded spreadsheets older than CONGDOAN_UPLOAD_RETENTION_DAYS
(default 30) lose their content (imported ones) or are deleted (never imported); prints how
many."""

from typing import Any

from django.core.management.base import BaseCommand

from congdoan.privacy import services


class Command(BaseCommand):
    help = "Delete the content of uploaded spreadsheets kept beyond the retention period."

    def handle(self, *args: Any, **opts: Any) -> None:
        done = services.uploads_purge()
        self.stdout.write(
            f"{done['cleared']} imported files emptied, {done['deleted']} files never imported "
            f"deleted (older than {services.upload_retention_days()} days)."
        )
