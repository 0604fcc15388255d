"""Backing up and restoring the whole database, and the uploaded files, on SQLite and PostgreSQL.

A backup is one tar file (`.tar` on PostgreSQL, whose dump is compressed already; `.tar.gz` on
SQLite) holding, in this order:

    manifest.json       what the backup holds (below); always the first member
    database.pgdump     PostgreSQL: `pg_dump --format=custom` of the database, or
    database.sqlite3    SQLite: a copy made with SQLite's online backup API (`src.backup(dst)`)
    files/<path>        the uploaded documents (MEDIA_ROOT), by their path under it

manifest.json is a JSON object:

    {"format": "congdoan-backup", "version": 1,
     "vendor": "postgresql" | "sqlite",
     "created_at": "2025-07-01T02:00:00+00:00",
     "database": {"member": "database.pgdump", "bytes": 123, "sha256": "..."},
     "files": {"care/2025/ab12.pdf": [bytes, "sha256"], ...},
     "tables": {"org_unit": [rows, "sha256 of the rows"], ...}}

"tables" is the database's `fingerprint()`: every table (Django's and the others in the
database: django_migrations, django_session...) with its row count and a checksum of its rows
in primary-key order. It is taken in the same snapshot as the dump (PostgreSQL: pg_dump shares
the snapshot of a REPEATABLE READ transaction in which the fingerprint is read; SQLite: it is
read from the copy itself), so it describes exactly what the backup holds, even while people
keep working.

`restore()` checks everything it can before touching the database (a readable manifest, the
format version, the vendor, the dump's checksum and, on SQLite, the copy's integrity and
fingerprint, each file's checksum), then replaces the database (PostgreSQL: `pg_restore --clean
--if-exists --no-owner --no-acl --single-transaction`, all or nothing; SQLite: the backup API
the other way), writes the files back into MEDIA_ROOT (files that are not in the backup are left
alone), and compares the database's fingerprint with the manifest's. The checksums are stable
for one vendor (a backup is restored on the vendor it was made on), not across vendors.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "congdoan-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
DUMP_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
EXTENSION = {"postgresql": ".tar", "sqlite": ".tar.gz"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1 << 20
ROWS_PER_FETCH = 2000

# {table: (rows, sha256 hex of its rows)}
Fingerprint = dict[str, tuple[int, str]]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for a person."""


@dataclass
class Manifest:
    vendor: str
    created_at: str
    database: dict[str, Any]
    tables: Fingerprint
    files: dict[str, tuple[int, str]] = field(default_factory=dict)

    def as_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "vendor": self.vendor,
            "created_at": self.created_at,
            "database": self.database,
            "files": {k: list(v) for k, v in sorted(self.files.items())},
            "tables": {k: list(v) for k, v in sorted(self.tables.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode()

    @property
    def created_local(self) -> str:
        """When the backup was made, in local time: 01/07/2025 09:00:05."""
        try:
            moment = datetime.datetime.fromisoformat(self.created_at)
        except ValueError:
            return self.created_at
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")

    @property
    def rows(self) -> int:
        return sum(rows for rows, _sum in self.tables.values())


@dataclass
class Outcome:
    """What `backup()` wrote or `restore()` restored."""

    path: Path
    manifest: Manifest


# ---------------------------------------------------------------------------------------------
# Fingerprint


def _hash_rows(columns: list[str], rows: Iterable[Iterable[Any]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    digest.update(json.dumps(columns, ensure_ascii=False).encode() + b"\n")
    count = 0
    for row in rows:
        count += 1
        digest.update(json.dumps(list(row), ensure_ascii=False).encode() + b"\n")
    return count, digest.hexdigest()


def _fetch(cursor: Any) -> Iterator[Any]:
    while batch := cursor.fetchmany(ROWS_PER_FETCH):
        yield from batch


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_fingerprint(raw: sqlite3.Connection) -> Fingerprint:
    """Every table of a SQLite database (but SQLite's own sqlite_* tables), values rendered by
    SQLite's quote() (type-exact: 1 and '1' differ), in primary-key order (every column when
    there is none). Works on any sqlite3 connection: Django's, or one opened on a copy."""
    cursor = raw.cursor()
    tables = [
        name
        for (name,) in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        if not name.startswith("sqlite_")
    ]
    out: Fingerprint = {}
    for table in tables:
        info = cursor.execute(f"PRAGMA table_info({_sqlite_quote(table)})").fetchall()
        columns = [row[1] for row in info]
        pk = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        select = ", ".join(f"quote({_sqlite_quote(c)})" for c in columns)
        order = (
            ", ".join(_sqlite_quote(c) for c in pk)
            if pk
            else ", ".join(str(i + 1) for i in range(len(columns)))
        )
        # Table and column names from the database's own catalogue, quoted.
        cursor.execute(f"SELECT {select} FROM {_sqlite_quote(table)} ORDER BY {order}")  # nosec B608
        out[table] = _hash_rows(columns, _fetch(cursor))
    cursor.close()
    return out


def _pg_fingerprint(connection: BaseDatabaseWrapper) -> Fingerprint:
    """Every table of the PostgreSQL schema, values rendered by PostgreSQL's text output
    (Django's connections are in UTC, so timestamps read the same on every connection),
    in primary-key order (every column when there is none), streamed by a server-side cursor."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        # The columns and primary keys of every table in two catalog queries (Django's
        # introspection asks table by table: ten times slower).
        cursor.execute(
            """
            SELECT c.relname, a.attnum, a.attname
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
            WHERE c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)
                AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """
        )
        columns: dict[str, dict[int, str]] = {}
        for table, attnum, name in cursor.fetchall():
            columns.setdefault(table, {})[attnum] = name
        cursor.execute(
            """
            SELECT c.relname, i.indkey::text
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            WHERE i.indisprimary AND pg_catalog.pg_table_is_visible(c.oid)
            """
        )
        keys = {table: [int(n) for n in indkey.split()] for table, indkey in cursor.fetchall()}
    out: Fingerprint = {}
    for table in tables:
        names = columns.get(table, {})
        cols = list(names.values())
        pk = [names[n] for n in keys.get(table, []) if n in names]
        select = ", ".join(f"{quote(c)}::text" for c in cols)
        order = (
            ", ".join(quote(c) for c in pk)
            if pk
            else ", ".join(str(i + 1) for i in range(len(cols)))
        )
        with connection.chunked_cursor() as cursor:
            # Table and column names from the database's own catalogue, quoted.
            cursor.execute(f"SELECT {select} FROM {quote(table)} ORDER BY {order}")  # nosec B608
            out[table] = _hash_rows(cols, _fetch(cursor))
    return out


def fingerprint(using: str = DEFAULT_DB_ALIAS) -> Fingerprint:
    """{table: (row count, checksum of its rows)} for every table of the database."""
    connection = connections[using]
    vendor = _vendor(connection)
    if vendor == "sqlite":
        connection.ensure_connection()
        return _sqlite_fingerprint(connection.connection)
    return _pg_fingerprint(connection)


def first_difference(
    expected: Mapping[str, tuple[int, str]], found: Mapping[str, tuple[int, str]]
) -> tuple[str, int | None, int | None] | None:
    """The first table (by name) whose rows differ: (table, rows found, rows expected), None
    for a table that is missing on one side; None when both are the same."""
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            now = found.get(table)
            then = expected.get(table)
            return table, now[0] if now else None, then[0] if then else None
    return None


# ---------------------------------------------------------------------------------------------
# Helpers


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DUMP_MEMBER:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL databases, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _outside_transaction(connection: BaseDatabaseWrapper) -> None:
    if connection.in_atomic_block:
        # A programming error, not a person's: a dump sees only committed rows.
        raise RuntimeError("backup and restore must run outside a transaction")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def default_path(vendor: str, now: datetime.datetime | None = None) -> Path:
    """var/backups/congdoan-YYYYMMDD-HHMMSS.tar(.gz), in local time."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"congdoan-{stamp}{EXTENSION[vendor]}"


def default_out(using: str = DEFAULT_DB_ALIAS) -> Path:
    return default_path(_vendor(connections[using]))


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


# PostgreSQL -----------------------------------------------------------------------------------

LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "passfile",
    "service",
    "connect_timeout",
    "options",
    "target_session_attrs",
)


def _conninfo_value(value: Any) -> str:
    text = str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _pg_connect_args(connection: BaseDatabaseWrapper) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the database (the host may be a unix-socket directory)
    and the environment to run the client programs in (the password in PGPASSWORD)."""
    sd = connection.settings_dict
    parts: dict[str, Any] = {
        "dbname": sd["NAME"],
        "host": sd.get("HOST"),
        "port": sd.get("PORT"),
        "user": sd.get("USER"),
    }
    options = sd.get("OPTIONS") or {}
    parts.update({key: options[key] for key in LIBPQ_OPTIONS if options.get(key)})
    conninfo = " ".join(f"{k}={_conninfo_value(v)}" for k, v in parts.items() if v)
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    return conninfo, env


def _pg_tool(connection: BaseDatabaseWrapper, name: str) -> str:
    """pg_dump/pg_restore of the server's major version if installed, else of PostgreSQL 15,
    else the one on PATH."""
    version = getattr(connection, "pg_version", 0) or 0
    for major in dict.fromkeys([version // 10000, 15]):
        candidate = Path(f"/usr/lib/postgresql/{major}/bin") / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client programs.") % {"tool": name}
        )
    return found


def _run(tool: str, args: list[str], env: Mapping[str, str]) -> None:
    result = subprocess.run(
        [tool, *args], env=dict(env), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        error = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(tool).name, "error": " ".join(error[-5:]) or result.returncode}
        )


def _pg_dump(connection: BaseDatabaseWrapper, dest: Path) -> Fingerprint:
    conninfo, env = _pg_connect_args(connection)
    tool = _pg_tool(connection, "pg_dump")
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        tables = _pg_fingerprint(connection)
        _run(
            tool,
            [
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={dest}",
                f"--dbname={conninfo}",
            ],
            env,
        )
    return tables


def _pg_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    conninfo, env = _pg_connect_args(connection)
    tool = _pg_tool(connection, "pg_restore")
    # Our own connection must not hold anything pg_restore needs to drop.
    connection.close()
    _run(
        tool,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env,
    )


# SQLite ---------------------------------------------------------------------------------------


def _sqlite_dump(connection: BaseDatabaseWrapper, dest: Path) -> Fingerprint:
    connection.ensure_connection()
    copy = sqlite3.connect(dest)
    try:
        connection.connection.backup(copy)
        # A standalone file: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_fingerprint(copy)
    finally:
        copy.close()


def _sqlite_check(dump: Path, manifest: Manifest) -> None:
    """Refuse a copy that SQLite finds damaged or whose tables differ from the manifest."""
    try:
        copy = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(problems[:3]))
            tables = _sqlite_fingerprint(copy)
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("The backup is damaged: its database cannot be read (%(error)s).") % {"error": exc}
        ) from exc
    diff = first_difference(manifest.tables, tables)
    if diff is not None:
        raise BackupError(
            _("The backup is damaged: table %(table)s differs from its manifest.")
            % {"table": diff[0]}
        )


def _sqlite_restore(connection: BaseDatabaseWrapper, dump: Path) -> None:
    # A fresh connection: nothing of the old one's state (statements, transaction) survives.
    # (Closing an in-memory database is a no-op in Django: it would destroy it.)
    connection.close()
    connection.ensure_connection()
    copy = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
    try:
        # One step (all pages): the database is replaced whole or not at all.
        copy.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(
            _("The database could not be replaced, nothing was changed: %(error)s") % {"error": exc}
        ) from exc
    finally:
        copy.close()
    # The next query reconnects and runs the connection's set-up (WAL, foreign keys) again.
    connection.close()


# ---------------------------------------------------------------------------------------------
# Backup


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as fh:
        tar.addfile(info, fh)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _tar_writer(raw: IO[bytes], name: str) -> tarfile.TarFile:
    if name.endswith((".gz", ".tgz")):
        # Level 6: a third of the time of tarfile's default 9, for 1% more bytes.
        return tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6)
    return tarfile.open(fileobj=raw, mode="w")


def backup(out: Path | str | None = None, using: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Write a backup of the database and MEDIA_ROOT to `out` (default: `default_out()`).

    The file appears only once complete (written beside it, then renamed) and is readable by
    its owner only: it holds personal data."""
    connection = connections[using]
    vendor = _vendor(connection)
    _outside_transaction(connection)
    path = Path(out) if out is not None else default_out(using)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = timezone.now()
    member = DUMP_MEMBER[vendor]
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".congdoan-backup-") as work:
        dump = Path(work) / member
        if vendor == "postgresql":
            tables = _pg_dump(connection, dump)
        else:
            tables = _sqlite_dump(connection, dump)
        files = {name: (p.stat().st_size, _sha256_file(p)) for name, p in _media_files()}
        manifest = Manifest(
            vendor=vendor,
            created_at=created.astimezone(datetime.UTC).isoformat(timespec="seconds"),
            database={
                "member": member,
                "bytes": dump.stat().st_size,
                "sha256": _sha256_file(dump),
            },
            tables=tables,
            files=files,
        )
        partial = Path(work) / "backup.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, _tar_writer(raw, path.name) as tar:
            _add_bytes(tar, MANIFEST, manifest.as_json(), created.timestamp())
            _add_file(tar, member, dump)
            media = Path(settings.MEDIA_ROOT)
            for name in files:
                _add_file(tar, FILES + name, media / name)
        os.replace(partial, path)
    return Outcome(path=path, manifest=manifest)


# ---------------------------------------------------------------------------------------------
# Restore


def _not_a_backup(path: Path) -> BackupError:
    return BackupError(
        _("%(path)s is not a backup of Công đoàn số (it has no readable manifest).")
        % {"path": path}
    )


def read_manifest(path: Path | str) -> Manifest:
    """The manifest of a backup file, checked for format, version and shape."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": path})
    try:
        with tarfile.open(path, mode="r:*") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST or not member.isfile():
                raise _not_a_backup(path)
            fh = tar.extractfile(member)
            data = json.loads(fh.read()) if fh is not None else None
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise _not_a_backup(path) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _not_a_backup(path)
    if data.get("version") != VERSION:
        raise BackupError(
            _(
                "This backup has format version %(found)s; this version of Công đoàn số "
                "reads version %(expected)s."
            )
            % {"found": data.get("version"), "expected": VERSION}
        )
    try:
        return Manifest(
            vendor=str(data["vendor"]),
            created_at=str(data["created_at"]),
            database=dict(data["database"]),
            tables={str(k): (int(v[0]), str(v[1])) for k, v in data["tables"].items()},
            files={str(k): (int(v[0]), str(v[1])) for k, v in data.get("files", {}).items()},
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise _not_a_backup(path) from exc


def _safe_name(name: str) -> str | None:
    """The path under MEDIA_ROOT of a `files/...` member, None if it would escape it."""
    rel = PurePosixPath(name[len(FILES) :])
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
        return None
    return rel.as_posix()


def _copy_checked(src: IO[bytes], dest: Path, sha256: str) -> bool:
    digest = hashlib.sha256()
    with dest.open("wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest() == sha256


def _damaged(what: str) -> BackupError:
    return BackupError(
        _("The backup is damaged: %(what)s does not match the checksum in its manifest.")
        % {"what": what}
    )


def _extract(path: Path, manifest: Manifest, work: Path) -> tuple[Path, dict[str, Path]]:
    """The dump and the files of a backup, extracted into `work` and checked."""
    member = DUMP_MEMBER[manifest.vendor]
    dump: Path | None = None
    files: dict[str, Path] = {}
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for info in tar:
                if info.name == MANIFEST or not info.isfile():
                    continue
                fh = tar.extractfile(info)
                if fh is None:
                    continue
                if info.name == member:
                    dump = work / member
                    if not _copy_checked(fh, dump, str(manifest.database.get("sha256"))):
                        raise _damaged(member)
                elif info.name.startswith(FILES):
                    name = _safe_name(info.name)
                    if name is None or name not in manifest.files:
                        continue
                    target = work / "files" / str(len(files))
                    target.parent.mkdir(exist_ok=True)
                    if not _copy_checked(fh, target, manifest.files[name][1]):
                        raise _damaged(name)
                    files[name] = target
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            _("The backup is damaged: %(error)s") % {"error": str(exc) or type(exc).__name__}
        ) from exc
    if dump is None:
        raise _damaged(member)
    missing = sorted(set(manifest.files) - set(files))
    if missing:
        raise _damaged(missing[0])
    return dump, files


def _put_files(files: Mapping[str, Path]) -> None:
    root = Path(settings.MEDIA_ROOT)
    for name, src in files.items():
        dest = root / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".restoring")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)


def restore(path: Path | str, using: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Replace the database (and write back the uploaded files) with a backup's, then check
    that every table matches the manifest. Everything is checked before the database is
    touched; a refused file changes nothing."""
    path = Path(path)
    connection = connections[using]
    vendor = _vendor(connection)
    _outside_transaction(connection)
    manifest = read_manifest(path)
    if manifest.vendor != vendor:
        raise BackupError(
            _(
                "This backup was made from a %(backup)s database, but this server uses "
                "%(current)s: restore it on a server with a %(backup)s database."
            )
            % {
                "backup": VENDOR_NAMES.get(manifest.vendor, manifest.vendor),
                "current": VENDOR_NAMES[vendor],
            }
        )
    with tempfile.TemporaryDirectory(prefix="congdoan-restore-") as work:
        dump, files = _extract(path, manifest, Path(work))
        if vendor == "postgresql":
            _pg_restore(connection, dump)
        else:
            _sqlite_check(dump, manifest)
            _sqlite_restore(connection, dump)
        _put_files(files)
    diff = first_difference(manifest.tables, fingerprint(using))
    if diff is not None:
        table, found, expected = diff
        raise BackupError(
            _(
                "The restored database does not match the backup, first at table %(table)s "
                "(%(found)s rows now, %(expected)s in the backup)."
            )
            % {
                "table": table,
                "found": "—" if found is None else found,
                "expected": "—" if expected is None else expected,
            }
        )
    return Outcome(path=path, manifest=manifest)
