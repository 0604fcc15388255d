"""Support lists from spreadsheets: one row per person supported under a programme, read with
the roster import's reader (headers found by name, any case or accents; title rows skipped;
merged cells filled down), checked against every rule of the programme as a case recorded by
hand would be, then written all or nothing. Rows already recorded (the same person, date,
amounts and voucher by the same unit) are left as they are, so importing a file twice records
it once."""

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.audit import audit_record, audited
from congdoan.core.errors import ServiceError
from congdoan.core.formatting import parse_date_vi, vnd
from congdoan.core.sheets import TableReader
from congdoan.core.text import fold
from congdoan.members.models import Member
from congdoan.members.queries import members_visible
from congdoan.members.roster_io import ImportFailed, RowProblem, cccd_from_cell
from congdoan.org import access
from congdoan.org.models import Unit

from . import support as care
from .models import (
    LIVE_SUPPORT,
    Programme,
    ProgrammeItem,
    Support,
    SupportStatus,
    SupportUpload,
)

# canonical column -> (the template's Vietnamese header, other headers accepted)
COLUMNS: dict[str, tuple[str, list[str]]] = {
    "full_name": ("Họ và tên", ["họ tên", "người nhận", "tên người nhận", "full name", "name"]),
    "cccd": ("Số CCCD", ["cccd", "căn cước công dân", "số căn cước", "cmnd/cccd"]),
    "card_number": ("Số thẻ đoàn viên", ["số thẻ", "mã đoàn viên", "member code"]),
    "unit_code": ("Mã đơn vị", ["mã cđcs", "mã công đoàn cơ sở", "unit code"]),
    "employer": ("Nơi làm việc", ["đơn vị công tác", "doanh nghiệp", "employer"]),
    "category": ("Loại", ["mức hỗ trợ", "đối tượng", "phân loại", "category"]),
    "cash": ("Số tiền", ["số tiền hỗ trợ", "tiền mặt", "cash", "amount"]),
    "voucher": ("Phiếu mua hàng", ["phiếu quà tặng", "voucher", "vouchers"]),
    "date": ("Ngày", ["ngày hỗ trợ", "ngày nhận", "date"]),
    "reference": ("Số chứng từ", ["chứng từ", "số phiếu chi", "reference"]),
}
REQUIRED = ["full_name", "date"]
ITEM_PREFIX = "item_"
CHUNK = 500  # rows whose people are looked up together

# The column of the file a service's field error belongs to.
FIELD_COLUMN = {
    "cash_vnd": "cash", "voucher_vnd": "voucher", "category": "category", "date": "date",
    "person_cccd": "cccd", "person_name": "full_name", "member": "card_number",
    "person": "full_name", "person_unit": "unit_code", "employer_name": "employer",
    "reference": "reference", "amount_vnd": "cash",
}  # fmt: skip


def columns_for(programme: Programme) -> dict[str, tuple[str, list[str]]]:
    """The columns a list for `programme` may have: the fixed ones, and a quantity column for
    each of its gift items, headed by the item's name."""
    columns = dict(COLUMNS)
    for item in programme.items.order_by("id"):
        more = [f"{item.name} ({item.measure})"] if item.measure else []
        columns[f"{ITEM_PREFIX}{item.pk}"] = (item.name, more)
    return columns


@dataclass
class PlannedSupport:
    row: int
    action: str  # "create" or "unchanged"
    checked: care.CheckedSupport


@dataclass
class SupportPlan:
    """What importing a list does: the rows to record, those already recorded, every problem."""

    rows: list[PlannedSupport] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)  # header cells, as read
    counts: dict[str, int] = field(
        default_factory=lambda: {"create": 0, "unchanged": 0, "total_vnd": 0}
    )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def read(self) -> int:
        return self.counts["create"] + self.counts["unchanged"]

    @property
    def total(self) -> int:  # rows read, as every plan of an upload says it
        return self.read


def _signature(values: dict[str, Any], key: str) -> tuple[Any, ...]:
    category = values.get("category")
    return (key, values["date"], values["cash_vnd"], values["in_kind_vnd"],
            values["voucher_vnd"], category.pk if category else None,
            values["reference"])  # fmt: skip


class _ListRules(care.Rules):
    """The programme's rules over a whole list: what the database holds, plus what the rows
    above have added (a person twice in the list, the list's running total)."""

    def __init__(self, programme: Programme, actor: Any, unit: Unit) -> None:
        super().__init__(programme, actor)
        live = Support.objects.filter(programme=programme, status__in=LIVE_SUPPORT)
        self.totals: Counter[str] = Counter()
        if programme.max_per_person_vnd is not None:
            for key, cash, kind, voucher in live.values_list(
                "person_key", "cash_vnd", "in_kind_vnd", "voucher_vnd"
            ):
                self.totals[key] += cash + kind + voucher
        self.taken = set(live.filter(once_key__isnull=False).values_list("once_key", flat=True))
        # Cases this unit already recorded, to leave a row that repeats one of them alone.
        self.recorded: Counter[tuple[Any, ...]] = Counter(
            (key, day, cash, kind, voucher, category, reference)
            for key, day, cash, kind, voucher, category, reference in live.filter(
                unit=unit
            ).values_list(
                "person_key", "date", "cash_vnd", "in_kind_vnd", "voucher_vnd", "category_id",
                "reference",
            )
        )  # fmt: skip
        self.used = care.committed_vnd(programme)
        self.in_file: dict[str, int] = {}  # person key -> first row

    def person_total(self, key: str, exclude: int | None) -> int:
        return self.totals[key]

    def once_taken(self, key: str, exclude: int | None) -> bool:
        return key in self.taken


class _Planner:
    def __init__(self, user: Any, programme: Programme, unit: Unit, plan: SupportPlan,
                 columns: dict[str, tuple[str, list[str]]]) -> None:  # fmt: skip
        self.user = user
        self.programme = programme
        self.unit = unit
        self.plan = plan
        self.columns = columns
        self.rules = _ListRules(programme, user, unit)
        self.categories = {fold(c.name): c for c in self.rules.categories.values()}
        self.items: dict[str, ProgrammeItem] = {
            f"{ITEM_PREFIX}{pk}": item for pk, item in self.rules.items.items()
        }
        self.units: dict[str, Unit | None] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        label = self.plan.headers.get(column) or self.columns.get(column, (column,))[0]
        self.plan.problems.append(RowProblem(row, label, message))

    def person_unit(self, code: str) -> Unit | None:
        if code not in self.units:
            found = Unit.objects.filter(code=code).first()
            visible = found is not None and (self.user is None or access.can_see(self.user, found))
            self.units[code] = found if visible else None
        return self.units[code]

    def members(
        self, batch: list[tuple[int, dict[str, str]]]
    ) -> tuple[dict[str, Member], dict[str, Member]]:
        """The members in the user's reach that the chunk names, by member code and CCCD."""
        cards = {v.get("card_number", "").strip() for _n, v in batch} - {""}
        cccds = {cccd_from_cell(v.get("cccd", "")) for _n, v in batch} - {""}
        visible = members_visible(self.user) if self.user is not None else Member.objects.all()
        visible = visible.select_related("unit")
        by_card = {m.card_number or "": m for m in visible.filter(card_number__in=cards)}
        by_cccd: dict[str, Member] = {}
        for m in sorted(visible.filter(cccd__in=cccds), key=lambda m: m.status != "active"):
            by_cccd.setdefault(m.cccd, m)
        return by_card, by_cccd

    def chunk(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        by_card, by_cccd = self.members(batch)
        for number, values in batch:
            self.row(number, values, by_card, by_cccd)

    def row(self, number: int, values: dict[str, str], by_card: dict[str, Member],
            by_cccd: dict[str, Member]) -> None:  # fmt: skip
        cell = {k: v.strip() for k, v in values.items()}
        missing = [c for c in REQUIRED if not cell.get(c)]
        if missing:
            self.problem(number, missing[0], _("This cell is required."))
            return
        try:
            data = self.data(cell, by_card, by_cccd)
        except ValueError as exc:
            column, message = exc.args
            self.problem(number, column, message)
            return
        rules = self.rules
        try:
            checked = rules.check(data, guard=False)
        except ServiceError as exc:
            self.problem(number, self.column_of(exc.field), " ".join(exc.messages))
            return
        except Http404:
            self.problem(number, "full_name", _("This person is not among your units."))
            return
        key = checked.person_key
        signature = _signature(checked.values, key)
        if rules.recorded[signature] > 0:  # recorded before (the same file imported again)
            rules.recorded[signature] -= 1
            self.plan.counts["unchanged"] += 1
            return
        person_field = "member" if data.person.member and cell.get("card_number") else "person_cccd"
        if not self.programme.repeat_allowed and key in rules.in_file:
            self.problem(
                number,
                self.column_of(person_field),
                _("The same person is already in row %(row)s.") % {"row": rules.in_file[key]},
            )
            return
        try:
            rules.guard(checked, field=person_field)
        except ServiceError as exc:
            self.problem(number, self.column_of(exc.field), " ".join(exc.messages))
            return
        budget = self.programme.budget_vnd
        if budget is not None and rules.used + checked.total > budget:
            self.problem(number, "cash", _(
                "The programme's budget is %(budget)s: %(left)s is left after what is approved "
                "or paid and the rows above, less than this row's %(amount)s.")
                % {"budget": vnd(budget), "left": vnd(max(budget - rules.used, 0)),
                   "amount": vnd(checked.total)})  # fmt: skip
            return
        rules.in_file.setdefault(key, number)
        rules.totals[key] += checked.total
        rules.used += checked.total
        self.plan.counts["create"] += 1
        self.plan.counts["total_vnd"] += checked.total
        self.plan.rows.append(PlannedSupport(number, "create", checked))

    def column_of(self, service_field: str | None) -> str:
        if service_field == "items":
            present = [c for c in self.plan.headers if c.startswith(ITEM_PREFIX)]
            return present[0] if present else "cash"
        return FIELD_COLUMN.get(service_field or "", "full_name")

    def data(self, cell: dict[str, str], by_card: dict[str, Member],
             by_cccd: dict[str, Member]) -> care.SupportData:  # fmt: skip
        """A row as a case; ValueError(column, message) for the first cell that cannot be
        read."""
        name = cell["full_name"]
        card = cell.get("card_number", "")
        cccd = cccd_from_cell(cell.get("cccd", ""))
        member = None
        if card:
            member = by_card.get(card)
            if member is None:
                raise ValueError("card_number", _("No member has the code %(code)s among your "
                                                  "units.") % {"code": card})  # fmt: skip
            if fold(member.full_name) != fold(name):
                raise ValueError("full_name", _("Member code %(code)s is %(name)s.")
                                 % {"code": card, "name": member.full_name})  # fmt: skip
        elif cccd and cccd in by_cccd:
            member = by_cccd[cccd]
        person = care.Beneficiary(member=member)
        if member is None:
            code = cell.get("unit_code", "")
            person_unit = self.person_unit(code) if code else None
            if code and person_unit is None:
                raise ValueError("unit_code", _("No unit with code %(code)s among your units.")
                                 % {"code": code})  # fmt: skip
            person = care.Beneficiary(name=name, cccd=cccd, person_unit=person_unit,
                                      employer_name=cell.get("employer", ""))  # fmt: skip
        try:
            day = parse_date_vi(cell["date"])
        except ValueError as exc:
            raise ValueError("date", str(exc)) from exc
        category = None
        if cell.get("category"):
            category = self.categories.get(fold(cell["category"]))
            if category is None:
                raise ValueError("category", _("“%(text)s” is not a category of this programme.")
                                 % {"text": cell["category"]})  # fmt: skip
        items: list[tuple[ProgrammeItem, Any]] = []
        for column, item in self.items.items():
            text = cell.get(column, "")
            if not text:
                continue
            quantity = text.replace(".", "").replace(" ", "")
            if not quantity.isdigit() or int(quantity) <= 0:
                raise ValueError(column, _("The quantity must be a whole number more than zero."))
            items.append((item, int(quantity)))
        return care.SupportData(
            unit=self.unit, person=person, date=day, category=category,
            cash_vnd=cell.get("cash") or None, voucher_vnd=cell.get("voucher") or None,
            items=items, reference=cell.get("reference", ""),
        )  # fmt: skip


def plan_list(*, user: Any, programme: Programme, unit: Unit, name: str, content: bytes,
              sheet: str | None = None, mapping: dict[str, str] | None = None,
              progress: Any = None) -> SupportPlan:  # fmt: skip
    """Read a support list given by `unit` under `programme` and say what importing it would
    do; writes nothing."""
    columns = columns_for(programme)
    aliases = {col: [vi, *more] for col, (vi, more) in columns.items()}
    reader = TableReader(name, content, aliases, sheet=sheet, mapping=mapping, any_header=True)
    plan = SupportPlan(headers=reader.headers, columns=reader.found)
    missing = [columns[c][0] for c in REQUIRED if c not in reader.columns]
    if missing:
        plan.problems.append(RowProblem(0, "", _("The file has no column %(columns)s.")
                                        % {"columns": ", ".join(missing)}))  # fmt: skip
        return plan
    planner = _Planner(user, programme, unit, plan, columns)
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


def plan_upload(*, user: Any, upload: SupportUpload, progress: Any = None) -> SupportPlan:
    return plan_list(
        user=user, programme=upload.programme, unit=upload.unit, name=upload.file_name,
        content=bytes(upload.content), sheet=upload.sheet or None,
        mapping=upload.mapping or None, progress=progress,
    )  # fmt: skip


@audited
def import_upload(*, user: Any, upload: SupportUpload, status: str = SupportStatus.PROPOSED,
                  progress: Any = None) -> SupportPlan:  # fmt: skip
    """Check the list again and record every new row, in one transaction: all of it, or
    nothing (ImportFailed lists the problems by row and column). `status` is what the cases
    are recorded as: proposed, or (by the programme's owner) approved or paid."""
    programme = care.lock_programme(upload.programme)
    upload.programme = programme
    if status not in (SupportStatus.PROPOSED, SupportStatus.APPROVED, SupportStatus.PAID):
        raise ServiceError(_("A case is recorded as proposed, approved or paid."), field="status")
    if status != SupportStatus.PROPOSED and not (
        user is None or access.can_write(user, programme.unit)
    ):
        raise ServiceError(
            _("Only %(unit)s (or a union above it) approves support under this programme; "
              "record the case as proposed.") % {"unit": programme.unit.name},
            field="status",
        )  # fmt: skip
    plan = plan_upload(user=user, upload=upload, progress=progress)
    if not plan.ok:
        raise ImportFailed(plan.problems)
    problems: list[RowProblem] = []
    total = len(plan.rows)
    for done, planned in enumerate(plan.rows, start=1):
        try:
            case = care.insert_support(planned.checked, programme=programme,
                                       status=SupportStatus.PROPOSED, actor=user)  # fmt: skip
            case.programme = programme
            if status in (SupportStatus.APPROVED, SupportStatus.PAID):
                care.mark_approved(case, user, audit=False)
            if status == SupportStatus.PAID:
                care.mark_paid(case, user, audit=False)
        except ServiceError as exc:
            column = FIELD_COLUMN.get(exc.field or "", "full_name")
            label = plan.headers.get(column) or COLUMNS[column][0]
            problems.append(RowProblem(planned.row, label, " ".join(exc.messages)))
            break  # it will all be rolled back: no use writing more
        if progress is not None and done % 200 == 0:
            progress(done, total, _("Row %(row)s") % {"row": planned.row})
    if problems:
        raise ImportFailed(problems)
    audit_record(
        actor=user, action="support.import", target=programme, unit_id=upload.unit_id,
        changes={"create": [None, plan.counts["create"]],
                 "unchanged": [None, plan.counts["unchanged"]],
                 "total_vnd": [None, plan.counts["total_vnd"]], "status": [None, status]},
        summary=f"{upload.file_name} sha256:{upload.sha256}",
    )  # fmt: skip
    return plan


def write_template(programme: Programme) -> bytes:
    """A list template for `programme`: a title row, the headers (with a column for each gift
    item), and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append([f"DANH SÁCH HỖ TRỢ — {programme.name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([vi for vi, _more in columns_for(programme).values()])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    guide = wb.create_sheet("Hướng dẫn")
    lines = [
        "Mỗi người một dòng, bắt đầu từ dòng 3 của trang Danh sách.",
        "Bắt buộc: Họ và tên, Ngày (dd/mm/yyyy, trong thời gian của chương trình).",
        "Đoàn viên: ghi Số thẻ đoàn viên hoặc Số CCCD. Người chưa là đoàn viên: ghi Số CCCD "
        "(12 chữ số) và Mã đơn vị (công đoàn cơ sở) hoặc Nơi làm việc.",
        "Số tiền: số đồng nguyên, ví dụ 1.500.000.",
        "Mỗi cột quà hiện vật ghi số lượng; giá trị tính theo đơn giá của chương trình.",
        "Nhập lại cùng một tệp không ghi trùng.",
    ]
    if programme.categories.exists():
        names = ", ".join(c.name for c in programme.categories.order_by("id"))
        lines.insert(3, f"Loại: một trong {names}; để trống Số tiền thì nhận đúng mức của loại.")
    for line in lines:
        guide.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
