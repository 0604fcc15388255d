"""Faults with real processes and a real database: a job worker killed in the middle of a roster
import and of locking a report period (the `reports.lock` job), the web server killed in the
middle of a writing request, and PostgreSQL stopped under the web server.

The servers run as subprocesses (`manage.py db_worker`, gunicorn with deploy/gunicorn.conf.py)
and must see the test's rows: the tests are transactional (rows are committed), and on SQLite,
whose test database lives in memory, the database is copied to a file first (`Live.publish`).
"""

import contextlib
import datetime
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from congdoan.conftest import Cast, Tree, make_member
from congdoan.core.models import AuditEvent, Job
from congdoan.members.models import Member, MemberEvent, RosterUpload
from congdoan.reports.models import ReportLock

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
PY = sys.executable
ROWS = 6000  # three chunks of roster_io.CHUNK rows: the kill lands after the first
PG_BIN = Path("/usr/lib/postgresql/15/bin")
INTERRUPTED = (
    "The job was interrupted (the background worker stopped) and nothing was saved. Try again."
)
DB_DOWN_TEXT = (
    "The system temporarily cannot connect to the database. Nothing you have saved is lost."
)
SETTINGS_MODULE = """
from congdoan.settings import *  # noqa: F403

# The fault tests need the 503 page whether or not settings.py lists its middleware yet.
_DBDOWN = "congdoan.core.dbdown.DatabaseUnavailableMiddleware"
if _DBDOWN not in MIDDLEWARE:  # noqa: F405
    MIDDLEWARE.insert(  # noqa: F405
        MIDDLEWARE.index("congdoan.core.middleware.LanguageMiddleware") + 1, _DBDOWN  # noqa: F405
    )
"""


def roster_csv(rows: int) -> bytes:
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    middle = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc"]
    given = ["An", "Bình", "Hoa", "Lan", "Nam", "Tâm", "Hùng", "Mai", "Thảo", "Dũng"]
    lines = ["Họ và tên,Ngày sinh,Giới tính,Ngày vào Công đoàn"]
    for i in range(rows):
        name = f"{family[i % 8]} {middle[i // 8 % 6]} {given[i // 48 % 10]}"
        sex = "Nữ" if "Thị" in name else "Nam"
        lines.append(f"{name},{1 + i % 28:02d}/{1 + i % 12:02d}/{1970 + i % 30},{sex},01/03/2015")
    return "\n".join(lines).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """kill -9 the process and everything it started (gunicorn's workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def postgres_url(host: str, name: str, user: str = "postgres", port: str = "") -> str:
    return f"postgres://{user}@{quote(host, safe='')}{':' + port if port else ''}/{name}"


class Live:
    """What the subprocesses need to share the test's database, and ways to look at it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.jobs_dir = tmp_path / "jobs"
        self.sqlite_file = tmp_path / "db.sqlite3"
        self.vendor = connection.vendor
        (tmp_path / "faults_settings.py").write_text(SETTINGS_MODULE)
        if self.vendor == "sqlite":
            url = f"sqlite:///{self.sqlite_file}"
        else:
            s = connection.settings_dict
            url = postgres_url(s["HOST"], s["NAME"], s["USER"], str(s["PORT"] or ""))
        self.env = self.env_for(url)
        self.procs: list[subprocess.Popen[bytes]] = []

    def env_for(self, url: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
        env.update({
            "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "faults_settings",
            "PYTHONPATH": f"{self.tmp}{os.pathsep}{ROOT}", "CONGDOAN_JOBS_DIR": str(self.jobs_dir),
            "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "GUNICORN_WORKERS": "1",
            "GUNICORN_TIMEOUT": "120", "GUNICORN_ACCESS_LOG": str(self.tmp / "access.log"),
            "GUNICORN_ERROR_LOG": str(self.tmp / "error.log"),
        })  # fmt: skip
        return env

    def publish(self) -> None:
        """Make the rows written so far visible to subprocesses (SQLite: copy to the file)."""
        if self.vendor == "sqlite":
            target = sqlite3.connect(self.sqlite_file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the database as the subprocesses see it."""
        if self.vendor == "sqlite":
            with sqlite3.connect(self.sqlite_file) as db:
                return list(db.execute(query, params).fetchall())
        with connection.cursor() as cursor:
            cursor.execute(query.replace("?", "%s"), params)
            return list(cursor.fetchall())

    def count(self, model: Any) -> int:
        return int(self.sql(f"SELECT COUNT(*) FROM {model._meta.db_table}")[0][0])

    def job(self, pk: int) -> tuple[str, str, int]:
        row = self.sql(f"SELECT status, error, attempts FROM {Job._meta.db_table} WHERE id = ?", pk)
        return (row[0][0], row[0][1], int(row[0][2]))

    def manage(self, code: str, env: dict[str, str] | None = None) -> Any:
        """Run Python in `manage.py shell` against the shared database; it prints JSON."""
        done = subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env or self.env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"proc-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(args, cwd=ROOT, env=env or self.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.procs.append(proc)
        return proc

    def worker(self) -> subprocess.Popen[bytes]:
        return self.start(PY, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                          "--interval", "0.2", "-v", "0")  # fmt: skip

    def gunicorn(self, env: dict[str, str] | None = None) -> str:
        """Start gunicorn with the production config; returns host:port once it answers."""
        port = free_port()
        env = dict(env or self.env, GUNICORN_BIND=f"127.0.0.1:{port}")
        proc = self.start(PY, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", env=env)

        def up() -> bool:
            assert proc.poll() is None, (self.tmp / "error.log").read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                return True
            except OSError:
                return False

        wait_for(up, 60, "gunicorn")
        return f"127.0.0.1:{port}"

    def progress(self) -> dict[str, Any]:
        """The progress of the (only) job running, from its file."""
        for path in self.jobs_dir.glob("*.json"):
            try:
                data = json.loads(path.read_text())
            except ValueError:
                continue
            data["job"] = int(path.stem)
            return data
        return {}

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                kill_group(proc)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    state = Live(tmp_path)
    yield state
    state.stop_all()


def web(host: str, method: str, path: str, session: str, body: str = "",
            timeout: float = 60) -> tuple[int, dict[str, str], str]:  # fmt: skip
    """One request with the session's cookie and a CSRF cookie and token (sent by hand, so the
    Secure flag that production settings put on cookies does not matter)."""
    token = "f" * 32
    conn = http.client.HTTPConnection(host, timeout=timeout)
    headers = {"Cookie": f"sessionid={session}; csrftoken={token}"}
    data = None
    if method == "POST":
        data = f"csrfmiddlewaretoken={token}&{body}".encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    resp = conn.getresponse()
    text = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, dict(resp.getheaders()), text


def _roster_upload(tree: Tree, cast: Cast) -> RosterUpload:
    content = roster_csv(ROWS)
    return RosterUpload.objects.create(
        unit=tree.X1, file_name="roster.csv", content=content, sha256=f"faults-{time.time_ns()}",
        status="checked", problems=[], created_by=cast.x_officer,
    )  # fmt: skip


def upload_status(live: Live, upload: RosterUpload) -> str:
    table = RosterUpload._meta.db_table
    return str(live.sql(f"SELECT status FROM {table} WHERE id = ?", upload.pk)[0][0])


def _session(cast: Cast) -> str:
    client = Client()
    client.force_login(cast.x_officer)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


RECOVER = (
    "import json; from congdoan.core.job_recovery import fail_interrupted_jobs; "
    "print(json.dumps(fail_interrupted_jobs(older_than=0)))"
)


def test_a_worker_killed_mid_import_leaves_nothing_is_marked_failed_and_a_retry_finishes(
    tree: Tree, cast: Cast, live: Live
) -> None:
    upload = _roster_upload(tree, cast)
    live.publish()
    job_id = live.manage(
        "import json; from congdoan.core import jobs; import congdoan.members.jobs; "
        "from congdoan.members.models import RosterUpload as U; "
        f"j = jobs.enqueue(kind='members.import', title='faults', "
        f"params={{'upload': {upload.pk}}}, user=None, unit_id={tree.X1.pk}); "
        f"U.objects.filter(pk={upload.pk}).update(job=j); "
        "print(json.dumps(j.pk))"
    )
    worker = live.worker()
    at = wait_for(lambda: (p := live.progress()).get("done", 0) > 0 and p, 90, "import progress")
    assert 0 < at["done"] < ROWS  # the worker is in the middle of the import's transaction
    kill_group(worker)

    assert live.job(job_id)[0] == "running"  # nothing noticed the death yet
    assert (live.count(Member), live.count(MemberEvent)) == (0, 0)  # all or nothing
    assert upload_status(live, upload) == "checked"
    assert live.manage(RECOVER) == [job_id]  # the worker service runs this before it starts
    status, error, attempts = live.job(job_id)
    assert (status, attempts) == ("failed", 1)
    with translation.override("vi"):  # written by a command, in the site's language
        assert error == gettext(INTERRUPTED)

    live.manage(
        "import json; from congdoan.core import jobs; from congdoan.core.models import Job; "
        f"jobs.retry(Job.objects.get(pk={job_id})); print(1)"
    )
    live.worker()
    wait_for(lambda: live.job(job_id)[0] in ("done", "failed"), 120, "the retried job")
    assert live.job(job_id) == ("done", "", 2)
    assert live.count(Member) == ROWS
    assert upload_status(live, upload) == "applied"


def test_b_the_web_server_killed_mid_write_leaves_the_database_consistent(
    tree: Tree, cast: Cast, live: Live
) -> None:
    """The import runs inside the request here (CONGDOAN_JOBS_IMMEDIATE=1): gunicorn and its
    worker are killed with -9 while the request is writing."""
    upload = _roster_upload(tree, cast)
    session = _session(cast)
    live.publish()
    host = live.gunicorn(dict(live.env, CONGDOAN_JOBS_IMMEDIATE="1"))
    assert web(host, "GET", f"/imports/{upload.pk}/", session)[0] == 200
    outcome: list[Any] = []

    def post() -> None:
        try:
            outcome.append(web(host, "POST", f"/imports/{upload.pk}/", session)[0])
        except OSError as exc:  # the server died under the request
            outcome.append(exc)

    thread = threading.Thread(target=post)
    thread.start()
    at = wait_for(lambda: (p := live.progress()).get("done", 0) > 0 and p, 90, "import progress")
    assert 0 < at["done"] < ROWS
    live.stop_all()
    thread.join(30)
    assert outcome and isinstance(outcome[0], OSError)  # no answer: the server was killed

    assert (live.count(Member), live.count(MemberEvent)) == (0, 0)
    assert upload_status(live, upload) == "checked"
    assert live.job(at["job"])[0] == "running"
    assert live.manage(RECOVER) == [at["job"]]
    assert live.job(at["job"])[0] == "failed"


@pytest.fixture
def own_postgres() -> Iterator[dict[str, Any]]:
    """A throw-away PostgreSQL 15 cluster of our own (so that stopping it troubles no other
    test), on a unix socket in a short temp dir, as scripts/with-postgres.sh starts one."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 server binaries are not installed")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    tmp = Path(tempfile.mkdtemp(prefix="cdf-", dir="/tmp"))
    tmp.chmod(0o755)
    if as_pg:
        shutil.chown(tmp, "postgres")
    data = tmp / "data"
    opts = f"-k {tmp} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
    ctl = [*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(tmp / "server.log"),
           "-o", opts, "-w"]  # fmt: skip
    subprocess.run([*as_pg, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
                   cwd="/", check=True, capture_output=True)  # fmt: skip
    subprocess.run([*ctl, "start"], cwd="/", check=True, capture_output=True)
    try:
        subprocess.run([str(PG_BIN / "createdb"), "-h", str(tmp), "-U", "postgres", "congdoan"],
                       check=True, capture_output=True)  # fmt: skip
        yield {"host": str(tmp), "ctl": ctl}
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], cwd="/", capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def test_c_postgres_stopped_gives_a_clear_503_page_and_the_site_recovers_by_itself(
    tree: Tree, cast: Cast, live: Live, request: pytest.FixtureRequest
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("stopping the database server is a PostgreSQL fault (SQLite is a file)")
    pg = request.getfixturevalue("own_postgres")
    session = _session(cast)
    # Our cluster gets a copy of the test database: schema, the tree, the users, the session.
    s = connection.settings_dict
    dump = subprocess.run([str(PG_BIN / "pg_dump"), "-h", s["HOST"], "-U", s["USER"],
                           "--no-owner", s["NAME"]], check=True, capture_output=True)  # fmt: skip
    subprocess.run([str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", pg["host"], "-U",
                    "postgres", "congdoan"], input=dump.stdout, check=True,
                   capture_output=True)  # fmt: skip
    host = live.gunicorn(live.env_for(postgres_url(pg["host"], "congdoan")))
    page = f"/units/{tree.X.pk}/members/"
    assert web(host, "GET", page, session)[0] == 200

    # Stop the server while requests keep coming: each answer is the page or the 503 page.
    answers: list[int] = []
    stopper = threading.Timer(
        0.3,
        lambda: subprocess.run(
            [*pg["ctl"], "-m", "immediate", "stop"], cwd="/", capture_output=True
        ),
    )
    stopper.start()
    while stopper.is_alive() or not answers or answers[-1] != 503:
        answers.append(web(host, "GET", page, session)[0])
        assert len(answers) < 500
    stopper.join()
    assert set(answers) <= {200, 503} and answers[-1] == 503

    status, headers, body = web(host, "GET", page, session)
    assert (status, headers["Retry-After"]) == (503, "30")
    with translation.override("vi"):
        assert escape(gettext(DB_DOWN_TEXT)) in body
    assert web(host, "GET", "/", session)[0] == 503  # the dashboard too

    subprocess.run([*pg["ctl"], "start"], cwd="/", check=True, capture_output=True)
    assert web(host, "GET", page, session)[0] == 200
    assert web(host, "GET", "/", session)[0] == 200


def test_d_a_worker_killed_mid_lock_leaves_no_lock_is_marked_failed_and_a_retry_locks(
    tree: Tree, cast: Cast, live: Live
) -> None:
    """Locking a period's figures as a job (reports.lock): the worker is killed -9 while its
    transaction has written the lock row but not yet its audit record. A lock takes well under
    a second, so the test holds the audit table in SHARE mode: the worker reads the figures and
    inserts the lock, then waits at the INSERT of its audit record, where PostgreSQL's lock view
    shows it (still holding the lock row it wrote) until it is killed."""
    if connection.vendor != "postgresql":
        pytest.skip("catching the worker between two INSERTs takes PostgreSQL's table locks")
    make_member(tree.X1, "Nguyễn Thị Hoa")
    make_member(tree.X2, "Trần Văn Nam", sex="male")
    live.publish()
    audit, locks, job_table = (AuditEvent._meta.db_table, ReportLock._meta.db_table,
                               Job._meta.db_table)  # fmt: skip
    blocker = connection.get_new_connection(connection.get_connection_params())
    try:
        with blocker.cursor() as cursor:  # held until the rollback below
            cursor.execute(f'LOCK TABLE "{audit}" IN SHARE MODE')
        job_id = live.manage(
            "import json; from django.contrib.auth.models import User; "
            "from congdoan.core import jobs; from congdoan.org.models import Unit; "
            "from congdoan.reports import jobs as lock_jobs; "
            "from congdoan.reports.periods import make; "
            f"unit = Unit.objects.get(pk={tree.X.pk}); "
            "j = jobs.enqueue(kind='reports.lock', title='faults', unit_id=unit.pk, "
            "params=lock_jobs.lock_params(unit, make(2024), 'Hội nghị'), "
            f"user=User.objects.get(pk={cast.x_officer.pk})); "
            "print(json.dumps(j.pk))"
        )
        worker = live.worker()
        wait_for(lambda: live.progress().get("done", 0) > 0, 90, "lock progress")
        waiting = "SELECT pid FROM pg_locks WHERE NOT granted AND relation = ?::regclass"
        pid = wait_for(lambda: [r[0] for r in live.sql(waiting, audit)], 60, "the audit INSERT")[0]
        held = "SELECT mode FROM pg_locks WHERE pid = ? AND granted AND relation = ?::regclass"
        assert ("RowExclusiveLock",) in live.sql(held, pid, locks)  # the lock row is written
        # Every figure collected (X's, then its three sub-units'), the lock not yet recorded.
        assert (live.progress()["done"], live.progress()["total"]) == (4, 5)
        kill_group(worker)
    finally:
        blocker.rollback()
        blocker.close()
    # The dead worker's session, let go, finds its client gone and rolls its transaction back.
    gone = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?"
    wait_for(lambda: live.sql(gone, pid)[0][0] == 0, 60, "the dead worker's session to end")

    assert live.job(job_id)[0] == "running"  # nothing noticed the death yet
    assert live.count(ReportLock) == 0  # nothing half-written: no lock, no record of one
    assert live.sql(f"SELECT COUNT(*) FROM {audit} WHERE action LIKE ?", "report.%") == [(0,)]
    assert live.manage(RECOVER) == [job_id]
    status, error, attempts = live.job(job_id)
    assert (status, attempts) == ("failed", 1)
    with translation.override("vi"):
        assert error == gettext(INTERRUPTED)

    live.manage(
        "import json; from congdoan.core import jobs; from congdoan.core.models import Job; "
        f"jobs.retry(Job.objects.get(pk={job_id})); print(1)"
    )
    live.worker()
    wait_for(lambda: live.job(job_id)[0] in ("done", "failed"), 120, "the retried job")
    assert live.job(job_id) == ("done", "", 2)
    rows = live.sql(
        f'SELECT id, unit_id, start, "end", locked_by_id, note, unlocked_at, '
        f"snapshot->'org'->>'members' FROM {locks}"
    )
    assert len(rows) == 1
    lock_id = rows[0][0]
    assert rows[0][1:] == (tree.X.pk, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31),
                           cast.x_officer.pk, "Hội nghị", None, "2")  # fmt: skip
    assert live.sql(f"SELECT result->>'lock', result->>'url' FROM {job_table}") == [
        (str(lock_id), f"/reports/lock/{lock_id}/")
    ]
    assert live.sql(
        f"SELECT action, actor_id, unit_id, target_id FROM {audit} WHERE action LIKE ?", "report.%"
    ) == [("report.lock", cast.x_officer.pk, tree.X.pk, str(lock_id))]
