"""Reading tabular uploads (.xlsx, .csv) into rows of text, with the header row found by name.

Shared by every importer: a plan of restructuring today, member rosters later.
"""

import csv
import dataclasses
import datetime
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping
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
    found: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # see TableReader


def _cell_text(value: object) -> str:
    if type(value) is str:  # most cells, first
        return value.strip()
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


def _merged_fill(ws: Any) -> tuple[dict[int, list[tuple[int, int]]], dict[int, list[int]]]:
    """Merged cells that span rows: ({row: [(column, first row)]} for the rows below the first,
    {first row: [column]}). A value merged down over several rows (a union group, a unit code
    written once for its people) belongs to every row it spans; a value merged across columns
    stays in its first cell (a label is never right in two different fields)."""
    below: dict[int, list[tuple[int, int]]] = {}
    tops: dict[int, list[int]] = {}
    try:
        ranges = ws.merged_cell_ranges or []
    except Exception:  # only .xlsx knows merged cells; other formats say so by failing
        return below, tops
    for (r0, c0), (r1, _c1) in ranges[:100_000]:
        if r1 > r0:
            tops.setdefault(r0, []).append(c0)
            for r in range(r0 + 1, min(r1, r0 + MAX_ROWS) + 1):
                below.setdefault(r, []).append((c0, r0))
    return below, tops


def _sheet_rows(ws: Any) -> Iterable[list[str]]:
    """A sheet's rows as text, merged values filled in (see _merged_fill). calamine yields
    rows from the sheet's first row but columns from its first used column."""
    below, tops = _merged_fill(ws)
    offset = ws.start[1] if ws.start else 0
    firsts: dict[tuple[int, int], str] = {}
    for r, row in enumerate(ws.iter_rows()):
        cells = [_cell_text(c) for c in row]
        for c0 in tops.get(r, ()):
            i = c0 - offset
            firsts[(r, c0)] = cells[i] if 0 <= i < len(cells) else ""
        for c0, r0 in below.get(r, ()):
            i = c0 - offset
            if i < 0:
                continue
            if i >= len(cells):
                cells.extend([""] * (i + 1 - len(cells)))
            if not cells[i]:
                cells[i] = firsts.get((r0, c0), "")
        yield cells


def _delimiter(text: str) -> str:
    """The separator of a CSV file: of comma, semicolon and tab, the one found on most of its
    first lines, then the most often (Excel in Vietnamese saves with semicolons, and a title
    line above the header has none; a comma inside an address does not make a separator)."""
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]

    def score(d: str) -> tuple[int, int]:
        return sum(1 for line in lines if d in line), sum(line.count(d) for line in lines)

    return max([",", ";", "\t"], key=score)


def _raw_rows(
    name: str, content: bytes, sheet: str | None = None, info: dict[str, int] | None = None
) -> Iterable[list[str]]:
    """The file's rows as text; `info["height"]` is set to its number of rows (for CSV, of
    lines: an estimate) before the first row is yielded."""
    info = {} if info is None else info
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        info["height"] = content.count(b"\n") + 1
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError(_("The CSV file must be saved in UTF-8.")) from exc
        for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text)):
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
            info["height"] = ws.height
            yield from _sheet_rows(ws)
        except ServiceError:
            raise
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


class TableReader:
    """A table read row by row: the header row is found on opening (a row naming at least one
    known column), then `rows()` yields (the file's row number, {column: text}) for each
    non-blank row below it, without holding the file's rows in memory.

    `aliases` maps a canonical column to the header texts accepted for it (compared folded).
    `mapping` overrides the guess for headers as written in the file: {header: column}, where
    an empty column means "do not read this one". `found` lists every non-empty header cell
    with the column it is read as ("" for none), for a person to confirm.
    """

    def __init__(
        self,
        name: str,
        content: bytes,
        aliases: Mapping[str, Iterable[str]],
        *,
        sheet: str | None = None,
        mapping: Mapping[str, str] | None = None,
        any_header: bool = False,
    ) -> None:
        lookup = {fold(a): col for col, names in aliases.items() for a in [col, *names]}
        chosen = {fold(k): v for k, v in (mapping or {}).items() if v == "" or v in aliases}
        info: dict[str, int] = {}
        self._raw: Iterator[tuple[int, list[str]]] = enumerate(
            _raw_rows(name, content, sheet, info), start=1
        )
        self.header: dict[int, str] = {}
        self.headers: dict[str, str] = {}  # canonical column -> the header as written
        self.found: list[tuple[str, str]] = []
        self.header_row = 0
        seen: list[tuple[int, list[str]]] = []
        for number, raw in self._raw:
            keys = [fold(c) for c in raw]
            # a header names a known column (one the person chose to skip does not count)
            if any(k in lookup or (k and chosen.get(k)) for k in keys):
                self._use_header(number, raw, lookup, chosen)
                break
            seen.append((number, raw))
            if number >= HEADER_SEARCH_ROWS:
                break
        if not self.header_row and any_header:
            # No header we know: the first row of several cells is taken as the header, read
            # as nothing (or as mapped), so that a person can say what its columns hold.
            first = next((i for i, (_n, raw) in enumerate(seen) if sum(map(bool, raw)) >= 2), None)
            if first is not None:
                number, raw = seen[first]
                self._use_header(number, raw, lookup, chosen)
                self._raw = itertools.chain(seen[first + 1 :], self._raw)
        if not self.header_row:
            names = [next(iter(n), col) for col, n in aliases.items()]
            raise ServiceError(
                _("No header row found: the file needs a column named %(cols)s.")
                % {"cols": ", ".join(names)}
            )
        self.columns = list(self.header.values())
        # rows below the header, counting blank ones: for a progress bar
        self.estimate = max(info.get("height", 0) - self.header_row, 0)

    def _use_header(
        self, number: int, raw: list[str], lookup: dict[str, str], chosen: dict[str, str]
    ) -> None:
        for i, cell in enumerate(raw):
            key = fold(cell)
            if not key:
                continue
            column = chosen[key] if key in chosen else lookup.get(key, "")
            if column and column in self.headers:
                column = ""  # the first column of that name is the one read
            self.found.append((cell, column))
            if column:
                self.header[i] = column
                self.headers[column] = cell
        self.header_row = number

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        blank_run = 0
        count = 0
        header = self.header
        for number, raw in self._raw:
            if not any(raw):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            count += 1
            if count > MAX_ROWS:
                raise ServiceError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            width = len(raw)
            yield number, {col: (raw[i] if i < width else "") for i, col in header.items()}


def read_table(
    name: str,
    content: bytes,
    aliases: Mapping[str, Iterable[str]],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Table:
    """The whole table at once (see TableReader); for files small enough to hold."""
    reader = TableReader(name, content, aliases, sheet=sheet, mapping=mapping)
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for number, values in reader.rows():
        rows.append(values)
        numbers.append(number)
    return Table(
        columns=reader.columns,
        rows=rows,
        row_numbers=numbers,
        headers=reader.headers,
        found=reader.found,
    )
