"""The review report as PDF (fpdf2), with the same content and layout rules as the Word
document: A4, a Times-compatible serif (fonts.py), margins top and bottom 20 mm, left 30 mm,
right 20 mm, the two-column header, page numbers centred at the top from page 2 on."""

import datetime
import io
from typing import Any

from fpdf import FPDF
from fpdf.enums import TableCellFillMode

from congdoan.core.admin_docx import MOTTO, NATION

from . import charts
from .document import Header, body_sections, header
from .fonts import serif_fonts
from .prose import Chart, Data, Heading, Para, Table

FAMILY = "Serif"
BODY_PT = 13
LINE = 6.4  # mm per line of body text


class ReportPDF(FPDF):
    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FAMILY, "", 12)
            self.set_y(10)
            self.cell(0, 6, str(self.page_no()), align="C")
            self.set_y(self.t_margin)


def _new() -> ReportPDF:
    pdf = ReportPDF(format="A4", unit="mm")
    for style, path in serif_fonts().items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_margins(left=30, top=20, right=20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title("Báo cáo")
    pdf.add_page()
    return pdf


def _fitting(pdf: FPDF, text: str, style: str, size: float, width: float) -> float:
    """The size at which `text` fits on one line of `width`, down to 9 pt (the fallback serif
    is wider than Times New Roman, and a header line should not wrap)."""
    while size > 9:
        pdf.set_font(FAMILY, style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 0.5
    return size


def _column(
    pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float]], y: float
) -> float:
    """Centred lines (text, style, size) in a column; returns the y below them."""
    pdf.set_xy(x, y)
    for text, style, size in lines:
        size = _fitting(pdf, text, style, size, width - 2)
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, size * 0.45, text, align="C", new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _header(pdf: FPDF, h: Header) -> None:
    usable = pdf.epw
    left_w, right_w = usable * 0.42, usable * 0.58
    top = pdf.t_margin
    left = [
        (h.superior, "", 12),
        (h.issuer, "B", 12),
        ("_______", "", 12),
        (f"Số: {h.number}", "", 12),
    ]
    right = [
        (NATION, "B", 11.5),
        (MOTTO, "B", 12.5),
        ("_______________", "", 12),
        (h.place_date, "I", 13),
    ]
    y1 = _column(pdf, pdf.l_margin, left_w, [line for line in left if line[0]], top)
    y2 = _column(pdf, pdf.l_margin + left_w, right_w, right, top)
    pdf.set_xy(pdf.l_margin, max(y1, y2) + 6)
    for text, style in ((h.kind, "B"), (h.title, "B"), ("________", ""), (h.provisional, "B")):
        if text:
            pdf.set_font(FAMILY, style, 14)
            pdf.multi_cell(0, 6.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    if h.locked:
        pdf.set_font(FAMILY, "I", 13)
        pdf.multi_cell(0, 6.5, h.locked, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _para(
    pdf: FPDF,
    text: str,
    *,
    style: str = "",
    indent: bool = True,
    align: str = "J",
    size: float = BODY_PT,
) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(
        0, LINE, ("\u00a0" * 8 if indent else "") + text, align=align, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(1.5)


def _table(pdf: FPDF, block: Table) -> None:
    _para(pdf, block.title, style="I", indent=False, align="C", size=12)
    columns = len(block.headers)
    first = 37 if columns > 3 else (46 if columns > 2 else 70)
    rest = (100 - first) / max(columns - 1, 1)
    pdf.set_font(FAMILY, "", 10)
    align = tuple("R" if i in block.numeric else "L" for i in range(columns))
    with pdf.table(
        col_widths=(first, *([rest] * (columns - 1))),
        text_align=align,
        line_height=5.2,
        headings_style=None,
        cell_fill_mode=TableCellFillMode.NONE,
        first_row_as_headings=False,
    ) as table:
        heading = table.row()
        pdf.set_font(FAMILY, "B", 10)
        for text in block.headers:
            heading.cell(text, align="C")
        pdf.set_font(FAMILY, "", 10)
        for row in block.rows:
            cells = table.row()
            for text in row:
                cells.cell(str(text))
    pdf.ln(3)


def _chart(pdf: FPDF, block: Chart) -> None:
    png = charts.render(block)
    from PIL import Image

    width_px, height_px = Image.open(io.BytesIO(png)).size
    width = 150.0
    height = width * height_px / width_px
    if pdf.get_y() + height + 10 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    _para(pdf, block.title, style="I", indent=False, align="C", size=12)


def _closing(pdf: FPDF, h: Header) -> None:
    if pdf.get_y() + 50 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    half = pdf.epw / 2
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(half, 5.5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    for line in h.recipients:
        pdf.multi_cell(half, 5, f"- {line}", new_x="LMARGIN", new_y="NEXT")
    lines: list[tuple[str, str, float]] = [
        (h.signer_on_behalf, "B", 13),
        (h.signer_position, "B", 13),
        (" ", "", 13),
        (" ", "", 13),
        (" ", "", 13),
        (h.signer_name or " ", "B", 13),
    ]
    _column(pdf, pdf.l_margin + half, half, [x for x in lines if x[0]], top)


def render_pdf(d: Data, *, day: datetime.date, lock: Data | None = None) -> bytes:
    """The report of the collected figures `d` as PDF bytes."""
    pdf = _new()
    h = header(d, day=day, lock=lock)
    _header(pdf, h)
    for section in body_sections(d):
        if section.heading:
            _para(pdf, section.heading, style="B", indent=False, align="L")
        for block in section.blocks:
            if isinstance(block, Heading):
                _para(pdf, block.text, style="B", indent=False, align="L")
            elif isinstance(block, Para):
                _para(pdf, block.text, style="I" if block.italic else "")
            elif isinstance(block, Table):
                _table(pdf, block)
            elif isinstance(block, Chart):
                _chart(pdf, block)
    _closing(pdf, h)
    out: Any = pdf.output()
    return bytes(out)
