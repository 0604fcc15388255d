"""manage.py backup / restore: back up real rows, destroy them, restore, and compare every table.

Runs on SQLite and on PostgreSQL; the tests are transactional because the dump sees only
committed rows."""

import datetime
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from congdoan.conftest import Tree, make_member, make_unit
from congdoan.core import backup
from congdoan.core.audit import audit_record
from congdoan.core.models import AuditEvent
from congdoan.members.models import Member
from congdoan.org.models import Kind, Unit

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Nguyễn Thị Hoa", "Trần Văn An", "Lê Thị Ánh Tuyết"]
PAPER = b"%PDF-1.4 a scanned decision\n"


@pytest.fixture
def data(tree: Tree, settings: Any, tmp_path: Path) -> Tree:
    """Units, members, an audit event and one uploaded file, all committed."""
    settings.MEDIA_ROOT = tmp_path / "files"
    for name in NAMES:
        make_member(tree.X1, name)
    make_member(tree.Q1, "Phạm Quốc Việt", sex="male", cccd="001090000123")
    audit_record(
        actor=None,
        action="unit.update",
        target=tree.X1,
        unit_id=tree.X1.pk,
        changes={"name": ["Unit X1", "Công ty X1"]},
        summary="Đổi tên",
    )
    paper = tmp_path / "files" / "care" / "2025" / "decision.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(PAPER)
    return tree


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def destroy() -> None:
    """Empty the units and members (and everything that points at them) and drop the audit
    trail's table."""
    units, members = Unit._meta.db_table, Member._meta.db_table
    audit = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # RESTART IDENTITY: the restore must bring the sequences back too.
            cursor.execute(f"TRUNCATE {q(units)}, {q(members)} RESTART IDENTITY CASCADE")
            cursor.execute(f"DROP TABLE {q(audit)}")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute(f"DELETE FROM {q(members)}")
            cursor.execute(f"DELETE FROM {q(units)}")
            # The restore must bring AUTOINCREMENT's counter back too.
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [units])
            cursor.execute(f"DROP TABLE {q(audit)}")
            cursor.execute("PRAGMA foreign_keys = ON")


def rewrite(src: Path, dest: Path, change: Any) -> Path:
    """A copy of a backup with change(name, bytes) -> bytes applied to every member."""
    with tarfile.open(src, "r:*") as tar:
        members = [(m.name, tar.extractfile(m).read()) for m in tar]  # type: ignore[union-attr]
    with tarfile.open(dest, "w:gz" if dest.name.endswith(".gz") else "w") as tar:
        for name, content in members:
            content = change(name, content)
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return dest


def manifest_change(edit: Any) -> Any:
    def change(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        data = json.loads(content)
        edit(data)
        return json.dumps(data).encode()

    return change


def test_backup_destroy_restore_gives_back_every_table(data: Tree, tmp_path: Path) -> None:
    before = backup.fingerprint()
    # Every table, Django's own included, with the rows just made.
    assert "django_migrations" in before
    assert before[Unit._meta.db_table][0] == 13
    assert before[Member._meta.db_table][0] == 4
    assert before[AuditEvent._meta.db_table][0] >= 1
    out = io.StringIO()
    path = tmp_path / ("backup" + backup.EXTENSION[connection.vendor])
    call_command("backup", out=str(path), stdout=out)
    rows = sum(n for n, _sum in before.values())
    assert out.getvalue() == (
        f"Backup written to {path}: {len(before)} tables, {rows} rows, 1 uploaded files.\n"
    )
    assert path.stat().st_mode & 0o777 == 0o600
    with tarfile.open(path, "r:*") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names == [
        "manifest.json",
        backup.DUMP_MEMBER[connection.vendor],
        "files/care/2025/decision.pdf",
    ]
    assert manifest["format"] == "congdoan-backup"
    assert manifest["version"] == 1
    assert manifest["vendor"] == connection.vendor
    assert {k: tuple(v) for k, v in manifest["tables"].items()} == before

    destroy()
    paper = tmp_path / "files" / "care" / "2025" / "decision.pdf"
    paper.unlink()
    assert Unit.objects.count() == 0
    assert Member.objects.count() == 0
    damaged = backup.fingerprint()
    assert AuditEvent._meta.db_table not in damaged
    assert damaged != before

    out = io.StringIO()
    call_command("restore", str(path), yes=True, stdout=out)
    moment = datetime.datetime.fromisoformat(manifest["created_at"])
    made = timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")
    assert out.getvalue() == (
        f"Restored {path} (made at {made}): {len(before)} tables, {rows} rows "
        "and 1 uploaded files, all matching the backup.\n"
    )
    assert backup.fingerprint() == before
    assert Unit.objects.count() == 13
    assert sorted(Member.objects.filter(unit__code="X1").values_list("full_name", flat=True)) == (
        sorted(NAMES)
    )
    assert Member.objects.get(cccd="001090000123").full_name == "Phạm Quốc Việt"
    event = AuditEvent.objects.get(action="unit.update", target_id=str(data.X1.pk))
    assert event.changes == {"name": ["Unit X1", "Công ty X1"]}
    assert paper.read_bytes() == PAPER
    # Sequences came back too: a new unit gets a new id.
    biggest = max(Unit.objects.values_list("pk", flat=True))
    new = make_unit(Unit.objects.get(code="Z"), "Z1", Kind.ENTERPRISE)
    assert new.pk > biggest


def test_restore_refuses_corrupt_and_foreign_files(data: Tree, tmp_path: Path) -> None:
    path = backup.backup(tmp_path / "good.tar").path
    before = backup.fingerprint()

    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a backup at all" * 100)
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(junk), yes=True)
    assert str(exc.value) == (
        f"{junk} is not a backup of Công đoàn số (it has no readable manifest)."
    )

    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    foreign = rewrite(
        path, tmp_path / "foreign.tar", manifest_change(lambda m: m.update(vendor=other))
    )
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(foreign), yes=True)
    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    assert str(exc.value) == (
        f"This backup was made from a {names[other]} database, but this server uses "
        f"{names[connection.vendor]}: restore it on a server with a {names[other]} database."
    )

    member = backup.DUMP_MEMBER[connection.vendor]

    def flip(name: str, content: bytes) -> bytes:
        if name != member:
            return content
        middle = len(content) // 2
        return content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1 :]

    damaged = rewrite(path, tmp_path / "damaged.tar", flip)
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(damaged), yes=True)
    assert str(exc.value) == (
        f"The backup is damaged: {member} does not match the checksum in its manifest."
    )

    newer = rewrite(path, tmp_path / "newer.tar", manifest_change(lambda m: m.update(version=2)))
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(newer), yes=True)
    assert str(exc.value) == (
        "This backup has format version 2; this version of Công đoàn số reads version 1."
    )

    assert backup.fingerprint() == before


def test_restore_names_the_first_table_that_differs(data: Tree, tmp_path: Path) -> None:
    path = backup.backup(tmp_path / "good.tar").path
    audit = AuditEvent._meta.db_table
    rows = backup.fingerprint()[audit][0]

    def lie(manifest: dict[str, Any]) -> None:
        manifest["tables"][audit][0] += 1

    wrong = rewrite(path, tmp_path / "wrong.tar", manifest_change(lie))
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(wrong), yes=True)
    if connection.vendor == "sqlite":
        # The copy is read before anything is touched.
        assert str(exc.value) == (
            f"The backup is damaged: table {audit} differs from its manifest."
        )
    else:
        assert str(exc.value) == (
            f"The restored database does not match the backup, first at table {audit} "
            f"({rows} rows now, {rows + 1} in the backup)."
        )


def test_restore_asks_first(data: Tree, tmp_path: Path) -> None:
    path = backup.backup(tmp_path / "good.tar").path
    Member.objects.filter(full_name="Trần Văn An").delete()
    after = backup.fingerprint()

    # No terminal (cron, CI): refused without --yes.
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(path), stdin=io.StringIO("y\n"))
    assert str(exc.value) == (
        "Restoring replaces the whole database; there is no terminal to ask on, so run it "
        "again with --yes to confirm."
    )

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(path), stdin=Terminal("n\n"), stdout=out)
    assert str(exc.value) == "Cancelled: nothing was changed."
    assert out.getvalue().startswith(
        f"Restoring replaces every table of database {connection.settings_dict['NAME']} with "
        "the backup made at "
    )
    assert out.getvalue().endswith("Continue? [y/N] ")
    assert backup.fingerprint() == after

    call_command("restore", str(path), stdin=Terminal("y\n"), stdout=io.StringIO())
    assert Member.objects.filter(full_name="Trần Văn An").count() == 1


def test_default_file_name_is_local_time() -> None:
    moment = datetime.datetime(2025, 7, 1, 2, 0, 5, tzinfo=datetime.UTC)
    path = backup.default_path("postgresql", moment)
    assert path.parts[-3:] == ("var", "backups", "congdoan-20250701-090005.tar")
    assert backup.default_path("sqlite", moment).name == "congdoan-20250701-090005.tar.gz"
