"""Bulk restructuring: plans in .csv and .xlsx, English or Vietnamese headers, preview, and
all-or-nothing apply, from the page and from the command line."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from congdoan.conftest import Cast, Tree
from congdoan.org import queries, restructure
from congdoan.org.models import PlanStatus, RestructurePlan, Status, Unit, UnitEvent

D = __import__("datetime").date


def xlsx(rows: list[list[str]], title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.append([])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_parse_vietnamese_headers_below_a_title() -> None:
    content = xlsx(
        [
            ["STT", "Mã đơn vị", "Mã đơn vị cấp trên mới", "Ghi chú"],
            [1, "X1", "Z", ""],
            [2, "X2", "Z", ""],
            [None, None, None, None],
            [3, "X3", "Z", "trường học"],
        ],
        title="KẾ HOẠCH SẮP XẾP CÔNG ĐOÀN CƠ SỞ",
    )
    rows, headers = restructure.parse_plan("plan.xlsx", content)
    assert headers == {"unit_code": "Mã đơn vị", "new_parent_code": "Mã đơn vị cấp trên mới"}
    assert rows == [
        {"row": 4, "unit_code": "X1", "new_parent_code": "Z", "merge_into_code": ""},
        {"row": 5, "unit_code": "X2", "new_parent_code": "Z", "merge_into_code": ""},
        {"row": 7, "unit_code": "X3", "new_parent_code": "Z", "merge_into_code": ""},
    ]


def test_csv_with_bom_and_semicolons() -> None:
    content = "\ufeffunit_code;merge_into_code\r\nY;X\r\n".encode()
    assert restructure.parse_plan("p.csv", content)[0] == [
        {"row": 2, "unit_code": "Y", "new_parent_code": "", "merge_into_code": "X"}
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.txt", b"x", "Only .xlsx, .xls, .ods and .csv"),
        ("p.xlsx", b"not a zip", "not a readable .xlsx"),
        ("p.csv", b"a,b\n1,2\n", "No header row found"),
        ("p.csv", b"unit_code\nX1\n", "needs a new_parent_code or a merge_into_code"),
    ],
)
def test_unreadable_plans(name: str, content: bytes, message: str) -> None:
    from congdoan.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        restructure.parse_plan(name, content)
    assert message in exc.value.messages[0]


def run(tree: Tree, rows: list[dict], commit: bool, actor=None):  # type: ignore[no-untyped-def]
    return restructure.run_plan(
        actor=actor,
        rows=rows,
        effective_on=D(2025, 7, 1),
        decision_ref="1560/QĐ-LĐLĐ",
        decision_date=None,
        commit=commit,
    )


def row(n: int, code: str, parent: str = "", merge: str = "") -> dict:
    return {"row": n, "unit_code": code, "new_parent_code": parent, "merge_into_code": merge}


def test_preview_changes_nothing_and_shows_before_after(tree: Tree) -> None:
    result = run(tree, [row(2, "X1", "Z"), row(3, "X2", "Z"), row(4, "Y", merge="Z")], False)
    assert result.ok and not result.applied
    changes = {
        p.code: (p.children_before, p.children_after, p.grassroots_before, p.grassroots_after)
        for p in result.parents
    }
    assert changes == {"X": (3, 1, 3, 1), "Y": (2, 0, 2, 0), "Z": (0, 4, 0, 4), "P": (3, 2, 5, 5)}
    assert Unit.objects.filter(parent=tree.Z).count() == 0
    assert UnitEvent.objects.filter(kind="moved").count() == 0


def test_apply_moves_and_merges_in_one_go(tree: Tree) -> None:
    result = run(tree, [row(2, "X1", "Z"), row(3, "X2", "Z"), row(4, "Y", merge="Z")], True)
    assert result.applied
    tree.refresh()
    assert tree.Y.status == Status.MERGED
    assert queries.unit_figures(tree.Z, D(2025, 7, 1))["grassroots_units"] == 4
    assert queries.unit_figures(tree.X, D(2025, 6, 30))["grassroots_units"] == 3


def test_one_bad_row_stops_everything_and_every_problem_is_listed(tree: Tree, cast: Cast) -> None:
    rows = [
        row(2, "X1", "Z"),
        row(3, "NOPE", "Z"),
        row(4, "X2", "X2"),
        row(5, "X1", "Y"),
        row(6, "Y1", "Z", "X"),
        row(7, "X3", "Q1"),
        row(8, "Y", merge="X1"),
    ]
    result = run(tree, rows, True, actor=cast.province_officer)
    assert not result.applied
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "unit_code"),
        (4, "new_parent_code"),
        (5, "unit_code"),
        (6, "new_parent_code"),
        (7, "new_parent_code"),
        (8, "merge_into_code"),
    ]
    assert result.errors[0].error == "No unit with code NOPE among your units."
    # Q1 exists but lies outside the officer's province: the same answer as a missing code.
    assert result.errors[4].error == "No unit with code Q1 among your units."
    assert "different levels" in result.errors[5].error
    assert Unit.objects.get(code="X1").parent_id == tree.X.pk
    assert UnitEvent.objects.filter(kind__in=["moved", "merged"]).count() == 0


def test_upload_preview_apply_in_the_browser(tree: Tree, cast: Cast) -> None:
    client = Client()
    client.force_login(cast.province_admin)
    upload = io.BytesIO(xlsx([["Mã đơn vị", "Mã đơn vị cấp trên mới"], ["X1", "Z"], ["X2", "Z"]]))
    upload.name = "sap-xep.xlsx"
    response = client.post(
        reverse("restructure_upload"),
        {
            "file": upload,
            "effective_on": "01/07/2025",
            "decision_ref": "1560/QĐ-LĐLĐ",
            "decision_date": "25/06/2025",
        },
    )
    plan = RestructurePlan.objects.get()
    assert response["Location"] == reverse("restructure_preview", args=[plan.pk])
    page = client.get(response["Location"])
    assert page.context["result"].ok
    assert Unit.objects.filter(parent=tree.Z).count() == 0
    client.post(reverse("restructure_apply", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED
    assert Unit.objects.filter(parent=tree.Z).count() == 2
    assert UnitEvent.objects.filter(plan=plan).count() == 2
    again = client.post(reverse("restructure_apply", args=[plan.pk]))
    assert again.status_code == 302
    assert UnitEvent.objects.filter(plan=plan).count() == 2


def test_command_dry_run_apply_and_errors(tree: Tree, tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("unit_code,new_parent_code\nX1,Z\nX2,Z\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "restructure",
        str(plan),
        "--effective",
        "2025-07-01",
        "--decision",
        "1/QĐ",
        "--dry-run",
        stdout=out,
    )
    assert "OK: would apply 2 moves and 0 merges (1/QĐ)." in out.getvalue()
    assert Unit.objects.filter(parent=tree.Z).count() == 0
    call_command(
        "restructure", str(plan), "--effective", "2025-07-01", "--decision", "1/QĐ", stdout=out
    )
    assert Unit.objects.filter(parent=tree.Z).count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã đơn vị,Mã đơn vị cấp trên mới\nX3,X1\nY1,NOPE\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"2 errors; nothing was changed\."):
        call_command(
            "restructure",
            str(bad),
            "--effective",
            "2025-08-01",
            "--decision",
            "2",
            stdout=io.StringIO(),
            stderr=err,
        )
    # Columns are named as the file names them.
    assert "row 2, column Mã đơn vị cấp trên mới:" in err.getvalue()
    assert "row 3, column Mã đơn vị cấp trên mới:" in err.getvalue()
    assert Unit.objects.get(code="Y1").parent_id == tree.Y.pk


def test_upload_size_is_limited(tree: Tree, cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONGDOAN_MAX_UPLOAD_BYTES = 1024 * 1024
    client = Client()
    client.force_login(cast.province_admin)
    upload = io.BytesIO(b"unit_code,new_parent_code\n" + b"X1,Z\n" * 300_000)
    upload.name = "big.csv"
    response = client.post(
        reverse("restructure_upload"),
        {"file": upload, "effective_on": "01/07/2025", "decision_ref": "1"},
    )
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.content.decode()
    assert RestructurePlan.objects.count() == 0


def test_merge_chains_run_in_the_order_they_need(tree: Tree) -> None:
    """ "Y1 into Y2" and "Y2 into X1" in reverse row order: Y1 still reaches X1 through Y2."""
    from congdoan.conftest import make_unit
    from congdoan.org.models import Kind

    make_unit(tree.Y1, "Y1T", Kind.GROUP)
    rows = [row(2, "Y2", merge="X1"), row(3, "Y1", merge="Y2")]
    result = run(tree, rows, True)
    assert result.applied, [e.error for e in result.errors]
    assert Unit.objects.get(code="Y1T").parent_id == tree.X1.pk
