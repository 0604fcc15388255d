"""`manage.py twofactor_reset USERNAME`: turn off a user's two-step verification (a lost phone);
they log in with their password and may set it up again. Recorded in the audit trail."""

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core import twofactor
from congdoan.core.models import TotpDevice


class Command(BaseCommand):
    help = "Turn off a user's two-step verification (for a lost phone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"No user {opts['username']}.")
        device = TotpDevice.objects.filter(user=user).first()
        if device is None:
            self.stdout.write(f"{user.username} has no two-step verification.")
            return
        twofactor.turn_off(actor=None, device=device)
        self.stdout.write(f"Two-step verification turned off for {user.username}.")
