import io
import warnings

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from congdoan.core.xlsx import _column, write_xlsx


def test_columns_are_named_like_excel() -> None:
    assert [_column(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_a_workbook_reads_back_the_same_in_openpyxl_and_calamine() -> None:
    rows = [
        ["Nguyễn Thị Hoa", "01/05/1990", "a < b & c > d", "'=SUM(A1)"],
        ["Trần Văn Ba", "", "  leading and trailing  ", "tab\there"],
        ["Bell\x07 and \x1f gone", "x", "", "ok"],
    ]
    out = io.BytesIO()
    count = write_xlsx(
        out,
        [("Danh sách: 2024/25 [A]", ["Họ và tên", "Ngày sinh", "Ghi chú", "Khác"], iter(rows)),
         ("Second", ["only"], iter([["one"]]))],
        widths=[20, 12],
    )  # fmt: skip
    assert count == 4
    expected = [
        ["Họ và tên", "Ngày sinh", "Ghi chú", "Khác"],
        ["Nguyễn Thị Hoa", "01/05/1990", "a < b & c > d", "'=SUM(A1)"],
        ["Trần Văn Ba", None, "  leading and trailing  ", "tab\there"],
        ["Bell and  gone", "x", None, "ok"],
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a well-formed package raises no complaint
        wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["Danh sách  2024 25  A ", "Second"]
    ws = wb.worksheets[0]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == expected
    assert ws["A1"].font.b is True and ws["A2"].font.b is not True
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 20
    assert [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)] == [["only"], ["one"]]
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    read = book.get_sheet_by_index(0).to_python()
    assert read == [[v if v is not None else "" for v in row] for row in expected]
