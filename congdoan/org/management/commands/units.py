"""`manage.py units [--under CODE] [--as-of DATE] --format json|csv`: the units of a subtree."""

import csv
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.formatting import parse_date_vi
from congdoan.org import queries, services
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = "List the units of a subtree (code, name, level, kind, parent code, status)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--under", help="code of the subtree's root (default: every unit)")
        parser.add_argument("--as-of", help="the tree as it stood on this date (YYYY-MM-DD)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            day = parse_date_vi(opts["as_of"]) if opts["as_of"] else services.today()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if opts["under"]:
            root = Unit.objects.filter(code=opts["under"]).first()
            if root is None:
                raise CommandError(f"No unit with code {opts['under']}.")
            versions = queries.subtree_versions_on(root, day)
            if versions is None:
                raise CommandError(f"Unit {root.code} did not exist on {day.isoformat()}.")
        else:
            versions = queries.UnitVersion.objects.filter(queries.valid_on(day))
        rows = [
            {
                "code": v.unit.code,
                "name": v.name,
                "level": v.level,
                "kind": v.kind,
                "parent_code": v.parent.code if v.parent else None,
                "status": v.status,
            }
            for v in versions.select_related("unit", "parent").order_by("path")
        ]
        if opts["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["code"])
            writer.writeheader()
            writer.writerows(rows)
