"""`manage.py bench_roster`: a large roster in and out, as a user would run it (issue 4).

The benchmark writes a realistic `.xlsx` roster of `--rows` people (100,000 by default) for a
district federation of `--units` grassroots unions, then, each in a child process whose peak
memory (RSS) is measured by the operating system:

1. the upload's check and its import, run as the worker runs them (the stored jobs
   `members.check` then `members.import`, in one process like the worker), with the time of
   each; then the same file checked again (every row unchanged);
2. an export of those members to `.xlsx`, and to `.csv`, as the roster page's export does.

Targets (on PostgreSQL, this machine): check + import under 30 s with peak memory under 500 MB;
an export of 100,000 rows under 15 s. On SQLite it reports the rows per second. Figures also go
to var/bench-roster-<vendor>.json. `make bench` runs it on SQLite and on PostgreSQL.
"""

import datetime
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from congdoan.core.jobs import run_job
from congdoan.core.models import Job, JobStatus, UploadStatus
from congdoan.demo.names import person
from congdoan.demo.synthetic import synth_tree
from congdoan.members import queries, roster_io, services
from congdoan.members.models import RosterUpload
from congdoan.members.reference import (
    EDUCATION_CHOICES,
    QUALIFICATION_CHOICES,
    ethnicity_name,
    wards_of,
)
from congdoan.org.models import Level, Unit

SEED_BASE = 700  # synthetic trees of this benchmark are S700-..., S701-...
PROVINCES = [(1, "Thành phố Hà Nội"), (19, "Tỉnh Thái Nguyên"), (37, "Tỉnh Ninh Bình")]
JOBS = ["Công nhân", "Nhân viên", "Kỹ thuật viên", "Kế toán", "Tổ trưởng sản xuất"]


def write_roster_file(path: Path, rows: int, codes: list[str], seed: int = 1) -> None:
    """A roster as officials fill the template: a title row, the headers, one person a row
    (real dates, CCCD numbers agreeing with birth date and sex, communes that exist)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    wards = {p: [name for _code, name in wards_of(p)] for p, _name in PROVINCES}
    education = [str(label) for _code, label in EDUCATION_CHOICES]
    qualification = [str(label) for _code, label in QUALIFICATION_CHOICES]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH ĐOÀN VIÊN"])
    ws.append(roster_io.headers())
    for i in range(rows):
        p = person(rng, born_from=1968, born_to=2004, serial=seed * 10_000_000 + i)
        home, home_name = rng.choice(PROVINCES)
        live, live_name = rng.choice(PROVINCES)
        joined = datetime.date(
            rng.randint(max(p.birth_date.year + 18, 2000), 2025), rng.randint(1, 12), 1
        )
        ws.append([
            p.full_name, p.birth_date, "Nữ" if p.sex == "female" else "Nam",
            ethnicity_name(p.ethnicity), "Không", p.cccd,
            f"{rng.choice(wards[home])}, {home_name}", f"{rng.choice(wards[live])}, {live_name}",
            f"09{rng.randint(0, 99_999_999):08d}", rng.choice(education[-3:]),
            rng.choice(qualification), rng.choice(JOBS), "Có" if rng.random() < 0.08 else "Không",
            joined, "", "", codes[i % len(codes)],
        ])  # fmt: skip
    wb.save(path)


def _child(args: list[str]) -> tuple[dict[str, Any], float]:
    """Run this command in a child process; its JSON answer and its peak RSS in MB."""
    cmd = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_roster", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench_roster {' '.join(args)} failed ({proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


class Command(BaseCommand):
    help = "Time a 100,000-row roster import (check + import) and export, with peak memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--units", type=int, default=50)
        parser.add_argument("--child", choices=["import", "export"], help=argparse_hidden())
        parser.add_argument("--file", help=argparse_hidden())
        parser.add_argument("--unit", help=argparse_hidden())
        parser.add_argument("--format", default="xlsx", help=argparse_hidden())

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["child"] == "import":
            self.stdout.write(json.dumps(self.import_file(Path(opts["file"]), opts["unit"])))
            return
        if opts["child"] == "export":
            self.stdout.write(json.dumps(self.export(opts["unit"], opts["format"])))
            return
        vendor = connection.vendor
        rows = opts["rows"]
        seed = (
            SEED_BASE
            + Unit.objects.filter(
                parent=None, code__startswith="S7", code__endswith="-ROOT"
            ).count()
        )
        root = synth_tree(provinces=1, uppers=1, grassroots=opts["units"], seed=seed)
        upper = Unit.objects.get(path__startswith=root.path, level=Level.UPPER)
        codes = list(
            Unit.objects.filter(parent=upper, level=Level.GRASSROOTS)
            .order_by("code")
            .values_list("code", flat=True)
        )
        var = Path(settings.BASE_DIR) / "var"
        var.mkdir(exist_ok=True)
        path = var / f"bench-roster-{rows}.xlsx"
        start = time.perf_counter()
        write_roster_file(path, rows, codes, seed=seed)
        made = time.perf_counter() - start
        size_mb = path.stat().st_size / 1e6
        self.stdout.write(
            f"[{vendor}] wrote {rows:,} rows for {len(codes)} unions to {path.name} "
            f"({size_mb:.1f} MB) in {made:.1f} s"
        )
        got, rss = _child(["--child", "import", "--file", str(path), "--unit", upper.code])
        check, imp, again = got["check_s"], got["import_s"], got["recheck_s"]
        total = check + imp
        lines = [
            (f"check {rows:,} rows", check, None),
            (f"import {rows:,} rows", imp, None),
            ("check + import", total, 30.0),
            ("check again (all unchanged)", again, None),
        ]
        report: dict[str, Any] = {
            "vendor": vendor, "rows": rows, "units": len(codes), "file_mb": round(size_mb, 1),
            "counts": got["counts"], "check_s": check, "import_s": imp, "recheck_s": again,
            "import_rss_mb": round(rss), "rows_per_s": round(rows / total),
        }  # fmt: skip
        assert got["counts"]["create"] == rows, got["counts"]
        for fmt in ("xlsx", "csv"):
            out, rss_export = _child(["--child", "export", "--unit", upper.code, "--format", fmt])
            lines.append((f"export {out['rows']:,} rows to .{fmt}", out["s"], 15.0))
            report[f"export_{fmt}_s"] = out["s"]
            report[f"export_{fmt}_rss_mb"] = round(rss_export)
        for label, seconds, target in lines:
            verdict = "" if target is None else ("ok" if seconds <= target else "MISSED")
            goal = f"(target < {target:.0f} s)" if target else ""
            self.stdout.write(
                f"[{vendor}] {label:<32} {seconds:8.1f} s  {rows / seconds:>9,.0f} rows/s  "
                f"{goal} {verdict}"
            )
        verdict = "ok" if rss < 500 else "MISSED"
        self.stdout.write(
            f"[{vendor}] {'peak memory, check + import':<32} {rss:8.0f} MB  (target < 500 MB) "
            f"{verdict}"
        )
        out_path = var / f"bench-roster-{vendor}.json"
        out_path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        self.stdout.write(f"[{vendor}] figures written to {out_path}")
        path.unlink()

    def import_file(self, path: Path, code: str) -> dict[str, Any]:
        """What the worker does for an upload: the check job, then the import job."""
        unit = Unit.objects.get(code=code)
        content = path.read_bytes()
        upload = RosterUpload.objects.create(
            unit=unit, file_name=path.name, content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )  # fmt: skip
        del content
        timings = {}
        for label, kind in (("check_s", "members.check"), ("import_s", "members.import"),
                            ("recheck_s", "members.check")):  # fmt: skip
            job = Job.objects.create(kind=kind, title=kind, params={"upload": upload.pk})
            start = time.perf_counter()
            run_job.call(job.pk)
            timings[label] = round(time.perf_counter() - start, 2)
            job.refresh_from_db()
            if job.status != JobStatus.DONE:
                raise SystemExit(f"{kind} failed: {job.error}")
            if kind == "members.import":
                upload.refresh_from_db()
                counts = upload.counts
                RosterUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.CHECKED)
        upload.refresh_from_db()
        assert upload.counts["unchanged"] == counts["create"], upload.counts
        return {**timings, "counts": counts}

    def export(self, code: str, fmt: str) -> dict[str, Any]:
        """What the roster page's export does."""
        unit = Unit.objects.get(code=code)
        start = time.perf_counter()
        members = queries.roster(unit, queries.RosterFilter(), services.today())
        buffer = io.BytesIO()  # as the page does, before it answers
        rows = roster_io.write_roster(members, fmt, buffer)
        return {"rows": rows, "s": round(time.perf_counter() - start, 2)}


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
