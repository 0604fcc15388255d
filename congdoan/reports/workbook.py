"""The statistics workbook (.xlsx, openpyxl): one sheet per area, one row per direct sub-unit
(its figures computed by the same functions as the unit's), and a last row with the unit's own
figures for its whole subtree ("Tổng cộng": people supported are counted once, not summed)."""

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .prose import GRADE_NAMES, MEETING_KINDS, SUBJECTS, Data, date_vi, period_phrase

Getter = Callable[[Data], Any]


def _get(*path: str) -> Getter:
    def read(row: Data) -> Any:
        value: Any = row
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value if value is not None else 0

    return read


ORG = [
    ("Số CĐCS", _get("org", "grassroots_units")),
    ("Số đoàn viên", _get("org", "members")),
    ("Nữ", _get("org", "female_members")),
    ("Đảng viên", _get("org", "party_members")),
    ("Dân tộc thiểu số", _get("org", "minority_members")),
    ("Dưới 30 tuổi", _get("org", "age_under_30")),
    ("Từ 30 đến 45 tuổi", _get("org", "age_30_45")),
    ("Trên 45 tuổi", _get("org", "age_over_45")),
    ("Kết nạp mới (từ đầu năm)", _get("org", "new_members_year")),
    ("Chỉ tiêu kết nạp", _get("org", "new_members_target")),
    ("Ra khỏi tổ chức (từ đầu năm)", _get("org", "left_members_year")),
    ("Tổng số lao động", _get("org", "workforce")),
    ("Tỷ lệ đoàn viên/lao động (%)", _get("org", "unionised_pct")),
]
CARE = [
    ("Số người được hỗ trợ", _get("sections", "care", "people_supported")),
    ("Số lượt hỗ trợ", _get("sections", "care", "support_acts")),
    ("Tiền mặt (đồng)", _get("sections", "care", "cash_vnd")),
    ("Hiện vật (đồng)", _get("sections", "care", "in_kind_vnd")),
    ("Phiếu mua hàng (đồng)", _get("sections", "care", "voucher_vnd")),
    ("Tổng số tiền hỗ trợ (đồng)", _get("sections", "care", "support_vnd")),
    ("Nhà Mái ấm Công đoàn", _get("sections", "care", "houses")),
    ("Kinh phí nhà (đồng)", _get("sections", "care", "houses_vnd")),
    ("Nhà đề nghị hỗ trợ", _get("sections", "care", "houses_proposed")),
    ("Số ĐV được vay vốn", _get("sections", "care", "loans_granted")),
    ("Số tiền cho vay (đồng)", _get("sections", "care", "loans_disbursed_vnd")),
    ("Dư nợ (đồng)", _get("sections", "care", "loans_outstanding_vnd")),
    ("Khoản vay quá hạn", _get("sections", "care", "loans_overdue")),
    ("Đóng góp các quỹ (đồng)", _get("sections", "care", "donations_vnd")),
]
GRADING = [
    ("Số CĐCS được xếp loại", _get("sections", "grading", "graded")),
    *[(code, _get("sections", "grading", "grades", code)) for code, _name in GRADE_NAMES],
    ("CĐCS vững mạnh", _get("sections", "grading", "strong")),
    ("Chưa xếp loại", _get("sections", "grading", "not_graded")),
]
INITIATIVES = [
    ("Sáng kiến đăng ký", _get("sections", "initiatives", "submitted")),
    ("Được công nhận", _get("sections", "initiatives", "recognised")),
    ("Không được công nhận", _get("sections", "initiatives", "not_recognised")),
    ("Chỉ tiêu", _get("sections", "initiatives", "target")),
    ("Đưa lên Cổng thông tin", _get("sections", "initiatives", "on_portal")),
    ("Giá trị làm lợi (đồng)", _get("sections", "initiatives", "value_vnd")),
]
MEETINGS = [
    ("Số hội nghị, cuộc họp", _get("sections", "meetings", "count")),
    *[
        (label.capitalize(), _get("sections", "meetings", "by_kind", kind))
        for kind, label in MEETING_KINDS.items()
    ],
    ("Số cuộc kiểm tra, giám sát", _get("sections", "inspections", "planned")),
    ("Đã hoàn thành", _get("sections", "inspections", "done")),
    ("Tại công đoàn cấp dưới", _get("sections", "inspections", "of_units")),
    ("Tại đơn vị sử dụng lao động", _get("sections", "inspections", "of_employers")),
    *[
        (f"Kiểm tra {label}", _get("sections", "inspections", "by_subject", key))
        for key, label in SUBJECTS.items()
    ],
    ("Có kiến nghị", _get("sections", "inspections", "with_recommendations")),
]


def _emulation_columns(rows: list[Data]) -> list[tuple[str, Getter]]:
    """Movements, then each target indicator any row has (planned and achieved)."""
    labels: dict[str, str] = {}
    for row in rows:
        for t in (row.get("sections", {}).get("emulation") or {}).get("targets") or []:
            labels.setdefault(t["key"], t["label"])

    def target(key: str, field: str) -> Getter:
        def read(row: Data) -> Any:
            for t in (row.get("sections", {}).get("emulation") or {}).get("targets") or []:
                if t["key"] == key:
                    return t.get(field) or 0
            return ""

        return read

    columns: list[tuple[str, Getter]] = [
        ("Phong trào thi đua", _get("sections", "emulation", "movements")),
        ("Lượt đăng ký thi đua", _get("sections", "emulation", "movement_registrations")),
    ]
    for key, label in labels.items():
        columns += [
            (f"{label} - chỉ tiêu", target(key, "target")),
            (f"{label} - thực hiện", target(key, "achieved")),
        ]
    return columns


def _award_columns(rows: list[Data]) -> list[tuple[str, Getter]]:
    forms: dict[str, str] = {}
    for row in rows:
        for a in row.get("awards") or []:
            forms.setdefault(a["form_code"], a["form"])

    def count(code: str, field: str) -> Getter:
        def read(row: Data) -> Any:
            return sum(a[field] for a in row.get("awards") or [] if a["form_code"] == code)

        return read

    columns: list[tuple[str, Getter]] = []
    for code, form in forms.items():
        columns += [
            (f"{form} - tập thể", count(code, "collectives")),
            (f"{form} - cá nhân", count(code, "individuals")),
        ]
    return columns


def render_xlsx(d: Data, children: list[Data]) -> bytes:
    """The workbook of the collected figures `d` and its sub-units' rows `children`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    every = [*children, d]
    sheets = [
        ("Tổ chức, đoàn viên", ORG),
        ("Chăm lo", CARE),
        ("Thi đua, chỉ tiêu", _emulation_columns(every)),
        ("Xếp loại CĐCS", GRADING),
        ("Sáng kiến", INITIATIVES),
        ("Khen thưởng", _award_columns(every)),
        ("Hội nghị, kiểm tra", MEETINGS),
    ]
    title = (
        f"{d['unit']['name']} - {period_phrase(d['period'])} "
        f"(số liệu tính đến ngày {date_vi(d['as_of'])})"
        + (" - SỐ LIỆU TẠM TÍNH" if d.get("provisional") else "")
    )
    bold = Font(bold=True)
    for name, columns in sheets:
        ws = workbook.create_sheet(name)
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(["Mã đơn vị", "Đơn vị", *[label for label, _get_ in columns]])
        for cell in ws[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for child in children:
            ws.append([child["code"], child["name"], *[get(child) for _l, get in columns]])
        ws.append([d["unit"]["code"], "Tổng cộng", *[get(d) for _l, get in columns]])
        for cell in ws[ws.max_row]:
            cell.font = bold
        ws.freeze_panes = "C3"
        ws.column_dimensions["A"].width = 14
        ws.column_dimensions["B"].width = 42
        for i in range(len(columns)):
            ws.column_dimensions[get_column_letter(i + 3)].width = 16
        for row in ws.iter_rows(min_row=3, min_col=3):
            for cell in row:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
