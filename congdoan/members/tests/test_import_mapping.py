"""Roster imports: the screen where the user confirms or corrects the column each header is read
as, workbooks with merged cells, and text where a number or a date belongs (every such cell a
problem named by row and column, and nothing written)."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from congdoan.conftest import Cast, Tree
from congdoan.core.errors import ServiceError
from congdoan.core.models import Job
from congdoan.members import roster_io
from congdoan.members.forms import ColumnMappingForm
from congdoan.members.models import Member, MemberEvent, RosterUpload

D = datetime.date
NO_COUNTS = {"create": 0, "update": 0, "transfer": 0, "unchanged": 0}


def login(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def upload(client: Client, unit_pk: int, name: str, content: bytes) -> str:
    """Upload a file for `unit_pk` (checked at once: tests run jobs immediately); its page."""
    buf = io.BytesIO(content)
    buf.name = name
    response = client.post(reverse("unit_members_import", args=[unit_pk]), {"file": buf})
    assert response.status_code == 302
    return str(response["Location"])


def shown(form: ColumnMappingForm) -> list[tuple[str, str]]:
    """The mapping screen's rows: (header as written, column chosen)."""
    return [(str(bf.label), bf.initial) for bf in form]


def choose(form: ColumnMappingForm, changes: dict[str, str]) -> dict[str, str]:
    """The POST of the mapping screen with the shown choices, `changes` ({header: column})
    applied."""
    data = {"action": "mapping"}
    for bf in form:
        data[bf.html_name] = changes.get(str(bf.label), bf.initial)
    return data


def problems_of(page) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(p.row, p.column, p.message) for p in page.context["problems"]]


UNRECOGNISED = (
    "STT,Họ và tên,Sinh ngày,Giới tính,Ngày vào Công đoàn\n"
    "1,Nguyễn Thị Hoa,01/05/1990,Nữ,01/03/2015\n"
    "2,Trần Văn An,15/08/1985,Nam,05/06/2018\n"
).encode()


def test_a_header_not_recognised_is_mapped_then_the_rows_are_imported(
    tree: Tree, cast: Cast
) -> None:
    client = login(cast.x_officer)
    url = upload(client, tree.X1.pk, "sinh-ngay.csv", UNRECOGNISED)
    page = client.get(url)
    assert problems_of(page) == [(0, "", "The file has no column Ngày sinh.")]
    form = page.context["mapping_form"]
    assert shown(form) == [
        ("STT", ""),
        ("Họ và tên", "full_name"),
        ("Sinh ngày", ""),
        ("Giới tính", "sex"),
        ("Ngày vào Công đoàn", "joined_on"),
    ]
    assert form.required_unmatched() == ["Ngày sinh"]
    html = page.content.decode()
    assert page.context["mapping_open"] is True
    assert '<details class="card my-3" id="columns" open>' in html
    assert (
        "Required columns not found yet: Ngày sinh. Choose the column of the file that holds each."
        in html
    )
    assert "A column that was not recognised can be chosen under Columns below" in html
    # every column is offered, labelled by the template's Vietnamese header
    start = html.index('name="column_2"')
    select = html[start : html.index("</select>", start)]
    assert '<option value="" selected>— do not import —</option>' in select
    assert '<option value="birth_date">Ngày sinh</option>' in select
    assert select.count("<option") == len(roster_io.COLUMNS) + 1

    response = client.post(url, choose(form, {"Sinh ngày": "birth_date"}))
    assert (response.status_code, response["Location"]) == (302, url)
    stored = RosterUpload.objects.get()
    assert stored.mapping == {
        "STT": "",
        "Họ và tên": "full_name",
        "Sinh ngày": "birth_date",
        "Giới tính": "sex",
        "Ngày vào Công đoàn": "joined_on",
    }
    assert Job.objects.filter(kind="members.check").count() == 2
    page = client.get(url)
    assert page.context["counts"] == {**NO_COUNTS, "create": 2}
    assert problems_of(page) == []
    assert page.context["stored"].status == "checked"
    assert ("Sinh ngày", "birth_date") in shown(page.context["mapping_form"])
    assert page.context["mapping_open"] is False
    assert '<details class="card my-3" id="columns">' in page.content.decode()
    assert not Member.objects.exists()

    client.post(url)  # import
    assert sorted(
        (m.full_name, m.birth_date, m.sex, m.joined_on, m.unit_id, m.status)
        for m in Member.objects.all()
    ) == [
        ("Nguyễn Thị Hoa", D(1990, 5, 1), "female", D(2015, 3, 1), tree.X1.pk, "active"),
        ("Trần Văn An", D(1985, 8, 15), "male", D(2018, 6, 5), tree.X1.pk, "active"),
    ]
    # Once imported, the columns are no longer offered, and a late choice changes nothing.
    page = client.get(url)
    assert page.context["mapping_form"] is None and 'id="columns"' not in page.content.decode()
    client.post(url, choose(form, {"Sinh ngày": ""}))
    assert RosterUpload.objects.get().mapping["Sinh ngày"] == "birth_date"
    assert Member.objects.count() == 2


def test_do_not_import_drops_a_column(tree: Tree, cast: Cast) -> None:
    content = (
        "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Ngày vào Công đoàn\n"
        "Nguyễn Thị Hoa;01/05/1990;Nữ;12345;01/03/2015\n"
    ).encode()
    client = login(cast.chair)
    url = upload(client, tree.X1.pk, "cccd.csv", content)
    page = client.get(url)
    assert problems_of(page) == [
        (2, "Số CCCD", "The CCCD number must have exactly 12 digits (it has 5).")
    ]
    assert page.context["mapping_open"] is False  # a problem in a row, not in the columns
    assert "can be chosen under Columns below" not in page.content.decode()
    client.post(url, choose(page.context["mapping_form"], {"Số CCCD": ""}))
    page = client.get(url)
    assert (problems_of(page), page.context["counts"]) == ([], {**NO_COUNTS, "create": 1})
    assert ("Số CCCD", "") in shown(page.context["mapping_form"])
    assert RosterUpload.objects.get().columns[3] == ["Số CCCD", ""]
    client.post(url)
    member = Member.objects.get()
    assert (member.full_name, member.cccd, member.birth_date) == (
        "Nguyễn Thị Hoa",
        "",
        D(1990, 5, 1),
    )


def test_a_column_chosen_twice_or_unknown_is_refused_and_nothing_changes(
    tree: Tree, cast: Cast
) -> None:
    content = (
        "Họ và tên,Ngày sinh,Giới tính,Sinh ngày,Ngày vào Công đoàn\n"
        "Nguyễn Thị Hoa,01/05/1990,Nữ,01/05/1990,01/03/2015\n"
    ).encode()
    client = login(cast.x_officer)
    url = upload(client, tree.X1.pk, "hai-cot.csv", content)
    form = client.get(url).context["mapping_form"]
    before = RosterUpload.objects.values("status", "mapping", "columns", "counts", "job").get()
    jobs_before = Job.objects.count()

    twice = client.post(url, choose(form, {"Sinh ngày": "birth_date"}))
    assert twice.status_code == 200
    refused = twice.context["mapping_form"]
    assert refused.non_field_errors() == [
        "“Ngày sinh” and “Sinh ngày” are both read as Ngày sinh; choose one of them."
    ]
    html = twice.content.decode()
    assert twice.context["mapping_open"] is True and 'id="columns" open>' in html
    assert html.count("form-select form-select-sm is-invalid") == 2
    assert "“Ngày sinh” and “Sinh ngày” are both read as Ngày sinh; choose one of them." in html

    unknown = client.post(url, choose(form, {"Sinh ngày": "salary"}))
    assert unknown.status_code == 200
    assert unknown.context["mapping_form"].errors == {
        "column_3": ["Select a valid choice. salary is not one of the available choices."]
    }
    assert RosterUpload.objects.values("status", "mapping", "columns", "counts", "job").get() == (
        before
    )
    assert Job.objects.count() == jobs_before
    assert not Member.objects.exists()


def test_someone_elses_upload_or_one_out_of_reach_is_not_found(tree: Tree, cast: Cast) -> None:
    owner = login(cast.x_officer)
    url = upload(owner, tree.X1.pk, "sinh-ngay.csv", UNRECOGNISED)
    data = choose(owner.get(url).context["mapping_form"], {"Sinh ngày": "birth_date"})
    assert login(cast.y_officer).post(url, data).status_code == 404
    assert login(cast.province_officer).post(url, data).status_code == 404  # not the uploader
    # An upload by the same user for a unit outside their reach (e.g. after their role changed).
    outside = RosterUpload.objects.create(
        unit=tree.Q1, file_name="q.csv", content=UNRECOGNISED, sha256="0" * 64,
        created_by=cast.x_officer, columns=[["Sinh ngày", ""]],
    )  # fmt: skip
    outside_url = reverse("roster_upload", args=[outside.pk])
    assert owner.post(outside_url, data).status_code == 404
    assert owner.get(outside_url).status_code == 404
    assert [u.mapping for u in RosterUpload.objects.order_by("pk")] == [{}, {}]
    assert Job.objects.filter(kind="members.check").count() == 1


def test_the_form_offers_a_header_written_twice_once() -> None:
    """The reader compares headers folded, so "GHI CHU" is "Ghi chú" again: one choice, saved
    under the first spelling (two spellings in the mapping would contradict each other)."""
    columns = [["Ghi chú", ""], ["Họ và tên", "full_name"], ["GHI CHU", ""], ["x", "nonsense"]]
    form = ColumnMappingForm(columns=columns)
    assert shown(form) == [("Ghi chú", ""), ("Họ và tên", "full_name"), ("x", "")]
    data = {"column_0": "", "column_1": "full_name", "column_2": "job_title"}
    bound = ColumnMappingForm(data, columns=columns)
    assert bound.is_valid()
    assert bound.mapping() == {"Ghi chú": "", "Họ và tên": "full_name", "x": "job_title"}
    assert bound.required_unmatched() == ["Ngày sinh", "Giới tính"]


# ---------------------------------------------------------------------------------------------
# Merged cells


def merged_roster() -> bytes:
    """A roster as union offices lay it out: a title merged across the columns, the unit code
    and the union group written once for their people and merged down, and in row 7 a sex
    merged across into the join-date column (a value merged across stays in its first cell)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐOÀN VIÊN LĐLĐ HUYỆN X NĂM 2025"])
    ws.merge_cells("A1:G1")
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn",
               "Tổ công đoàn", "Mã đơn vị"])  # fmt: skip
    ws.append([1, "Nguyễn Thị Hoa", "01/05/1990", "Nữ", "01/03/2015", "Unit X1T", "X1"])
    ws.append([2, "Trần Văn An", "15/08/1985", "Nam", "05/06/2018"])
    ws.append([3, "Lê Văn Bình", "20/10/1992", "Nam", "01/09/2019"])
    ws.append([4, "Phạm Thị Lan", "02/02/1988", "Nữ", "10/10/2010", None, "X2"])
    ws.append([5, "Vũ Thị Cúc", "03/03/1987", "Nữ", "11/11/2011"])
    ws.merge_cells("F3:F4")  # the union group of Hoa and An
    ws.merge_cells("G3:G5")  # X1 for rows 3-5
    ws.merge_cells("G6:G7")  # X2 for rows 6-7
    ws.merge_cells("D7:E7")  # openpyxl empties E7, as a spreadsheet program does
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_merged_cells_fill_their_rows_and_stay_in_their_first_column(
    tree: Tree, cast: Cast
) -> None:
    plan = roster_io.plan_import(
        user=cast.x_officer, name="gop-o.xlsx", content=merged_roster(), root=tree.X
    )
    assert [(r.row, r.action, r.unit.code, r.data.full_name,
             r.data.subunit.code if r.data.subunit else None) for r in plan.rows] == [
        (3, "create", "X1", "Nguyễn Thị Hoa", "X1T"),
        (4, "create", "X1", "Trần Văn An", "X1T"),
        (5, "create", "X1", "Lê Văn Bình", None),
        (6, "create", "X2", "Phạm Thị Lan", None),
    ]  # fmt: skip
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (7, "Ngày vào Công đoàn", "Give the date the person joined the union.")
    ]
    assert plan.rows[3].data.sex == "female" and plan.rows[1].data.sex == "male"
    assert plan.columns[-2:] == [("Tổ công đoàn", "subunit"), ("Mã đơn vị", "unit_code")]


# ---------------------------------------------------------------------------------------------
# Text where a number or a date belongs

LETTERS = (
    "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Ngày vào Công đoàn,Số thẻ đoàn viên\n"
    "Nguyễn Thị Hoa,01/05/1990,Nữ,0201900O1234,,01/03/2015,\n"
    "Trần Văn An,01/05/1991,Nam,,09O1234567,01/03/2016,\n"
    "Lê Văn Bình,O1/05/1990,Nam,,,01/03/2016,\n"
    "Phạm Thị Lan,01/05/1990,Nữ,,,0l/03/2015,\n"
    "Vũ Thị Cúc,01/05/1990,Nữ,,,01/03/2015,ABC\n"
    "Đỗ Văn Khánh,15/08/1985,Nam,,,01/03/2015,\n"
).encode()
LETTER_PROBLEMS = [
    (2, "Số CCCD", "The CCCD number may contain only digits, but it contains “O”."),
    (3, "Số điện thoại", "The phone number should be 10 digits starting with 0."),
    (4, "Ngày sinh", "“O1/05/1990” is not a date (dd/mm/yyyy)."),
    (5, "Ngày vào Công đoàn", "“0l/03/2015” is not a date (dd/mm/yyyy)."),
    (6, "Số thẻ đoàn viên", "No member has the code ABC."),
]


def test_letters_in_number_and_date_columns_are_problems_and_nothing_is_written(
    tree: Tree, cast: Cast
) -> None:
    plan = roster_io.plan_import(user=cast.chair, name="r.csv", content=LETTERS, root=tree.X1)
    assert [(p.row, p.column, p.message) for p in plan.problems] == LETTER_PROBLEMS
    assert [(r.row, r.action) for r in plan.rows] == [(7, "create")]  # the one good row
    before = (Member.objects.count(), MemberEvent.objects.count())
    with pytest.raises(ServiceError) as refused:
        roster_io.apply_import(user=cast.chair, plan=plan, file_name="r.csv", file_hash="")
    assert refused.value.messages == ["The file has errors; nothing was imported."]
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_letters_in_number_columns_through_the_page_and_the_import_job(
    tree: Tree, cast: Cast
) -> None:
    from congdoan.core import jobs

    client = login(cast.chair)
    url = upload(client, tree.X1.pk, "chu-trong-so.csv", LETTERS)
    page = client.get(url)
    assert problems_of(page) == LETTER_PROBLEMS
    assert page.context["counts"] == {**NO_COUNTS, "create": 1}
    client.post(url)  # the Import button is not offered; a POST anyway starts nothing
    assert not Job.objects.filter(kind="members.import").exists()
    stored = RosterUpload.objects.get()
    job = jobs.enqueue(kind="members.import", title="t", params={"upload": stored.pk},
                       user=cast.chair, unit_id=tree.X1.pk)  # fmt: skip
    assert (job.status, job.error) == ("failed", "The file has errors; nothing was imported.")
    assert (Member.objects.count(), MemberEvent.objects.count()) == (0, 0)
    stored.refresh_from_db()
    assert [tuple(p) for p in stored.problems] == LETTER_PROBLEMS
