"""Synthetic organisation trees for benchmarks, written in bulk (not through the services,
which would take hours at national scale); the result is the same shape the services make."""

import datetime
import random
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from congdoan.core.bulk import Row, RowWriter, refresh_statistics
from congdoan.core.text import fold, person_sort_key, sort_key
from congdoan.members import tally
from congdoan.members.models import (
    CardSequence,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
)
from congdoan.members.reference import CCCD_PROVINCE_CODES, is_minority
from congdoan.members.services import luhn_digit
from congdoan.org.models import KIND_LEVEL, Employer, Kind, Ownership, Status, Unit, UnitVersion
from congdoan.org.services import path_step

from .names import person


@transaction.atomic
def synth_tree(*, provinces: int, uppers: int, grassroots: int, seed: int = 1) -> Unit:
    """A central unit with `provinces` provinces, each with `uppers` upper units, each with
    `grassroots` grassroots unions (each with an employer). Returns the root."""
    rng = random.Random(seed)
    founded = datetime.date(2000, 1, 1)
    prefix = f"S{seed}"

    def level(parents: list[Unit], kind: Kind, per_parent: int, tag: str) -> list[Unit]:
        rows = [
            Unit(
                code=f"{prefix}-{tag}{p.pk}-{i}",
                name=f"{kind.label} {p.pk}-{i}",
                name_key=f"{tag.lower()} {p.pk} {i}",
                level=KIND_LEVEL[kind],
                kind=kind,
                parent=p,
                path="",
                depth=p.depth + 1,
                founded_on=founded,
            )
            for p in parents
            for i in range(per_parent)
        ]
        made = Unit.objects.bulk_create(rows, batch_size=2000)
        by_pk = {p.pk: p for p in parents}
        for u in made:
            u.path = by_pk[u.parent_id].path + path_step(u.pk)  # type: ignore[index]
        Unit.objects.bulk_update(made, ["path"], batch_size=2000)
        return made

    root = Unit.objects.create(
        code=f"{prefix}-ROOT",
        name="Synthetic confederation",
        name_key="synthetic",
        level=KIND_LEVEL[Kind.CONFEDERATION],
        kind=Kind.CONFEDERATION,
        path="",
        depth=0,
        founded_on=founded,
    )
    root.path = path_step(root.pk)
    root.save(update_fields=["path"])
    provs = level([root], Kind.PROVINCIAL_FEDERATION, provinces, "P")
    ups = level(provs, Kind.DISTRICT_FEDERATION, uppers, "U")
    grass = level(ups, Kind.ENTERPRISE, grassroots, "G")
    employers = Employer.objects.bulk_create(
        [Employer(name=f"Employer {g.pk}", workforce=rng.randint(10, 800)) for g in grass],
        batch_size=2000,
    )
    for g, e in zip(grass, employers, strict=True):
        g.employer = e
    Unit.objects.bulk_update(grass, ["employer"], batch_size=2000)
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit=u,
                valid_from=founded,
                parent_id=u.parent_id,
                path=u.path,
                name=u.name,
                level=u.level,
                kind=u.kind,
                status=u.status,
            )
            for u in [root, *provs, *ups, *grass]
        ],
        batch_size=2000,
    )
    return root


# ---------------------------------------------------------------------------------------------
# A whole federation with members and ten years of membership history (`manage.py synth`).
#
# Everything is written with explicit ids for units, employers and members (so paths and foreign
# keys are known before the rows reach the database: no RETURNING round trips and no second
# UPDATE pass), in chunks, with COPY on PostgreSQL and executemany elsewhere. Members are written
# in random order with respect to their unions, as years of real data entry would leave them:
# the pessimistic physical layout for subtree reads. Assumes nobody else writes the same tables
# while it runs (it is for benchmarks and demos, not for live databases).

SYN_PREFIX = "SYN"
MEMBER_CHUNK = 50_000
# Provinces whose members are drawn from the northern-mountain name and ethnicity mix.
NORTHERN_MOUNTAINS = {
    "Hà Giang",
    "Cao Bằng",
    "Bắc Kạn",
    "Tuyên Quang",
    "Lào Cai",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Yên Bái",
    "Lạng Sơn",
}
UPPER_KINDS = [
    (Kind.DISTRICT_FEDERATION, 70),
    (Kind.INDUSTRIAL_ZONE, 10),
    (Kind.LOCAL_SECTOR, 10),
    (Kind.PUBLIC_SERVANTS, 10),
]
GRASSROOTS_KINDS = [(Kind.ENTERPRISE, 60), (Kind.AGENCY, 20), (Kind.SCHOOL, 20)]
RELIGION_MIX = [("none", 85), ("buddhism", 8), ("catholic", 6), ("protestant", 1)]
EDUCATION_MIX = [("upper_secondary", 80), ("lower_secondary", 15), ("primary", 5)]
QUALIFICATION_MIX = [
    ("none", 30),
    ("elementary", 15),
    ("intermediate", 15),
    ("college", 12),
    ("university", 25),
    ("master", 3),
]
JOBS = [
    "Công nhân",
    "Nhân viên",
    "Kỹ thuật viên",
    "Giáo viên",
    "Chuyên viên",
    "Kế toán",
    "Tổ trưởng",
]
# Shares of members by fate over the period (the rest stay active in their first union).
LEFT_SHARE = 0.08
TRANSFER_SHARE = 0.06
PARTY_SHARE = 0.08


Progress = Callable[[str], None]


def _next_id(model: type[models.Model]) -> int:
    found: int | None = model._default_manager.aggregate(m=Max("pk"))["m"]
    return (found or 0) + 1


def _reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit ids, make the database hand out ids after them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """`total` split by `weights` into integers (largest remainder), each at least `minimum`."""
    n = len(weights)
    if n == 0:
        return []
    minimum = min(minimum, total // n)
    rest = total - minimum * n
    w_sum = sum(weights) or 1.0
    exact = [rest * w / w_sum for w in weights]
    out = [int(x) for x in exact]
    short = rest - sum(out)
    order = sorted(range(n), key=lambda i: exact[i] - out[i], reverse=True)
    for i in order[:short]:
        out[i] += 1
    return [minimum + x for x in out]


def _skewed(rng: random.Random, n: int, sigma: float, cap: float) -> list[float]:
    """`n` log-normal weights, capped at `cap` times their mean (a few big, many small)."""
    raw = [rng.lognormvariate(0.0, sigma) for _ in range(n)]
    limit = cap * (sum(raw) / n if n else 1.0)
    return [min(w, limit) for w in raw]


@dataclass(frozen=True)
class Shape:
    """How many units of each level a federation of about `units` units gets."""

    provinces: int
    uppers: int
    grassroots: int
    subunits: int

    @classmethod
    def for_units(cls, units: int) -> "Shape":
        # About 63 provinces, ~1% upper units (district federations, zones, sectors), ~92%
        # grassroots unions, and the rest union groups inside the bigger grassroots unions.
        units = max(units, 8)
        provinces = max(2, min(63, units // 20))
        uppers = max(provinces, min(12 * provinces, round(units / 90)))
        rest = units - 1 - provinces - uppers
        grassroots = max(provinces, round(rest / 1.08))
        return cls(provinces, uppers, grassroots, max(0, rest - grassroots))


@dataclass
class _Grassroots:
    pk: int
    province: int  # index into provinces
    province_pk: int
    upper_pk: int
    path: str
    north: bool
    subunits: list[int] = field(default_factory=list)


@dataclass
class _Federation:
    root: Unit
    grassroots: list[_Grassroots]
    sizes: list[int]
    by_province: list[list[int]]  # grassroots indexes per province


def _build_units(
    rng: random.Random, *, members: int, units: int, seed: int, founded: datetime.date
) -> _Federation:
    shape = Shape.for_units(units)
    prefix = f"{SYN_PREFIX}{seed}"
    next_unit = _next_id(Unit)
    next_employer = _next_id(Employer)
    unit_rows: list[Row] = []
    version_rows: list[Row] = []

    Node = tuple[int, str, int]  # (pk, path, depth)

    def add(kind: Kind, name: str, parent: Node | None, employer: int | None) -> Node:
        nonlocal next_unit
        pk = next_unit
        next_unit += 1
        path = (parent[1] if parent else "") + path_step(pk)
        depth = parent[2] + 1 if parent else 0
        code = f"{prefix}-ROOT" if parent is None else f"{prefix}-{pk}"
        parent_pk = parent[0] if parent else None
        level = KIND_LEVEL[kind]
        key = fold(name)
        unit_rows.append(
            (pk, code, name, "", key, level, kind.value, parent_pk, path, depth, employer, founded)
        )
        version_rows.append(
            (pk, founded, None, parent_pk, path, name, "", level, kind.value, Status.ACTIVE.value)
        )
        return pk, path, depth

    root = add(Kind.CONFEDERATION, f"Tổng Liên đoàn Lao động (tổng hợp {seed})", None, None)
    province_names = sorted(set(CCCD_PROVINCE_CODES.values()), key=sort_key)
    provinces = []
    for i in range(shape.provinces):
        base = province_names[i % len(province_names)]
        suffix = "" if i < len(province_names) else f" {i // len(province_names) + 1}"
        provinces.append(
            (add(Kind.PROVINCIAL_FEDERATION, f"LĐLĐ tỉnh {base}{suffix}", root, None), base)
        )
    # Big provinces (Hà Nội, TP Hồ Chí Minh, the industrial ones) have many more upper units.
    per_province = _apportion(shape.uppers, _skewed(rng, shape.provinces, 0.7, 6.0), minimum=1)
    uppers: list[tuple[tuple[int, str, int], int]] = []
    for p_index, ((p_node, _name), count) in enumerate(zip(provinces, per_province, strict=True)):
        for j in range(count):
            kind = _pick(rng, UPPER_KINDS)
            label = {
                Kind.DISTRICT_FEDERATION: "LĐLĐ huyện",
                Kind.INDUSTRIAL_ZONE: "Công đoàn các KCN",
                Kind.LOCAL_SECTOR: "Công đoàn ngành",
            }.get(kind, "Công đoàn Viên chức")
            uppers.append((add(kind, f"{label} {p_node[0]}-{j + 1}", p_node, None), p_index))
    # Grassroots unions: spread over the upper units (skewed), sizes skewed between 5 and a
    # thousand or so (median about two thirds of the mean).
    upper_of = rng.choices(
        range(len(uppers)), weights=_skewed(rng, len(uppers), 0.5, 5.0), k=shape.grassroots
    )
    upper_of.sort()  # units of one upper unit get neighbouring ids, as a real register would
    sizes = _apportion(members, _skewed(rng, shape.grassroots, 1.0, 15.0), minimum=5)
    grassroots: list[_Grassroots] = []
    employer_rows: list[Row] = []
    for g_index, u_index in enumerate(upper_of):
        u_node, p_index = uppers[u_index]
        kind = _pick(rng, GRASSROOTS_KINDS)
        ownership = (
            Ownership.PUBLIC
            if kind != Kind.ENTERPRISE
            else _pick(rng, [(Ownership.PRIVATE, 60), (Ownership.FDI, 25), (Ownership.STATE, 15)])
        )
        employer = next_employer
        next_employer += 1
        what = {Kind.ENTERPRISE: "Công ty", Kind.AGENCY: "Cơ quan", Kind.SCHOOL: "Trường"}[kind]
        # Unionisation is 55-95% of the workforce.
        workforce = max(sizes[g_index], round(sizes[g_index] / rng.uniform(0.55, 0.95)))
        employer_rows.append(
            (employer, f"{what} số {g_index + 1}", "", ownership.value, "", workforce, "")
        )
        node = add(kind, f"CĐCS {what} số {g_index + 1}", u_node, employer)
        p_node, p_name = provinces[p_index]
        grassroots.append(
            _Grassroots(
                node[0], p_index, p_node[0], u_node[0], node[1], p_name in NORTHERN_MOUNTAINS
            )
        )
    # Union groups (tổ công đoàn) in the biggest grassroots unions, two to six each.
    biggest = sorted(range(len(grassroots)), key=lambda i: sizes[i], reverse=True)
    left = shape.subunits
    for g_index in biggest:
        if left <= 0:
            break
        g = grassroots[g_index]
        g_node = (g.pk, g.path, 3)
        for k in range(min(left, rng.randint(2, 6))):
            g.subunits.append(add(Kind.GROUP, f"Tổ công đoàn {k + 1}", g_node, None)[0])
            left -= 1
    by_province: list[list[int]] = [[] for _ in provinces]
    for g_index, g in enumerate(grassroots):
        by_province[g.province].append(g_index)

    RowWriter(
        Employer, ["id", "name", "tax_code", "ownership", "sector", "workforce", "address"]
    ).write(employer_rows)
    unit_fields = ["id", "code", "name", "short_name", "name_key", "level", "kind", "parent"]
    unit_fields += ["path", "depth", "employer", "founded_on", "status", "address"]
    unit_fields += ["founded_decision", "dissolved_decision", "is_demo"]
    constant = (Status.ACTIVE.value, "", "", "", False)
    RowWriter(Unit, unit_fields).write([(*r, *constant) for r in unit_rows])
    version_fields = ["unit", "valid_from", "valid_to", "parent", "path", "name", "short_name"]
    RowWriter(UnitVersion, [*version_fields, "level", "kind", "status"]).write(version_rows)
    _reset_sequences(Unit, Employer)
    return _Federation(Unit.objects.get(pk=root[0]), grassroots, sizes, by_province)


MEMBER_FIELDS = [
    "id",
    "full_name",
    "name_key",
    "sort_key",
    "birth_date",
    "sex",
    "ethnicity",
    "religion",
    "cccd",
    "phone",
    "education",
    "qualification",
    "job_title",
    "party_member",
    "party_joined_on",
    "joined_on",
    "unit",
    "subunit",
    "province",
    "upper",
    "card_number",
    "status",
    "status_since",
    "residence_address",
    "is_demo",
    "created_at",
]
SPELL_FIELDS = ["member", "unit", "start", "end", "sex", "birth_date", "minority", "party_since"]
EVENT_FIELDS = ["member", "kind", "date", "decision_ref", "unit", "other_unit", "note"]
EVENT_FIELDS += ["recorded_at"]


def _secondary_indexes(model: type[models.Model]) -> list[tuple[str, str]]:
    """(drop, create) statements of a table's indexes that back no constraint, and on
    PostgreSQL of its foreign keys: what a bulk load can do without and rebuild after."""
    table = model._meta.db_table
    qn = connection.ops.quote_name
    out: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [table],
            )
            out += [(f"DROP INDEX {name}", sql) for name, sql in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            out += [
                (
                    f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}",
                    f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {sql}",
                )
                for name, sql in cursor.fetchall()
            ]
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            out += [(f"DROP INDEX {qn(name)}", sql) for name, sql in cursor.fetchall()]
    return out


@contextmanager
def _indexes_deferred(
    models_: Sequence[type[models.Model]], enabled: bool, say: Progress
) -> Iterator[None]:
    """Load without the tables' secondary indexes and foreign keys, then rebuild them in one
    pass each: several times faster than maintaining a dozen indexes (a trigram GIN among
    them) row by row in random order. All in one transaction (DDL is transactional on both
    databases), so a failed load leaves the schema as it was."""
    if not enabled:
        yield
        return
    with transaction.atomic():
        statements = [pair for model in models_ for pair in _secondary_indexes(model)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Checks still pending in an enclosing transaction (the units just written, in
                # tests) would forbid altering the tables they reference: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for drop, _create in statements:
                cursor.execute(drop)
        yield
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for _drop, create in statements:
                cursor.execute(create)
        say(f"{len(statements)} indexes and keys rebuilt in {time.perf_counter() - start:.1f} s")


class FederationExists(Exception):
    """Unit codes carry the seed: build a second federation with another seed."""


def _card(serial: int) -> str:
    digits = f"{serial:09d}"
    return digits + str(luhn_digit(digits))


def synth_federation(
    *,
    members: int,
    units: int,
    seed: int = 1,
    years: int = 10,
    today: datetime.date | None = None,
    chunk: int = MEMBER_CHUNK,
    progress: Progress | None = None,
    defer_indexes: bool | None = None,
) -> Unit:
    """A federation of about `units` units and exactly `members` members with `years` years of
    membership history, then the tallies recounted. Returns the root.

    `defer_indexes` (default: when the load at least doubles the members table) drops the
    member tables' secondary indexes for the load and rebuilds them after; the tables are then
    locked for the whole load."""
    say = progress or (lambda _line: None)
    rng = random.Random(seed)
    today = today or timezone.localdate()
    prefix = f"{SYN_PREFIX}{seed}"
    if Unit.objects.filter(code=f"{prefix}-ROOT").exists():
        raise FederationExists(f"A synthetic federation with seed {seed} exists already.")
    founded = datetime.date(min(1990, today.year - years - 25), 1, 1)
    start = time.perf_counter()
    with transaction.atomic():
        fed = _build_units(rng, members=members, units=units, seed=seed, founded=founded)
    unit_count = Unit.objects.filter(path__startswith=fed.root.path).count()
    say(f"units: {unit_count:,} written in {time.perf_counter() - start:.1f} s")

    # Members are dealt to unions in random order (see the module note); array keeps 11
    # million entries in 44 MB.
    deal = array("i", (g for g, size in enumerate(fed.sizes) for _ in range(size)))
    rng.shuffle(deal)
    first_member = _next_id(Member)
    sequence, _created = CardSequence.objects.get_or_create(pk=1)
    first_serial = sequence.last + 1
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    members_out = RowWriter(Member, MEMBER_FIELDS)
    spells_out = RowWriter(MembershipSpell, SPELL_FIELDS)
    events_out = RowWriter(MemberEvent, EVENT_FIELDS)
    keys: dict[str, tuple[str, str]] = {}  # full name -> (name_key, sort_key): ~20,000 names
    today_n = today.toordinal()
    period_n = _years_before(today, years).toordinal()
    rows_done = 0
    t_members = time.perf_counter()
    if defer_indexes is None:
        defer_indexes = members >= first_member - 1 and members >= 10_000
    with _indexes_deferred([Member, MembershipSpell, MemberEvent], defer_indexes, say):
        for lo in range(0, members, chunk):
            hi = min(members, lo + chunk)
            m_rows: list[Row] = []
            s_rows: list[Row] = []
            e_rows: list[Row] = []
            for i in range(lo, hi):
                g = fed.grassroots[deal[i]]
                serial = first_serial + i
                member_id = first_member + i
                p = person(
                    rng,
                    born_from=today.year - 60,
                    born_to=today.year - 18,
                    north=g.north,
                    serial=serial,
                )
                if p.full_name not in keys:
                    keys[p.full_name] = (fold(p.full_name), person_sort_key(p.full_name))
                name_key, sort = keys[p.full_name]
                minority = is_minority(p.ethnicity)
                # Joined at 18 or later; about two thirds before the period began.
                earliest = _years_after(p.birth_date, 18).toordinal()
                # (Someone born late in the year turns 18 after today: they joined this year.)
                earliest = min(max(earliest, today_n - 30 * 365), today_n - 1)
                if earliest < period_n and rng.random() < 0.65:
                    joined_n = rng.randint(earliest, period_n - 1)
                else:
                    joined_n = rng.randint(max(earliest, period_n), today_n)
                joined = datetime.date.fromordinal(joined_n)
                party = rng.random() < PARTY_SHARE
                party_on = (
                    datetime.date.fromordinal(rng.randint(earliest, today_n)) if party else None
                )
                card = _card(serial)
                unit_pk = g.pk
                e_rows.append((member_id, "admitted", joined, "", unit_pk, None, "", stamp))
                e_rows.append((member_id, "card_issued", joined, "", unit_pk, None, card, stamp))
                status, since = MemberStatus.ACTIVE.value, joined
                fate = rng.random()
                change_from = max(joined_n + 30, period_n)
                end: datetime.date | None = None
                final = g
                if fate < LEFT_SHARE and change_from <= today_n:
                    end = datetime.date.fromordinal(rng.randint(change_from, today_n))
                    kind = "suspended" if rng.random() < 0.35 else "withdrawn"
                    status = "suspended" if kind == "suspended" else MemberStatus.LEFT.value
                    since = end
                    e_rows.append((member_id, kind, end, "", unit_pk, None, "", stamp))
                elif fate < LEFT_SHARE + TRANSFER_SHARE and change_from < today_n:
                    peers = fed.by_province[g.province]
                    if len(peers) > 1:
                        other = fed.grassroots[peers[rng.randrange(len(peers))]]
                        while other.pk == g.pk:
                            other = fed.grassroots[peers[rng.randrange(len(peers))]]
                        end = datetime.date.fromordinal(rng.randint(change_from, today_n - 1))
                        final = other
                        e_rows.append(
                            (member_id, "transfer_out", end, "", g.pk, other.pk, "", stamp)
                        )
                        e_rows.append(
                            (member_id, "transfer_in", end, "", other.pk, g.pk, "", stamp)
                        )
                        s_rows.append(
                            (
                                member_id,
                                other.pk,
                                end,
                                None,
                                p.sex,
                                p.birth_date,
                                minority,
                                party_on,
                            )
                        )
                s_rows.append(
                    (member_id, g.pk, joined, end, p.sex, p.birth_date, minority, party_on)
                )
                subunit = (
                    final.subunits[rng.randrange(len(final.subunits))]
                    if final.subunits and final is g and rng.random() < 0.8
                    else None
                )
                m_rows.append(
                    (
                        member_id,
                        p.full_name,
                        name_key,
                        sort,
                        p.birth_date,
                        p.sex,
                        p.ethnicity,
                        _pick(rng, RELIGION_MIX),
                        p.cccd,
                        f"0{rng.choice('3579')}{rng.randrange(10**8):08d}",
                        _pick(rng, EDUCATION_MIX),
                        _pick(rng, QUALIFICATION_MIX),
                        rng.choice(JOBS),
                        party,
                        party_on,
                        joined,
                        final.pk,
                        subunit,
                        final.province_pk,
                        final.upper_pk,
                        card,
                        status,
                        since,
                        "",
                        False,
                        stamp,
                    )
                )
            with transaction.atomic():
                rows_done += members_out.write(m_rows)
                rows_done += spells_out.write(s_rows)
                rows_done += events_out.write(e_rows)
            elapsed = time.perf_counter() - t_members
            say(
                f"members: {hi:,}/{members:,} ({100 * hi / members:.0f}%), "
                f"{hi / elapsed:,.0f} members/s, {rows_done / elapsed:,.0f} rows/s"
            )
    with transaction.atomic():
        CardSequence.objects.filter(pk=1).update(last=first_serial + members - 1)
        _reset_sequences(Member)
    say(f"members written in {time.perf_counter() - t_members:.1f} s; recounting the tallies")
    t_recount = time.perf_counter()
    with transaction.atomic():
        tally.recount()
    say(f"tallies recounted in {time.perf_counter() - t_recount:.1f} s")
    refresh_statistics()
    say(f"done in {time.perf_counter() - start:.1f} s")
    return fed.root


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return _years_after(day, -years)
