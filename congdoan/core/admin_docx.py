"""Word documents in the Vietnamese administrative format (Decree 30/2020/NĐ-CP, appendix I;
VGCL Decision 933/QĐ-TLĐ): decisions, certificates, pacts and reports.

The layout follows DOMAIN.md §7: A4, Times New Roman, margins top and bottom 2 cm, left 3 cm,
right 2 cm; a header of two columns (the superior body above the issuing body, then the number
and symbol, on the left; the national name and motto, then the place and date, on the right);
the kind of document and its summary centred in bold; the body; the signer block on the right and
the recipients (Nơi nhận) on the left; page numbers centred at the top from page 2 on.

    doc = AdminDocument(superior="...", issuer="...", number="12/QĐ-LĐLĐ", place="Quảng Bình",
                        day=datetime.date(2022, 12, 28), kind="QUYẾT ĐỊNH", title="Về việc ...")
    doc.paragraph("...")
    data = doc.to_bytes()
"""

import datetime
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def place_and_date(place: str, day: datetime.date) -> str:
    """ "Thái Bình, ngày 15 tháng 01 năm 2021". Decree 30/2020/NĐ-CP, appendix I: days below 10
    and the months 1 and 2 take a leading zero; other months do not ("ngày 05 tháng 3")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field in `paragraph` (Word fills in the page number)."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


class AdminDocument:
    """One administrative document, built top to bottom."""

    def __init__(
        self,
        *,
        superior: str,
        issuer: str,
        number: str = "",
        place: str = "",
        day: datetime.date | None = None,
        kind: str = "",
        title: str = "",
        landscape: bool = False,
    ) -> None:
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        fonts = style.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.line_spacing = 1.15
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.top_margin = section.bottom_margin = Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.header_distance = Cm(1)
        # Page numbers from page 2: the first page has its own (empty) header.
        section.different_first_page_header_footer = True
        number_paragraph = section.header.paragraphs[0]
        number_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(number_paragraph)
        self._header(superior, issuer, number, place, day)
        if kind:
            self.paragraph(kind, bold=True, align="center", space_before=12, space_after=0)
        if title:
            self.paragraph(title, bold=True, align="center", space_after=0)
            self.paragraph("________", align="center", space_after=12)

    @property
    def usable_width_cm(self) -> float:
        section = self.doc.sections[0]
        width = int(section.page_width or 0) - int(section.left_margin or 0)
        return (width - int(section.right_margin or 0)) / Cm(1)

    def _cell_line(
        self, cell: _Cell, text: str, *, bold: bool = False, italic: bool = False, size: int = 13
    ) -> Paragraph:
        paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        return paragraph

    def _header(
        self, superior: str, issuer: str, number: str, place: str, day: datetime.date | None
    ) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        total = self.usable_width_cm
        widths = (Cm(total * 0.42), Cm(total * 0.58))
        left, right = table.rows[0].cells
        for cell, width in zip((left, right), widths, strict=True):
            cell.width = width
        if superior:
            self._cell_line(left, superior.upper(), size=13)
        self._cell_line(left, issuer.upper(), bold=True, size=13)
        self._cell_line(left, "_______", size=13)
        if number:
            self._cell_line(left, f"Số: {number}", size=13)
        self._cell_line(right, NATION, bold=True, size=12)
        self._cell_line(right, MOTTO, bold=True, size=13)
        self._cell_line(right, "_______________", size=13)
        if place and day:
            self._cell_line(right, place_and_date(place, day), italic=True, size=14)

    def paragraph(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = False,
        space_before: int | None = None,
        space_after: int | None = None,
        size: int | None = None,
    ) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = ALIGN[align]
        fmt = paragraph.paragraph_format
        if indent:
            fmt.first_line_indent = Cm(1)
        if space_before is not None:
            fmt.space_before = Pt(space_before)
        if space_after is not None:
            fmt.space_after = Pt(space_after)
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def heading(self, text: str) -> Paragraph:
        """A bold line of the body: "Điều 1.", "I. TÌNH HÌNH ...", a section title."""
        return self.paragraph(text, bold=True, align="left", space_before=6)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths_cm: Sequence[float] | None = None,
        numeric: Sequence[int] = (),
        size: int = 12,
    ) -> None:
        """A bordered table: a bold header row, then `rows` (cells as text). Columns whose index
        is in `numeric` are right-aligned."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, text in enumerate(headers):
            cell = table.rows[0].cells[i]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold, run.font.size = True, Pt(size)
        for row in rows:
            cells = table.add_row().cells
            for i, text in enumerate(row):
                paragraph = cells[i].paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                if i in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.add_run(str(text)).font.size = Pt(size)
        if widths_cm:
            table.autofit = False
            for row_ in table.rows:
                for cell, width in zip(row_.cells, widths_cm, strict=False):
                    cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def signer(self, *, position: str, name: str, on_behalf: str = "") -> None:
        """The signer block on the right: "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH" / (signature) / name."""
        self._closing([], position=position, name=name, on_behalf=on_behalf)

    def recipients(self, lines: Sequence[str]) -> None:
        """ "Nơi nhận:" and its lines, on the left, 12 pt and 11 pt as the decree sets them."""
        self.paragraph("Nơi nhận:", bold=True, italic=True, align="left", space_after=0, size=12)
        for line in lines:
            self.paragraph(f"- {line}", align="left", space_after=0, size=11)

    def closing(
        self, recipients: Sequence[str], *, position: str, name: str, on_behalf: str = ""
    ) -> None:
        """Recipients on the left and the signer on the right, side by side, as at the end of
        most documents."""
        self._closing(recipients, position=position, name=name, on_behalf=on_behalf)

    def _closing(
        self, recipients: Sequence[str], *, position: str, name: str, on_behalf: str
    ) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        table.autofit = False
        _no_borders(table)
        total = self.usable_width_cm
        left, right = table.rows[0].cells
        left.width, right.width = Cm(total * 0.5), Cm(total * 0.5)
        if recipients:
            paragraph = left.paragraphs[0]
            run = paragraph.add_run("Nơi nhận:")
            run.bold, run.italic, run.font.size = True, True, Pt(12)
            for line in recipients:
                item = left.add_paragraph()
                item.paragraph_format.space_after = Pt(0)
                item.add_run(f"- {line}").font.size = Pt(11)
        if on_behalf:
            self._cell_line(right, on_behalf.upper(), bold=True, size=14)
        self._cell_line(right, position.upper(), bold=True, size=14)
        for _ in range(3):
            self._cell_line(right, "", size=14)
        self._cell_line(right, name, bold=True, size=14)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def document_text(data: bytes) -> list[str]:
    """Every paragraph's text of a .docx, tables included (cell by cell, in order): for tests
    and for checking a generated document."""
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            for cell in child.iter(qn("w:tc")):
                lines.extend(Paragraph(p, document).text for p in cell.iter(qn("w:p")))
    return lines
