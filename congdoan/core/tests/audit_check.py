"""The test suite's audit check: every call of a write service (`core.audit.audited`) that
writes a row must leave at least one audit record, and every record it leaves must name the
service's actor (or nobody, for a system write), carry its time and say what changed.

`install()` runs once per test process (congdoan/conftest.py). From then on every service
call in every test is checked, and a call that breaks the rule fails that test. The services
proven this way (a call that wrote and was audited) are collected; at the end of a whole run
the suite fails if a service was never proven (`missing`)."""

import importlib
import inspect
import pkgutil
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection

from congdoan.core import audit
from congdoan.core.models import AuditEvent

# Tables a service may write without recording it: the trail itself, and figures derived
# from recorded rows (stamps and caches, rebuilt from the rows they count).
DERIVED = frozenset({
    "core_auditevent", "org_treestamp", "org_subtreefigures", "org_figuresstamp",
    "org_figurescache", "django_session",
})  # fmt: skip
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

# Services proven in this process: a call left audit records, and they passed the check.
proven: set[str] = set()


@dataclass
class _Call:
    """One service call's writes and records, its own and those of the services it called
    that kept theirs."""

    writes: list[str] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    undone: bool = False  # it found nothing changed; its writes are rolled back


_local = threading.local()


def _stack() -> list[_Call]:
    stack: list[_Call] = _local.__dict__.setdefault("stack", [])
    return stack


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes, or None for any other statement."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    table = written_table(sql) if isinstance(sql, str) else None
    stack = _stack()
    if table is not None and table not in DERIVED and stack:
        stack[-1].writes.append(table)
    return execute(sql, params, many, context)


def _observe(event: AuditEvent) -> None:
    stack = _stack()
    if stack:
        stack[-1].events.append(event)


def _observe_undo() -> None:
    stack = _stack()
    if stack:
        stack[-1].undone = True


def _actor_of(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The service's `actor` (the imports call theirs `user`)."""
    arguments = inspect.signature(func).bind(*args, **kwargs).arguments
    return arguments.get("actor", arguments.get("user"))


def verify(name: str, actor: Any, call: _Call) -> None:
    """Raise AssertionError unless the call's writes are audited, naming its actor."""
    if call.undone:
        return
    if call.writes and not call.events:
        tables = ", ".join(sorted(set(call.writes)))
        raise AssertionError(f"{name} wrote to {tables} without an audit record")
    expected = actor.pk if isinstance(actor, User) and actor.pk else None
    for event in call.events:
        if event.actor_id != expected:
            raise AssertionError(
                f"{name} recorded {event.action} naming user {event.actor_id}, "
                f"not its actor {expected}"
            )
        if event.at is None:
            raise AssertionError(f"{name} recorded {event.action} without a time")
        if not (event.changes or event.summary):
            raise AssertionError(f"{name} recorded {event.action} without saying what changed")
    if call.events:
        proven.add(name)  # (a service may write nothing but its record: an export, a view)


def check(
    func: Callable[..., Any], atomic: Callable[..., Any], args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:  # fmt: skip
    """Run one service call (in its transaction) and verify its audit records."""
    stack = _stack()
    call = _Call()
    stack.append(call)
    outermost = len(stack) == 1
    try:
        with connection.execute_wrapper(_watch) if outermost else nullcontext():
            result = atomic(*args, **kwargs)
    finally:
        stack.pop()
    # (A call that raised was rolled back: nothing to check, nothing handed to its caller.)
    verify(getattr(func, "__module__", "") + "." + func.__qualname__, _actor_of(func, args, kwargs),
           call)  # fmt: skip
    if stack and not call.undone:
        stack[-1].writes.extend(call.writes)
        stack[-1].events.extend(call.events)
    return result


def install() -> None:
    from django.conf import settings

    if not audit.checker:
        audit.checker.append(check)
        audit.observers.append(_observe)
        audit.undo_observers.append(_observe_undo)
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.WritesThroughServices"]


@contextmanager
def suspended() -> Iterator[None]:
    """No checking inside (for a test of the check itself)."""
    saved = list(audit.checker)
    audit.checker.clear()
    try:
        yield
    finally:
        audit.checker.extend(saved)


def all_services() -> set[str]:
    """Every write service in the product: import every module (not tests or migrations) so
    that each `audited` marks its function, then read the register."""
    import congdoan

    for info in pkgutil.walk_packages(congdoan.__path__, "congdoan."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        importlib.import_module(info.name)
    return {name for name in audit.SERVICES if ".tests." not in name}


def missing(proven_anywhere: set[str]) -> list[str]:
    """The product's services (not the tests' own) that no test proved audited."""
    return sorted(n for n in all_services() - proven_anywhere if ".tests." not in n)


# Tables a request may write outside a service: logging in (the session, the user's last
# log-in, the lock-out counters, an API token's last use, a two-step device's last code or
# pending secret), and the bookkeeping of jobs and of uploaded files (kept by the audited
# `upload_create`; their check and import, run by jobs, note their state on them).
OUTSIDE_SERVICES = DERIVED | {
    "auth_user", "axes_accessattempt", "axes_accessattemptexpiration", "axes_accessfailurelog",
    "axes_accesslog", "core_apitoken", "core_totpdevice", "core_job", "core_upload",
    "members_rosterupload", "care_supportupload", "initiatives_initiativeupload",
}  # fmt: skip


class WritesThroughServices:
    """Test-only middleware: a request that writes a table outside every write service fails
    (writes go through services, which audit them)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        stray: list[str] = []

        def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                  context: Any) -> Any:  # fmt: skip
            table = written_table(sql) if isinstance(sql, str) else None
            if table is not None and table not in OUTSIDE_SERVICES and not _stack():
                stray.append(table)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(watch):
            response = self.get_response(request)
        if stray:
            raise AssertionError(
                f"{request.method} {request.path} wrote {', '.join(sorted(set(stray)))} "
                "outside a write service"
            )
        return response
