"""Lists of initiatives from spreadsheets: every problem by row and column, nothing written
until the whole list is right; the same file twice records it once."""

import datetime

from django.test import Client
from django.urls import reverse

from congdoan.core.models import AuditEvent
from congdoan.initiatives import lists
from congdoan.initiatives.models import Initiative, InitiativeUpload
from congdoan.members.roster_io import ImportFailed

from .setup import Setup, scene

D = datetime.date
__all__ = ["scene"]

HEADER = (
    "Danh sách sáng kiến\nTên sáng kiến;Mã đơn vị;Lĩnh vực;Tác giả;Giá trị làm lợi;Ngày đăng ký\n"
)


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8-sig")


def test_problems_by_row_and_column(scene: Setup) -> None:
    s = scene
    content = csv(
        "Cải tiến kho;X1;Kỹ thuật;001190000001 (60%), 001190000002 (40%);12.500.000;05/03/2024",
        "Không tác giả;X1;Quản lý;;0;05/03/2024",
        "Giá âm;X1;Quản lý;001190000001;-5;05/03/2024",
        "Ngoài kỳ;X1;khac;001190000001;1.000;05/03/2023",
        "Ngoài tỉnh;Q1;Khác;001190000009;0;05/03/2024",
        "Sai lĩnh vực;X1;Thiên văn;001190000001;0;05/03/2024",
        "Cải tiến kho;X1;Kỹ thuật;001190000001;0;05/03/2024",
    )
    plan = lists.plan_list(user=s.cast.x_officer, programme=s.programme, unit=s.tree.X,
                           name="list.csv", content=content)  # fmt: skip
    assert [(p.row, p.column) for p in plan.problems] == [
        (4, "Tác giả"), (5, "Giá trị làm lợi"), (6, "Ngày đăng ký"), (7, "Mã đơn vị"),
        (8, "Lĩnh vực"), (9, "Tên sáng kiến")]  # fmt: skip
    messages = [p.message for p in plan.problems]
    assert messages[0] == "This cell is required."
    assert messages[1] == "The estimated value cannot be negative."
    assert "outside the programme's period" in messages[2]
    assert messages[5] == "The same initiative is already in row 3."
    assert plan.counts == {"create": 1, "unchanged": 0, "value_vnd": 12_500_000}


def test_import_all_or_nothing_and_twice_once(scene: Setup) -> None:
    s = scene
    good = csv(
        "Cải tiến kho;X1;Kỹ thuật;001190000001 (60%), 001190000002 (40%);12.500.000;05/03/2024",
        "Số hóa sổ sách;X2;quan ly;001090000003;;10/04/2024",
    )
    upload = InitiativeUpload.objects.create(
        programme=s.programme, unit=s.tree.X, file_name="l.csv", content=good, sha256="x"
    )
    plan = lists.import_upload(user=s.cast.x_officer, upload=upload)
    assert plan.counts == {"create": 2, "unchanged": 0, "value_vnd": 12_500_000}
    rows = {i.title: i for i in Initiative.objects.all()}
    assert rows["Cải tiến kho"].unit == s.tree.X1 and rows["Số hóa sổ sách"].field == "management"
    assert list(rows["Cải tiến kho"].authors.values_list("member__full_name", "share_pct")) == [
        ("Nguyễn Thị Hoa", 60),
        ("Trần Thị Lan", 40),
    ]
    assert AuditEvent.objects.filter(action="initiative.import").count() == 1
    again = lists.import_upload(user=s.cast.x_officer, upload=upload)
    assert again.counts == {"create": 0, "unchanged": 2, "value_vnd": 0}
    assert Initiative.objects.count() == 2
    bad = InitiativeUpload.objects.create(
        programme=s.programme, unit=s.tree.X, file_name="bad.csv", sha256="y",
        content=csv("Mới;X1;Khác;001190000001;0;05/03/2024", "Lỗi;X1;Khác;123;0;05/03/2024"),
    )  # fmt: skip
    try:
        lists.import_upload(user=s.cast.x_officer, upload=bad)
    except ImportFailed as exc:
        assert [(p.row, p.column) for p in exc.problems] == [(4, "Tác giả")]
    else:
        raise AssertionError("the import should have failed")
    assert Initiative.objects.count() == 2


def test_the_upload_pages(scene: Setup) -> None:
    s = scene
    client = Client()
    client.force_login(s.cast.x_officer)
    url = reverse("initiative_import", args=[s.programme.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("initiative_template", args=[s.programme.pk])).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv("Cải tiến kho;X1;Kỹ thuật;001190000001;12.500.000;05/03/2024")
    r = client.post(url, {"unit": s.tree.X.pk,
                          "file": SimpleUploadedFile("list.csv", content, "text/csv")})  # fmt: skip
    assert r.status_code == 302
    stored = InitiativeUpload.objects.get()
    body = client.get(r["Location"]).content.decode()
    assert stored.status == "checked" and "initiatives to record" in body
    r = client.post(r["Location"], {"action": "import"})
    stored.refresh_from_db()
    assert stored.status == "applied" and Initiative.objects.count() == 1
    # another user's upload is not found
    other = Client()
    other.force_login(s.cast.province_officer)
    assert other.get(reverse("initiative_upload", args=[stored.pk])).status_code == 404
