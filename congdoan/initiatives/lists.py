"""Lists of initiatives from spreadsheets: one row per initiative recorded under a programme,
read with the shared reader (headers found by name, any case or accents; title rows skipped),
each row checked by the same rules as an initiative recorded by hand, then written all or
nothing. A row already recorded (the same unit, title and submission date) is left as it is,
so importing a file twice records it once."""

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core import bulk
from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import parse_date_vi
from congdoan.core.sheets import TableReader
from congdoan.core.text import fold
from congdoan.members.models import Member, MemberStatus
from congdoan.members.queries import in_subtree as members_in_subtree
from congdoan.members.roster_io import ImportFailed, RowProblem
from congdoan.org import access
from congdoan.org.models import Unit

from . import services
from .models import (
    Initiative,
    InitiativeAuthor,
    InitiativeField,
    InitiativeProgramme,
    InitiativeUpload,
)

# canonical column -> (the template's Vietnamese header, other headers accepted)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "title": ("Tên sáng kiến", ["tên giải pháp", "sáng kiến", "tên đề tài", "title"]),
    "unit_code": ("Mã đơn vị", ["mã cđcs", "mã công đoàn cơ sở", "unit code"]),
    "field": ("Lĩnh vực", ["lĩnh vực áp dụng", "field"]),
    "authors": ("Tác giả (số thẻ đoàn viên hoặc CCCD)",
                ["tác giả", "mã tác giả", "số thẻ tác giả", "authors"]),
    "co_authors": ("Đồng tác giả khác", ["đồng tác giả", "co-authors"]),
    "value": ("Giá trị làm lợi (đồng)", ["giá trị làm lợi", "giá trị", "value"]),
    "submitted_on": ("Ngày đăng ký", ["ngày nộp", "ngày", "submitted on", "date"]),
    "description": ("Mô tả", ["tóm tắt", "nội dung", "description"]),
}  # fmt: skip
REQUIRED = ["title", "authors", "submitted_on"]
CHUNK = 500

# The column of the file a service's field error belongs to.
FIELD_COLUMN = {
    "title": "title", "field": "field", "unit": "unit_code", "submitted_on": "submitted_on",
    "value_vnd": "value", "authors": "authors", "co_authors": "co_authors",
}  # fmt: skip

FIELD_WORDS = {
    **{value: value for value in InitiativeField.values},
    "ky thuat": "technical", "quan ly": "management", "san xuat": "production",
    "dich vu": "service", "giao duc": "education", "khac": "other",
    "giao duc dao tao": "education", "quan ly hanh chinh": "management",
}  # fmt: skip
_AUTHOR = re.compile(r"^(\d{10}|\d{12})\s*(?:\(\s*(\d{1,3})\s*%?\s*\)|[:\-]\s*(\d{1,3})\s*%?)?$")


@dataclass
class PlannedInitiative:
    row: int
    unit: Unit
    checked: services.CheckedInitiative


@dataclass
class InitiativePlan:
    """What importing a list does: the initiatives to record, those already recorded, and
    every problem."""

    rows: list[PlannedInitiative] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"create": 0, "unchanged": 0, "value_vnd": 0}
    )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total(self) -> int:
        return self.counts["create"] + self.counts["unchanged"]


def field_of(text: str) -> str | None:
    """The field named by a cell ("Kỹ thuật", "quan ly", "technical"); blank is "other"."""
    if not text.strip():
        return "other"
    labels = {fold(str(label)): value for value, label in InitiativeField.choices}
    return FIELD_WORDS.get(fold(text)) or labels.get(fold(text))


class _Planner:
    def __init__(self, user: Any, programme: InitiativeProgramme, unit: Unit,
                 plan: InitiativePlan) -> None:  # fmt: skip
        self.user = user
        self.programme = programme
        self.unit = unit
        self.plan = plan
        self.units: dict[str, Unit | None] = {}
        self.recorded = {
            (u, k, d)
            for u, k, d in Initiative.objects.filter(
                programme=programme, unit__path__gte=unit.path, unit__path__lt=unit.path_end
            ).values_list("unit_id", "title_key", "submitted_on")
        }
        self.in_file: dict[tuple[int, str, Any], int] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        label = self.plan.headers.get(column) or COLUMNS.get(column, (column,))[0]
        self.plan.problems.append(RowProblem(row, label, message))

    def unit_of(self, code: str) -> Unit | None:
        if code not in self.units:
            found = Unit.objects.filter(code=code).first()
            ok = (
                found is not None
                and found.path.startswith(self.unit.path)
                and (self.user is None or access.can_write(self.user, found))
            )
            self.units[code] = found if ok else None
        return self.units[code]

    def members(self, batch: list[tuple[int, dict[str, str]]]) -> dict[str, Member]:
        """The active members of the importing unit's subtree the chunk names, by member code
        and by CCCD."""
        codes: set[str] = set()
        for _n, values in batch:
            for part in re.split(r"[;,\n]", values.get("authors", "")):
                m = _AUTHOR.match(part.strip())
                if m:
                    codes.add(m.group(1))
        pool = Member.objects.filter(members_in_subtree(self.unit), status=MemberStatus.ACTIVE)
        found: dict[str, Member] = {}
        cards = [c for c in codes if len(c) == 10]
        for member in pool.filter(card_number__in=cards).select_related("unit"):
            found[member.card_number or ""] = member
        cccds = [c for c in codes if len(c) == 12]
        for member in pool.filter(cccd__in=cccds).select_related("unit"):
            found[member.cccd] = member
        return found

    def chunk(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        people = self.members(batch)
        for number, values in batch:
            self.row(number, values, people)

    def row(self, number: int, values: dict[str, str], people: dict[str, Member]) -> None:
        cell = {k: (v or "").strip() for k, v in values.items()}
        missing = [c for c in REQUIRED if not cell.get(c)]
        if missing:
            self.problem(number, missing[0], _("This cell is required."))
            return
        unit = self.unit
        if cell.get("unit_code"):
            found = self.unit_of(cell["unit_code"])
            if found is None:
                message = _("No unit with code %(code)s under %(unit)s that you may record for.")
                self.problem(
                    number,
                    "unit_code",
                    message % {"code": cell["unit_code"], "unit": self.unit.name},
                )
                return
            unit = found
        kind = field_of(cell.get("field", ""))
        if kind is None:
            self.problem(number, "field", _("“%(text)s” is not a field; write one of: %(fields)s.")
                         % {"text": cell["field"], "fields": ", ".join(
                             str(label) for _v, label in InitiativeField.choices)})  # fmt: skip
            return
        try:
            day = parse_date_vi(cell["submitted_on"])
        except ValueError as exc:
            self.problem(number, "submitted_on", str(exc))
            return
        authors: list[tuple[Member, Any]] = []
        for part in [p.strip() for p in re.split(r"[;,\n]", cell["authors"]) if p.strip()]:
            m = _AUTHOR.match(part)
            if m is None:
                self.problem(number, "authors",
                             _("“%(text)s” is not a member code (10 digits) or a CCCD (12 "
                               "digits).") % {"text": part})  # fmt: skip
                return
            member = people.get(m.group(1))
            if member is None:
                message = _(
                    "No member of the unions under %(unit)s has the member code or CCCD %(code)s."
                )
                self.problem(
                    number, "authors", message % {"unit": self.unit.name, "code": m.group(1)}
                )
                return
            authors.append((member, m.group(2) or m.group(3)))
        data = services.InitiativeData(
            title=cell["title"], field=kind, submitted_on=day, value_vnd=cell.get("value") or 0,
            description=cell.get("description", ""), co_authors=cell.get("co_authors", ""),
            authors=authors,
        )  # fmt: skip
        try:
            checked = services.check_initiative(self.programme, unit, data)
        except ServiceError as exc:
            self.problem(number, FIELD_COLUMN.get(exc.field or "", "title"), " ".join(exc.messages))
            return
        key = (unit.pk, checked.values["title_key"], checked.values["submitted_on"])
        if key in self.recorded:
            self.plan.counts["unchanged"] += 1
            return
        if key in self.in_file:
            self.problem(number, "title", _("The same initiative is already in row %(row)s.")
                         % {"row": self.in_file[key]})  # fmt: skip
            return
        self.in_file[key] = number
        self.plan.counts["create"] += 1
        self.plan.counts["value_vnd"] += checked.values["value_vnd"]
        self.plan.rows.append(PlannedInitiative(number, unit, checked))


def plan_list(*, user: Any, programme: InitiativeProgramme, unit: Unit, name: str,
              content: bytes, sheet: str | None = None, mapping: dict[str, str] | None = None,
              progress: Any = None) -> InitiativePlan:  # fmt: skip
    """Read a list of `unit`'s initiatives under `programme` and say what importing it would
    do; writes nothing."""
    aliases = {col: [vi, *more] for col, (vi, more) in COLUMNS.items()}
    reader = TableReader(name, content, aliases, sheet=sheet, mapping=mapping, any_header=True)
    plan = InitiativePlan(headers=reader.headers, columns=reader.found)
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in reader.columns]
    if missing:
        plan.problems.append(RowProblem(0, "", _("The file has no column %(columns)s.")
                                        % {"columns": ", ".join(missing)}))  # fmt: skip
        return plan
    planner = _Planner(user, programme, unit, plan)
    batch: list[tuple[int, dict[str, str]]] = []
    seen = 0
    for number, values in reader.rows():
        batch.append((number, values))
        if len(batch) >= CHUNK:
            planner.chunk(batch)
            seen += len(batch)
            if progress is not None:
                progress(seen, max(reader.estimate, seen), _("Row %(row)s") % {"row": number})
            batch = []
    if batch:
        planner.chunk(batch)
    plan.problems.sort(key=lambda p: p.row)
    return plan


def plan_upload(*, user: Any, upload: InitiativeUpload, progress: Any = None) -> InitiativePlan:
    return plan_list(
        user=user, programme=upload.programme, unit=upload.unit, name=upload.file_name,
        content=bytes(upload.content), sheet=upload.sheet or None,
        mapping=upload.mapping or None, progress=progress,
    )  # fmt: skip


def write_initiatives(planned: list[PlannedInitiative], *, programme: InitiativeProgramme,
                      actor: Any, is_demo: bool = False) -> list[Initiative]:  # fmt: skip
    """Checked initiatives and their authors, written in bulk."""
    user = actor if getattr(actor, "pk", None) else None
    rows = [
        Initiative(programme=programme, unit=p.unit, created_by=user, is_demo=is_demo,
                   **p.checked.values)
        for p in planned
    ]  # fmt: skip
    bulk.create_many(rows)
    authors = [
        InitiativeAuthor(initiative=row, member=m, order=i, share_pct=s)
        for row, p in zip(rows, planned, strict=True)
        for i, (m, s) in enumerate(p.checked.authors, start=1)
    ]
    bulk.create_many(authors)
    return rows


@audited
def import_upload(*, user: Any, upload: InitiativeUpload, progress: Any = None) -> InitiativePlan:
    """Check the list again and record every new initiative, in one transaction: all of it or
    nothing (ImportFailed lists the problems by row and column)."""
    plan = plan_upload(user=user, upload=upload, progress=progress)
    if not plan.ok:
        raise ImportFailed(plan.problems)
    write_initiatives(plan.rows, programme=upload.programme, actor=user)
    audit_record(
        actor=user, action="initiative.import", target=upload.programme, unit_id=upload.unit_id,
        changes={"create": [None, plan.counts["create"]],
                 "unchanged": [None, plan.counts["unchanged"]],
                 "value_vnd": [None, plan.counts["value_vnd"]]},
        summary=f"{upload.file_name} sha256:{upload.sha256}",
    )  # fmt: skip
    return plan


def write_template(programme: InitiativeProgramme) -> bytes:
    """A list template: a title row, the headers, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append([f"DANH SÁCH SÁNG KIẾN — {programme.name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([vi for vi, _more in COLUMNS.values()])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    guide = wb.create_sheet("Hướng dẫn")
    fields = ", ".join(str(label) for _v, label in InitiativeField.choices)
    for line in [
        "Mỗi sáng kiến một dòng, bắt đầu từ dòng 3 của trang Danh sách.",
        "Bắt buộc: Tên sáng kiến, Tác giả, Ngày đăng ký (dd/mm/yyyy, trong thời gian của "
        f"chương trình: {programme.start:%d/%m/%Y} - {programme.end:%d/%m/%Y}).",
        "Tác giả: số thẻ đoàn viên (10 chữ số) hoặc số CCCD (12 chữ số), cách nhau bởi dấu ; "
        "— có thể ghi tỷ lệ đóng góp sau mỗi tác giả, ví dụ 0123456789 (60%); 0987654321 (40%).",
        "Đồng tác giả khác: người không phải đoàn viên, ghi họ tên, cách nhau bởi dấu ;.",
        "Mã đơn vị: công đoàn cơ sở của sáng kiến; để trống là đơn vị nhập danh sách.",
        f"Lĩnh vực: một trong {fields}; để trống là Khác.",
        "Giá trị làm lợi: số đồng nguyên, ví dụ 12.500.000; để trống là 0.",
        "Nhập lại cùng một tệp không ghi trùng.",
    ]:
        guide.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
