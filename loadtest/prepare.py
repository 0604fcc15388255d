"""Prepare a synthetic federation for the load test: users, a care programme per province, and
the pages each simulated user will visit, written to a JSON file that locustfile.py reads.

    DATABASE_URL=... .venv/bin/python loadtest/prepare.py var/loadtest/targets.json

Users (password "loadtest-pw"): `lt-admin` (national administrator) and `lt-officer-<n>`, one
officer per province (cycling if there are more simulated users than provinces). Idempotent.
"""

import datetime
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from congdoan.care.models import Programme, ProgrammeKind  # noqa: E402
from congdoan.members.models import Member  # noqa: E402
from congdoan.org.models import Level, Role, RoleKind, Unit  # noqa: E402

PASSWORD = "loadtest-pw"
PROVINCES = int(os.environ.get("LOADTEST_PROVINCES", "20"))
# Names searched without diacritics, as users type them.
SEARCHES = ["nguyen thi hoa", "tran van nam", "le thi lan", "pham minh", "hoang van",
            "vu thi mai", "dang van hung", "bui thi thu"]  # fmt: skip


def main(out: Path) -> None:
    rng = random.Random(7)
    User = get_user_model()
    root = Unit.objects.filter(level=Level.CENTRAL, parent=None).order_by("pk").first()
    if root is None:
        raise SystemExit("No federation: run `manage.py synth` first.")
    provinces = list(Unit.objects.filter(level=Level.PROVINCE, status="active").order_by("pk"))
    rng.shuffle(provinces)
    provinces = provinces[:PROVINCES]
    today = datetime.date.today()
    users = []
    with transaction.atomic():
        admin, _ = User.objects.get_or_create(
            username="lt-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        admin.set_password(PASSWORD)
        admin.save()
        for n, province in enumerate(provinces):
            user, _ = User.objects.get_or_create(username=f"lt-officer-{n}")
            user.set_password(PASSWORD)
            user.save()
            Role.objects.get_or_create(user=user, unit=province, kind=RoleKind.OFFICER)
            programme, _ = Programme.objects.get_or_create(
                unit=province, name="Load test: thăm hỏi đoàn viên",
                defaults={"kind": ProgrammeKind.HARDSHIP, "start": today.replace(month=1, day=1),
                          "end": today.replace(month=12, day=31), "allow_cash": True,
                          "repeat_allowed": True, "created_by": admin},
            )  # fmt: skip
            uppers = list(
                Unit.objects.filter(parent=province, status="active").values_list("pk", flat=True)[
                    :20
                ]
            )
            grassroots = list(
                Unit.objects.filter(path__startswith=province.path, level=Level.GRASSROOTS,
                                    status="active").values_list("pk", flat=True)[:50]
            )  # fmt: skip
            members = list(
                Member.objects.filter(unit_id__in=grassroots, status="active").values_list(
                    "pk", flat=True
                )[:200]
            )
            users.append({
                "username": user.username, "province": province.pk, "uppers": uppers,
                "grassroots": grassroots, "members": members, "programme": programme.pk,
            })  # fmt: skip
    data = {"password": PASSWORD, "root": root.pk, "admin": "lt-admin", "users": users,
            "searches": SEARCHES}  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data))
    print(f"{len(users)} officers and programmes ready; targets in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/loadtest/targets.json"))
