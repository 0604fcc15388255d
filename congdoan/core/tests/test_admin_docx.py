import datetime
import io

from docx import Document

from congdoan.core.admin_docx import AdminDocument, document_text, place_and_date


def test_place_and_date_pads_days_and_the_first_two_months() -> None:
    assert place_and_date("Thái Bình", datetime.date(2021, 1, 15)) == (
        "Thái Bình, ngày 15 tháng 01 năm 2021"
    )
    assert place_and_date("Hòa Bình", datetime.date(2022, 7, 9)) == (
        "Hòa Bình, ngày 09 tháng 7 năm 2022"
    )
    assert place_and_date("Quảng Bình", datetime.date(2022, 12, 28)) == (
        "Quảng Bình, ngày 28 tháng 12 năm 2022"
    )


def test_a_decision_has_the_administrative_layout() -> None:
    doc = AdminDocument(
        superior="Liên đoàn Lao động tỉnh Lạng Sơn",
        issuer="Liên đoàn Lao động huyện",
        number="05/QĐ-LĐLĐ",
        place="Lạng Sơn",
        day=datetime.date(2021, 1, 14),
        kind="QUYẾT ĐỊNH",
        title="Về việc tặng Giấy khen",
    )
    doc.heading("Điều 1.")
    doc.paragraph("Tặng Giấy khen cho 06 tập thể và 10 cá nhân.", indent=True)
    doc.table(["STT", "Họ và tên"], [["1", "Nguyễn Văn An"]], widths_cm=[1.5, 10], numeric=[0])
    doc.closing(["Như Điều 3;", "Lưu: VT."], position="Chủ tịch", name="Lương Thị Thúy")
    data = doc.to_bytes()

    assert document_text(data) == [
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LẠNG SƠN",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN",
        "_______",
        "Số: 05/QĐ-LĐLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "_______________",
        "Lạng Sơn, ngày 14 tháng 01 năm 2021",
        "QUYẾT ĐỊNH",
        "Về việc tặng Giấy khen",
        "________",
        "Điều 1.",
        "Tặng Giấy khen cho 06 tập thể và 10 cá nhân.",
        "STT",
        "Họ và tên",
        "1",
        "Nguyễn Văn An",
        "",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT.",
        "CHỦ TỊCH",
        "",
        "",
        "",
        "Lương Thị Thúy",
    ]
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 2), round(section.right_margin.cm, 2)) == (3.0, 2.0)
    assert section.different_first_page_header_footer is True
    assert "PAGE" in section.header.paragraphs[0]._p.xml
    assert document.styles["Normal"].font.name == "Times New Roman"
