"""`manage.py report` and `manage.py report_template`."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from congdoan.core.admin_docx import document_text

from .conftest import Year


def test_report_command(year: Year, tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "x.docx"
    call_command(
        "report",
        "--unit",
        "X",
        "--period",
        "2024",
        "--format",
        "docx",
        "--out",
        str(target),
        stdout=out,
    )
    assert out.getvalue().startswith(f"{target}: ")
    lines = document_text(target.read_bytes())
    assert "Tổng kết công tác công đoàn năm 2024 và phương hướng, nhiệm vụ năm 2025" in lines
    half = tmp_path / "x.pdf"
    call_command(
        "report",
        "--unit",
        "X",
        "--period",
        "2024",
        "--half",
        "1",
        "--format",
        "pdf",
        "--out",
        str(half),
        stdout=io.StringIO(),
    )
    assert half.read_bytes().startswith(b"%PDF")
    book = tmp_path / "x.xlsx"
    call_command(
        "report",
        "--unit",
        "X",
        "--from",
        "2024-01-01",
        "--to",
        "2024-03-31",
        "--format",
        "xlsx",
        "--out",
        str(book),
        stdout=io.StringIO(),
    )
    assert load_workbook(book)["Chăm lo"]["C6"].value == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NOPE", "--period", "2024"], "No unit with code NOPE."),
        (["--unit", "X"], "Give --period YEAR [--half 1|2], or --from and --to."),
        (["--unit", "X", "--from", "2024-01-01"], "Give both --from and --to."),
        (["--unit", "X", "--from", "2024-02-01", "--to", "2024-01-01"], "--from is after --to."),
    ],
)
def test_report_command_errors(year: Year, tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace("|", r"\|")):
        call_command("report", *args, "--out", str(tmp_path / "x.docx"))


def test_report_template_command(tmp_path: Path) -> None:
    target = tmp_path / "mau.docx"
    call_command("report_template", "--out", str(target), stdout=io.StringIO())
    assert "{{ body }}" in document_text(target.read_bytes())
