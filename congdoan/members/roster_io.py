"""Rosters in and out: the columns union officials use in their spreadsheets, reading a file
into a checked plan (created / updated / transferred in / unchanged, and every row's problems),
applying the plan all or nothing, and writing a roster in the same columns (a round trip
changes nothing)."""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, parse_date_vi
from congdoan.core.sheets import TableReader
from congdoan.core.text import fold
from congdoan.core.xlsx import write_xlsx
from congdoan.org import access
from congdoan.org.models import PATH_END, Level, Status, Unit

from . import services
from .models import Member, MemberStatus
from .reference import (
    EDUCATION_CHOICES,
    QUALIFICATION_CHOICES,
    ethnicity_from_text,
    ethnicity_name,
    province_from_text,
    province_name,
    religion_from_text,
    religion_name,
    sex_from_text,
    ward_from_text,
    ward_name,
)

# canonical column -> (the template's Vietnamese header, other headers accepted)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "full_name": ("Họ và tên", ["họ tên", "tên đoàn viên", "full name", "name"]),
    "birth_date": ("Ngày sinh", ["ngày tháng năm sinh", "năm sinh", "date of birth"]),
    "sex": ("Giới tính", ["nam/nữ", "phái", "sex"]),
    "ethnicity": ("Dân tộc", ["ethnicity"]),
    "religion": ("Tôn giáo", ["religion"]),
    "cccd": ("Số CCCD", ["cccd", "căn cước công dân", "số căn cước", "số định danh", "cmnd/cccd"]),
    "hometown": ("Quê quán", ["nguyên quán", "hometown"]),
    "residence": ("Nơi ở hiện nay", ["địa chỉ", "nơi ở", "chỗ ở hiện nay", "residence"]),
    "phone": ("Số điện thoại", ["điện thoại", "sđt", "phone"]),
    "education": ("Trình độ học vấn", ["học vấn", "trình độ văn hóa", "education"]),
    "qualification": ("Trình độ chuyên môn", ["chuyên môn", "qualification"]),
    "job_title": ("Nghề nghiệp/Chức vụ", ["nghề nghiệp", "chức vụ", "công việc", "job"]),
    "party": ("Đảng viên", ["là đảng viên", "party member"]),
    "joined_on": ("Ngày vào Công đoàn", ["ngày vào cđ", "ngày kết nạp", "joined on"]),
    "card_number": ("Số thẻ đoàn viên", ["số thẻ", "mã đoàn viên", "member code"]),
    "subunit": ("Tổ công đoàn/Công đoàn bộ phận", ["tổ công đoàn", "công đoàn bộ phận"]),
    "unit_code": ("Mã đơn vị", ["mã cđcs", "mã công đoàn cơ sở", "unit code"]),
}
REQUIRED = ["full_name", "birth_date", "sex"]
YES = {"co", "x", "yes", "1", "true", "dang vien", "dv"}
NO = {"", "khong", "no", "0", "false"}


def headers() -> list[str]:
    return [vi for vi, _aliases in COLUMNS.values()]


# ---------------------------------------------------------------------------------------------
# Cell values


def _choice(text: str, choices: list[tuple[str, Any]]) -> str:
    keys = _CHOICE_KEYS.get(id(choices))
    if keys is None:
        keys = _CHOICE_KEYS[id(choices)] = _choice_keys(choices)
    found = keys.get(fold(text))
    if found is None:
        raise ValueError(_("“%(text)s” is not one of the listed values.") % {"text": text})
    return found


_CHOICE_KEYS: dict[int, dict[str, str]] = {}  # for the module's constant lists


def _choice_keys(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """{folded code or label: code}, labels in Vietnamese (the template's) and in English."""
    keys: dict[str, str] = {}
    for code, label in choices:
        keys[fold(code)] = code
        for language in ("vi", "en"):
            with translation.override(language):
                keys.setdefault(fold(str(label)), code)
    return keys


def _place(text: str) -> tuple[int | None, int | None]:
    """'xã Hữu Kiên, tỉnh Lai Châu' → (province, commune) codes; (None, None) for empty."""
    if not text.strip():
        return None, None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    province = province_from_text(parts[-1])
    if province is None:
        raise ValueError(_("The province in “%(text)s” was not recognised.") % {"text": text})
    ward = ward_from_text(province, parts[0]) if len(parts) > 1 else None
    return province, ward


def place_text(province: int | None, ward: int | None) -> str:
    names = [ward_name(ward) if ward else None, province_name(province) if province else None]
    return ", ".join(n for n in names if n)


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    action: str  # "create", "update", "transfer", "unchanged"
    unit: Unit
    data: services.PersonData
    member: Member | None = None


ACTIONS = ("create", "update", "transfer", "unchanged")
CHUNK = 2000  # rows planned (and, when importing, written) at a time


@dataclass
class ImportPlan:
    """What importing a roster does: the count of each action, every problem, and (unless the
    rows were written as they were planned) the planned rows."""

    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)  # header cells, as read
    root: Unit | None = None  # the unit the roster is imported into
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))

    def count(self, action: str) -> int:
        return self.counts[action]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return not self.problems


def _reader(
    name: str, content: bytes, sheet: str | None, mapping: dict[str, str] | None = None
) -> TableReader:
    aliases = {col: [vi, *more] for col, (vi, more) in COLUMNS.items()}
    return TableReader(name, content, aliases, sheet=sheet, mapping=mapping, any_header=True)


def _person(
    values: dict[str, str], unit: Unit, subunits: dict[tuple[int, str], Unit | None]
) -> services.PersonData:
    """A row's values as PersonData; ValueError(column, message) for the first bad cell."""

    def cell(column: str) -> str:
        value = values.get(column, "").strip()
        # Our own exports write a formula-like cell as text behind an apostrophe.
        return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value

    def fail(column: str, exc: Exception) -> ValueError:
        return ValueError(column, str(exc))

    try:
        birth = parse_date_vi(cell("birth_date"))
    except ValueError as exc:
        raise fail("birth_date", exc) from exc
    sex = sex_from_text(cell("sex"))
    if sex is None:
        raise ValueError("sex", _("Write Nam or Nữ."))
    ethnicity = ethnicity_from_text(cell("ethnicity")) if cell("ethnicity") else "01"
    if ethnicity is None:
        raise ValueError("ethnicity", _("“%(text)s” is not one of the 54 ethnic groups.")
                         % {"text": cell("ethnicity")})  # fmt: skip
    religion = religion_from_text(cell("religion")) if cell("religion") else "none"
    if religion is None:
        raise ValueError("religion", _("“%(text)s” is not a recognised religion.")
                         % {"text": cell("religion")})  # fmt: skip
    dates: dict[str, datetime.date | None] = {}
    for column in ("joined_on",):
        try:
            dates[column] = parse_date_vi(cell(column)) if cell(column) else None
        except ValueError as exc:
            raise fail(column, exc) from exc
    places = {}
    for column in ("hometown", "residence"):
        try:
            places[column] = _place(cell(column))
        except ValueError as exc:
            raise fail(column, exc) from exc
    choices = {}
    for column, options in (("education", EDUCATION_CHOICES),
                            ("qualification", QUALIFICATION_CHOICES)):  # fmt: skip
        try:
            choices[column] = _choice(cell(column), options) if cell(column) else ""
        except ValueError as exc:
            raise fail(column, exc) from exc
    party_text = fold(cell("party"))
    if party_text not in YES | NO:
        raise ValueError("party", _("Write Có or Không."))
    subunit = None
    if cell("subunit"):
        key = (unit.pk, fold(cell("subunit")))
        if key not in subunits:
            subunits[key] = Unit.objects.filter(
                path__startswith=unit.path, level=Level.SUBUNIT, name_key__contains=key[1]
            ).first()
        subunit = subunits[key]
        if subunit is None:
            raise ValueError("subunit", _("%(unit)s has no union group named “%(name)s”.")
                             % {"unit": unit.name, "name": cell("subunit")})  # fmt: skip
    residence_text = cell("residence")
    return services.PersonData(
        full_name=cell("full_name"), birth_date=birth, sex=sex, ethnicity=ethnicity,
        religion=religion, cccd=cccd_from_cell(cell("cccd")),
        hometown_province=places["hometown"][0], hometown_ward=places["hometown"][1],
        residence_province=places["residence"][0], residence_ward=places["residence"][1],
        residence_address=residence_text if places["residence"][0] is None else "",
        phone=_phone(cell("phone")), education=choices["education"],
        qualification=choices["qualification"], job_title=cell("job_title"),
        party_member=party_text in YES, joined_on=dates["joined_on"], subunit=subunit,
    )  # fmt: skip


def _same(member: Member, data: services.PersonData) -> bool:
    for name in services.PERSON_FIELDS:
        if name == "subunit":  # by id: no query for the member's union group
            mine, theirs = member.subunit_id, data.subunit.pk if data.subunit else None
        else:
            mine, theirs = getattr(member, name), getattr(data, name)
        if name == "party_joined_on" and not data.party_member:
            continue
        if name == "party_joined_on" and theirs is None:
            continue  # the file has no column for it: keep what is recorded
        if (mine or None) != (theirs or None):
            return False
    return True


def plan_import(
    *,
    user: Any,
    name: str,
    content: bytes,
    root: Unit,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Any = None,
    keep_rows: bool = True,
    on_rows: Callable[[list[PlannedRow]], None] | None = None,
) -> ImportPlan:
    """Read a roster for `root`'s subtree and say what importing it would do; writes nothing
    itself. `mapping` ({header as written: column, or "" to skip it}) overrides the guessed
    columns. The file is read and planned CHUNK rows at a time; while no problem has been
    found, each chunk's planned rows go to `on_rows` (the importer writes them), and they are
    kept in the plan only with `keep_rows`, so memory does not grow with the file."""
    reader = _reader(name, content, sheet, mapping)
    plan = ImportPlan(headers=reader.headers, root=root, columns=reader.found)
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in reader.columns]
    if missing:
        plan.problems.append(RowProblem(0, "", _("The file has no column %(columns)s.")
                                        % {"columns": ", ".join(missing)}))  # fmt: skip
        return plan
    planner = _Planner(user, root, plan)
    estimate = reader.estimate
    batch: list[tuple[int, dict[str, str]]] = []

    def flush() -> None:
        planned = planner.plan(batch)
        for r in planned:
            plan.counts[r.action] += 1
        if keep_rows:
            plan.rows.extend(planned)
        if on_rows is not None and plan.ok:
            on_rows(planned)
        if progress is not None:
            done = planner.read
            progress(done, max(estimate, done), _("Row %(row)s") % {"row": batch[-1][0]})
        batch.clear()

    for number, values in reader.rows():
        batch.append((number, values))
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    plan.problems.sort(key=lambda p: p.row)
    return plan


class _Planner:
    """Decides each row's action, a chunk at a time (one query per chunk for the people the
    chunk names; units and union groups looked up once); problems go to the plan."""

    def __init__(self, user: Any, root: Unit, plan: ImportPlan) -> None:
        self.user = user
        self.root = root
        self.result = plan
        self.written = plan.headers
        self.default_unit = root if root.level == Level.GRASSROOTS else None
        self.units: dict[str, Unit | None] = {}
        self.subunits: dict[tuple[int, str], Unit | None] = {}
        self.seen_cards: dict[str, int] = {}
        self.seen_cccd: dict[str, int] = {}
        self.visible: dict[int, bool] = {}
        self.read = 0

    def problem(self, row: int, column: str, message: str) -> None:
        self.result.problems.append(
            RowProblem(row, self.written.get(column, COLUMNS[column][0]), message)
        )

    def unit(self, code: str) -> Unit | None:
        if code not in self.units:
            root = self.root
            found = Unit.objects.filter(code=code, path__gte=root.path,
                                        path__lt=root.path + PATH_END).first()  # fmt: skip
            allowed = found is not None and (
                self.user is None or access.can_write(self.user, found)
            )
            self.units[code] = found if allowed else None
        return self.units[code]

    def can_see(self, unit_id: int) -> bool:
        if self.user is None:
            return True
        if unit_id not in self.visible:
            self.visible[unit_id] = access.can_see(self.user, Unit.objects.get(pk=unit_id))
        return self.visible[unit_id]

    def plan(self, batch: list[tuple[int, dict[str, str]]]) -> list[PlannedRow]:
        self.read += len(batch)
        cards = {v["card_number"].strip() for _n, v in batch if v.get("card_number", "").strip()}
        cccds = {cccd_from_cell(v["cccd"]) for _n, v in batch if v.get("cccd", "").strip()}
        by_card = {m.card_number: m for m in _members_where("card_number", cards)}
        by_cccd: dict[str, Member] = {}
        for m in sorted(_members_where("cccd", cccds), key=lambda m: m.status != "active"):
            by_cccd.setdefault(m.cccd, m)
        out: list[PlannedRow] = []
        for number, values in batch:
            row = self.row(number, values, by_card, by_cccd)
            if row is not None:
                out.append(row)
        return out

    def row(
        self,
        number: int,
        values: dict[str, str],
        by_card: dict[str | None, Member],
        by_cccd: dict[str, Member],
    ) -> PlannedRow | None:
        problem = self.problem
        code = values.get("unit_code", "").strip()
        unit = self.default_unit
        if code:
            unit = self.unit(code)
            if unit is None:
                problem(number, "unit_code", _("No unit with code %(code)s among your units.")
                        % {"code": code})  # fmt: skip
                return None
        if unit is None:
            problem(number, "unit_code", _("Give the grassroots union's code."))
            return None
        if unit.level != Level.GRASSROOTS or unit.status != Status.ACTIVE:
            problem(number, "unit_code", _("%(unit)s is not an active grassroots union.")
                    % {"unit": unit.name})  # fmt: skip
            return None
        missing = [c for c in REQUIRED if not values.get(c, "").strip()]
        if missing:
            problem(number, missing[0], _("This cell is required."))
            return None
        try:
            data = _person(values, unit, self.subunits)
            services.clean_person(data, unit=unit)
        except ValueError as exc:
            column, message = exc.args if len(exc.args) == 2 else ("full_name", str(exc))
            problem(number, column, message)
            return None
        except ServiceError as exc:
            problem(number, _field_column(exc.field), " ".join(exc.messages))
            return None
        card = values.get("card_number", "").strip()
        for key, seen, column in ((card, self.seen_cards, "card_number"),
                                  (data.cccd, self.seen_cccd, "cccd")):  # fmt: skip
            if key and key in seen:
                problem(number, column, _("The same person is already in row %(row)s.")
                        % {"row": seen[key]})  # fmt: skip
                return None
        for key, seen in ((card, self.seen_cards), (data.cccd, self.seen_cccd)):
            if key:
                seen[key] = number
        member = by_card.get(card) if card else None
        if card and member is None:
            problem(number, "card_number", _("No member has the code %(code)s.")
                    % {"code": card})  # fmt: skip
            return None
        member = member or (by_cccd.get(data.cccd) if data.cccd else None)
        if member is not None and not self.can_see(member.unit_id):
            if member.status == MemberStatus.ACTIVE:
                action = "transfer"
            else:
                member, action = None, "create"
        elif member is None:
            action = "create"
        elif member.unit_id != unit.pk:
            action = "transfer" if member.status == MemberStatus.ACTIVE else "update"
        else:
            action = "unchanged" if _same(member, data) else "update"
        if action == "create":
            if data.joined_on is None:
                problem(number, "joined_on", _("Give the date the person joined the union."))
                return None
            try:
                services.check_founded(unit, data.joined_on, field="joined_on")
            except ServiceError as exc:
                problem(number, "joined_on", " ".join(exc.messages))
                return None
        return PlannedRow(number, action, unit, data, member)


def _members_where(column: str, values: set[str]) -> list[Member]:
    """Members whose `column` is one of `values` (a chunk's card numbers or CCCDs), without
    compiling a query with thousands of parameters: one array parameter on PostgreSQL, and
    batches within SQLite's limit elsewhere."""
    if not values:
        return []
    qn = connection.ops.quote_name
    table, col = qn(Member._meta.db_table), qn(column)
    if connection.vendor == "postgresql":
        # Names quoted from model metadata, values passed as parameters.
        sql = f"SELECT * FROM {table} WHERE {col} = ANY(%s)"  # nosec B608
        return list(Member.objects.raw(sql, [list(values)]))
    found: list[Member] = []
    ordered = sorted(values)
    for i in range(0, len(ordered), 500):
        part = ordered[i : i + 500]
        # Names quoted from model metadata, values passed as parameters.
        sql = f"SELECT * FROM {table} WHERE {col} IN ({', '.join(['%s'] * len(part))})"  # nosec B608
        found.extend(Member.objects.raw(sql, part))
    return found


def cccd_from_cell(text: str) -> str:
    """A CCCD number as written, its leading zeros put back when a spreadsheet kept it as a
    number: every number starts with the 0 of its province code (001-096), so 11 or 10 digits
    not starting with 0 are exactly what Excel leaves of one (1090012345 → 001090012345)."""
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit() and len(digits) in (10, 11) and digits[0] != "0":
        return digits.zfill(12)
    return digits


def _phone(text: str) -> str:
    """A phone number as written, its leading 0 put back when a spreadsheet kept it as a
    number (912345678 → 0912345678)."""
    digits = re.sub(r"[\s.()-]", "", text)
    if digits.isdigit() and len(digits) == 9 and digits[0] != "0":
        return "0" + digits
    return text


def _field_column(service_field: str | None) -> str:
    """The column of the file a service's field error belongs to."""
    if service_field in COLUMNS:
        return service_field
    return {"date": "joined_on", "unit": "unit_code", "to_unit": "unit_code"}.get(
        service_field or "", "full_name"
    )


class _Writer:
    """Writes planned rows as they come, within the caller's transaction: new people in
    set-based batches, the others one by one through the member services; `finish` brings the
    tallies up to date and records the one audit event of the import."""

    def __init__(self, user: Any, file_name: str) -> None:
        self.user = user
        self.file_name = file_name
        self.batch = services.BulkAdmission(actor=user, checked=True)
        self.problems: list[RowProblem] = []

    def write(self, rows: list[PlannedRow]) -> None:
        if self.problems:
            return  # it will all be rolled back: no use writing more
        creates = [r for r in rows if r.action == "create"]
        if creates:
            try:
                self.batch.add([services.BulkEntry(unit=r.unit, data=r.data,
                                                   admit_on=r.data.joined_on)
                                for r in creates])  # fmt: skip
            except services.BulkError as exc:
                for i, column, message in exc.problems:
                    self.problems.append(RowProblem(creates[i].row, _field_column(column), message))
        for r in rows:
            if r.member is None or r.action in ("create", "unchanged"):
                continue
            try:
                with transaction.atomic():
                    if r.action == "transfer":
                        transfer = services.transfer_request(
                            actor=self.user, member=r.member, to_unit=r.unit,
                            date=services.today(), decision_ref=self.file_name[:120])  # fmt: skip
                        services.transfer_decide(actor=self.user, transfer=transfer, accept=True)
                        r.member.refresh_from_db()
                    if not _same(r.member, r.data):
                        services.member_update(actor=self.user, member=r.member, data=r.data)
            except ServiceError as exc:
                self.problems.append(
                    RowProblem(r.row, _field_column(exc.field), " ".join(exc.messages))
                )

    def finish(self, plan: ImportPlan, file_hash: str) -> dict[str, int]:
        if self.problems:  # name each column as the file does
            raise ImportFailed([
                RowProblem(p.row, plan.headers.get(p.column, COLUMNS[p.column][0]), p.message)
                for p in self.problems
            ])  # fmt: skip
        self.batch.finish(audit=False)
        counts = dict(plan.counts)
        if plan.root is not None:
            audit_record(actor=self.user, action="member.import", target=plan.root,
                         unit_id=plan.root.pk, changes={k: [None, v] for k, v in counts.items()},
                         summary=f"{self.file_name} sha256:{file_hash[:16]}")  # fmt: skip
        return counts


@audited
def apply_import(*, user: Any, plan: ImportPlan, file_name: str, file_hash: str) -> dict[str, int]:
    """Write a plan made with its rows kept, in one transaction: everything, or nothing if any
    row fails."""
    if not plan.ok:
        raise ServiceError(_("The file has errors; nothing was imported."))
    writer = _Writer(user, file_name)
    writer.write(plan.rows)
    return writer.finish(plan, file_hash)


@audited
def import_file(
    *,
    user: Any,
    name: str,
    content: bytes,
    root: Unit,
    file_hash: str,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Any = None,
) -> ImportPlan:
    """Read, check and write a roster in one pass and one transaction, a chunk at a time (the
    way large files are imported: memory stays flat). Any problem, found while reading or
    while writing, rolls everything back: ImportFailed lists them all."""
    writer = _Writer(user, name)
    plan = plan_import(user=user, name=name, content=content, root=root, sheet=sheet,
                       mapping=mapping, progress=progress, keep_rows=False,
                       on_rows=writer.write)  # fmt: skip
    if not plan.ok:
        raise ImportFailed(plan.problems)
    writer.finish(plan, file_hash)
    return plan


class ImportFailed(ServiceError):
    def __init__(self, problems: list[RowProblem]):
        super().__init__("; ".join(f"{p.row}: {p.message}" for p in problems[:20]))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Writing rosters


def _safe(value: str) -> str:
    """A cell that a spreadsheet would read as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


_EXPORT_FIELDS = [
    "full_name", "birth_date", "sex", "ethnicity", "religion", "cccd", "hometown_province",
    "hometown_ward", "residence_address", "residence_province", "residence_ward", "phone",
    "education", "qualification", "job_title", "party_member", "joined_on", "card_number",
    "subunit__name", "unit__code",
]  # fmt: skip


def roster_rows(members: QuerySet[Member]) -> Iterable[list[str]]:
    """The members as rows of text in the template's columns (read as plain values, in
    chunks: an export of 100,000 people builds no model instances)."""
    edu = {code: str(label) for code, label in EDUCATION_CHOICES}
    qual = {code: str(label) for code, label in QUALIFICATION_CHOICES}
    places: dict[tuple[int | None, int | None], str] = {}

    def place(province: int | None, ward: int | None) -> str:
        key = (province, ward)
        if key not in places:
            places[key] = place_text(province, ward)
        return places[key]

    rows = members.values_list(*_EXPORT_FIELDS).iterator(chunk_size=5000)
    for row in rows:
        (name, birth, sex, ethnicity, religion, cccd, home_p, home_w, address, live_p,
         live_w, phone, education, qualification, job, party, joined, card, subunit,
         code) = row  # fmt: skip
        yield [_safe(v) for v in [
            name, date_vi(birth), "Nữ" if sex == "female" else "Nam",
            ethnicity_name(ethnicity) or "", religion_name(religion) or "", cccd,
            place(home_p, home_w), address or place(live_p, live_w), phone,
            edu.get(education, ""), qual.get(qualification, ""), job,
            "Có" if party else "Không", date_vi(joined), card or "", subunit or "", code,
        ]]  # fmt: skip


def write_roster(members: QuerySet[Member], fmt: str, out: Any) -> int:
    """Write members as .xlsx or .csv (UTF-8 with BOM, for Excel) in the importer's columns."""
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(headers())
        for row in roster_rows(members):
            writer.writerow(row)
            count += 1
        text.flush()
        text.detach()
        return count
    widths = [28, 12, 9, 10, 10, 14, 30, 30, 13, 18, 18, 20, 10, 14, 13, 22, 12]
    return write_xlsx(out, [(_("Members"), headers(), roster_rows(members))], widths=widths)


def write_template(unit: Unit) -> bytes:
    """An import template for `unit`: a title row, the Vietnamese headers, drop-down lists for
    sex, ethnicity and yes/no, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from .reference import ETHNIC_GROUPS

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append([f"DANH SÁCH ĐOÀN VIÊN — {unit.name} ({unit.code})"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(headers())
    for cell in ws[2]:
        cell.font = Font(bold=True)
    lists = wb.create_sheet("Danh mục")
    for i, (_code, name) in enumerate(ETHNIC_GROUPS, start=1):
        lists.cell(row=i, column=1, value=name)
    columns = list(COLUMNS)

    def letter(column: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(columns.index(column) + 1)

    validations = [
        ("sex", '"Nam,Nữ"'),
        ("party", '"Có,Không"'),
        ("ethnicity", f"'Danh mục'!$A$1:$A${len(ETHNIC_GROUPS)}"),
    ]
    for column, formula in validations:
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.add(f"{letter(column)}3:{letter(column)}5000")
        ws.add_data_validation(dv)
    guide = wb.create_sheet("Hướng dẫn")
    for line in [
        "Điền mỗi người một dòng, bắt đầu từ dòng 3 của trang Danh sách.",
        "Bắt buộc: Họ và tên, Ngày sinh (dd/mm/yyyy), Giới tính (Nam/Nữ); đoàn viên mới cần "
        "Ngày vào Công đoàn.",
        "Số CCCD: 12 chữ số. Quê quán, Nơi ở hiện nay: 'xã/phường, tỉnh/thành phố'.",
        "Số thẻ đoàn viên: để trống với người mới; hệ thống cấp mã. Ghi số thẻ để cập nhật "
        "người đã có.",
        f"Mã đơn vị: mã công đoàn cơ sở (ví dụ {unit.code}); để trống nếu nhập cho chính "
        "công đoàn cơ sở này.",
        "Nhập lại cùng một tệp không tạo trùng: người đã có được so theo số thẻ, rồi số CCCD.",
    ]:
        guide.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
