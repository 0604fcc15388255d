"""Support lists from spreadsheets: the preview (counts, every problem by row and column, the
Columns card), all or nothing, importing the same file twice records it once, one audit event
per import, and cases recorded as paid by the programme's owner."""

import datetime
import hashlib
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from congdoan.care import funds, support_import
from congdoan.care import support as care
from congdoan.care.models import FundEntry, Programme, Support, SupportItem, SupportUpload
from congdoan.care.tests.test_support_services import CCCD_A, CCCD_B, fund, programme, to_worker
from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.models import AuditEvent

D = datetime.date


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def upload(client: Client, programme: Programme, unit: Any, name: str, content: bytes) -> str:
    """Upload a list (checked at once: tests run jobs immediately); its page's URL."""
    buf = io.BytesIO(content)
    buf.name = name
    response = client.post(
        reverse("support_import", args=[programme.pk]), {"file": buf, "unit": str(unit.pk)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def problems_of(page: Any) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in page.context["problems"]]


@pytest.fixture
def tet(tree: Tree) -> Programme:
    return programme(
        tree.P,
        name="Tết 2024",
        budget_vnd=10_000_000,
        allow_in_kind=True,
        fund=fund(tree.P, 20_000_000),
        items=[care.ItemData("Gạo", 250_000, "bao 10 kg"), care.ItemData("Dầu ăn", 45_000, "chai")],
    )


def list_csv(*rows: str) -> bytes:
    # (a title row, as a spreadsheet saves it with its empty cells)
    head = (
        "DANH SÁCH HỖ TRỢ TẾT 2024;;;;;;;;;;\n"
        "STT;HỌ VÀ TÊN;Số thẻ đoàn viên;số cccd;Mã đơn vị;Nơi làm việc;Số tiền;Gạo;"
        "Dầu ăn (chai);Ngày;Số chứng từ\n"
    )
    return (head + "".join(r + "\n" for r in rows)).encode("utf-8-sig")


def good_rows(hoa: Any) -> list[str]:
    return [
        f"1;Nguyễn Thị Hoa;{hoa.card_number};;;;500.000;1;;01/02/2024;PC-01",
        f"2;Lò Văn Páo;;{CCCD_A};X2;;300000;;2;02/02/2024;PC-02",
        "3;Trần Thị Mai;;001190054321;;Công ty May Sông Hồng;1.000.000;;;03/02/2024;PC-03",
    ]


def test_a_list_is_previewed_then_imported_once(tree: Tree, cast: Cast, tet: Programme) -> None:
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190099999")
    client = login(cast.x_officer)
    content = list_csv(*good_rows(hoa))
    url = upload(client, tet, tree.X1, "tet.csv", content)
    page = client.get(url)
    assert problems_of(page) == []
    assert page.context["counts"] == {"create": 3, "unchanged": 0, "total_vnd": 2_140_000}
    assert Support.objects.count() == 0  # the check writes nothing
    assert page.context["mapping_form"].required_unmatched() == []
    assert [c for h, c in SupportUpload.objects.get().columns if h == "Dầu ăn (chai)"] == [
        f"item_{tet.items.get(name='Dầu ăn').pk}"
    ]
    # The officer of X does not run the programme: proposals only.
    assert [v for v, _l in page.context["start_form"].fields["status"].choices] == ["proposed"]
    assert client.post(url, {"action": "import", "status": "paid"}).status_code == 404
    assert Support.objects.count() == 0
    client.post(url, {"action": "import", "status": "proposed"})
    stored = SupportUpload.objects.get()
    assert stored.status == "applied"
    rows = {s.person_name: s for s in Support.objects.select_related("member", "person_unit")}
    assert set(rows) == {"Nguyễn Thị Hoa", "Lò Văn Páo", "Trần Thị Mai"}
    assert (rows["Nguyễn Thị Hoa"].member, rows["Nguyễn Thị Hoa"].in_kind_vnd) == (hoa, 250_000)
    assert (
        rows["Lò Văn Páo"].person_unit,
        rows["Lò Văn Páo"].in_kind_vnd,
        rows["Lò Văn Páo"].cash_vnd,
    ) == (tree.X2, 90_000, 300_000)
    assert rows["Trần Thị Mai"].employer_name == "Công ty May Sông Hồng"
    assert {s.status for s in rows.values()} == {"proposed"}
    assert {s.unit for s in rows.values()} == {tree.X1}
    assert SupportItem.objects.count() == 2
    event = AuditEvent.objects.get(action="support.import")
    assert event.summary == f"tet.csv sha256:{hashlib.sha256(content).hexdigest()}"
    assert event.changes["create"] == [None, 3]
    assert AuditEvent.objects.filter(target_type="care.support").count() == 0  # one event
    # The same file again records nothing new.
    again = upload(client, tet, tree.X1, "tet.csv", content)
    assert client.get(again).context["counts"] == {"create": 0, "unchanged": 3, "total_vnd": 0}
    client.post(again, {"action": "import", "status": "proposed"})
    assert Support.objects.count() == 3


def test_every_problem_is_shown_and_nothing_is_written(
    tree: Tree, cast: Cast, tet: Programme
) -> None:
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190099999")
    far = make_member(tree.Y1, "Lê Văn Xa", cccd="001090077777", sex="male")
    care.support_record(
        actor=None, programme=tet, data=to_worker(tree.Y1, cccd=CCCD_B, cash_vnd=100_000)
    )
    content = list_csv(
        f"1;Nguyễn Thị Hoa;{hoa.card_number};;;;500.000;1;;01/02/2024;PC-01",
        "2;Lò Văn Páo;;;X2;;300000;;;02/02/2024;",
        f"3;Trần Thị Mai;;{CCCD_B};;Công ty May;1.000.000;;;03/02/2024;",
        "4;Vũ Văn Nam;;001090011111;Y1;;100000;;;03/02/2024;",
        f"5;Lê Văn Xa;{far.card_number};;;;100000;;;03/02/2024;",
        "6;Đỗ Văn Đạt;;001090022222;;Công ty X;150000,5;;;03/02/2024;",
        "7;Hà Thị Thu;;001190033333;;Công ty X;100000;1,5;;03/02/2024;",
        "8;Phạm Văn Bốn;;001090044444;;Công ty X;100000;;;31/12/2025;",
        f"9;Nguyễn Thị Hoa;;{hoa.cccd};;;200000;;;05/02/2024;",
        "10;Mai Văn Mười;;001090055555;;Công ty X;;;;05/02/2024;",
        "11;;;001090066666;;Công ty X;100000;;;05/02/2024;",
        "12;Tô Văn Lớn;;001090088888;;Công ty X;9.500.000;;;05/02/2024;",
        "13;Lâm Văn Ngày;;001090099998;;Công ty X;100000;;;32/01/2024;",
    )
    client = login(cast.x_officer)
    page = client.get(upload(client, tet, tree.X1, "loi.csv", content))
    assert problems_of(page) == [
        (4, "số cccd", "Give the CCCD number of a person who is not a member."),
        (5, "số cccd", "This person has already received support under this programme."),
        (6, "Mã đơn vị", "No unit with code Y1 among your units."),
        (7, "Số thẻ đoàn viên", f"No member has the code {far.card_number} among your units."),
        (8, "Số tiền", "Amounts are whole numbers of đồng, without decimals."),
        (9, "Gạo", "The quantity must be a whole number more than zero."),
        (
            10,
            "Ngày",
            "The date 31/12/2025 is outside the programme's period (01/01/2024 – 31/12/2024).",
        ),
        (11, "số cccd", "The same person is already in row 3."),
        (12, "Số tiền", "Give the cash amount, the gifts in kind or the vouchers."),
        (13, "HỌ VÀ TÊN", "This cell is required."),
        (
            14,
            "Số tiền",
            "The programme's budget is 10.000.000 đ: 9.250.000 đ is left after what "
            "is approved or paid and the rows above, less than this row's "
            "9.500.000 đ.",
        ),
        (15, "Ngày", "“32/01/2024” is not a date (dd/mm/yyyy)."),
    ]
    assert "Y1" not in str(problems_of(page)[1])
    assert page.context["start_form"] is not None
    assert 'name="action" value="import"' not in page.content.decode()
    before = Support.objects.count()
    client.post(page.request["PATH_INFO"], {"action": "import", "status": "proposed"})
    assert Support.objects.count() == before
    assert SupportUpload.objects.get(file_name="loi.csv").status == "checked"


def test_the_budget_message_counts_the_rows_above(tree: Tree, cast: Cast) -> None:
    p = programme(tree.X, budget_vnd=1_000_000, repeat_allowed=True)
    content = (
        "Họ và tên,Số CCCD,Nơi làm việc,Số tiền,Ngày\n"
        f"An,{CCCD_A},Công ty,600.000,01/02/2024\n"
        f"Bình,{CCCD_B},Công ty,300.000,01/02/2024\n"
        f"An,{CCCD_A},Công ty,200.000,02/02/2024\n"
    ).encode()
    client = login(cast.x_officer)
    page = client.get(upload(client, p, tree.X1, "b.csv", content))
    assert problems_of(page) == [
        (
            4,
            "Số tiền",
            "The programme's budget is 1.000.000 đ: 100.000 đ is left after what is "
            "approved or paid and the rows above, less than this row's 200.000 đ.",
        )
    ]


def test_the_owner_imports_a_list_as_paid(tree: Tree, cast: Cast, tet: Programme) -> None:
    hoa = make_member(tree.X1, "Nguyễn Thị Hoa", cccd="001190099999")
    client = login(cast.province_officer)
    url = upload(client, tet, tree.X1, "tet.csv", list_csv(*good_rows(hoa)))
    page = client.get(url)
    assert [v for v, _l in page.context["start_form"].fields["status"].choices] == [
        "proposed",
        "approved",
        "paid",
    ]
    client.post(url, {"action": "import", "status": "paid"})
    assert set(Support.objects.values_list("status", flat=True)) == {"paid"}
    assert sorted(FundEntry.objects.filter(kind="grant").values_list("amount_vnd", flat=True)) == [
        -1_000_000,
        -500_000,
        -300_000,
    ]
    assert funds.balance(tet.fund) == 20_000_000 - 1_800_000  # type: ignore[arg-type]
    assert care.committed_vnd(tet) == 2_140_000


def test_a_failure_while_writing_leaves_nothing(tree: Tree, cast: Cast) -> None:
    """Paying the third row would overdraw the fund: the job fails and the first two rows,
    already written, are rolled back."""
    p = programme(tree.P, fund=fund(tree.P, 1_000_000))
    content = (
        "Họ và tên;Số CCCD;Nơi làm việc;Số tiền;Ngày\n"
        f"An;{CCCD_A};Công ty;400.000;01/02/2024\n"
        f"Bình;{CCCD_B};Công ty;400.000;01/02/2024\n"
        "Chi;001190054322;Công ty;400.000;01/02/2024\n"
    ).encode()
    client = login(cast.province_officer)
    url = upload(client, p, tree.X1, "no.csv", content)
    assert problems_of(client.get(url)) == []
    entries = FundEntry.objects.count()
    client.post(url, {"action": "import", "status": "paid"})
    page = client.get(url)
    assert page.context["job"].status == "failed"
    assert "nothing was written" in page.content.decode()
    assert problems_of(page) == [
        (
            4,
            "Số tiền",
            "Quỹ xã hội would be short by 200.000 đ on 01/02/2024; the movement was not recorded.",
        )
    ]
    assert (Support.objects.count(), FundEntry.objects.count()) == (0, entries)
    assert SupportUpload.objects.get().status == "checked"


def test_columns_that_were_not_recognised_can_be_chosen(tree: Tree, cast: Cast) -> None:
    p = programme(tree.X)
    content = (
        "Tên người lao động,CCCD,Công ty,Hỗ trợ,Ngày nhận tiền\n"
        f"Lò Văn Páo,{CCCD_A},Công ty May,500000,01/02/2024\n"
    ).encode()
    client = login(cast.x_officer)
    url = upload(client, p, tree.X1, "m.csv", content)
    page = client.get(url)
    assert problems_of(page) == [(0, "", "The file has no column Họ và tên, Ngày.")]
    form = page.context["mapping_form"]
    assert form.required_unmatched() == ["Họ và tên", "Ngày"]
    data = {"action": "mapping"}
    choose = {
        "Tên người lao động": "full_name",
        "CCCD": "cccd",
        "Công ty": "employer",
        "Hỗ trợ": "cash",
        "Ngày nhận tiền": "date",
    }
    for bf in form:
        data[bf.html_name] = choose[str(bf.label)]
    client.post(url, data)
    again = client.get(url)
    assert problems_of(again) == []
    assert again.context["counts"]["create"] == 1
    both = {bf.html_name: "cash" for bf in again.context["mapping_form"]}
    clash = client.post(url, {"action": "mapping", **both})
    assert "are both read as Số tiền" in clash.content.decode()


def test_an_xlsx_list_and_its_template(tree: Tree, cast: Cast, tet: Programme) -> None:
    client = login(cast.x_officer)
    template = client.get(reverse("support_template", args=[tet.pk]))
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content))["Danh sách"]
    headers = [c.value for c in sheet[2]]
    assert headers == [
        "Họ và tên",
        "Số CCCD",
        "Số thẻ đoàn viên",
        "Mã đơn vị",
        "Nơi làm việc",
        "Loại",
        "Số tiền",
        "Phiếu mua hàng",
        "Ngày",
        "Số chứng từ",
        "Gạo",
        "Dầu ăn",
    ]
    wb = Workbook()
    ws = wb.active
    ws.append(["Danh sách hỗ trợ"])
    ws.append(headers)
    ws.append(
        [
            "Lò Văn Páo",
            int(CCCD_A),
            None,
            "X2",
            None,
            None,
            300000,
            None,
            datetime.datetime(2024, 2, 1),
            "PC-1",
            2,
            None,
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    url = upload(client, tet, tree.X1, "list.xlsx", buf.getvalue())
    page = client.get(url)
    assert problems_of(page) == []
    assert page.context["counts"] == {"create": 1, "unchanged": 0, "total_vnd": 800_000}
    assert login(cast.viewer).get(reverse("support_template", args=[tet.pk])).status_code == 404
    assert login(cast.y_officer).get(url).status_code == 404  # someone else's upload


def test_planning_directly_from_a_file(tree: Tree, tet: Programme) -> None:
    content = (
        f"Họ và tên;Số CCCD;Nơi làm việc;Số tiền;Ngày\nAn;{CCCD_A};Công ty;400.000;01/02/2024\n"
    ).encode()
    plan = support_import.plan_list(
        user=None, programme=tet, unit=tree.X1, name="a.csv", content=content
    )
    assert (plan.ok, plan.counts["create"], plan.rows[0].checked.total) == (True, 1, 400_000)


def test_twice_is_once_even_where_repeats_are_allowed(tree: Tree, cast: Cast) -> None:
    """A programme that lets a person receive support more than once: the same list imported
    again is recognised row by row (the same person, date, amounts and voucher), so nothing is
    recorded twice; a genuinely new row for the same person is recorded."""
    p = programme(tree.X, repeat_allowed=True)
    rows = ("Họ và tên;Số CCCD;Nơi làm việc;Số tiền;Ngày;Số chứng từ\n"
            f"An;{CCCD_A};Công ty;100.000;01/02/2024;PC-1\n"
            f"An;{CCCD_A};Công ty;100.000;01/02/2024;PC-1\n")  # fmt: skip
    upload_row = SupportUpload(programme=p, unit=tree.X1, file_name="r.csv", sha256="x")
    for content, created in ((rows, 2), (rows, 0), (rows + f"An;{CCCD_A};Công ty;50.000;"
                                                           "02/02/2024;PC-2\n", 1)):  # fmt: skip
        upload_row.content = content.encode()
        plan = support_import.import_upload(user=cast.x_officer, upload=upload_row)
        assert plan.counts["create"] == created
    assert Support.objects.filter(programme=p).count() == 3
