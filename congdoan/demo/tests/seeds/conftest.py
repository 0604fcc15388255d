"""The tests of this package read the demo federation, loaded once (`manage.py demo` takes a
minute) in a transaction that is rolled back when the package is done: a flush would also wipe
the rows the migrations seed, such as the award forms and the holidays, which later tests need.
Each test runs in a savepoint inside it, so what a test writes is undone after it.

All of them run on one xdist worker (see congdoan/conftest.py), so the
demo is loaded once per run.
"""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package", autouse=True)
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
