"""`manage.py demo`: load the demo federation built from the seeds' figures (idempotent)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from congdoan.core.bulk import refresh_statistics
from congdoan.demo.awards import record_awards
from congdoan.demo.care import record_care
from congdoan.demo.emulation import record_emulation
from congdoan.demo.grading import record_grading
from congdoan.demo.initiatives import record_initiatives
from congdoan.demo.meetings import record_meetings
from congdoan.demo.members import record_members
from congdoan.demo.reports import record_reports
from congdoan.demo.tree import build_tree
from congdoan.members.models import Member
from congdoan.org.models import Role, RoleKind, Unit

PASSWORD = "congdoan-demo"
# (user name, full name, unit code, role): a fixed cast to try the product with.
CAST = [
    ("tinh.thaibinh", "Trần Thị Hoa", "TB", RoleKind.ADMIN),
    ("tinh.langson", "Hoàng Văn Cường", "LS", RoleKind.ADMIN),
    ("huyen.mauson", "Lương Thị Thúy", "LS-MS", RoleKind.OFFICER),
    ("tinh.quangbinh", "Phạm Văn Nam", "QB", RoleKind.OFFICER),
    ("vienchuc.hoabinh", "Tống Đức Chiến", "HB-VC", RoleKind.OFFICER),
    ("xem.namtrung", "Nguyễn Văn Phú", "NT", RoleKind.VIEWER),
    ("cdcs.hungha", "Đỗ Thị Lan", "TB-HH-001", RoleKind.OFFICER),
]


class Command(BaseCommand):
    help = "Load the demo federation (idempotent) and print the demo logins."

    def handle(self, *args: Any, **opts: Any) -> None:
        User = get_user_model()
        if Unit.objects.filter(code="TLD").exists():
            self.stdout.write("The demo federation is already loaded.")
        else:
            with transaction.atomic():
                keys = build_tree()
                record_members(keys)
                record_care()
                record_emulation()
                record_grading()
                record_initiatives()
                record_awards()
                record_meetings()
                admin = User.objects.create_superuser("admin", "admin@example.invalid", PASSWORD)
                admin.first_name, admin.last_name = "Quản trị", "Hệ thống"
                admin.save()
                for username, full_name, code, kind in CAST:
                    last, first = full_name.rsplit(" ", 1)
                    user = User.objects.create_user(
                        username, "", PASSWORD, first_name=first, last_name=last
                    )
                    Role.objects.create(
                        user=user, unit=Unit.objects.get(code=code), kind=kind, granted_by=admin
                    )
                # Before the reports lock their figures (minutes, not seconds, without).
                refresh_statistics()
                # Locked by the district's officer, so after the accounts.
                record_reports()
            self.stdout.write(
                f"Loaded the demo federation: {Unit.objects.count()} units, "
                f"{Member.objects.count()} members and workers."
            )
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        self.stdout.write("  admin  (national administrator, every unit)")
        for username, full_name, code, kind in CAST:
            self.stdout.write(f"  {username:<18} {kind.label} — {code} ({full_name})")
