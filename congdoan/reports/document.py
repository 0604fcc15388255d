"""The review report as a Word document: the template (the unit's own, or the default built by
template_default) filled in by docxtpl with the header fields and a body written by prose.py."""

import datetime
import io
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError

from congdoan.core.admin_docx import place_and_date
from congdoan.core.errors import ServiceError

from . import charts, prose, template_default
from .fonts import FontMissing
from .prose import Chart, Data, Heading, Para, Section, Table

BODY_WIDTH_CM = 16.0


@dataclass
class Header:
    """What the document's header and closing say."""

    superior: str
    issuer: str
    number: str
    place_date: str
    kind: str
    title: str
    provisional: str
    locked: str
    recipients: list[str]
    signer_on_behalf: str
    signer_position: str
    signer_name: str


PLACE_PREFIXES = ("Liên đoàn Lao động tỉnh ", "Liên đoàn Lao động thành phố ")


def _place(d: Data) -> str:
    """The place in "Lạng Sơn, ngày ...": the province the unit is in (its federation's name
    without "Liên đoàn Lao động tỉnh"), else the unit's own name."""
    name = d["unit"].get("province") or d["unit"]["name"]
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _symbol(d: Data) -> str:
    """The document's symbol after its number: "BC-LĐLĐ", "BC-CĐ", "BC-CĐCS"."""
    kind = d["unit"]["kind"]
    if kind in ("provincial_federation", "district_federation"):
        return "BC-LĐLĐ"
    if d["unit"]["level"] == "grassroots":
        return "BC-CĐCS"
    return "BC-CĐ"


def header(d: Data, *, day: datetime.date, lock: Data | None = None) -> Header:
    superior = d["unit"]["superior"]
    return Header(
        superior=superior.upper(),
        issuer=d["unit"]["name"].upper(),
        number=f"       /{_symbol(d)}",
        place_date=place_and_date(_place(d), day),
        kind="BÁO CÁO",
        title=prose.title(d),
        provisional="SỐ LIỆU TẠM TÍNH" if d.get("provisional") else "",
        locked=prose.locked_note(lock),
        recipients=[
            *([f"{superior} (để báo cáo)"] if superior else []),
            "Các công đoàn trực thuộc",
            "Lưu: VT.",
        ],
        signer_on_behalf="TM. BAN THƯỜNG VỤ"
        if d["unit"]["level"] != "grassroots"
        else "TM. BAN CHẤP HÀNH",
        signer_position="CHỦ TỊCH",
        signer_name="",
    )


def body_sections(d: Data) -> list[Section]:
    """The body: an introduction, then a section per area (or a note that there is no data)."""
    opening = Section("")
    if d.get("provisional"):
        opening.blocks.append(Para(prose.provisional_note(d), italic=True))
    if not prose.has_data(d):
        opening.blocks.append(Para(prose.no_data_sentence(d)))
        return [opening]
    opening.blocks.append(Para(prose.intro(d)))
    return [opening, *prose.sections(d)]


# ---------------------------------------------------------------------------------------------
# Word


def _borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table._tbl.tblPr.append(borders)


class Body:
    """Writes the body in place of the paragraph that holds the body marker: each paragraph or
    table is made at the end of the document, then moved before the marker."""

    def __init__(self, doc: Any, anchor: Any) -> None:
        self.doc, self.anchor = doc, anchor

    def _place(self, element: Any) -> None:
        self.anchor.addprevious(element)

    def paragraph(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        size: int | None = None,
        after: int = 6,
    ) -> Any:
        paragraph = self.doc.add_paragraph()
        self._place(paragraph._p)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_after = Pt(after)
        if indent:
            fmt.first_line_indent = Cm(1)
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def table(self, block: Table) -> None:
        self.paragraph(
            block.title,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
            size=13,
            after=3,
        )
        table = self.doc.add_table(rows=1, cols=len(block.headers))
        self._place(table._tbl)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _borders(table)
        first = BODY_WIDTH_CM * (0.46 if len(block.headers) > 2 else 0.7)
        rest = (BODY_WIDTH_CM - first) / max(len(block.headers) - 1, 1)
        widths = [Cm(first), *[Cm(rest)] * (len(block.headers) - 1)]
        for i, text in enumerate(block.headers):
            paragraph = table.rows[0].cells[i].paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.first_line_indent = Cm(0)
            run = paragraph.add_run(text)
            run.bold, run.font.size = True, Pt(12)
        for row in block.rows:
            cells = table.add_row().cells
            for i, text in enumerate(row):
                paragraph = cells[i].paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.first_line_indent = Cm(0)
                if i in block.numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.add_run(str(text)).font.size = Pt(12)
        table.autofit = False
        for row_ in table.rows:
            for cell, width in zip(row_.cells, widths, strict=True):
                cell.width = width
        self.paragraph("", indent=False, after=0)

    def chart(self, block: Chart) -> None:
        try:
            png = charts.render(block)
        except FontMissing:  # no font to draw Vietnamese labels with: the tables say it all
            return
        paragraph = self.paragraph("", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(15))
        self.paragraph(
            block.title, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=13
        )

    def write(self, sections: list[Section]) -> None:
        for section in sections:
            if section.heading:
                self.paragraph(
                    section.heading, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False
                )
            for block in section.blocks:
                if isinstance(block, Heading):
                    self.paragraph(block.text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
                elif isinstance(block, Para):
                    self.paragraph(block.text, italic=block.italic)
                elif isinstance(block, Table):
                    self.table(block)
                elif isinstance(block, Chart):
                    self.chart(block)


@cache
def default_template() -> bytes:
    return template_default.build()


def check_template(content: bytes) -> None:
    """Refuse a template that is not a Word document, has a broken placeholder, or lacks a
    required one (the message names it)."""
    try:
        template = DocxTemplate(io.BytesIO(content))
        found = template.get_undeclared_template_variables()
    except TemplateSyntaxError as exc:
        raise ServiceError(
            _("The template has a broken placeholder (line %(line)s): %(error)s")
            % {"line": exc.lineno, "error": exc.message},
            field="file",
        ) from exc
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise ServiceError(_("The file is not a Word document (.docx)."), field="file") from exc
    missing = [name for name in template_default.REQUIRED if name not in found]
    if missing:
        raise ServiceError(
            _("The template lacks the placeholder %(names)s.")
            % {"names": ", ".join(f"{{{{ {m} }}}}" for m in missing)},
            field="file",
        )


# Stands in for the body while docxtpl fills the template in; then replaced by the body.
BODY_MARKER = "\u27e6BODY-5f1c\u27e7"


def render_docx(
    d: Data, *, template: bytes | None = None, day: datetime.date, lock: Data | None = None
) -> bytes:
    """The report of the collected figures `d` as .docx bytes."""
    tpl = DocxTemplate(io.BytesIO(template or default_template()))
    context: dict[str, Any] = {
        **vars(header(d, day=day, lock=lock)),
        "body": BODY_MARKER,
        "unit_name": d["unit"]["name"],
        "unit_code": d["unit"]["code"],
        "period": prose.period_phrase(d["period"]),
        "as_of": prose.date_vi(d["as_of"]),
    }
    tpl.render(context, autoescape=True)
    filled = io.BytesIO()
    tpl.save(filled)
    doc = Document(io.BytesIO(filled.getvalue()))
    anchor = next((p for p in doc.paragraphs if BODY_MARKER in p.text), None)
    if anchor is None:  # the placeholder was inside a table or a text box: put the body last
        anchor = doc.add_paragraph()
    Body(doc, anchor._p).write(body_sections(d))
    anchor._p.getparent().remove(anchor._p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
