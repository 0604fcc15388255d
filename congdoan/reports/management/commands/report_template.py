"""`manage.py report_template --out FILE.docx`: write the default Word template of the review
report (built by code, reports/template_default.py), to start a federation's own from."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congdoan.reports.template_default import REQUIRED, build


class Command(BaseCommand):
    help = "Write the default Word template of the review report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        Path(opts["out"]).write_bytes(build())
        self.stdout.write(f"{opts['out']}: required placeholders {', '.join(REQUIRED)}")
