"""Writing many rows at once: instances get ids before they are written, the rows are all
there with their values, timestamps are stamped, and ordinary inserts carry on after them."""

import datetime

import pytest
from django.db import transaction

from congdoan.core import bulk
from congdoan.core.models import AuditEvent
from congdoan.org.models import Employer


@pytest.mark.django_db
def test_create_many_gives_ids_and_writes_every_value() -> None:
    first = Employer.objects.create(name="Before")
    made = bulk.create_many(
        [Employer(name=f"Công ty {i}", workforce=i, tax_code=f"01{i:08d}") for i in range(7)],
        batch_size=3,
    )
    ids = [e.pk for e in made]
    assert len(set(ids)) == 7 and min(ids) > first.pk
    assert all(not e._state.adding for e in made)
    stored = {e.pk: (e.name, e.workforce, e.tax_code, e.ownership) for e in Employer.objects.all()}
    assert [stored[i] for i in ids] == [
        (f"Công ty {i}", i, f"01{i:08d}", "private") for i in range(7)
    ]
    after = Employer.objects.create(name="After")
    assert after.pk > max(ids)
    assert bulk.create_many([]) == []


@pytest.mark.django_db
def test_reserved_ids_are_never_handed_out_twice() -> None:
    with transaction.atomic():
        a = bulk.reserve_ids(Employer, 3)
        bulk.create_many([Employer(name="x", pk=pk) for pk in a])
        b = bulk.reserve_ids(Employer, 2)
    assert len(a) == 3 and len(b) == 2 and not set(a) & set(b)
    assert min(b) > max(a)


@pytest.mark.django_db
def test_timestamps_are_stamped_once_for_the_batch() -> None:
    start = datetime.datetime.now(datetime.UTC)
    made = bulk.create_many(
        [AuditEvent(action="test", target_type="x", target_id=str(i)) for i in range(3)]
    )
    stamps = set(
        AuditEvent.objects.filter(pk__in=[e.pk for e in made]).values_list("at", flat=True)
    )
    assert len(stamps) == 1
    (stamp,) = stamps
    assert start - datetime.timedelta(seconds=1) <= stamp <= datetime.datetime.now(datetime.UTC)


def test_row_writer_appends_plain_rows(db: None) -> None:
    writer = bulk.RowWriter(Employer, ["name", "workforce", "ownership", "tax_code", "sector",
                                       "address"])  # fmt: skip
    assert writer.write([("A", 1, "state", "", "", ""), ("B", 2, "private", "", "", "")]) == 2
    assert writer.write([]) == 0
    assert sorted(Employer.objects.values_list("name", "workforce", "ownership")) == [
        ("A", 1, "state"),
        ("B", 2, "private"),
    ]
