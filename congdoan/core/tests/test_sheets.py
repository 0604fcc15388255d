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
