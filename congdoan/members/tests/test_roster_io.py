"""Rosters in and out: messy files read right, every problem named by row and column with
nothing written, a second import of the same file changes nothing, export → import is a round
trip, and cells that look like formulas are written as text."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from congdoan.conftest import Cast, Tree, make_member
from congdoan.members import roster_io
from congdoan.members.models import Member, MemberEvent, MemberStatus

D = datetime.date


def xlsx(rows: list[list[object]], title_rows: int = 0) -> bytes:
    wb = Workbook()
    # Fixed document dates, so that the same rows give the same bytes (the fuzz test relies on it).
    wb.properties.created = wb.properties.modified = datetime.datetime(2025, 1, 1)
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"DANH SÁCH ĐOÀN VIÊN (dòng tiêu đề {i + 1})"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = [
    "STT",
    "HỌ VÀ TÊN",
    "ngay sinh",
    "Giới  tính",
    "Dân tộc",
    "Số CCCD",
    "Ngày vào Công đoàn",
    "Đảng viên",
    "Mã đơn vị",
]


def test_a_messy_file_is_read_right(tree: Tree, cast: Cast) -> None:
    content = xlsx(
        [
            HEADER,
            [
                1,
                "Nguyễn Thị Hoa",
                datetime.datetime(1990, 5, 1),
                "Nữ",
                "Kinh",
                "020190001234",
                "01/03/2015",
                "Có",
                "X1",
            ],
            [2, "Lò Văn Tám", 32874, "nam", "thai", "", "5/6/18", "", "X2"],  # 1990-01-01 serial
            [3, "Trần Văn Bình", "15/08/1985", "M", "", "", "2010-02-03", "không", "X1"],
            [None, None, None, None, None, None, None, None, None],
        ],
        title_rows=2,
    )
    plan = roster_io.plan_import(
        user=cast.x_officer, name="roster.xlsx", content=content, root=tree.X
    )
    assert plan.problems == []
    assert [(r.row, r.action, r.unit.code) for r in plan.rows] == [
        (4, "create", "X1"),
        (5, "create", "X2"),
        (6, "create", "X1"),
    ]
    counts = roster_io.apply_import(
        user=cast.x_officer, plan=plan, file_name="roster.xlsx", file_hash="0" * 64
    )
    assert counts == {"create": 3, "update": 0, "transfer": 0, "unchanged": 0}
    from congdoan.core.models import AuditEvent

    event = AuditEvent.objects.get(action="member.import")
    assert (event.unit_id, event.summary) == (tree.X.pk, "roster.xlsx sha256:" + "0" * 16)
    tam = Member.objects.get(full_name="Lò Văn Tám")
    assert (tam.birth_date, tam.sex, tam.ethnicity, tam.joined_on, tam.status) == (
        D(1990, 1, 1),
        "male",
        "03",
        D(2018, 6, 5),
        MemberStatus.ACTIVE,
    )
    hoa = Member.objects.get(full_name="Nguyễn Thị Hoa")
    assert (hoa.party_member, hoa.cccd, hoa.unit_id) == (True, "020190001234", tree.X1.pk)


def test_every_problem_is_named_and_nothing_is_written(tree: Tree, cast: Cast) -> None:
    make_member(tree.Y1, "Người Đã Có", cccd="020190001234")
    content = xlsx(
        [
            HEADER,
            ["1", "Nguyễn Thị Hoa", "01/05/1990", "Nữ", "Kinh", "12345", "01/03/2015", "", "X1"],
            ["2", "Lò Văn Tám", "31/02/1990", "Nam", "", "", "05/06/2018", "", "X1"],
            ["3", "Trần Văn Bình", "15/08/1985", "X", "", "", "03/02/2010", "", "X1"],
            ["4", "Lê Thị Mai", "15/08/1985", "Nữ", "", "", "03/02/2010", "", "Y1"],
            ["5", "Phạm Thị Lan", "15/08/1985", "Nữ", "Kinh", "020185005678", "", "", "X1"],
            ["6", "Vũ Thị Cúc", "15/08/2015", "Nữ", "", "", "03/02/2020", "", "X1"],
            ["7", "Đỗ Văn Khánh", "15/08/1985", "Nam", "Người Sao Hỏa", "", "03/02/2010", "", "X1"],
        ]
    )
    before = (Member.objects.count(), MemberEvent.objects.count())
    plan = roster_io.plan_import(user=cast.x_officer, name="r.xlsx", content=content, root=tree.X)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "Số CCCD", "The CCCD number must have exactly 12 digits (it has 5)."),
        (3, "ngay sinh", "“31/02/1990” is not a date (dd/mm/yyyy)."),
        (4, "Giới  tính", "Write Nam or Nữ."),
        (5, "Mã đơn vị", "No unit with code Y1 among your units."),
        (6, "Ngày vào Công đoàn", "Give the date the person joined the union."),
        (
            7,
            "Ngày vào Công đoàn",
            "On 03/02/2020 the person was 4; union members must be at least 15.",
        ),
        (8, "Dân tộc", "“Người Sao Hỏa” is not one of the 54 ethnic groups."),
    ]
    with pytest.raises(Exception, match="errors"):
        roster_io.apply_import(user=cast.x_officer, plan=plan, file_name="r", file_hash="")
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_missing_columns_and_duplicates(tree: Tree, cast: Cast) -> None:
    plan = roster_io.plan_import(
        user=cast.x_officer,
        name="r.csv",
        root=tree.X1,
        content="Họ và tên,Giới tính,Sinh ngày\nA B,Nam,01/01/1990\n".encode(),
    )
    assert [(p.row, p.message) for p in plan.problems] == [(0, "The file has no column Ngày sinh.")]
    # the header cells are reported with the column each was read as, for the mapping screen
    assert plan.columns == [("Họ và tên", "full_name"), ("Giới tính", "sex"), ("Sinh ngày", "")]
    assert not plan.rows
    content = (
        "\ufeffHọ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào Công đoàn\n"
        "Nguyễn Thị Hoa,01/05/1990,Nữ,020190001234,01/03/2015\n"
        "Nguyễn Thị Hoa,01/05/1990,Nữ,020190001234,01/03/2015\n"
    ).encode()
    plan = roster_io.plan_import(user=cast.x_officer, name="r.csv", content=content, root=tree.X1)
    assert [(p.row, p.column) for p in plan.problems] == [(3, "Số CCCD")]


def test_export_then_import_changes_nothing_and_twice_is_once(
    tree: Tree, cast: Cast, tmp_path: Path
) -> None:
    make_member(tree.X1, "Nguyễn Thị Hoa", cccd="020190001234", party=True)
    make_member(tree.X2, "=SUM(A1) Văn Tám", sex="male")
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"roster.{fmt}"
        call_command("export_members", "--unit", "X", "--out", str(out), stdout=io.StringIO())
        before = (Member.objects.count(), MemberEvent.objects.count())
        plan = roster_io.plan_import(
            user=cast.x_officer, name=out.name, content=out.read_bytes(), root=tree.X
        )
        assert plan.problems == []
        assert [r.action for r in plan.rows] == ["unchanged", "unchanged"], fmt
        assert (Member.objects.count(), MemberEvent.objects.count()) == before
    ws = load_workbook(tmp_path / "roster.xlsx").active
    cells = [c.value for c in next(ws.iter_rows(min_row=2, max_row=3, max_col=1)) if c.value]
    assert all(not str(v).startswith("=") for v in cells)


def test_import_command_and_second_import(tree: Tree, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "Họ và tên;Ngày sinh;Giới tính;Ngày vào Công đoàn\n"
        "Nguyễn Thị Hoa;01/05/1990;Nữ;01/03/2015\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_members", str(path), "--unit", "X1", "--dry-run", stdout=out)
    assert "would import 1 rows: 1 new" in out.getvalue() and not Member.objects.exists()
    call_command("import_members", str(path), "--unit", "X1", stdout=out)
    assert Member.objects.count() == 1
    card = Member.objects.get().card_number
    path.write_text(
        "Họ và tên;Ngày sinh;Giới tính;Ngày vào Công đoàn;Số thẻ đoàn viên\n"
        f"Nguyễn Thị Hoa;01/05/1990;Nữ;01/03/2015;{card}\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_members", str(path), "--unit", "X1", stdout=out)
    assert "0 new, 0 updated, 0 transferred in, 1 unchanged" in out.getvalue()
    path.write_text("Họ và tên,Ngày sinh,Giới tính\nNguyễn Thị Hoa,hôm qua,Nữ\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors; nothing was written"):
        call_command("import_members", str(path), "--unit", "X1", stderr=err)
    assert "row 2, column Ngày sinh:" in err.getvalue()


def test_upload_preview_import_and_export_in_the_browser(tree: Tree, cast: Cast) -> None:
    from django.test import Client
    from django.urls import reverse

    from congdoan.core.models import AuditEvent

    client = Client()
    client.force_login(cast.x_officer)
    template = client.get(reverse("unit_members_template", args=[tree.X1.pk]))
    ws = load_workbook(io.BytesIO(template.content))["Danh sách"]
    assert [c.value for c in ws[2]][:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    upload = io.BytesIO(
        xlsx(
            [
                ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn"],
                ["Nguyễn Thị Hoa", "01/05/1990", "Nữ", "01/03/2015"],
            ]
        )
    )
    upload.name = "danh-sach.xlsx"
    response = client.post(reverse("unit_members_import", args=[tree.X1.pk]), {"file": upload})
    # Keeping the file is recorded: it holds the personal data of everyone in it.
    kept = AuditEvent.objects.get(action="upload.create")
    assert (kept.actor_id, kept.unit_id, kept.target_type, kept.changes["file"]) == (
        cast.x_officer.pk, tree.X1.pk, "members.rosterupload", [None, "danh-sach.xlsx"]
    )  # fmt: skip
    preview = client.get(response["Location"])
    assert preview.context["counts"] == {"create": 1, "update": 0, "transfer": 0, "unchanged": 0}
    assert not Member.objects.exists()
    client.post(response["Location"])
    assert Member.objects.get().full_name == "Nguyễn Thị Hoa"
    again = client.post(response["Location"])  # a second confirmation imports nothing more
    assert again.status_code == 200 and Member.objects.count() == 1
    # Export: officers only, logged.
    export = client.get(reverse("unit_members_export", args=[tree.X.pk]), {"format": "csv"})
    assert export.content.decode("utf-8-sig").splitlines()[1].startswith("Nguyễn Thị Hoa,")
    assert AuditEvent.objects.filter(action="personal.export").count() == 1
    viewer = Client()
    viewer.force_login(cast.viewer)
    assert viewer.get(reverse("unit_members_export", args=[tree.X.pk])).status_code == 404


def test_the_user_picks_the_sheet(tree: Tree, cast: Cast) -> None:
    from django.test import Client
    from django.urls import reverse

    wb = Workbook()
    wb.active.title = "Bìa"
    wb.active.append(["Báo cáo danh sách đoàn viên năm 2025"])
    data = wb.create_sheet("Đoàn viên")
    data.append(["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn"])
    data.append(["Nguyễn Thị Hoa", "01/05/1990", "Nữ", "01/03/2015"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "hai-trang.xlsx"
    buf.seek(0)
    client = Client()
    client.force_login(cast.x_officer)
    url = client.post(reverse("unit_members_import", args=[tree.X1.pk]), {"file": buf})["Location"]
    first = client.get(url)
    assert first.context["sheets"] == ["Bìa", "Đoàn viên"]
    assert "No header row found" in first.context["problems"][0].message
    second = client.get(url, {"sheet": "Đoàn viên"}, follow=True)
    assert second.context["counts"]["create"] == 1 and not second.context["problems"]
    client.post(url)
    assert Member.objects.get().full_name == "Nguyễn Thị Hoa"


def test_an_import_that_fails_midway_writes_nothing_and_can_be_retried(
    tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash injected in the middle of writing: the job fails, the database is as it was,
    and the same job succeeds when tried again."""
    from django.test import Client
    from django.urls import reverse

    from congdoan.core.models import Job, JobStatus
    from congdoan.members import services
    from congdoan.members.models import RosterUpload

    client = Client()
    client.force_login(cast.x_officer)
    upload = io.BytesIO(
        xlsx(
            [
                ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn"],
                ["Nguyễn Thị Hoa", "01/05/1990", "Nữ", "01/03/2015"],
                ["Trần Văn An", "01/05/1991", "Nam", "01/03/2016"],
            ]
        )
    )
    upload.name = "r.xlsx"
    url = client.post(reverse("unit_members_import", args=[tree.X1.pk]), {"file": upload})[
        "Location"
    ]
    real_bulk_create = services.tally.apply_many

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(services.tally, "apply_many", crash)
    client.post(url)
    job = Job.objects.get(kind="members.import")
    assert (job.status, job.error) == (JobStatus.FAILED, "power cut")
    assert not Member.objects.exists() and not MemberEvent.objects.exists()
    page = client.get(url)
    assert "power cut" in page.content.decode()
    monkeypatch.setattr(services.tally, "apply_many", real_bulk_create)
    client.post(url, {"action": "retry"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert Member.objects.count() == 2
    assert RosterUpload.objects.get().status == "applied"


@pytest.mark.parametrize("seed", [2024, 7, 11, 2025])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_fuzzed_files_only_ever_give_errors(tree: Tree, cast: Cast, kind: str, seed: int) -> None:
    """A few hundred mutated files: the reader answers with a plan or a clear error, never a
    crash."""
    import random

    from congdoan.core.errors import ServiceError

    rows = [
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Công đoàn"],
        ["Nguyễn Thị Hoa", "01/05/1990", "Nữ", "020190001234", "01/03/2015"],
        ["Trần Văn An", datetime.date(1991, 5, 1), "Nam", "", 42000],
    ]
    if kind == "xlsx":
        original = xlsx(rows)
    else:
        original = "\n".join(",".join(str(c) for c in r) for r in rows).encode()
    rnd = random.Random(seed)
    outcomes = {"plan": 0, "error": 0}
    for _ in range(150):
        data = bytearray(original)
        for _ in range(rnd.randint(1, 12)):
            op = rnd.random()
            pos = rnd.randrange(len(data)) if data else 0
            if op < 0.5 and data:
                data[pos] = rnd.randrange(256)
            elif op < 0.75:
                data[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 20)))
            else:
                del data[pos : pos + rnd.randint(1, 200)]
        try:
            roster_io.plan_import(
                user=cast.x_officer, name=f"f.{kind}", content=bytes(data), root=tree.X1
            )
            outcomes["plan"] += 1
        except ServiceError:
            outcomes["error"] += 1
    assert outcomes["plan"] + outcomes["error"] == 150
    assert outcomes["error"] > 0


def test_import_and_export_through_the_api(tree: Tree, cast: Cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from congdoan.core.tokens import api_token_create

    _token, key = api_token_create(actor=cast.x_officer, name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    content = xlsx(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn"],
            ["Nguyễn Thị Hoa", "01/05/1990", "Nữ", "01/03/2015"],
        ]
    )
    upload = client.post(
        "/api/v1/members/imports?unit=X1", {"file": SimpleUploadedFile("r.xlsx", content)}
    ).json()
    assert (upload["status"], upload["counts"]["create"], upload["problems"]) == ("checked", 1, [])
    assert not Member.objects.exists()
    done = client.post(f"/api/v1/members/imports/{upload['id']}/apply").json()
    assert (done["status"], done["job_status"]) == ("applied", "done")
    assert Member.objects.get().full_name == "Nguyễn Thị Hoa"
    assert client.post(f"/api/v1/members/imports/{upload['id']}/apply").status_code == 409
    csv_text = client.get("/api/v1/members/export?unit=X&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("Nguyễn Thị Hoa,")
    # Outside the officer's reach, or someone else's upload: not found.
    outside = client.post(
        "/api/v1/members/imports?unit=Q1", {"file": SimpleUploadedFile("r.xlsx", content)}
    )
    assert outside.status_code == 404
    assert client.get("/api/v1/members/export?unit=Q").status_code == 404
    _t, other_key = api_token_create(actor=cast.y_officer, name="t")
    other = Client(headers={"Authorization": f"Bearer {other_key}"})
    assert other.get(f"/api/v1/members/imports/{upload['id']}").status_code == 404


def test_numbers_that_lost_their_leading_zeros_are_read_right(tree: Tree, cast: Cast) -> None:
    """A spreadsheet that keeps CCCD and phone numbers as numbers drops their leading zeros;
    the importer puts them back, and a second import finds the same people."""
    rows = [
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Ngày vào Công đoàn"],
        ["Nguyễn Thị Hoa", "01/05/1990", "Nữ", 20190001234, 912345678, "01/03/2015"],
        ["Trần Văn An", "01/05/1991", "Nam", 1091001235, "0912 345 679", "01/03/2016"],
    ]
    plan = roster_io.plan_import(
        user=cast.x_officer, name="r.xlsx", content=xlsx(rows), root=tree.X1
    )
    assert plan.problems == [] and plan.counts["create"] == 2
    assert [(r.data.cccd, r.data.phone) for r in plan.rows] == [
        ("020190001234", "0912345678"),
        ("001091001235", "0912345679"),
    ]
    roster_io.apply_import(user=cast.x_officer, plan=plan, file_name="r.xlsx", file_hash="")
    assert sorted(Member.objects.values_list("cccd", flat=True)) == ["001091001235", "020190001234"]
    again = roster_io.plan_import(
        user=cast.x_officer, name="r.xlsx", content=xlsx(rows), root=tree.X1
    )
    assert again.counts == {"create": 0, "update": 0, "transfer": 0, "unchanged": 2}


def test_a_file_with_no_header_we_know_can_still_be_mapped(tree: Tree, cast: Cast) -> None:
    content = "Tên,Sinh,Giới,Vào CĐ\nNguyễn Thị Hoa,01/05/1990,Nữ,01/03/2015\n".encode()
    plan = roster_io.plan_import(user=cast.x_officer, name="r.csv", content=content, root=tree.X1)
    assert [(p.row, p.column) for p in plan.problems] == [(0, "")]
    assert "Họ và tên" in plan.problems[0].message
    assert plan.columns == [("Tên", ""), ("Sinh", ""), ("Giới", ""), ("Vào CĐ", "")]
    mapping = {"Tên": "full_name", "Sinh": "birth_date", "Giới": "sex", "Vào CĐ": "joined_on"}
    plan = roster_io.plan_import(
        user=cast.x_officer, name="r.csv", content=content, root=tree.X1, mapping=mapping
    )
    assert plan.problems == []
    assert [(r.row, r.action, r.data.full_name, r.data.joined_on) for r in plan.rows] == [
        (2, "create", "Nguyễn Thị Hoa", D(2015, 3, 1))
    ]


def test_joining_before_the_union_was_founded_is_found_by_the_check(tree: Tree, cast: Cast) -> None:
    content = (
        "Họ và tên,Ngày sinh,Giới tính,Ngày kết nạp\n"
        "Nguyễn Thị Hoa,01/05/1970,Nữ,01/03/1999\n"
        "Trần Văn An,01/05/1970,Nam,01/01/2000\n"
    ).encode()
    plan = roster_io.plan_import(user=cast.x_officer, name="r.csv", content=content, root=tree.X1)
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "Ngày kết nạp", "Unit X1 was founded on 01/01/2000; no one can join it on 01/03/1999.")
    ]
    assert [r.row for r in plan.rows] == [3]


def test_a_problem_found_while_writing_names_the_column_as_the_file_does(
    tree: Tree, cast: Cast
) -> None:
    """A member with a transfer already waiting cannot be transferred by the import: the
    import fails naming the row and the file's own header for the unit code, and nothing
    is written."""
    from congdoan.members import services

    hoa = make_member(tree.X2, "Nguyễn Thị Hoa", cccd="020190001234")
    services.transfer_request(actor=None, member=hoa, to_unit=tree.X3, date=D(2024, 1, 2))
    content = (
        "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào Công đoàn,Mã CĐCS\n"
        "Trần Văn An,01/05/1991,Nam,,01/03/2016,X1\n"
        "Nguyễn Thị Hoa,01/05/1990,Nữ,020190001234,01/03/2015,X1\n"
    ).encode()
    before = (Member.objects.count(), MemberEvent.objects.count())
    with pytest.raises(roster_io.ImportFailed) as failed:
        roster_io.import_file(
            user=cast.x_officer, name="r.csv", content=content, root=tree.X, file_hash=""
        )
    assert [(p.row, p.column, p.message) for p in failed.value.problems] == [
        (3, "Mã CĐCS", "Nguyễn Thị Hoa already has a transfer waiting.")
    ]
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_a_large_file_is_read_and_written_a_chunk_at_a_time(
    tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With chunks of two rows: a duplicate four rows apart is still found (nothing written),
    and the file imports whole, with figures equal to a recount."""
    from congdoan.members import tally
    from congdoan.members.models import SubtreeTally, YearTally

    monkeypatch.setattr(roster_io, "CHUNK", 2)
    header = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào Công đoàn,Mã đơn vị\n"
    people = [
        "Nguyễn Thị Hoa,01/05/1990,Nữ,020190001234,01/03/2015,X1",
        "Trần Văn An,01/05/1991,Nam,020091001235,01/03/2016,X2",
        "Lê Thị Mai,01/05/1992,Nữ,020192001236,01/03/2017,X1",
        "Phạm Văn Ba,01/05/1993,Nam,020093001237,01/03/2018,X3",
        "Đỗ Thị Lan,01/05/1994,Nữ,,01/03/2019,X2",
    ]
    duplicate = "Nguyễn Thị Hoa,01/05/1990,Nữ,020190001234,01/03/2015,X2"
    content = (header + "\n".join([*people, duplicate]) + "\n").encode()
    with pytest.raises(roster_io.ImportFailed) as failed:
        roster_io.import_file(
            user=cast.x_officer, name="r.csv", content=content, root=tree.X, file_hash=""
        )
    assert [(p.row, p.column) for p in failed.value.problems] == [(7, "Số CCCD")]
    assert not Member.objects.exists() and not MemberEvent.objects.exists()
    assert not SubtreeTally.objects.filter(members__gt=0).exists()
    content = (header + "\n".join(people) + "\n").encode()
    plan = roster_io.import_file(
        user=cast.x_officer, name="r.csv", content=content, root=tree.X, file_hash="abc"
    )
    assert plan.counts == {"create": 5, "update": 0, "transfer": 0, "unchanged": 0}
    assert plan.rows == []  # written as read, not kept
    assert sorted(Member.objects.values_list("unit__code", "card_number")) == [
        ("X1", m.card_number) for m in Member.objects.filter(unit=tree.X1).order_by("card_number")
    ] + [("X2", m.card_number) for m in Member.objects.filter(unit=tree.X2).order_by("card_number")
         ] + [("X3", Member.objects.get(unit=tree.X3).card_number)]  # fmt: skip
    assert len(set(Member.objects.values_list("card_number", flat=True))) == 5
    assert MemberEvent.objects.count() == 10  # admitted and card issued, for each
    maintained = (
        sorted(SubtreeTally.objects.values_list("unit_id", "members", "female", "birth_years")),
        sorted(YearTally.objects.values_list("unit_id", "year", "admitted")),
    )
    tally.recount()
    assert maintained == (
        sorted(SubtreeTally.objects.values_list("unit_id", "members", "female", "birth_years")),
        sorted(YearTally.objects.values_list("unit_id", "year", "admitted")),
    )
    assert SubtreeTally.objects.get(unit=tree.X).members == 5
    assert YearTally.objects.get(unit=tree.X, year=2016).admitted == 1
