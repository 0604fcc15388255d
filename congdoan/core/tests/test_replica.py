"""Reads from a streaming replica: routing, read-your-writes and the fallback to the primary.

Needs a real primary and replica: `scripts/with-replica.sh .venv/bin/pytest
congdoan/core/tests/test_replica.py` (skipped otherwise). The "replica" alias mirrors "default"
in tests, which would prove nothing: here it is pointed at the replica server, at the test
database that pytest-django created on the primary and that streaming replication copied.
"""

import logging
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dj_database_url
import pytest
from django.db import OperationalError, connections, transaction
from django.db.models.expressions import RawSQL
from django.test import Client
from django.urls import reverse

from congdoan.core import replica
from congdoan.core.replica import REPLICA, primary_reads, replica_reads
from congdoan.dashboard import views as dashboard_views
from congdoan.dashboard.figures import dashboard_figures
from congdoan.org.models import Unit

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_REPLICA_URL"),
        reason="needs a primary and a replica: scripts/with-replica.sh",
    ),
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", REPLICA]
    ),
]


@pytest.fixture
def on_replica(settings: Any) -> Iterator[None]:
    """The "replica" alias on the replica server, at the test database."""
    settings.REPLICA_CHECK_SECONDS = 60
    settings.REPLICA_MAX_LAG_SECONDS = 600
    connection = connections[REPLICA]
    saved = connection.settings_dict
    connection.close()
    server = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    primary = connections["default"].settings_dict
    connection.settings_dict = {
        **primary,
        "HOST": server["HOST"],
        "PORT": server.get("PORT") or "",
        # Still a mirror for the test machinery: never flushed (it is read-only).
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    replica.forget_health()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = saved
        replica.forget_health()


def lsn(alias: str, sql: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return str(cursor.fetchone()[0])


def catch_up() -> None:
    """Wait until the replica has replayed everything written on the primary so far."""
    target = lsn("default", "SELECT pg_current_wal_insert_lsn()")
    for _ in range(500):
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    raise AssertionError(f"the replica did not reach {target}")


def replay(action: str) -> None:
    """Pause or resume the replica's replay of the primary's changes (a lag on demand)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{action}()")


def in_recovery() -> bool:
    """Asked through the router: True when the query ran on the replica."""
    rows = Unit.objects.annotate(recovery=RawSQL("pg_is_in_recovery()", []))
    return bool(rows.values_list("recovery", flat=True).first())


@contextmanager
def queries_on(alias: str) -> Iterator[list[str]]:
    """The SQL that runs on `alias` inside the block (requests included)."""
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(record):
        yield seen


def replica_ctl(action: str) -> None:
    subprocess.run([os.environ["REPLICA_CTL"], action], check=True, timeout=60)


def test_replica_reads_go_to_the_replica(tree: Any, on_replica: None) -> None:
    catch_up()
    with replica_reads():
        assert Unit.objects.all().db == REPLICA
        assert in_recovery() is True
        # Rows written on the primary, read from the replica.
        assert Unit.objects.filter(code="Q1").values_list("name", flat=True).get() == "Unit Q1"
        assert Unit.objects.count() == 13
        # A write inside the block goes to the primary.
        Unit.objects.filter(code="Z").update(name="Commune Z")
        # Reads inside a transaction on the primary stay there (they may be about to write).
        with transaction.atomic():
            assert Unit.objects.all().db == "default"
            assert in_recovery() is False
        with primary_reads():
            assert in_recovery() is False
        assert in_recovery() is True

    # Outside replica_reads() every read goes to the primary.
    assert Unit.objects.all().db == "default"
    assert in_recovery() is False
    assert Unit.objects.get(code="Z").name == "Commune Z"
    catch_up()
    with replica_reads():
        assert Unit.objects.get(code="Z").name == "Commune Z"


def members_shown(response: Any) -> int:
    assert response.status_code == 200
    return int(response.context["figures"]["organisation"]["members"])


NEW_MEMBER = {
    "full_name": "Đinh Thị Thu",
    "birth_date": "15/08/1992",
    "sex": "female",
    "ethnicity": "01",
    "religion": "none",
    "cccd": "020192004321",
    "joined_on": "01/03/2021",
    "admit": "on",
}


def test_a_user_who_wrote_reads_the_primary_others_the_replica(
    tree: Any, cast: Any, on_replica: None, settings: Any, monkeypatch: Any
) -> None:
    settings.REPLICA_STICKY_SECONDS = 1
    # The one-line change proposed for the dashboard: its figures read from the replica.
    monkeypatch.setattr(dashboard_views, "dashboard_figures", replica_reads()(dashboard_figures))
    writer, other = Client(), Client()
    writer.force_login(cast.province_officer)
    other.force_login(cast.viewer)
    home = reverse("home") + "?unit=P"
    catch_up()
    assert members_shown(writer.get(home)) == members_shown(other.get(home)) == 0

    replay("pause")  # the replica now lags behind the primary
    try:
        response = writer.post(reverse("member_create", args=[tree.X1.pk]), NEW_MEMBER)
        assert response.status_code == 302
        assert replica.COOKIE in response.cookies
        with queries_on(REPLICA) as on_replica_db:
            assert members_shown(writer.get(home)) == 1  # the primary: their own write
        assert on_replica_db == []
        with queries_on(REPLICA) as on_replica_db:
            assert members_shown(other.get(home)) == 0  # the replica has not replayed it yet
        assert len(on_replica_db) > 5
    finally:
        replay("resume")

    catch_up()
    assert members_shown(other.get(home)) == 1
    # The window over, the writer's figures come from the replica too.
    time.sleep(settings.REPLICA_STICKY_SECONDS + 0.1)
    with queries_on(REPLICA) as on_replica_db:
        assert members_shown(writer.get(home)) == 1
    assert len(on_replica_db) > 5
    # A failed write (the form is refused) leaves no stamp.
    refused = other.post(reverse("member_create", args=[tree.X1.pk]), {"full_name": ""})
    assert refused.status_code in (403, 404)
    assert replica.COOKIE not in refused.cookies


def test_the_primary_answers_while_the_replica_is_down(
    tree: Any, on_replica: None, settings: Any, caplog: Any
) -> None:
    caplog.set_level(logging.WARNING, logger="congdoan.core.replica")
    catch_up()
    with replica_reads():
        assert in_recovery() is True  # checked: healthy for REPLICA_CHECK_SECONDS (60)
    replica_ctl("stop")
    try:
        with replica_reads():
            # The one query that meets the lost connection fails; it marks the replica down.
            with pytest.raises(OperationalError):
                in_recovery()
            assert in_recovery() is False
            assert Unit.objects.filter(code="Q1").count() == 1
        assert "Database replica 'replica' not used, reading from the primary" in caplog.text

        # Checked again when the check expires: still down, the primary still answers.
        caplog.clear()
        settings.REPLICA_CHECK_SECONDS = 0
        with replica_reads():
            assert in_recovery() is False
        assert "not used" in caplog.text
        settings.REPLICA_CHECK_SECONDS = 60
    finally:
        replica_ctl("start")

    # Back, but the last check (down) holds until it expires.
    caplog.clear()
    with replica_reads():
        assert in_recovery() is False
    settings.REPLICA_CHECK_SECONDS = 0.5
    time.sleep(0.6)
    catch_up()
    with replica_reads():
        assert in_recovery() is True
    assert "Database replica 'replica' is back" in caplog.text
