"""Reading tabular uploads (.xlsx, .csv) into rows of text, with the header row found by name.

Shared by every importer: a plan of restructuring today, member rosters later.
"""

import contextlib
import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import ServiceError
from .text import fold

MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 20
# A sheet that goes on blank this long has ended (spreadsheets often carry a million formatted
# but empty rows); and a workbook that unpacks to more than this is refused (zip bombs).
MAX_BLANK_RUN = 1_000
MAX_UNPACKED_BYTES = 300 * 1024 * 1024


@dataclass
class Table:
    """Rows keyed by canonical column name; `row_numbers` are the file's own row numbers."""

    columns: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    headers: dict[str, str]  # canonical column -> the header as written in the file


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def _open_workbook(content: bytes) -> Any:
    """A workbook read by calamine (fast, and it never evaluates formulas: a formula cell gives
    the value the spreadsheet program cached)."""
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as exc:  # encrypted, damaged, or not a workbook at all
        raise ServiceError(_("The file is not a readable .xlsx workbook.")) from exc


def _raw_rows(name: str, content: bytes, sheet: str | None = None) -> Iterable[list[str]]:
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError(_("The CSV file must be saved in UTF-8.")) from exc
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        for row in csv.reader(io.StringIO(text), dialect):
            yield [c.strip() for c in row]
        return
    if suffix in WORKBOOK_SUFFIXES:
        if suffix != ".xls":  # the zip-based formats: refuse a bomb before unpacking it
            import zipfile

            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    unpacked = sum(info.file_size for info in archive.infolist())
            except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError) as exc:
                # A damaged archive can fail in many ways (e.g. an unknown zip version).
                raise ServiceError(_("The file is not a readable .xlsx workbook.")) from exc
            if unpacked > MAX_UNPACKED_BYTES:
                raise ServiceError(
                    _("The workbook unpacks to more than %(mb)s MB; it cannot be read.")
                    % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
                )
        workbook = _open_workbook(content)
        if sheet is not None and sheet not in workbook.sheet_names:
            raise ServiceError(_("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet})
        try:
            ws = (
                workbook.get_sheet_by_name(sheet)
                if sheet is not None
                else workbook.get_sheet_by_index(0)
            )
            for row in ws.iter_rows():
                yield [_cell_text(c) for c in row]
        except Exception as exc:  # calamine's errors for a damaged sheet
            raise ServiceError(_("The file is not a readable .xlsx workbook.")) from exc
        return
    raise ServiceError(_("Only .xlsx, .xls, .ods and .csv files can be read."))


def sheet_names(name: str, content: bytes) -> list[str]:
    """The sheets of a workbook (empty for a CSV file or a file that cannot be read)."""
    if Path(name).suffix.lower() not in WORKBOOK_SUFFIXES:
        return []
    try:
        return list(_open_workbook(content).sheet_names)
    except ServiceError:
        return []


def read_table(
    name: str, content: bytes, aliases: Mapping[str, Iterable[str]], *, sheet: str | None = None
) -> Table:
    """Find the header row (a row naming at least one known column) and read the rows below it.

    `aliases` maps a canonical column to the header texts accepted for it (compared folded).
    Blank rows are skipped.
    """
    lookup = {fold(a): col for col, names in aliases.items() for a in [col, *names]}
    header: dict[int, str] | None = None
    written: dict[str, str] = {}
    blank_run = 0
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for number, raw in enumerate(_raw_rows(name, content, sheet), start=1):
        if header is None:
            found = {i: lookup[fold(c)] for i, c in enumerate(raw) if fold(c) in lookup}
            if found:
                header = found
                written = {col: raw[i] for i, col in found.items()}
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(raw):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(rows) >= MAX_ROWS:
            raise ServiceError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        rows.append({col: (raw[i] if i < len(raw) else "") for i, col in header.items()})
        numbers.append(number)
    if header is None:
        raise ServiceError(
            _("No header row found: the file needs a column named %(cols)s.")
            % {"cols": ", ".join(aliases)}
        )
    return Table(columns=list(header.values()), rows=rows, row_numbers=numbers, headers=written)
