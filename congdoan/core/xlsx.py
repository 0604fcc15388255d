"""Writing large text tables as `.xlsx`, streamed.

openpyxl (which the product uses for templates, with their drop-down lists) takes about 13 s
to write 100,000 rows of 17 columns on our 2-core machine, most of it building and serialising
a cell object per value; `manage.py bench_roster` measures this. A roster export needs none of
its features: every cell is text, the first row is a bold header. This module writes exactly
that, row by row into the zip archive, as the Office Open XML standard (ECMA-376 Part 1,
§18.3.1.53 `is`, inline strings) allows: a workbook part, one worksheet part per sheet, a
minimal style sheet with a bold font, and their relationships.
"""

import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape

# XML 1.0 forbids control characters other than tab, newline and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"


def write_xlsx(
    out: IO[bytes],
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[str]]]],
    *,
    widths: Sequence[int] | None = None,
) -> int:
    """Write (name, header, rows) sheets to `out` as a workbook; every cell is text, the
    header row bold and frozen. Returns the number of data rows written."""
    written = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        names = [_sheet_name(name) for name, _header, _rows in sheets]
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
            for i in range(1, len(sheets) + 1)
        )
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        entries = "".join(
            f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        zf.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<workbook {_NS} {_REL_NS}><sheets>{entries}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        styles_id = len(sheets) + 1
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG}/relationships">{rels}'
            f'<Relationship Id="rId{styles_id}" Type="{_DOC}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/styles.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<styleSheet {_NS}>"
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>",
        )
        for i, (_name, header, rows) in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                written += _write_sheet(part, header, rows, widths)
    return written


def _cell_xml(value: str) -> str:
    text = escape(_CONTROL.sub("", value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


def _write_sheet(
    part: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths: Sequence[int] | None,
) -> int:
    cols = [_column(i) for i in range(max(len(header), 1))]
    head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', f"<worksheet {_NS}>"]
    head.append(
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    )
    if widths:
        head.append("<cols>")
        head.extend(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        head.append("</cols>")
    head.append('<sheetData><row r="1">')
    head.extend(
        f'<c r="{c}1" t="inlineStr" s="1">{_cell_xml(v)}</c>'
        for c, v in zip(cols, header, strict=False)
    )
    head.append("</row>")
    part.write("".join(head).encode())
    count = 0
    buffer: list[str] = []
    for r, row in enumerate(rows, start=2):
        while len(cols) < len(row):
            cols.append(_column(len(cols)))
        cells = "".join(
            f'<c r="{c}{r}" t="inlineStr">{_cell_xml(v)}</c>'
            for c, v in zip(cols, row, strict=False)
            if v
        )
        buffer.append(f'<row r="{r}">{cells}</row>')
        count += 1
        if len(buffer) >= 1000:
            part.write("".join(buffer).encode())
            buffer.clear()
    buffer.append("</sheetData></worksheet>")
    part.write("".join(buffer).encode())
    return count
