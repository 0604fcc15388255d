"""The demo federation's members, recorded through the member services as a union would.

Seed 001: the district federation of Lạng Sơn had 3.032 members in its 124 grassroots unions
at its year-end review of 31/12/2020. Here that figure is what the recorded history gives:
members admitted from 1995 on, 152 of them during 2020 against a target of 140, 41 who left
during 2020, more admitted and some leaving after 2020, and the 2025 reorganisation carrying
them to the commune unions with their grassroots unions.
"""

import datetime
import random

from congdoan.members import services
from congdoan.members.models import EventKind, Member
from congdoan.members.services import PersonData
from congdoan.org.models import Level, Status, Unit

from .names import person

D = datetime.date
SEED_001_MEMBERS = 3032
SEED_001_ADMITTED_2020 = 152
SEED_001_LEFT_2020 = 41
SEED_001_TARGET_2020 = 140


class Recorder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def member(self, unit: Unit, *, joined_from: datetime.date, joined_to: datetime.date,
               north: bool = False) -> services.BulkEntry:  # fmt: skip
        self.serial += 1
        p = person(self.rng, north=north, born_from=1962, born_to=1998, serial=self.serial)
        start = max(joined_from, unit.founded_on, D(p.birth_date.year + 18, 1, 1))
        joined = self._date(start, max(start, joined_to))
        party = self.rng.random() < 0.12
        data = PersonData(
            full_name=p.full_name, birth_date=p.birth_date, sex=p.sex, ethnicity=p.ethnicity,
            cccd=p.cccd, party_member=party,
            party_joined_on=self._date(joined, max(joined, D(2020, 12, 31))) if party else None,
            job_title=self.rng.choice(["Công nhân", "Giáo viên", "Nhân viên", "Kế toán",
                                       "Kỹ thuật viên", "Y sĩ", "Cán bộ"]),
        )  # fmt: skip
        return services.BulkEntry(unit=unit, data=data, admit_on=joined)  # fmt: skip

    def leave(self, member: Member, start: datetime.date, end: datetime.date) -> None:
        day = self._date(max(start, member.joined_on or start), end)
        kind = self.rng.choice([EventKind.SUSPENDED] * 3 + [EventKind.WITHDRAWN])
        services.member_leave(
            actor=None,
            member=member,
            kind=kind,
            date=day,
            note="Nghỉ việc" if kind == EventKind.SUSPENDED else "",
        )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven positive sizes (small unions are the most common)."""
    weights = [rng.lognormvariate(0, 0.7) for _ in range(parts)]
    sizes = [max(5, int(total * w / sum(weights))) for w in weights]
    sizes[sizes.index(max(sizes))] += total - sum(sizes)
    return sizes


def record_members(keys: dict[str, Unit]) -> None:
    r = Recorder(seed=1)
    district = keys["district_001"]
    active_2020 = list(
        Unit.objects.filter(
            code__startswith="LS-MS-", founded_on__lte=D(2020, 12, 31), status=Status.ACTIVE
        ).order_by("code")
    )
    assert len(active_2020) == 124
    sizes = _split(SEED_001_MEMBERS, len(active_2020), r.rng)
    admitted_2020 = set(r.rng.sample(range(SEED_001_MEMBERS), SEED_001_ADMITTED_2020))
    entries: list[services.BulkEntry] = []
    for unit, size in zip(active_2020, sizes, strict=True):
        for _ in range(size):
            if len(entries) in admitted_2020:
                entries.append(
                    r.member(unit, joined_from=D(2020, 1, 2), joined_to=D(2020, 12, 31), north=True)
                )
            else:
                entries.append(
                    r.member(unit, joined_from=D(1995, 1, 1), joined_to=D(2019, 12, 31), north=True)
                )
    # Members who left during 2020: not among the 3.032 of the year-end review.
    leaving_2020 = [
        r.member(
            active_2020[i * 3 % len(active_2020)],
            joined_from=D(2000, 1, 1),
            joined_to=D(2019, 6, 30),
            north=True,
        )
        for i in range(SEED_001_LEFT_2020)
    ]
    newer = Unit.objects.filter(code__startswith="LS-MS-", founded_on__gt=D(2020, 12, 31))
    later = [
        r.member(unit, joined_from=unit.founded_on, joined_to=D(2024, 12, 31), north=True)
        for unit in newer
        for _ in range(r.rng.randint(8, 20))
    ]
    members = services.member_bulk_create(
        actor=None,
        entries=entries + leaving_2020 + later,
        is_demo=True,
        summary="Dữ liệu mẫu: đoàn viên LĐLĐ huyện Mẫu Sơn",
    )
    for m in members[len(entries) : len(entries) + len(leaving_2020)]:
        r.leave(m, D(2020, 1, 2), D(2020, 12, 31))
    for m in members[: len(entries) : 30]:
        r.leave(m, D(2021, 1, 1), D(2024, 12, 31))
    services.target_set(actor=None, unit=district, year=2020, new_members=SEED_001_TARGET_2020)

    # Everywhere else, a modest roster per grassroots union, so every page has people on it,
    # and one worker who is not (yet) a member.
    others = (
        Unit.objects.filter(level=Level.GRASSROOTS, status=Status.ACTIVE, is_demo=True)
        .exclude(code__startswith="LS-MS-")
        .order_by("code")
    )
    rest: list[services.BulkEntry] = []
    for unit in others:
        rest.extend(
            r.member(unit, joined_from=D(2005, 1, 1), joined_to=D(2025, 6, 30))
            for _ in range(r.rng.randint(6, 16))
        )
        r.serial += 1
        worker = person(r.rng, serial=r.serial)
        rest.append(
            services.BulkEntry(
                unit=unit,
                data=PersonData(
                    full_name=worker.full_name,
                    birth_date=worker.birth_date,
                    sex=worker.sex,
                    ethnicity=worker.ethnicity,
                    cccd=worker.cccd,
                ),
            )
        )
    services.member_bulk_create(
        actor=None, entries=rest, is_demo=True, summary="Dữ liệu mẫu: đoàn viên các đơn vị"
    )
