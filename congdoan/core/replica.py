"""Read-only figures from a streaming replica (docs/scale.md).

Production may run a PostgreSQL primary and a streaming replica (`DATABASE_REPLICA_URL`, the
"replica" database alias). The replica serves only the reads that are marked safe for it: the
figures of the dashboard and of reports, computed inside `replica_reads()`:

    with replica_reads():
        figures = dashboard_figures(unit, year)

    @replica_reads()
    def produce(...): ...

Everything else reads and writes the primary ("default"). Inside `replica_reads()` a read
still goes to the primary when:

- no replica is configured (development, tests), or it is down or lags more than
  `REPLICA_MAX_LAG_SECONDS`: checked at most every `REPLICA_CHECK_SECONDS` per process, a warning
  logged when it goes away;
- it runs inside a transaction on the primary (a write, a lock, a snapshot being taken);
- the request is a write (POST, PUT, PATCH, DELETE), or its browser made a successful write less
  than `REPLICA_STICKY_SECONDS` ago (read-your-writes: `ReadYourWritesMiddleware` stamps a
  signed cookie). The window must be longer than the replication lag, usually well under a
  second; a replica lagging more than `REPLICA_MAX_LAG_SECONDS` is not used at all.

Writes always go to the primary; migrations run on the primary only (the replica copies them).
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
COOKIE = "congdoan_wrote"
COOKIE_SALT = "congdoan.core.replica"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

log = logging.getLogger(__name__)

# True inside replica_reads(): the reads of this block may come from the replica.
reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)
# True while serving a write, or a browser that wrote a moment ago: every read from the primary.
primary_only: ContextVar[bool] = ContextVar("primary_only", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block may come from the replica (a context manager, or a decorator:
    `@replica_reads()`). Use it only around reads whose result may be a moment old."""
    token = reading_from_replica.set(True)
    try:
        yield
    finally:
        reading_from_replica.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside this block come from the primary, even inside `replica_reads()`."""
    token = primary_only.set(True)
    try:
        yield
    finally:
        primary_only.reset(token)


def sticky_seconds() -> float:
    return float(getattr(settings, "REPLICA_STICKY_SECONDS", 10))


# The replica's health, per process: (when checked, time.monotonic(); usable).
_health: dict[str, tuple[float, bool]] = {}
_health_lock = threading.Lock()
_probing: ContextVar[bool] = ContextVar("probing_replica", default=False)

# Seconds the replica is behind, 0 when it has replayed all it received; on PostgreSQL only.
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def probe(alias: str = REPLICA) -> tuple[bool, str]:
    """Whether the replica answers and is not too far behind, and why not."""
    connection = connections[alias]
    if connection.connection is not None and connection.errors_occurred:
        with suppress(DatabaseError):
            connection.close()  # lost while reading: connect afresh
    token = _probing.set(True)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(LAG_SQL)
                lag = float(cursor.fetchone()[0])
            else:
                cursor.execute("SELECT 1")
                lag = 0.0
    except DatabaseError as error:
        with suppress(DatabaseError):
            connection.close()  # a broken connection is opened again at the next check
        text = str(error).strip()
        return False, text.splitlines()[0] if text else repr(error)
    finally:
        _probing.reset(token)
    max_lag = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 30))
    if lag > max_lag:
        return False, f"it is {lag:.1f} s behind the primary (more than {max_lag:g} s)"
    return True, ""


def _record(alias: str, ok: bool, why: str, was: tuple[float, bool] | None) -> None:
    with _health_lock:
        _health[alias] = (time.monotonic(), ok)
    if not ok:
        log.warning("Database replica %r not used, reading from the primary: %s", alias, why)
    elif was is not None and not was[1]:
        log.warning("Database replica %r is back: figures are read from it again", alias)


def replica_available(alias: str = REPLICA) -> bool:
    """Whether the replica can serve reads, checked at most every `REPLICA_CHECK_SECONDS`."""
    ttl = float(getattr(settings, "REPLICA_CHECK_SECONDS", 5))
    with _health_lock:
        known = _health.get(alias)
    if known is not None and time.monotonic() - known[0] < ttl:
        return known[1]
    ok, why = probe(alias)
    _record(alias, ok, why, known)
    return ok


def _down_on_error(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """On the replica's connections: a replica that fails between two checks (a lost
    connection) is marked down at once, so that only the query that met the failure fails."""
    try:
        return execute(sql, params, many, context)
    except (OperationalError, InterfaceError) as error:
        if _probing.get():
            raise  # the check reports it
        alias = context["connection"].alias
        with _health_lock:
            known = _health.get(alias)
        if known is None or known[1]:
            _record(alias, False, str(error).strip() or repr(error), known)
        raise


def _watch(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.alias == REPLICA and _down_on_error not in connection.execute_wrappers:
        connection.execute_wrappers.append(_down_on_error)


connection_created.connect(_watch, dispatch_uid="congdoan.core.replica.watch")


def forget_health() -> None:
    """Check the replica again at the next read (tests; after a failover)."""
    with _health_lock:
        _health.clear()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_alias() -> str:
    """The database that a read here and now goes to."""
    if not reading_from_replica.get() or primary_only.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_available() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """`DATABASE_ROUTERS` entry: reads inside `replica_reads()` to the replica when it can
    serve them (see the module's docstring), everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == DEFAULT_DB_ALIAS


def wrote_recently(request: HttpRequest) -> bool:
    """Whether this browser made a successful write less than `REPLICA_STICKY_SECONDS` ago."""
    stamp = request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE_SALT, max_age=timedelta(seconds=sticky_seconds())
    )
    return stamp is not None


class ReadYourWritesMiddleware:
    """A user who has just written reads the primary for `REPLICA_STICKY_SECONDS`: the
    replica may not have their write yet. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writing = request.method in WRITE_METHODS
        token = primary_only.set(writing or wrote_recently(request))
        try:
            response = self.get_response(request)
        finally:
            primary_only.reset(token)
        if writing and response.status_code < 400:
            seconds = sticky_seconds()
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=COOKIE_SALT,
                max_age=max(1, round(seconds)),
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
        return response
