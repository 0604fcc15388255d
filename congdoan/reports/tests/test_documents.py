"""The report as Word (the default template and a unit's own), PDF and the statistics
workbook: the administrative layout, the text, provisional periods, empty periods, and
templates refused for a missing placeholder."""

import datetime
import io

import pytest
from docx import Document
from docx.shared import Cm
from openpyxl import load_workbook

from congdoan.core.admin_docx import document_text
from congdoan.core.errors import ServiceError
from congdoan.reports import build, figures, services
from congdoan.reports.document import check_template, render_docx
from congdoan.reports.periods import make
from congdoan.reports.template_default import build as default_template

from .conftest import Year

D = datetime.date


def own_template(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


GOOD = (
    "MẪU RIÊNG {{ unit_code }} {{ issuer }}",
    "Số: {{ number }}",
    "{{ place_date }}",
    "{{ title }}",
    "{{ body }}",
    "Hết",
)


def test_the_district_s_year_report(year: Year) -> None:
    d = figures.collect_period(year.tree.X, make(2024))
    data = render_docx(d, day=D(2025, 1, 10))
    lines = [line for line in document_text(data) if line.strip()]
    assert lines[:8] == [
        "UNIT P",
        "UNIT X",
        "_______",
        "Số:        /BC-LĐLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "_______________",
        "Unit P, ngày 10 tháng 01 năm 2025",
    ]
    assert lines[8:11] == [
        "BÁO CÁO",
        "Tổng kết công tác công đoàn năm 2024 và phương hướng, nhiệm vụ năm 2025",
        "________",
    ]
    assert (
        "Tính đến ngày 31/12/2024, Liên đoàn Lao động huyện hiện có 3 công đoàn cơ sở trực "
        "thuộc với 3 đoàn viên (2 nữ, 1 đảng viên)." in lines
    )
    assert (
        "Liên đoàn Lao động huyện đã tổ chức thăm hỏi, hỗ trợ 2 ĐV, NLĐ có hoàn cảnh khó khăn "
        "với tổng số tiền 2,5 triệu đồng (2.500.000 đ)." in lines
    )
    assert "Trong kỳ báo cáo chưa có số liệu về sáng kiến." in lines
    assert "SỐ LIỆU TẠM TÍNH" not in lines
    assert lines[-6:] == [
        "Nơi nhận:",
        "- Unit P (để báo cáo)",
        "- Các công đoàn trực thuộc",
        "- Lưu: VT.",
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
    ]
    # The table of programmes and a chart (a picture) are in the body.
    assert "Tết Sum vầy 2024" in lines
    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == 2  # ages, and support by programme
    # A4, margins, page numbers from page 2 (a PAGE field in the header, none on page 1).
    section = doc.sections[0]
    assert (round(section.page_width / Cm(1), 1), round(section.page_height / Cm(1), 1)) == (
        21.0,
        29.7,
    )
    assert [
        round(m / Cm(1), 1)
        for m in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [2.0, 2.0, 3.0, 2.0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_a_period_not_ended_is_marked_provisional(year: Year) -> None:
    today = datetime.date.today()
    report = build.produce(year.tree.X, make(today.year), "docx")
    lines = document_text(report.content)
    assert "SỐ LIỆU TẠM TÍNH" in lines
    assert (
        f"SỐ LIỆU TẠM TÍNH: kỳ báo cáo chưa kết thúc, số liệu tính đến ngày "
        f"{today:%d/%m/%Y}." in lines
    )


def test_a_period_with_no_data_says_so(year: Year) -> None:
    report = build.produce(year.tree.Z, make(2024), "docx")
    lines = [line for line in document_text(report.content) if line.strip()]
    assert (
        "Trong kỳ báo cáo (năm 2024), Công đoàn xã chưa có số liệu được ghi nhận trên hệ thống."
        in lines
    )
    assert not any(line.startswith("I. ") for line in lines)
    assert build.produce(year.tree.Z, make(2024), "pdf").content.startswith(b"%PDF")


def test_pdf_has_the_report_on_a4_pages(year: Year) -> None:
    report = build.produce(year.tree.X, make(2024), "pdf")
    assert report.filename == "bao-cao-X-2024.pdf"
    assert report.content.startswith(b"%PDF-")
    assert report.content.count(b"/Type /Page\n") + report.content.count(b"/Type /Page ") >= 2
    assert b"/MediaBox [0 0 595.28 841.89]" in report.content


def test_the_workbook_has_a_row_per_sub_unit_and_the_total(year: Year) -> None:
    report = build.produce(year.tree.X, make(2024, 1), "xlsx")
    assert report.filename == "thong-ke-X-2024-6-thang-dau.xlsx"
    wb = load_workbook(io.BytesIO(report.content))
    assert wb.sheetnames == [
        "Tổ chức, đoàn viên",
        "Chăm lo",
        "Thi đua, chỉ tiêu",
        "Xếp loại CĐCS",
        "Sáng kiến",
        "Khen thưởng",
        "Hội nghị, kiểm tra",
    ]
    org = wb["Tổ chức, đoàn viên"]
    assert org["A1"].value == "Unit X - 6 tháng đầu năm 2024 (số liệu tính đến ngày 30/06/2024)"
    assert [c.value for c in org[2]][:4] == ["Mã đơn vị", "Đơn vị", "Số CĐCS", "Số đoàn viên"]
    assert [[c.value for c in row][:4] for row in org.iter_rows(min_row=3)] == [
        ["X1", "Unit X1", 1, 2],
        ["X2", "Unit X2", 1, 1],
        ["X3", "Unit X3", 1, 0],
        ["X", "Tổng cộng", 3, 3],
    ]
    care = wb["Chăm lo"]
    assert [[c.value for c in row][:3] for row in care.iter_rows(min_row=3)] == [
        ["X1", "Unit X1", 2],
        ["X2", "Unit X2", 0],
        ["X3", "Unit X3", 0],
        ["X", "Tổng cộng", 2],
    ]


def test_the_default_template_has_every_required_placeholder() -> None:
    check_template(default_template())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            own_template(*[line for line in GOOD if "body" not in line]),
            "The template lacks the placeholder {{ body }}.",
        ),
        (
            own_template("{{ issuer }} {{ number }}"),
            "The template lacks the placeholder {{ place_date }}, {{ title }}, {{ body }}.",
        ),
        (own_template(*GOOD, "{{ broken"), "The template has a broken placeholder"),
        (b"not a word file", "The file is not a Word document (.docx)."),
    ],
)
def test_a_template_missing_a_placeholder_is_refused(
    year: Year, content: bytes, message: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        services.template_upload(
            actor=year.cast.x_officer, unit=year.tree.X, name="t.docx", content=content
        )
    assert caught.value.messages[0].startswith(message)
    assert caught.value.field == "file"


def test_a_unit_s_own_template_replaces_the_default_for_its_subtree(year: Year) -> None:
    services.template_upload(
        actor=year.cast.province_officer,
        unit=year.tree.P,
        name="mau-tinh.docx",
        content=own_template(*GOOD),
    )
    lines = document_text(build.produce(year.tree.X, make(2024), "docx").content)
    assert lines[0] == "MẪU RIÊNG X UNIT X"
    assert "Hết" in lines and "BÁO CÁO" not in lines
    assert any(
        line.startswith("Tính đến ngày 31/12/2024, Liên đoàn Lao động huyện") for line in lines
    )
    # X's own template wins over its province's; removing it brings the province's back.
    own = services.template_upload(
        actor=year.cast.x_officer,
        unit=year.tree.X,
        name="x.docx",
        content=own_template("{{ issuer }}", *GOOD[1:], "HUYỆN {{ unit_code }}"),
    )
    assert "HUYỆN X" in document_text(build.produce(year.tree.X, make(2024), "docx").content)
    services.template_remove(actor=year.cast.x_officer, template=own)
    assert document_text(build.produce(year.tree.X, make(2024), "docx").content)[0] == (
        "MẪU RIÊNG X UNIT X"
    )
    # Another province is not affected.
    assert "BÁO CÁO" in document_text(build.produce(year.tree.Q, make(2024), "docx").content)


def test_without_a_serif_font_the_pdf_says_what_to_install(
    year: Year, monkeypatch: pytest.MonkeyPatch
) -> None:
    from congdoan.reports import fonts

    monkeypatch.setattr(fonts, "FAMILIES", ())
    fonts.serif_fonts.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-liberation2"):
            build.produce(year.tree.X, make(2024), "pdf")
        # The Word document is still made, with its tables and without the charts.
        data = build.produce(year.tree.X, make(2024), "docx").content
        assert len(Document(io.BytesIO(data)).inline_shapes) == 0
        assert "Bảng 1. Tổ chức và đoàn viên" in document_text(data)
    finally:
        fonts.serif_fonts.cache_clear()
