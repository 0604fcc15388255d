"""The report's sentences, one by one, from a collected dict built by hand."""

import copy
from typing import Any

from congdoan.reports import prose

BASE: dict[str, Any] = {
    "unit": {
        "code": "LS-MS",
        "name": "Liên đoàn Lao động huyện Mẫu Sơn",
        "kind": "district_federation",
        "level": "upper",
        "superior": "Liên đoàn Lao động tỉnh Lạng Sơn",
        "province": "Liên đoàn Lao động tỉnh Lạng Sơn",
    },
    "period": {
        "kind": "year",
        "from": "2020-01-01",
        "to": "2020-12-31",
        "year": 2020,
        "half": None,
    },
    "as_of": "2020-12-31",
    "provisional": False,
    "org": {
        "grassroots_units": 124,
        "members": 3032,
        "female_members": 1699,
        "party_members": 361,
        "minority_members": 0,
        "new_members_year": 152,
        "new_members_target": 140,
        "left_members_year": 41,
        "workforce": 5550,
        "unionised_pct": 54.6,
    },
    "sections": {
        "care": {
            "people_supported": 33778,
            "support_acts": 33824,
            "support_vnd": 22_869_700_000,
            "in_kind_items": 0,
            "in_kind_vnd": 0,
            "houses": 38,
            "houses_build": 30,
            "houses_repair": 8,
            "houses_vnd": 2_190_000_000,
            "houses_proposed": 3,
            "loans_granted": 250,
            "loans_disbursed_vnd": 4_990_000_000,
            "loans_overdue": 0,
            "donations_vnd": 1_612_500_000,
            "by_programme": [],
        },
        "grading": {
            "year": 2020,
            "grades": {"HTXSNV": 22, "HTTNV": 73, "HTNV": 29, "KHTNV": 0},
            "strong": 95,
            "graded": 124,
            "not_graded": 0,
        },
        "initiatives": {"submitted": 3930, "recognised": 2232, "value_vnd": 0},
    },
    "awards": [
        {
            "form_code": "bk-ldld-tinh",
            "form": "Bằng khen của Chủ tịch Liên đoàn Lao động tỉnh",
            "phrase": "tặng Bằng khen",
            "authority": "province_union",
            "giver_kind": "provincial_federation",
            "collectives": 1,
            "individuals": 4,
        },
        {
            "form_code": "gk-cong-doan-cap-tren",
            "form": "Giấy khen",
            "phrase": "tặng Giấy khen",
            "authority": "upper_union",
            "giver_kind": "district_federation",
            "collectives": 6,
            "individuals": 10,
        },
        {
            "form_code": "co-tld",
            "form": "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam",
            "phrase": "tặng Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam",
            "authority": "tld",
            "giver_kind": "confederation",
            "collectives": 1,
            "individuals": 0,
        },
    ],
    "initiative_programmes": [
        {
            "name": "1 triệu sáng kiến",
            "from": "2021-09-01",
            "to": "2022-12-31",
            "submitted": 5265,
            "target": 4000,
        }
    ],
    "targets": [
        {
            "key": "members_admitted",
            "label": "Kết nạp đoàn viên mới",
            "achieved": 152,
            "target": 140,
        }
    ],
    "previous": {
        "period": {
            "kind": "year",
            "from": "2019-01-01",
            "to": "2019-12-31",
            "year": 2019,
            "half": None,
        },
        "as_of": "2019-12-31",
        "org": {"grassroots_units": 126, "members": 2921},
        "sections": {},
        "awards": [],
    },
}


def data(**changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(BASE)
    d.update(changes)
    return d


def test_organisation_in_the_seed_s_words() -> None:
    assert prose.org_sentence(data()) == (
        "Tính đến ngày 31/12/2020, Liên đoàn Lao động huyện hiện có 124 công đoàn cơ sở trực "
        "thuộc với 3.032 đoàn viên (1.699 nữ, 361 đảng viên)."
    )
    assert prose.org_change_sentence(data()) == (
        "So với năm 2019 (tính đến ngày 31/12/2019), số công đoàn cơ sở giảm 2 (1,6%), số "
        "đoàn viên tăng 111 (3,8%)."
    )
    assert prose.new_members_sentence(data()) == (
        "Từ đầu năm 2020 đến ngày 31/12/2020, đã kết nạp 152 đoàn viên mới, vượt 8% chỉ tiêu "
        "(140 đoàn viên); 41 đoàn viên ra khỏi tổ chức công đoàn."
    )
    assert prose.unionised_sentence(data()) == (
        "Tổng số lao động tại các đơn vị có tổ chức công đoàn là 5.550 người; tỷ lệ đoàn viên "
        "trên tổng số lao động đạt 54,6%."
    )


def test_care_in_the_seed_s_words() -> None:
    d = data(unit={**BASE["unit"], "kind": "provincial_federation"})
    assert prose.support_sentence(d) == (
        "Liên đoàn Lao động tỉnh đã tổ chức thăm hỏi, hỗ trợ 33.778 ĐV, NLĐ có hoàn cảnh khó "
        "khăn với tổng số tiền gần 23 tỷ đồng (22.869.700.000 đ)."
    )
    assert prose.houses_sentence(d) == (
        "Hỗ trợ xây dựng, sửa chữa 38 nhà Mái ấm Công đoàn (30 xây mới, 08 sửa chữa) với tổng "
        "số tiền gần 2,2 tỷ đồng."
    )
    assert prose.houses_proposed_sentence(d) == (
        "Đề nghị hỗ trợ 03 đoàn viên có hoàn cảnh đặc biệt khó khăn xây dựng, sửa chữa nhà ở "
        "(Mái ấm Công đoàn)."
    )
    assert prose.loans_sentence(d) == (
        "250 ĐV được vay vốn từ Quỹ trợ vốn với tổng số tiền gần 5 tỷ đồng."
    )
    assert prose.donations_sentence(d) == (
        "Đoàn viên, người lao động đã đóng góp ủng hộ các quỹ trên 1,6 tỷ đồng (1.612.500.000 đ)."
    )


def test_awards_name_the_giver() -> None:
    assert prose.awards_sentence(data()) == (
        "Về khen thưởng: 01 tập thể, 04 cá nhân được Chủ tịch LĐLĐ tỉnh tặng Bằng khen; "
        "06 tập thể, 10 cá nhân được Chủ tịch LĐLĐ huyện tặng Giấy khen; 01 tập thể được tặng "
        "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam."
    )
    commune = {**BASE["awards"][1], "giver_kind": "commune"}
    assert prose.award_clause(commune) == (
        "06 tập thể, 10 cá nhân được Chủ tịch Công đoàn xã tặng Giấy khen"
    )


def test_grading_and_targets() -> None:
    assert prose.grading_sentence(data()) == (
        "Kết quả đánh giá, xếp loại năm 2020: 124 CĐCS được xếp loại, trong đó 22 CĐCS "
        "HTXSNV, 73 CĐCS HTTNV, 29 CĐCS HTNV; 95 CĐCS đạt danh hiệu “CĐCS vững mạnh”."
    )
    assert prose.target_sentence(BASE["targets"][0]) == (
        "Kết nạp đoàn viên mới: 152, vượt 8% chỉ tiêu (140)."
    )
    below = {"label": "Sáng kiến", "achieved": 3400, "target": 4000}
    assert prose.target_sentence(below) == "Sáng kiến: 3.400, đạt 85% chỉ tiêu (4.000)."


def test_initiatives_against_the_programme_target() -> None:
    d = data()
    assert prose.programme_sentence(d, d["initiative_programmes"][0]) == (
        "Hưởng ứng chương trình “1 triệu sáng kiến”, từ ngày 01/09/2021 đến ngày 31/12/2022 "
        "đoàn viên, người lao động đã đăng ký 5.265 sáng kiến, vượt 31% chỉ tiêu (4.000 sáng "
        "kiến)."
    )
    assert prose.initiatives_sentence(d) == (
        "Trong năm 2020, có 3.930 sáng kiến được đăng ký, 2.232 sáng kiến được Hội đồng công nhận."
    )


def test_meetings_and_inspections() -> None:
    d = data()
    d["sections"]["meetings"] = {
        "count": 12,
        "by_kind": {"year_review": 1, "working_session": 10, "plenary": 1, "congress": 0},
        "conferences": [
            {
                "date": "2021-01-14",
                "kind": "year_review",
                "title": "Hội nghị tổng kết công tác công đoàn năm 2020",
            }
        ],
    }
    d["sections"]["inspections"] = {
        "planned": 5,
        "done": 4,
        "of_units": 3,
        "of_employers": 2,
        "with_recommendations": 2,
        "followed_up": 1,
        "by_subject": {"finance": 3, "labour_law": 2, "charter": 0},
    }
    assert prose.meetings_sentence(d) == (
        "Trong năm 2020, đã tổ chức 12 hội nghị, cuộc họp, buổi làm việc, gồm: 01 hội nghị "
        "tổng kết năm, 10 buổi làm việc, 01 hội nghị Ban Chấp hành."
    )
    assert prose.conference_line(d["sections"]["meetings"]["conferences"][0]) == (
        "- Ngày 14/01/2021: Hội nghị tổng kết công tác công đoàn năm 2020."
    )
    assert prose.inspections_sentence(d) == (
        "Trong năm 2020, theo kế hoạch đã tiến hành 05 cuộc kiểm tra, giám sát (03 tại công "
        "đoàn cấp dưới, 02 tại đơn vị sử dụng lao động), hoàn thành 04 cuộc; nội dung kiểm "
        "tra: tài chính công đoàn (03 cuộc), việc thực hiện pháp luật lao động (02 cuộc); 02 "
        "cuộc có kiến nghị, trong đó 01 cuộc đã theo dõi, đôn đốc thực hiện kiến nghị."
    )
    # A section missing (the app not installed) or empty says there is no data.
    assert prose.meetings_section(data()).blocks[0].text == (
        "Trong kỳ báo cáo chưa có số liệu về hội nghị, cuộc họp, buổi làm việc."
    )


def test_titles_and_periods() -> None:
    assert prose.title(data()) == (
        "Tổng kết công tác công đoàn năm 2020 và phương hướng, nhiệm vụ năm 2021"
    )
    half = {"kind": "half", "from": "2022-01-01", "to": "2022-06-30", "year": 2022, "half": 1}
    assert prose.title(data(period=half)) == (
        "Sơ kết công tác công đoàn 6 tháng đầu năm 2022 và phương hướng, nhiệm vụ 6 tháng cuối năm"
    )
    rng = {"kind": "custom", "from": "2021-03-01", "to": "2021-03-09", "year": None, "half": None}
    assert prose.title(data(period=rng)) == (
        "Kết quả công tác công đoàn từ ngày 01/03/2021 đến ngày 09/03/2021"
    )


def test_provisional_and_no_data() -> None:
    d = data(provisional=True, as_of="2026-11-23")
    assert prose.provisional_note(d) == (
        "SỐ LIỆU TẠM TÍNH: kỳ báo cáo chưa kết thúc, số liệu tính đến ngày 23/11/2026."
    )
    empty = data(org={"grassroots_units": 0, "members": 0}, sections={}, awards=[])
    assert not prose.has_data(empty)
    assert prose.no_data_sentence(empty) == (
        "Trong kỳ báo cáo (năm 2020), Liên đoàn Lao động huyện chưa có số liệu được ghi nhận "
        "trên hệ thống."
    )
    assert prose.care_section(empty).blocks[0].text == (
        "Trong kỳ báo cáo chưa có số liệu về công tác chăm lo."
    )
