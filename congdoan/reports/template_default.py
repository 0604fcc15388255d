"""The default Word template of the review report, built by code (python-docx) with Jinja
placeholders that docxtpl fills in. A federation may upload its own template instead; it must
hold the placeholders in REQUIRED (see `check_template`).

The layout is that of core.admin_docx (DOMAIN.md §7): A4, Times New Roman 14 pt, margins top
and bottom 2 cm, left 3 cm, right 2 cm; the two-column header; "BÁO CÁO" and the title centred
in bold; the body; recipients on the left and the signer on the right; page numbers centred at
the top from page 2 on.

Placeholders (all text, already in the case the format wants):
    superior, issuer, number, place_date, kind, title, provisional, locked,
    body (alone in its paragraph, which the report's body replaces), recipients (a list),
    signer_on_behalf, signer_position, signer_name; also unit_name, unit_code, period, as_of.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from congdoan.core.admin_docx import BODY_PT, FONT, MOTTO, NATION, _no_borders, _page_field

REQUIRED = ("issuer", "number", "place_date", "title", "body")


def _line(
    cell: _Cell, text: str, *, bold: bool = False, italic: bool = False, size: int = 13
) -> Paragraph:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _plain(cell: _Cell, text: str, *, size: int = 11) -> Paragraph:
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run(text).font.size = Pt(size)
    return paragraph


def build() -> bytes:
    """The default template as .docx bytes."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.header_distance = Cm(1)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)

    usable = 16.0
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(usable * 0.42), Cm(usable * 0.58)
    _line(left, "{{ superior }}")
    _line(left, "{{ issuer }}", bold=True)
    _line(left, "_______")
    _line(left, "Số: {{ number }}")
    _line(right, NATION, bold=True, size=12)
    _line(right, MOTTO, bold=True)
    _line(right, "_______________")
    _line(right, "{{ place_date }}", italic=True, size=14)

    def centred(text: str, *, bold: bool = True, before: int = 0, after: int = 0) -> Paragraph:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(before)
        paragraph.paragraph_format.space_after = Pt(after)
        paragraph.add_run(text).bold = bold
        return paragraph

    centred("{{ kind }}", before=12)
    centred("{{ title }}")
    centred("________", bold=False, after=6)
    centred("{{ provisional }}", after=6)
    note = doc.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.add_run("{{ locked }}").italic = True
    doc.add_paragraph("{{ body }}")

    closing = doc.add_table(rows=1, cols=2)
    closing.autofit = False
    _no_borders(closing)
    left, right = closing.rows[0].cells
    left.width, right.width = Cm(usable * 0.5), Cm(usable * 0.5)
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    _plain(left, "{%p for line in recipients %}")
    _plain(left, "- {{ line }}")
    _plain(left, "{%p endfor %}")
    _line(right, "{{ signer_on_behalf }}", bold=True, size=14)
    _line(right, "{{ signer_position }}", bold=True, size=14)
    for _ in range(3):
        _line(right, "", size=14)
    _line(right, "{{ signer_name }}", bold=True, size=14)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
