"""`manage.py synth`: a synthetic federation with members and years of membership history.

    manage.py synth --members 1100000 --units 13000             # 1/10 national scale
    manage.py synth --members 11000000 --units 130000 --seed 2  # national scale

Bulk writes (COPY on PostgreSQL), in chunks of 50,000 members, with progress on stdout; then the
tallies are recounted and, on PostgreSQL, the planner statistics refreshed.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.demo.synthetic import MEMBER_CHUNK, FederationExists, synth_federation


class Command(BaseCommand):
    help = (
        "Build a synthetic federation (central root, ~63 provinces, upper units, grassroots "
        "unions and union groups) with N members and their membership history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, required=True, help="number of members")
        parser.add_argument("--units", type=int, required=True, help="about this many units")
        parser.add_argument("--seed", type=int, default=1, help="random seed (one per federation)")
        parser.add_argument("--years", type=int, default=10, help="years of membership history")
        parser.add_argument("--chunk", type=int, default=MEMBER_CHUNK, help="members per batch")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["members"] < 0 or opts["units"] < 8 or opts["years"] < 1:
            raise CommandError("Give --members >= 0, --units >= 8 and --years >= 1.")
        try:
            root = synth_federation(
                members=opts["members"],
                units=opts["units"],
                seed=opts["seed"],
                years=opts["years"],
                chunk=opts["chunk"],
                progress=lambda line: self.stdout.write(line),
            )
        except FederationExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Synthetic federation {root.code} (unit id {root.pk}) is ready.")
