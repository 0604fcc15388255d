"""Rosters in and out: the columns union officials use in their spreadsheets, reading a file
into a checked plan (created / updated / transferred in / unchanged, and every row's problems),
applying the plan all or nothing, and writing a roster in the same columns (a round trip
changes nothing)."""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import date_vi, parse_date_vi
from congdoan.core.sheets import read_table
from congdoan.core.text import fold
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


def _choice(text: str, choices: Iterable[tuple[str, Any]]) -> str:
    key = fold(text)
    for code, label in choices:
        if key in (fold(code), fold(str(label))):
            return code
    raise ValueError(_("“%(text)s” is not one of the listed values.") % {"text": text})


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


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)  # header cells, as read
    root: Unit | None = None  # the unit the roster is imported into

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(
    name: str, content: bytes, sheet: str | None, mapping: dict[str, str] | None = None
) -> tuple[Any, dict[str, str]]:
    aliases = {col: [vi, *more] for col, (vi, more) in COLUMNS.items()}
    table = read_table(name, content, aliases, sheet=sheet, mapping=mapping)
    return table, table.headers


def _person(values: dict[str, str], unit: Unit) -> services.PersonData:
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
        subunit = Unit.objects.filter(
            path__startswith=unit.path,
            level=Level.SUBUNIT,
            name_key__contains=fold(cell("subunit")),
        ).first()
        if subunit is None:
            raise ValueError("subunit", _("%(unit)s has no union group named “%(name)s”.")
                             % {"unit": unit.name, "name": cell("subunit")})  # fmt: skip
    residence_text = cell("residence")
    return services.PersonData(
        full_name=cell("full_name"), birth_date=birth, sex=sex, ethnicity=ethnicity,
        religion=religion, cccd=cell("cccd"),
        hometown_province=places["hometown"][0], hometown_ward=places["hometown"][1],
        residence_province=places["residence"][0], residence_ward=places["residence"][1],
        residence_address=residence_text if places["residence"][0] is None else "",
        phone=cell("phone"), education=choices["education"],
        qualification=choices["qualification"], job_title=cell("job_title"),
        party_member=party_text in YES, joined_on=dates["joined_on"], subunit=subunit,
    )  # fmt: skip


def _same(member: Member, data: services.PersonData) -> bool:
    for name in services.PERSON_FIELDS:
        mine = getattr(member, name)
        theirs = getattr(data, name)
        if name == "subunit":
            mine, theirs = member.subunit_id, theirs.pk if theirs else None
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
) -> ImportPlan:
    """Read a roster for `root`'s subtree and say what importing it would do; writes nothing.
    `mapping` ({header as written: column, or "" to skip it}) overrides the guessed columns."""
    table, written = _read(name, content, sheet, mapping)
    plan = ImportPlan(headers=written, root=root, columns=table.found)
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in table.columns]
    if missing:
        plan.problems.append(RowProblem(0, "", _("The file has no column %(columns)s.")
                                        % {"columns": ", ".join(missing)}))  # fmt: skip
        return plan

    def problem(row: int, column: str, message: str) -> None:
        plan.problems.append(RowProblem(row, written.get(column, COLUMNS[column][0]), message))

    default_unit = root if root.level == Level.GRASSROOTS else None
    units: dict[str, Unit | None] = {}
    seen_cards: dict[str, int] = {}
    seen_cccd: dict[str, int] = {}
    cards = {v["card_number"].strip() for v in table.rows if v.get("card_number", "").strip()}
    cccds = {re.sub(r"[\s.]", "", v["cccd"]) for v in table.rows if v.get("cccd", "").strip()}
    by_card = {m.card_number: m for m in Member.objects.filter(card_number__in=cards)
               .select_related("unit", "subunit")}  # fmt: skip
    by_cccd: dict[str, Member] = {}
    for m in (Member.objects.filter(cccd__in=cccds).select_related("unit", "subunit")
              .order_by("status")):  # fmt: skip
        by_cccd.setdefault(m.cccd, m)
    total = len(table.rows)
    for index, (values, number) in enumerate(zip(table.rows, table.row_numbers, strict=True)):
        if progress is not None and index % 500 == 0:
            progress(index, total, _("Checking row %(row)s") % {"row": number})
        code = values.get("unit_code", "").strip()
        unit = default_unit
        if code:
            if code not in units:
                found = Unit.objects.filter(code=code, path__gte=root.path,
                                            path__lt=root.path + PATH_END).first()  # fmt: skip
                allowed = found is not None and (user is None or access.can_write(user, found))
                units[code] = found if allowed else None
            unit = units[code]
            if unit is None:
                problem(
                    number,
                    "unit_code",
                    _("No unit with code %(code)s among your units.") % {"code": code},
                )
                continue
        if unit is None:
            problem(number, "unit_code", _("Give the grassroots union's code."))
            continue
        if unit.level != Level.GRASSROOTS or unit.status != Status.ACTIVE:
            problem(number, "unit_code", _("%(unit)s is not an active grassroots union.")
                    % {"unit": unit.name})  # fmt: skip
            continue
        missing = [c for c in REQUIRED if not values.get(c, "").strip()]
        if missing:
            problem(number, missing[0], _("This cell is required."))
            continue
        try:
            data = _person(values, unit)
            services.clean_person(data, unit=unit)
        except ValueError as exc:
            column, message = exc.args if len(exc.args) == 2 else ("full_name", str(exc))
            problem(number, column, message)
            continue
        except ServiceError as exc:
            problem(number, exc.field if exc.field in COLUMNS else _field_column(exc.field),
                    " ".join(exc.messages))  # fmt: skip
            continue
        card = values.get("card_number", "").strip()
        for key, seen, column in ((card, seen_cards, "card_number"),
                                  (data.cccd, seen_cccd, "cccd")):  # fmt: skip
            if key and key in seen:
                problem(number, column, _("The same person is already in row %(row)s.")
                        % {"row": seen[key]})  # fmt: skip
                break
            if key:
                seen[key] = number
        else:
            member = by_card.get(card) if card else None
            if card and member is None:
                problem(number, "card_number", _("No member has the code %(code)s.")
                        % {"code": card})  # fmt: skip
                continue
            member = member or (by_cccd.get(data.cccd) if data.cccd else None)
            hidden = (
                user is not None and member is not None and not access.can_see(user, member.unit)
            )
            if member is not None and hidden:
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
            if action == "create" and data.joined_on is None:
                problem(number, "joined_on", _("Give the date the person joined the union."))
                continue
            plan.rows.append(PlannedRow(number, action, unit, data, member))
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _field_column(service_field: str | None) -> str:
    return {"date": "joined_on", "unit": "unit_code"}.get(service_field or "", "full_name")


@transaction.atomic
def apply_import(*, user: Any, plan: ImportPlan, file_name: str, file_hash: str) -> dict[str, int]:
    """Write the plan in one transaction: everything, or nothing if any row fails."""
    if not plan.ok:
        raise ServiceError(_("The file has errors; nothing was imported."))
    problems: list[RowProblem] = []
    creates = [r for r in plan.rows if r.action == "create"]
    if creates:
        try:
            services.member_bulk_create(
                actor=user,
                entries=[services.BulkEntry(unit=r.unit, data=r.data, admit_on=r.data.joined_on)
                         for r in creates],
                summary=file_name,
                checked=True,
            )  # fmt: skip
        except services.BulkError as exc:
            for i, column, message in exc.problems:
                problems.append(RowProblem(creates[i].row, _field_column(column), message))
    for r in plan.rows:
        if r.member is None or r.action in ("create", "unchanged"):
            continue
        try:
            with transaction.atomic():
                if r.action == "transfer":
                    transfer = services.transfer_request(
                        actor=user, member=r.member, to_unit=r.unit,
                        date=services.today(), decision_ref=file_name[:120])  # fmt: skip
                    services.transfer_decide(actor=user, transfer=transfer, accept=True)
                    r.member.refresh_from_db()
                if not _same(r.member, r.data):
                    services.member_update(actor=user, member=r.member, data=r.data)
        except ServiceError as exc:
            problems.append(RowProblem(r.row, _field_column(exc.field), " ".join(exc.messages)))
    if problems:
        raise ImportFailed(problems)
    counts = {a: plan.count(a) for a in ("create", "update", "transfer", "unchanged")}
    if plan.root is not None:
        audit_record(actor=user, action="member.import", target=plan.root, unit_id=plan.root.pk,
                     changes={k: [None, v] for k, v in counts.items()},
                     summary=f"{file_name} sha256:{file_hash[:16]}")  # fmt: skip
    return counts


class ImportFailed(ServiceError):
    def __init__(self, problems: list[RowProblem]):
        super().__init__("; ".join(f"{p.row}: {p.message}" for p in problems[:20]))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Writing rosters


def _safe(value: str) -> str:
    """A cell that a spreadsheet would read as a formula is written as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def roster_rows(members: Iterable[Member]) -> Iterable[list[str]]:
    edu = dict(EDUCATION_CHOICES)
    qual = dict(QUALIFICATION_CHOICES)
    for m in members:
        yield [_safe(v) for v in [
            m.full_name, date_vi(m.birth_date), "Nữ" if m.sex == "female" else "Nam",
            ethnicity_name(m.ethnicity) or "", religion_name(m.religion) or "", m.cccd,
            place_text(m.hometown_province, m.hometown_ward),
            m.residence_address or place_text(m.residence_province, m.residence_ward),
            m.phone, str(edu.get(m.education, "")), str(qual.get(m.qualification, "")),
            m.job_title, "Có" if m.party_member else "Không", date_vi(m.joined_on),
            m.card_number or "", m.subunit.name if m.subunit else "", m.unit.code,
        ]]  # fmt: skip


def write_roster(members: Iterable[Member], fmt: str, out: Any) -> int:
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
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Members"))
    ws.append(headers())
    for row in roster_rows(members):
        ws.append(row)
        count += 1
    wb.save(out)
    return count


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
