"""The generated reports reproduce the seeds (issue 7, acceptance): the 2020 report of the
district federation of seed 001 (LĐLĐ huyện Mẫu Sơn, read with the tree as of 31/12/2020,
from the figures it locked on 12/01/2021) and the 2022 report of LĐLĐ tỉnh Quảng Bình (seed
003), opened as .docx and read sentence by sentence."""

import pytest

from congdoan.core.admin_docx import document_text
from congdoan.org.models import Unit
from congdoan.reports import build
from congdoan.reports.periods import make


def report(code: str, year: int) -> list[str]:
    return document_text(build.produce(Unit.objects.get(code=code), make(year), "docx").content)


@pytest.mark.django_db
def test_mau_son_2020(demo: None) -> None:
    lines = report("LS-MS", 2020)
    assert "Tổng kết công tác công đoàn năm 2020 và phương hướng, nhiệm vụ năm 2021" in lines
    assert [line for line in lines if line.startswith("Số liệu")] == [
        "Số liệu đã chốt ngày 12/01/2021 (Lương Thị Thúy)."
    ]
    assert (
        "Tính đến ngày 31/12/2020, Liên đoàn Lao động huyện hiện có 124 công đoàn cơ sở trực "
        "thuộc với 3.032 đoàn viên" in " ".join(lines)
    )
    assert (
        "Từ đầu năm 2020 đến ngày 31/12/2020, đã kết nạp 152 đoàn viên mới, vượt 8% chỉ tiêu "
        "(140 đoàn viên); 41 đoàn viên ra khỏi tổ chức công đoàn." in lines
    )
    assert (
        "Đoàn viên, người lao động đã đóng góp ủng hộ các quỹ trên 1,6 tỷ đồng "
        "(1.612.500.000 đ)." in lines
    )
    assert (
        "Đề nghị hỗ trợ 03 đoàn viên có hoàn cảnh đặc biệt khó khăn xây dựng, sửa chữa nhà ở "
        "(Mái ấm Công đoàn)." in lines
    )
    assert (
        "Về khen thưởng: 01 tập thể, 04 cá nhân được Chủ tịch LĐLĐ tỉnh tặng Bằng khen; "
        "06 tập thể, 10 cá nhân được Chủ tịch LĐLĐ huyện tặng Giấy khen." in lines
    )
    # The header: the province above, the district issuing, in Lạng Sơn.
    assert lines[:2] == [
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LẠNG SƠN",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN MẪU SƠN (MẪU)",
    ]
    assert "Lạng Sơn, ngày 12 tháng 01 năm 2021" in lines


@pytest.mark.django_db
def test_quang_binh_2022(demo: None) -> None:
    lines = report("QB", 2022)
    assert (
        "Liên đoàn Lao động tỉnh đã tổ chức thăm hỏi, hỗ trợ 33.778 ĐV, NLĐ có hoàn cảnh khó "
        "khăn với tổng số tiền gần 23 tỷ đồng (22.869.700.000 đ)." in lines
    )
    assert (
        "Hỗ trợ xây dựng, sửa chữa 38 nhà Mái ấm Công đoàn (30 xây mới, 08 sửa chữa) với tổng "
        "số tiền gần 2,2 tỷ đồng." in lines
    )
    assert any(line.startswith("250 ĐV được vay vốn từ Quỹ trợ vốn") for line in lines)
    assert (
        "Hưởng ứng chương trình “1 triệu sáng kiến”, từ ngày 01/09/2021 đến ngày 31/12/2022 "
        "đoàn viên, người lao động đã đăng ký 5.265 sáng kiến, vượt 31% chỉ tiêu (4.000 sáng "
        "kiến)." in lines
    )
    assert (
        "Về khen thưởng: 01 cá nhân được tặng Bằng khen của Thủ tướng Chính phủ; 01 tập thể "
        "được tặng Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam." in lines
    )
