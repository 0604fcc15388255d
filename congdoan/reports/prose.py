"""The review report's text, written in Vietnamese from the collected figures (figures.collect):
plain functions of that dict, one per sentence or section, so that each can be tested alone.

A section is a list of blocks that both the Word and the PDF writers lay out:
    Heading(text) · Para(text) · Table(title, headers, rows, numeric) · Chart(kind, title, data)

The document is an administrative document in Vietnamese whatever the language of the page it
is asked from, so the wording here is Vietnamese text, not translated messages.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from congdoan.core.formatting import money_words_vi, number_vi, vnd
from congdoan.emulation.wording import target_percent

Data = dict[str, Any]
D = datetime.date


@dataclass
class Heading:
    text: str


@dataclass
class Para:
    text: str
    italic: bool = False


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()


@dataclass
class Chart:
    """A bar chart: `bars` are (label, value) pairs, or (label, previous, current) for a
    comparison of two periods."""

    title: str
    bars: list[tuple[Any, ...]]
    legend: tuple[str, ...] = ()


@dataclass
class Section:
    heading: str
    blocks: list[Any] = field(default_factory=list)


def n(value: int | None) -> str:
    """3032 → "3.032"."""
    return number_vi(int(value or 0))


def n2(value: int) -> str:
    """A count as reports write it: two digits below ten ("01 tập thể", "03 đoàn viên")."""
    return f"{value:02d}" if 0 <= value < 10 else n(value)


def date_vi(iso: str) -> str:
    return D.fromisoformat(iso).strftime("%d/%m/%Y")


def pct_vi(value: float) -> str:
    """54.6 → "54,6%"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def target_words(achieved: int, target: int | None) -> str:
    """ "vượt 31%" / "đạt 85%" / "" (the emulation's wording, always in Vietnamese)."""
    if not target:
        return ""
    if achieved > target:
        return f"vượt {max(1, (100 * (achieved - target)) // target)}%"
    return f"đạt {target_percent(achieved, target)}%"


# How a unit names itself in its own report ("Liên đoàn Lao động huyện hiện có ...").
SELF_NAMES = {
    "confederation": "Tổng Liên đoàn Lao động Việt Nam",
    "provincial_federation": "Liên đoàn Lao động tỉnh",
    "district_federation": "Liên đoàn Lao động huyện",
    "commune": "Công đoàn xã",
    "industrial_zone": "Công đoàn Khu công nghiệp",
    "public_servants": "Công đoàn Viên chức tỉnh",
    "central_sector": "Công đoàn ngành",
    "local_sector": "Công đoàn ngành",
    "corporation": "Công đoàn Tổng công ty",
}


def self_name(d: Data) -> str:
    unit = d["unit"]
    return SELF_NAMES.get(unit["kind"], unit["name"])


def period_phrase(period: Data) -> str:
    """ "năm 2020", "6 tháng đầu năm 2022", "từ 01/03/2021 đến 09/03/2021"."""
    if period["kind"] == "year":
        return f"năm {period['year']}"
    if period["kind"] == "half":
        which = "đầu" if period["half"] == 1 else "cuối"
        return f"6 tháng {which} năm {period['year']}"
    return f"từ ngày {date_vi(period['from'])} đến ngày {date_vi(period['to'])}"


def previous_phrase(d: Data) -> str:
    prev = d["previous"]["period"]
    if prev["kind"] == "custom":
        return "cùng kỳ năm trước"
    return f"cùng kỳ {period_phrase(prev)}" if prev["kind"] == "half" else period_phrase(prev)


def title(d: Data) -> str:
    """ "Tổng kết công tác công đoàn năm 2020 ..." / "Sơ kết ... 6 tháng đầu năm 2022"."""
    period = d["period"]
    if period["kind"] == "year":
        return (
            f"Tổng kết công tác công đoàn năm {period['year']} "
            f"và phương hướng, nhiệm vụ năm {period['year'] + 1}"
        )
    if period["kind"] == "half":
        rest = "6 tháng cuối năm" if period["half"] == 1 else f"năm {period['year'] + 1}"
        return f"Sơ kết công tác công đoàn {period_phrase(period)} và phương hướng, nhiệm vụ {rest}"
    return f"Kết quả công tác công đoàn {period_phrase(period)}"


def change_words(before: int, after: int, unit: str = "") -> str:
    """ "tăng 52 đoàn viên (1,7%)", "giảm 2", "không thay đổi"."""
    diff = after - before
    if diff == 0:
        return "không thay đổi"
    word = "tăng" if diff > 0 else "giảm"
    text = f"{word} {n(abs(diff))}{' ' + unit if unit else ''}"
    if before > 0:
        text += f" ({pct_vi(round(100 * abs(diff) / before, 1))})"
    return text


def change_cell(before: int, after: int) -> str:
    diff = after - before
    return "0" if diff == 0 else ("+" if diff > 0 else "-") + n(abs(diff))


# ---------------------------------------------------------------------------------------------
# I. Organisation and members


def org_sentence(d: Data) -> str:
    """ "Tính đến ngày 31/12/2020, Liên đoàn Lao động huyện hiện có 124 công đoàn cơ sở trực
    thuộc với 3.032 đoàn viên (1.699 nữ, 361 đảng viên)."""
    org = d["org"]
    details = [f"{n(org.get('female_members'))} nữ", f"{n(org.get('party_members'))} đảng viên"]
    if org.get("minority_members"):
        details.append(f"{n(org['minority_members'])} người dân tộc thiểu số")
    return (
        f"Tính đến ngày {date_vi(d['as_of'])}, {self_name(d)} hiện có "
        f"{n(org['grassroots_units'])} công đoàn cơ sở trực thuộc với "
        f"{n(org.get('members'))} đoàn viên ({', '.join(details)})."
    )


def org_change_sentence(d: Data) -> str:
    org, prev = d["org"], d["previous"]["org"]
    return (
        f"So với {previous_phrase(d)} (tính đến ngày {date_vi(d['previous']['as_of'])}), số công "
        f"đoàn cơ sở {change_words(prev['grassroots_units'], org['grassroots_units'])}, số đoàn "
        f"viên {change_words(prev.get('members') or 0, org.get('members') or 0)}."
    )


def new_members_sentence(d: Data) -> str:
    """ "Từ đầu năm 2020 đến ngày 31/12/2020, đã kết nạp 152 đoàn viên mới, vượt 8% chỉ tiêu
    (140 đoàn viên); 41 đoàn viên ra khỏi tổ chức công đoàn." """
    org = d["org"]
    year = D.fromisoformat(d["as_of"]).year
    new, target = int(org.get("new_members_year") or 0), org.get("new_members_target")
    text = f"Từ đầu năm {year} đến ngày {date_vi(d['as_of'])}, đã kết nạp {n(new)} đoàn viên mới"
    if target:
        text += f", {target_words(new, target)} chỉ tiêu ({n(target)} đoàn viên)"
    return text + f"; {n(org.get('left_members_year'))} đoàn viên ra khỏi tổ chức công đoàn."


def unionised_sentence(d: Data) -> str:
    org = d["org"]
    if not org.get("workforce"):
        return ""
    return (
        f"Tổng số lao động tại các đơn vị có tổ chức công đoàn là {n(org['workforce'])} người; "
        f"tỷ lệ đoàn viên trên tổng số lao động đạt {pct_vi(org.get('unionised_pct') or 0)}."
    )


ORG_ROWS = (
    ("grassroots_units", "Số công đoàn cơ sở"),
    ("members", "Số đoàn viên"),
    ("female_members", "Trong đó: nữ"),
    ("party_members", "Đảng viên"),
    ("minority_members", "Dân tộc thiểu số"),
    ("age_under_30", "Dưới 30 tuổi"),
    ("age_30_45", "Từ 30 đến 45 tuổi"),
    ("age_over_45", "Trên 45 tuổi"),
    ("new_members_year", "Kết nạp mới (từ đầu năm)"),
    ("left_members_year", "Ra khỏi tổ chức (từ đầu năm)"),
    ("workforce", "Tổng số lao động"),
)


def comparison_table(title_: str, rows: list[tuple[str, int, int]], d: Data) -> Table:
    return Table(
        title_,
        ["Chỉ tiêu", previous_phrase(d).capitalize(), "Kỳ này", "Tăng/giảm"],
        [[label, n(before), n(after), change_cell(before, after)] for label, before, after in rows],
        numeric=(1, 2, 3),
    )


def org_section(d: Data) -> Section:
    org, prev = d["org"], d["previous"]["org"]
    section = Section("I. CÔNG TÁC TỔ CHỨC VÀ PHÁT TRIỂN ĐOÀN VIÊN")
    if not org.get("grassroots_units") and not org.get("members"):
        section.blocks.append(
            Para(
                f"Tính đến ngày {date_vi(d['as_of'])}, chưa có số liệu về tổ chức công đoàn "
                "và đoàn viên trong phạm vi báo cáo."
            )
        )
        return section
    section.blocks += [Para(org_sentence(d)), Para(new_members_sentence(d))]
    if unionised_sentence(d):
        section.blocks.append(Para(unionised_sentence(d)))
    section.blocks.append(Para(org_change_sentence(d)))
    rows = [(label, int(prev.get(k) or 0), int(org.get(k) or 0)) for k, label in ORG_ROWS]
    section.blocks.append(comparison_table("Bảng 1. Tổ chức và đoàn viên", rows, d))
    section.blocks.append(
        Chart(
            "Biểu đồ 1. Đoàn viên theo độ tuổi",
            [(label, int(prev.get(k) or 0), int(org.get(k) or 0)) for k, label in ORG_ROWS[5:8]],
            legend=(previous_phrase(d).capitalize(), "Kỳ này"),
        )
    )
    return section


# ---------------------------------------------------------------------------------------------
# II. Care and welfare


def care_has_data(care: Data | None) -> bool:
    if not care:
        return False
    keys = ("support_acts", "houses", "houses_proposed", "loans_granted", "donations_vnd")
    return any(care.get(k) for k in keys)


def support_sentence(d: Data) -> str:
    """ "Liên đoàn Lao động tỉnh đã tổ chức thăm hỏi, hỗ trợ 33.778 ĐV, NLĐ có hoàn cảnh khó
    khăn với tổng số tiền gần 23 tỷ đồng (22.869.700.000 đ)." """
    care = d["sections"]["care"]
    text = (
        f"{self_name(d)} đã tổ chức thăm hỏi, hỗ trợ {n(care['people_supported'])} ĐV, NLĐ có "
        f"hoàn cảnh khó khăn với tổng số tiền {money_words_vi(care['support_vnd'])} "
        f"({vnd(care['support_vnd'])})"
    )
    if care.get("in_kind_items"):
        text += (
            f", trong đó có {n(care['in_kind_items'])} suất quà, nhu yếu phẩm trị giá "
            f"{money_words_vi(care['in_kind_vnd'])}"
        )
    return text + "."


def houses_sentence(d: Data) -> str:
    care = d["sections"]["care"]
    if not care.get("houses"):
        return ""
    return (
        f"Hỗ trợ xây dựng, sửa chữa {n2(care['houses'])} nhà Mái ấm Công đoàn "
        f"({n2(care['houses_build'])} xây mới, {n2(care['houses_repair'])} sửa chữa) với tổng số "
        f"tiền {money_words_vi(care['houses_vnd'])}."
    )


def houses_proposed_sentence(d: Data) -> str:
    """ "Đề nghị hỗ trợ 03 đoàn viên có hoàn cảnh đặc biệt khó khăn xây dựng, sửa chữa nhà ở." """
    care = d["sections"]["care"]
    if not care.get("houses_proposed"):
        return ""
    return (
        f"Đề nghị hỗ trợ {n2(care['houses_proposed'])} đoàn viên có hoàn cảnh đặc biệt khó khăn "
        "xây dựng, sửa chữa nhà ở (Mái ấm Công đoàn)."
    )


def loans_sentence(d: Data) -> str:
    care = d["sections"]["care"]
    if not care.get("loans_granted"):
        return ""
    text = (
        f"{n(care['loans_granted'])} ĐV được vay vốn từ Quỹ trợ vốn với tổng số tiền "
        f"{money_words_vi(care['loans_disbursed_vnd'])}"
    )
    if care.get("loans_overdue"):
        text += (
            f"; {n2(care['loans_overdue'])} khoản vay quá hạn với số tiền "
            f"{money_words_vi(care['loans_overdue_vnd'])}"
        )
    return text + "."


def donations_sentence(d: Data) -> str:
    """ "Đoàn viên, người lao động đã đóng góp ủng hộ các quỹ trên 1,6 tỷ đồng." """
    care = d["sections"]["care"]
    if not care.get("donations_vnd"):
        return ""
    return (
        "Đoàn viên, người lao động đã đóng góp ủng hộ các quỹ "
        f"{money_words_vi(care['donations_vnd'])} ({vnd(care['donations_vnd'])})."
    )


CARE_ROWS = (
    ("people_supported", "Số người được thăm hỏi, hỗ trợ"),
    ("support_vnd", "Tổng số tiền hỗ trợ (đồng)"),
    ("houses", "Nhà Mái ấm Công đoàn"),
    ("houses_vnd", "Kinh phí nhà Mái ấm Công đoàn (đồng)"),
    ("loans_granted", "Số ĐV được vay vốn"),
    ("loans_disbursed_vnd", "Số tiền cho vay (đồng)"),
    ("donations_vnd", "Đóng góp, ủng hộ các quỹ (đồng)"),
)


def care_section(d: Data) -> Section:
    section = Section("II. CÔNG TÁC CHĂM LO ĐỜI SỐNG, BẢO VỆ QUYỀN LỢI ĐOÀN VIÊN, NGƯỜI LAO ĐỘNG")
    care = d["sections"].get("care")
    if not care_has_data(care):
        section.blocks.append(Para("Trong kỳ báo cáo chưa có số liệu về công tác chăm lo."))
        return section
    assert care is not None
    if care.get("support_acts"):
        section.blocks.append(Para(support_sentence(d)))
    for sentence in (
        houses_sentence(d),
        houses_proposed_sentence(d),
        loans_sentence(d),
        donations_sentence(d),
    ):
        if sentence:
            section.blocks.append(Para(sentence))
    prev = d["previous"]["sections"].get("care") or {}
    rows = [(label, int(prev.get(k) or 0), int(care.get(k) or 0)) for k, label in CARE_ROWS]
    section.blocks.append(comparison_table("Bảng 2. Kết quả chăm lo", rows, d))
    programmes = care.get("by_programme") or []
    if programmes:
        section.blocks.append(
            Table(
                "Bảng 3. Hỗ trợ theo chương trình",
                ["Chương trình", "Số người", "Số lượt", "Số tiền (đồng)"],
                [
                    [p["name"], n(p["people"]), n(p["acts"]), n(p["support_vnd"])]
                    for p in programmes
                ],
                numeric=(1, 2, 3),
            )
        )
        section.blocks.append(
            Chart(
                "Biểu đồ 2. Số tiền hỗ trợ theo chương trình (triệu đồng)",
                [(p["name"], int(p["support_vnd"]) // 1_000_000) for p in programmes],
            )
        )
    return section


# ---------------------------------------------------------------------------------------------
# III. Emulation and awards

# Who gives an award, by its authority (and for the union above grassroots, by the kind of
# the unit that decided it).
GIVERS = {
    "province_union": "Chủ tịch LĐLĐ tỉnh",
    "grassroots": "Ban Chấp hành công đoàn cơ sở",
}
UPPER_GIVERS = {
    "district_federation": "Chủ tịch LĐLĐ huyện",
    "commune": "Chủ tịch Công đoàn xã",
    "industrial_zone": "Chủ tịch Công đoàn Khu công nghiệp",
    "public_servants": "Chủ tịch Công đoàn Viên chức tỉnh",
}


def award_clause(row: Data) -> str:
    """ "01 tập thể, 04 cá nhân được Chủ tịch LĐLĐ tỉnh tặng Bằng khen"; a form naming its
    giver already ("tặng Cờ thi đua của Tổng Liên đoàn ...") reads "được tặng ..."."""
    who = []
    if row["collectives"]:
        who.append(f"{n2(row['collectives'])} tập thể")
    if row["individuals"]:
        who.append(f"{n2(row['individuals'])} cá nhân")
    phrase = row["phrase"] or f"tặng {row['form']}"
    giver = ""
    if " của " not in phrase:
        if row["authority"] == "upper_union":
            giver = UPPER_GIVERS.get(row["giver_kind"], "Chủ tịch công đoàn cấp trên")
        else:
            giver = GIVERS.get(row["authority"], "")
    return f"{', '.join(who)} được {giver + ' ' if giver else ''}{phrase}"


def awards_sentence(d: Data) -> str:
    rows = [r for r in d.get("awards") or [] if r["collectives"] or r["individuals"]]
    if not rows:
        return ""
    return "Về khen thưởng: " + "; ".join(award_clause(r) for r in rows) + "."


GRADE_NAMES = (
    ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"),
    ("HTTNV", "Hoàn thành tốt nhiệm vụ"),
    ("HTNV", "Hoàn thành nhiệm vụ"),
    ("KHTNV", "Không hoàn thành nhiệm vụ"),
)


def grading_sentence(d: Data) -> str:
    grading = d["sections"].get("grading")
    if not grading or not grading.get("graded"):
        return ""
    grades = grading["grades"]
    parts = [f"{n2(grades[code])} CĐCS {code}" for code, _name in GRADE_NAMES if grades.get(code)]
    text = (
        f"Kết quả đánh giá, xếp loại năm {grading['year']}: {n(grading['graded'])} CĐCS được "
        f"xếp loại, trong đó {', '.join(parts)}"
    )
    if grading.get("strong"):
        text += f"; {n(grading['strong'])} CĐCS đạt danh hiệu “CĐCS vững mạnh”"
    return text + "."


def target_sentence(row: Data) -> str:
    """ "Kết nạp đoàn viên mới: 152, vượt 8% chỉ tiêu (140)." """
    text = f"{row['label']}: {n(row['achieved'])}"
    if row.get("target"):
        text += f", {target_words(row['achieved'], row['target'])} chỉ tiêu ({n(row['target'])})"
    return text + "."


def emulation_sentence(d: Data) -> str:
    em = d["sections"].get("emulation")
    if not em or not (em.get("movements") or em.get("blocs")):
        return ""
    text = f"Trong kỳ, có {n(em.get('movements'))} phong trào thi đua được phát động"
    if em.get("movement_registrations"):
        text += f" với {n(em['movement_registrations'])} lượt đơn vị đăng ký tham gia"
    if em.get("blocs"):
        text += (
            f"; {n2(len(em['blocs']))} khối thi đua với "
            f"{n(sum(b['members'] for b in em['blocs']))} đơn vị đã ký kết giao ước thi đua"
        )
    return text + "."


def emulation_section(d: Data) -> Section:
    section = Section("III. CÔNG TÁC THI ĐUA, KHEN THƯỞNG")
    sentences = [emulation_sentence(d), grading_sentence(d), awards_sentence(d)]
    targets = d.get("targets") or []
    for s in sentences:
        if s:
            section.blocks.append(Para(s))
    if targets:
        section.blocks.append(Para("Kết quả thực hiện các chỉ tiêu thi đua:"))
        section.blocks += [Para(f"- {target_sentence(t)}") for t in targets]
        section.blocks.append(
            Table(
                "Bảng 4. Kết quả thực hiện chỉ tiêu",
                ["Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ"],
                [
                    [
                        t["label"],
                        n(t["target"]) if t.get("target") else "",
                        n(t["achieved"]),
                        target_words(t["achieved"], t.get("target")),
                    ]
                    for t in targets
                ],
                numeric=(1, 2),
            )
        )
    awards = [r for r in d.get("awards") or [] if r["collectives"] or r["individuals"]]
    if awards:
        section.blocks.append(
            Table(
                "Bảng 5. Khen thưởng",
                ["Hình thức khen thưởng", "Tập thể", "Cá nhân"],
                [[r["form"], n(r["collectives"]), n(r["individuals"])] for r in awards],
                numeric=(1, 2),
            )
        )
    grading = d["sections"].get("grading")
    if grading and grading.get("graded"):
        section.blocks.append(
            Chart(
                f"Biểu đồ 3. Xếp loại CĐCS năm {grading['year']}",
                [(code, int(grading["grades"].get(code, 0))) for code, _name in GRADE_NAMES],
            )
        )
    if not section.blocks:
        section.blocks.append(
            Para("Trong kỳ báo cáo chưa có số liệu về công tác thi đua, khen thưởng.")
        )
    return section


# ---------------------------------------------------------------------------------------------
# IV. Initiatives


def programme_sentence(d: Data, p: Data) -> str:
    """ "Hưởng ứng chương trình “1 triệu sáng kiến”, từ ngày 01/09/2021 đến ngày 31/12/2022
    đoàn viên, người lao động đã đăng ký 5.265 sáng kiến, vượt 31% chỉ tiêu (4.000 sáng
    kiến)." """
    text = (
        f"Hưởng ứng chương trình “{p['name']}”, từ ngày {date_vi(p['from'])} đến ngày "
        f"{date_vi(p['to'])} đoàn viên, người lao động đã đăng ký {n(p['submitted'])} sáng kiến"
    )
    if p.get("target"):
        text += (
            f", {target_words(p['submitted'], p['target'])} chỉ tiêu ({n(p['target'])} sáng kiến)"
        )
    return text + "."


def initiatives_sentence(d: Data) -> str:
    ini = d["sections"].get("initiatives")
    if not ini or not ini.get("submitted"):
        return ""
    text = (
        f"Trong {period_phrase(d['period'])}, có {n(ini['submitted'])} sáng kiến được đăng ký, "
        f"{n(ini['recognised'])} sáng kiến được Hội đồng công nhận"
    )
    if ini.get("value_vnd"):
        text += f", giá trị làm lợi ước tính {money_words_vi(ini['value_vnd'])}"
    return text + "."


def initiatives_section(d: Data) -> Section:
    section = Section("IV. PHONG TRÀO THI ĐUA LAO ĐỘNG SÁNG TẠO, SÁNG KIẾN")
    for p in d.get("initiative_programmes") or []:
        section.blocks.append(Para(programme_sentence(d, p)))
    if initiatives_sentence(d):
        section.blocks.append(Para(initiatives_sentence(d)))
        ini = d["sections"]["initiatives"]
        prev = d["previous"]["sections"].get("initiatives") or {}
        rows = [
            ("Sáng kiến đăng ký", int(prev.get("submitted") or 0), int(ini["submitted"])),
            ("Sáng kiến được công nhận", int(prev.get("recognised") or 0), int(ini["recognised"])),
            (
                "Đưa lên Cổng thông tin",
                int(prev.get("on_portal") or 0),
                int(ini.get("on_portal") or 0),
            ),
        ]
        section.blocks.append(comparison_table("Bảng 6. Sáng kiến", rows, d))
    if not section.blocks:
        section.blocks.append(Para("Trong kỳ báo cáo chưa có số liệu về sáng kiến."))
    return section


# ---------------------------------------------------------------------------------------------
# V. Inspections and VI. Meetings (the `inspections` and `meetings` sections)

MEETING_KINDS = {
    "year_review": "hội nghị tổng kết năm",
    "half_year_review": "hội nghị sơ kết 6 tháng",
    "mid_term_review": "hội nghị sơ kết giữa nhiệm kỳ",
    "launch": "hội nghị triển khai nhiệm vụ",
    "plenary": "hội nghị Ban Chấp hành",
    "congress": "đại hội",
    "working_session": "buổi làm việc",
    "other": "cuộc họp khác",
}
SUBJECTS = {
    "charter": "việc chấp hành Điều lệ Công đoàn",
    "finance": "tài chính công đoàn",
    "labour_law": "việc thực hiện pháp luật lao động",
    "union_law": "việc thực hiện Luật Công đoàn",
    "social_insurance": "việc thực hiện chính sách bảo hiểm xã hội",
}


def inspections_sentence(d: Data) -> str:
    """ "Trong năm 2022, đã tiến hành 12 cuộc kiểm tra, giám sát (08 tại công đoàn cấp dưới,
    04 tại doanh nghiệp), hoàn thành 10 cuộc; nội dung: ..." """
    ins = d["sections"].get("inspections")
    if not ins or not ins.get("planned"):
        return ""
    text = (
        f"Trong {period_phrase(d['period'])}, theo kế hoạch đã tiến hành "
        f"{n2(ins['planned'])} cuộc kiểm tra, giám sát ({n2(ins.get('of_units') or 0)} tại "
        f"công đoàn cấp dưới, {n2(ins.get('of_employers') or 0)} tại đơn vị sử dụng lao động), "
        f"hoàn thành {n2(ins.get('done') or 0)} cuộc"
    )
    subjects = [
        f"{SUBJECTS.get(k, k)} ({n2(v)} cuộc)"
        for k, v in (ins.get("by_subject") or {}).items()
        if v
    ]
    if subjects:
        text += "; nội dung kiểm tra: " + ", ".join(subjects)
    if ins.get("with_recommendations"):
        text += (
            f"; {n2(ins['with_recommendations'])} cuộc có kiến nghị, trong đó "
            f"{n2(ins.get('followed_up') or 0)} cuộc đã theo dõi, đôn đốc thực hiện kiến nghị"
        )
    return text + "."


def inspections_section(d: Data) -> Section:
    section = Section("V. CÔNG TÁC KIỂM TRA, GIÁM SÁT")
    sentence = inspections_sentence(d)
    if not sentence:
        section.blocks.append(
            Para("Trong kỳ báo cáo chưa có số liệu về công tác kiểm tra, giám sát.")
        )
        return section
    section.blocks.append(Para(sentence))
    ins = d["sections"]["inspections"]
    prev = d["previous"]["sections"].get("inspections") or {}
    labels = (
        ("planned", "Số cuộc kiểm tra, giám sát"),
        ("done", "Đã hoàn thành"),
        ("of_units", "Tại công đoàn cấp dưới"),
        ("of_employers", "Tại đơn vị sử dụng lao động"),
        ("with_recommendations", "Có kiến nghị"),
        ("followed_up", "Đã theo dõi kiến nghị"),
    )
    rows = [(label, int(prev.get(k) or 0), int(ins.get(k) or 0)) for k, label in labels]
    section.blocks.append(comparison_table("Bảng 7. Kiểm tra, giám sát", rows, d))
    return section


def meetings_sentence(d: Data) -> str:
    """ "Trong năm 2021, đã tổ chức 12 hội nghị, cuộc họp: 01 hội nghị tổng kết năm, 10 buổi
    làm việc, ..." """
    mt = d["sections"].get("meetings")
    if not mt or not mt.get("count"):
        return ""
    parts = [
        f"{n2(v)} {MEETING_KINDS.get(k, k)}" for k, v in (mt.get("by_kind") or {}).items() if v
    ]
    return (
        f"Trong {period_phrase(d['period'])}, đã tổ chức {n2(mt['count'])} hội nghị, cuộc họp, "
        f"buổi làm việc, gồm: {', '.join(parts)}."
    )


def conference_line(c: Data) -> str:
    return f"- Ngày {date_vi(c['date'])}: {c['title']}."


def meetings_section(d: Data) -> Section:
    section = Section("VI. HỘI NGHỊ, HỌP VÀ LÀM VIỆC")
    sentence = meetings_sentence(d)
    if not sentence:
        section.blocks.append(
            Para("Trong kỳ báo cáo chưa có số liệu về hội nghị, cuộc họp, buổi làm việc.")
        )
        return section
    section.blocks.append(Para(sentence))
    conferences = d["sections"]["meetings"].get("conferences") or []
    if conferences:
        section.blocks.append(Para("Các hội nghị chính:"))
        section.blocks += [Para(conference_line(c)) for c in conferences]
    mt = d["sections"]["meetings"]
    prev = (d["previous"]["sections"].get("meetings") or {}).get("by_kind") or {}
    rows = [
        (MEETING_KINDS.get(k, k).capitalize(), int(prev.get(k) or 0), int(v))
        for k, v in (mt.get("by_kind") or {}).items()
        if v or prev.get(k)
    ]
    section.blocks.append(comparison_table("Bảng 8. Hội nghị, cuộc họp", rows, d))
    return section


# ---------------------------------------------------------------------------------------------
# The whole body


def provisional_note(d: Data) -> str:
    if not d.get("provisional"):
        return ""
    return (
        f"SỐ LIỆU TẠM TÍNH: kỳ báo cáo chưa kết thúc, số liệu tính đến ngày {date_vi(d['as_of'])}."
    )


def locked_note(lock: Data | None) -> str:
    """ "Số liệu đã chốt ngày 05/01/2021 (Nguyễn Văn A)." for a report from a snapshot."""
    if not lock:
        return ""
    who = f" ({lock['by']})" if lock.get("by") else ""
    return f"Số liệu đã chốt ngày {date_vi(lock['on'])}{who}."


def intro(d: Data) -> str:
    return (
        f"{self_name(d)} báo cáo kết quả công tác công đoàn {period_phrase(d['period'])} "
        f"(số liệu toàn hệ thống tính đến ngày {date_vi(d['as_of'])}, so sánh với "
        f"{previous_phrase(d)}) như sau:"
    )


def sections(d: Data) -> list[Section]:
    return [
        org_section(d),
        care_section(d),
        emulation_section(d),
        initiatives_section(d),
        inspections_section(d),
        meetings_section(d),
    ]


def has_data(d: Data) -> bool:
    """Whether anything at all happened in the subtree (else the report says so)."""
    s = d["sections"]
    return bool(
        d["org"].get("members")
        or d["org"].get("grassroots_units")
        or care_has_data(s.get("care"))
        or d.get("awards")
        or (s.get("initiatives") or {}).get("submitted")
    )


def no_data_sentence(d: Data) -> str:
    return (
        f"Trong kỳ báo cáo ({period_phrase(d['period'])}), {self_name(d)} chưa có số liệu "
        "được ghi nhận trên hệ thống."
    )
