"""`manage.py recount_members`: rebuild the member tallies from the members and events tables."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from congdoan.members import tally


class Command(BaseCommand):
    help = "Rebuild the maintained member figures (tallies) from scratch."

    def handle(self, *args: Any, **opts: Any) -> None:
        with transaction.atomic():
            units = tally.recount()
        self.stdout.write(f"Recounted the member figures of {units} units.")
