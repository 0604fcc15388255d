"""Reading uploads: bounded work on hostile files, clear errors on broken ones."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from congdoan.core import sheets
from congdoan.core.errors import ServiceError

COLUMNS = {"name": ["họ và tên"], "code": ["mã"]}


def test_a_million_blank_rows_end_the_sheet_early() -> None:
    content = ("Họ và tên,Mã\nAn,1\n" + ",\n" * 1_000_000 + "Bình,2\n").encode()
    table = sheets.read_table("x.csv", content, COLUMNS)
    assert [r["name"] for r in table.rows] == ["An"]


def test_a_zip_bomb_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    with pytest.raises(ServiceError, match="unpacks to more than 1 MB"):
        sheets.read_table("bomb.xlsx", buf.getvalue(), COLUMNS)


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken", b""])
def test_broken_workbooks(content: bytes) -> None:
    with pytest.raises(ServiceError, match=r"not a readable \.xlsx workbook"):
        sheets.read_table("x.xlsx", content, COLUMNS)


def test_formulas_give_their_cached_values_never_evaluated() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Mã"])
    ws.append(["=1+1", "X1"])
    buf = io.BytesIO()
    wb.save(buf)
    table = sheets.read_table("f.xlsx", buf.getvalue(), COLUMNS)
    # openpyxl wrote no cached value, so the cell reads as empty: the formula is never run.
    assert table.rows == [{"name": "", "code": "X1"}]


def _workbook(build) -> bytes:  # type: ignore[no-untyped-def]
    wb = Workbook()
    build(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


MERGED = {"name": ["họ và tên"], "code": ["mã"], "note": ["ghi chú"]}


def _table_from_column_c(ws) -> None:  # type: ignore[no-untyped-def]
    """A table whose used area starts at C1 (a title) with the header in row 3 and the data
    from row 4: calamine's rows start at column C, the merged ranges count from column A."""
    ws["C1"] = "DANH SÁCH"
    ws.merge_cells("C1:E1")
    for cell, value in {"C3": "Họ và tên", "D3": "Mã", "E3": "Ghi chú"}.items():
        ws[cell] = value
    ws["C4"], ws["D4"] = "An", "X1"
    ws["C5"] = "Bình"
    ws["C6"] = "Cúc"
    ws.merge_cells("D4:D6")  # one code for three people
    ws["C7"], ws["D7"], ws["E7"] = "Dũng", "X2", "chuyển đến"
    ws.merge_cells("E7:F7")  # a note merged across, past the header's last column
    ws["C8"] = "Em"
    ws.merge_cells("C8:D8")  # a name merged across into the code column
    ws["C10"], ws["E10"] = "Giang", "nghỉ"
    ws.merge_cells("C10:C11")  # a name merged down over a row with nothing else in it
    ws["E11"] = "ốm"


def test_merged_cells_when_the_table_does_not_start_at_a1() -> None:
    table = sheets.read_table("m.xlsx", _workbook(_table_from_column_c), MERGED)
    assert table.found == [("Họ và tên", "name"), ("Mã", "code"), ("Ghi chú", "note")]
    assert list(zip(table.row_numbers, table.rows, strict=True)) == [
        (4, {"name": "An", "code": "X1", "note": ""}),
        (5, {"name": "Bình", "code": "X1", "note": ""}),
        (6, {"name": "Cúc", "code": "X1", "note": ""}),
        (7, {"name": "Dũng", "code": "X2", "note": "chuyển đến"}),
        (8, {"name": "Em", "code": "", "note": ""}),
        (10, {"name": "Giang", "code": "", "note": "nghỉ"}),
        (11, {"name": "Giang", "code": "", "note": "ốm"}),
    ]


def test_merged_cells_when_the_first_rows_and_columns_are_empty() -> None:
    """Nothing at all above row 3 or left of column C: row numbers are still the file's."""

    def build(ws) -> None:  # type: ignore[no-untyped-def]
        ws["C3"], ws["D3"] = "Mã", "Họ và tên"
        ws["C4"], ws["D4"] = "X1", "An"
        ws["D5"] = "Bình"
        ws.merge_cells("C4:C5")
        ws["C7"], ws["D7"] = "X2", "Cúc"
        ws["D8"] = "Dũng"
        ws.merge_cells("C7:C8")

    table = sheets.read_table("m.xlsx", _workbook(build), MERGED)
    assert table.row_numbers == [4, 5, 7, 8]
    assert [(r["code"], r["name"]) for r in table.rows] == [
        ("X1", "An"),
        ("X1", "Bình"),
        ("X2", "Cúc"),
        ("X2", "Dũng"),
    ]


def test_a_mapping_reads_an_unknown_header_and_drops_a_known_one() -> None:
    content = "Tên người,Mã,Ghi chú\nAn,X1,x\n".encode()
    table = sheets.read_table(
        "m.csv", content, MERGED, mapping={"tên người": "name", "Ghi chú": "", "Mã": "bogus"}
    )
    assert table.found == [("Tên người", "name"), ("Mã", "code"), ("Ghi chú", "")]
    assert (table.rows, table.row_numbers) == ([{"name": "An", "code": "X1"}], [2])


def test_a_semicolon_csv_with_a_title_line_and_commas_in_addresses() -> None:
    """Excel in Vietnamese saves CSV with semicolons; the title line above the header has none,
    and an address carries commas: the separator is still the semicolon."""
    content = (
        "DANH SÁCH ĐOÀN VIÊN NĂM 2024\n"
        "Họ và tên;Mã\n"
        '"Nguyễn Thị Hoa, xã Hữu Kiên";X1\n'
        "Trần Văn An;X2\n"
    ).encode("utf-8-sig")
    table = sheets.read_table("x.csv", content, COLUMNS)
    assert table.rows == [
        {"name": "Nguyễn Thị Hoa, xã Hữu Kiên", "code": "X1"},
        {"name": "Trần Văn An", "code": "X2"},
    ]
    assert table.row_numbers == [3, 4]


def test_no_header_names_the_columns_as_people_write_them() -> None:
    with pytest.raises(ServiceError) as error:
        sheets.read_table("x.csv", b"a,b\n1,2\n", COLUMNS)
    assert error.value.messages == [
        "No header row found: the file needs a column named họ và tên, mã."
    ]
