"""The main journeys, walked in a browser as a user would, on a desktop and a phone window.

Every journey starts from a fresh browser (no cookies) and logs in through the form; pages are
reached by clicking the menu, links and buttons, fields are filled through their labels. The
demo federation is loaded once per run (scripts/e2e.sh), so journeys that write use different
people on each window.
"""

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
from docx import Document
from playwright.sync_api import FilePayload, Locator, Page, expect

from .conftest import ARTIFACTS, log_in, menu, shot

NewPage = Callable[[str], Page]

# The server's today (Vietnam), whatever the machine's time zone.
TODAY = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
# The grassroots union of the demo officer `cdcs.hungha` (TB-HH-001) and its 8 active members.
HUNGHA = "Công đoàn cơ sở Hợp tác xã Vật liệu xây dựng Thịnh Vượng"
HUNGHA_MEMBERS = 8


def vn_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def docx_text(path: Path) -> str:
    """The text of a Word document: its paragraphs and the cells of its tables."""
    document = Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def roster_names(page: Page) -> list[str]:
    return [
        n.strip() for n in page.locator("main table tbody tr td:first-child a").all_inner_texts()
    ]


def labelled(page: Page, text: str) -> Locator:
    """The field whose label is exactly `text` (a required field's label ends with " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(text)}( \*)?$"))


def row(page: Page, header: str) -> Locator:
    """The value cell of a details table's row, by its header."""
    header_cell = page.get_by_role("rowheader", name=header, exact=True)
    return page.locator("tr", has=header_cell).locator("td")


def test_log_in(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport)
    page.goto("/")
    # Not logged in: the home page sends you to the log-in form, in Vietnamese.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    shot(page, f"login-{viewport}")

    page.get_by_label("Tên đăng nhập").fill("cdcs.hungha")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("main").locator(".alert-danger")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("cdcs.hungha")

    page.get_by_label("Mật khẩu").fill("congdoan-demo")
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(HUNGHA)
    # The dashboard's first card: the union's active members today, linking to the roster.
    members = page.get_by_role("main").get_by_role("link", name=str(HUNGHA_MEMBERS), exact=True)
    expect(members.first).to_have_attribute("href", re.compile(r"^/units/\d+/members/$"))
    shot(page, f"dashboard-{viewport}")


def test_find_member_without_diacritics(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport)
    log_in(page, "cdcs.hungha")
    menu(page, "Đoàn viên")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đoàn viên: {HUNGHA}")
    # Active members by default.
    assert len(roster_names(page)) == HUNGHA_MEMBERS

    page.get_by_label("Họ tên, số CCCD hoặc mã đoàn viên").fill("nguyen")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"q=nguyen"))
    assert roster_names(page) == ["Nguyễn Văn Quân"]

    # Case and accents do not matter either way; a given name alone finds its owner.
    page.get_by_label("Họ tên, số CCCD hoặc mã đoàn viên").fill("TUYET")
    page.get_by_role("button", name="Lọc").click()
    assert roster_names(page) == ["Phan Hồng Tuyết"]
    shot(page, f"member-search-{viewport}")

    page.get_by_role("link", name="Phan Hồng Tuyết").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phan Hồng Tuyết")
    expect(page.get_by_role("main")).to_contain_text("Mã đoàn viên 0000051987")
    # CCCD numbers are masked on the member's page.
    expect(page.locator("#personal-cccd")).not_to_contain_text("001164005386")


# One new member per window: CCCD numbers are unique among active members.
NEW_MEMBERS = {
    "desktop": ("Đặng Thị Thu Hà", "12/03/1994", "Nữ", "034194001201"),
    "phone": ("Bùi Văn Khánh", "30/11/1988", "Nam", "034088001202"),
}


def test_record_member(new_page: NewPage, viewport: str) -> None:
    name, born, sex, cccd = NEW_MEMBERS[viewport]
    page = new_page(viewport)
    log_in(page, "cdcs.hungha")
    menu(page, "Đoàn viên")
    page.get_by_role("link", name="Thêm đoàn viên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Đoàn viên mới của {HUNGHA}")

    labelled(page, "Họ và tên").fill(name)
    page.get_by_label("Ngày sinh").fill(born)
    page.get_by_label("Giới tính").select_option(label=sex)
    page.get_by_label("Số CCCD").fill(cccd)
    # Choosing a province loads its communes (htmx) into the next list.
    page.get_by_label("Nơi ở hiện nay: tỉnh, thành phố").select_option(label="Thành phố Hà Nội")
    ward = page.get_by_label("Nơi ở hiện nay: xã, phường, đặc khu")
    expect(ward.locator("option", has_text="Phường Ba Đình")).to_have_count(1)
    ward.select_option(label="Phường Ba Đình")
    page.get_by_label("Nơi ở hiện nay: địa chỉ").fill("12 Phố Đội Cấn")
    expect(page.get_by_label("Kết nạp làm đoàn viên ngay")).to_be_checked()
    page.get_by_label("Ngày vào Công đoàn").fill(vn_date(TODAY))
    page.get_by_label("Số quyết định kết nạp").fill(f"E2E-{viewport}/QĐ-CĐCS")
    shot(page, f"member-form-{viewport}")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert")).to_have_text(f"Đã ghi nhận thông tin của {name}.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    main = page.get_by_role("main")
    expect(main).to_contain_text(re.compile(r"Mã đoàn viên \d{10} · " + HUNGHA))
    expect(row(page, "Ngày sinh")).to_have_text(born)
    expect(row(page, "Giới tính")).to_have_text(sex)
    expect(row(page, "Nơi ở hiện nay")).to_have_text(
        "12 Phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội"
    )
    expect(row(page, "Ngày vào Công đoàn")).to_have_text(vn_date(TODAY))
    history = main.locator("table").nth(2)
    expect(history).to_contain_text(f"E2E-{viewport}/QĐ-CĐCS")
    shot(page, f"member-recorded-{viewport}")


def roster_file(rows: list[tuple[str, str, str, str]]) -> bytes:
    """A roster as an officer would type it: a title row above the header."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN CƠ SỞ"])
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Công đoàn"])
    for full_name, born, sex, cccd in rows:
        sheet.append([full_name, born, sex, cccd, "01/09/2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


IMPORTED = {
    "desktop": [
        ("Lương Văn Thắng", "05/06/1990", "Nam", "034090002301"),
        ("Hà Thị Mai", "17/02/1996", "Nữ", "034196002302"),
        ("Cao Minh Tuấn", "28/10/1985", "Nam", "034085002303"),
    ],
    "phone": [
        ("Kiều Thị Ngọc", "09/09/1999", "Nữ", "034199002401"),
        ("Lò Văn Sơn", "14/04/1992", "Nam", "034092002402"),
    ],
}


def test_import_roster(new_page: NewPage, viewport: str) -> None:
    rows = IMPORTED[viewport]
    page = new_page(viewport)
    log_in(page, "cdcs.hungha")
    menu(page, "Đoàn viên")
    # Icon fonts put a private-use glyph before the text of the button's name.
    page.get_by_role("link", name=re.compile(r"^\W*Nhập$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách đoàn viên")

    file_name = f"danh-sach-{viewport}.xlsx"
    payload: FilePayload = {
        "name": file_name,
        "mimeType": "application/octet-stream",
        "buffer": roster_file(rows),
    }
    page.get_by_label("Danh sách (.xlsx, .xls, .ods hoặc .csv)").set_input_files(files=payload)
    page.get_by_role("button", name="Kiểm tra tệp").click()

    # The check runs as a job; the page shows its progress bar until it is done, then the preview.
    expect(page.get_by_role("heading", level=1)).to_have_text(file_name)
    expect(page.locator("progress.job-progress")).to_have_count(0, timeout=60_000)
    counts = page.locator("main .display-6")
    expect(counts).to_have_text([str(len(rows)), "0", "0", "0"])
    expect(page.locator("main .card", has_text="người mới")).to_have_text(f"{len(rows)}người mới")
    shot(page, f"import-preview-{viewport}")

    page.get_by_role("main").get_by_role("button", name="Nhập", exact=True).click()
    expect(page.locator("progress.job-progress")).to_have_count(0, timeout=60_000)
    expect(page.locator("main .alert-success")).to_have_text(
        re.compile(rf"^Đã nhập ngày {vn_date(TODAY)} \d\d:\d\d\.$")
    )
    shot(page, f"import-done-{viewport}")

    # The people are on the roster now.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=HUNGHA).click()
    for full_name, *_rest in rows:
        page.get_by_label("Họ tên, số CCCD hoặc mã đoàn viên").fill(full_name)
        page.get_by_role("button", name="Lọc").click()
        assert roster_names(page) == [full_name]


def test_record_care_support(new_page: NewPage, viewport: str) -> None:
    """Covid-19 support of 2020 (paid once per person; the demo paid every member already):
    on the desktop for the union's worker who is not a member, found on the roster by name;
    on the phone for someone on no roster, typed in with their CCCD number."""
    page = new_page(viewport)
    log_in(page, "cdcs.hungha")
    menu(page, "Chăm lo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chăm lo, hỗ trợ")
    page.get_by_role("link", name="Chương trình", exact=True).click()
    programme = "Hỗ trợ đoàn viên, người lao động bị ảnh hưởng bởi dịch Covid-19 năm 2020"
    row = page.get_by_role("row").filter(has_text=programme)
    row.get_by_role("link", name="Ghi nhận hỗ trợ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ghi nhận hỗ trợ: {programme}")

    page.get_by_label("Đơn vị trao").select_option(label=f"{HUNGHA} (TB-HH-001)")
    expect(page.get_by_label("Đoàn viên (có trong danh sách)")).to_be_checked()
    if viewport == "desktop":
        name = "Võ Ngọc Ánh"
        page.get_by_label("Tìm đoàn viên theo tên, số CCCD hoặc mã đoàn viên").fill("vo ngoc anh")
        found = page.locator("#member-results label").filter(has_text=name)
        expect(found).to_have_count(1)
        expect(found).to_contain_text("Người lao động (chưa là đoàn viên)")
        found.get_by_role("radio").check()
    else:
        name = "Triệu Thị Hạnh"
        page.get_by_label("Chưa là đoàn viên").check()
        labelled(page, "Họ và tên").fill(name)
        page.get_by_label("Số CCCD", exact=True).fill("034185003301")
        page.get_by_label("Công đoàn cơ sở (mã)").fill("TB-HH-001")
    page.get_by_label("Đối tượng").select_option(label="Bị chấm dứt hợp đồng lao động: 1.000.000 đ")
    # The category fixes the amount: left empty, it is given in cash.
    labelled(page, "Ngày").fill("15/05/2020")
    page.get_by_label("Quyết định hoặc chứng từ").fill(f"PC-E2E-{viewport}")
    shot(page, f"care-form-{viewport}")
    page.get_by_role("button", name="Lưu").click()

    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(main).to_contain_text("1.000.000 đ")  # the category's amount, in cash
    expect(main).to_contain_text(f"PC-E2E-{viewport}")
    shot(page, f"care-recorded-{viewport}")


def test_award_nomination_and_decision(new_page: NewPage) -> None:
    """The union proposes a member for its own Giấy khen, its council accepts, and the decision
    is issued and downloaded as a Word document."""
    page = new_page("desktop")
    form = "Giấy khen của Ban Chấp hành công đoàn cơ sở"
    year = TODAY.year - 1
    log_in(page, "cdcs.hungha")
    page.get_by_role("button", name="Thi đua").click()
    page.get_by_role("link", name="Khen thưởng", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Khen thưởng: {HUNGHA}")

    page.get_by_role("link", name="Tờ trình mới").click()
    page.get_by_label("Hình thức khen thưởng").select_option(label=f"{form} (tập thể và cá nhân)")
    page.get_by_label("Năm thi đua").fill(str(year))
    page.get_by_label("Số tờ trình").fill("07/TTr-CĐCS")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tờ trình khen thưởng 07/TTr-CĐCS: {form} {year}"
    )

    page.get_by_label("Đoàn viên (mã đoàn viên, số CCCD hoặc họ tên)").fill("0000051961")
    page.get_by_label("Thành tích").fill(
        "Hoàn thành xuất sắc nhiệm vụ; 2 sáng kiến được công nhận."
    )
    page.get_by_role("button", name="Thêm", exact=True).click()
    nominees = page.get_by_role("main").locator("table").first
    nominee = nominees.get_by_role("row").filter(has_text="Phan Thuỳ Loan")
    expect(nominee).to_contain_text("Đủ điều kiện")

    page.get_by_role("button", name="Trình Hội đồng").click()
    nominee = nominees.get_by_role("row").filter(has_text="Phan Thuỳ Loan")
    nominee.get_by_label("Chấp thuận").check()
    nominee.get_by_role("button", name="Ghi").click()
    nominee = nominees.get_by_role("row").filter(has_text="Phan Thuỳ Loan")
    expect(nominee).to_contain_text("Được chấp thuận")
    shot(page, "award-proposal-desktop")

    page.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Khen thưởng"
    ).click()
    page.get_by_role("link", name="Quyết định mới").click()
    page.get_by_label("Hình thức khen thưởng").select_option(label=f"{form} (tập thể và cá nhân)")
    page.get_by_label("Năm thi đua").fill(str(year))
    page.get_by_label("Số quyết định").fill("15/QĐ-CĐCS")
    labelled(page, "Người ký").fill("Đỗ Thị Lan")
    page.get_by_label("Chức vụ người ký").fill("CHỦ TỊCH")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Quyết định 15/QĐ-CĐCS: {form}")

    page.get_by_role("button", name="Đưa vào quyết định").click()
    recipients = page.get_by_role("main").locator("table").first
    expect(recipients.locator("tbody tr")).to_have_count(1)
    expect(recipients).to_contain_text("Phan Thuỳ Loan")
    page.get_by_role("button", name="Ban hành quyết định").click()
    expect(page.get_by_role("main").locator(".badge").first).to_have_text("Đã ban hành")
    shot(page, "award-decision-desktop")

    with page.expect_download() as info:
        page.get_by_role("link", name="Quyết định (DOCX)").click()
    path = ARTIFACTS / "award-decision.docx"
    info.value.save_as(path)
    text = docx_text(path)
    assert "Số: 15/QĐ-CĐCS" in text
    assert "Phan Thuỳ Loan" in text


def test_report_docx(new_page: NewPage, viewport: str) -> None:
    """The district of seed 001 downloads its 2020 review report: 3.032 members at year end."""
    page = new_page(viewport)
    log_in(page, "huyen.mauson")
    menu(page, "Báo cáo")
    page.get_by_label("Năm", exact=True).fill("2020")
    page.get_by_label("Kỳ", exact=True).select_option(label="Cả năm")
    page.get_by_role("button", name="Chọn").click()
    expect(page.get_by_role("main")).to_contain_text(
        "Các báo cáo dưới đây tính từ ngày 01/01/2020 đến ngày 31/12/2020."
    )
    page.get_by_role("link", name="Liên đoàn Lao động huyện Mẫu Sơn").click()
    # Demo units are marked "(mẫu)".
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Liên đoàn Lao động huyện Mẫu Sơn (mẫu)"
    )
    shot(page, f"report-page-{viewport}")

    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("link", name="Báo cáo (.docx)").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = ARTIFACTS / f"report-{viewport}.docx"
    download.save_as(path)
    text = docx_text(path)
    assert "3.032" in text
    assert "124" in text


def test_switch_language(new_page: NewPage, viewport: str) -> None:
    page = new_page(viewport)
    log_in(page, "cdcs.hungha")
    menu(page, "Đoàn viên")
    roster_url = page.url
    page.get_by_role("button", name="English").click()
    # The same page, now in English.
    expect(page).to_have_url(roster_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Members: {HUNGHA}")
    expect(page.get_by_role("button", name="Filter")).to_be_visible()
    shot(page, f"english-{viewport}")
    # It sticks while browsing.
    menu(page, "Care")
    expect(page.get_by_role("heading", level=1)).to_have_text("Care and welfare")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chăm lo, hỗ trợ")
