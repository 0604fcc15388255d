"""Writing many rows fast: COPY on PostgreSQL, executemany elsewhere.

`create_many(objs)` is `bulk_create` for large batches of new model instances: it reserves
their ids first (so instances can be pointed at before they are written, and no RETURNING
round trip is needed), then streams the rows with COPY on PostgreSQL, several times faster
than multi-row INSERTs, or executemany on SQLite (where Django's bulk_create is held to a few
dozen rows per statement by SQLite's limit on parameters). It runs inside the caller's
transaction and writes all the rows or, with the transaction, none.

`RowWriter` appends plain tuples to one table (for generators that never build instances).
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

Row = tuple[Any, ...]
M = TypeVar("M", bound=models.Model)

# Fields whose Python value is what the database takes (psycopg adapts them itself); any other
# field goes through its own get_db_prep_save.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.DateField,  # includes DateTimeField
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


class RowWriter:
    """Appends rows to one table as fast as the database allows: COPY on PostgreSQL,
    executemany elsewhere. Columns are named by model field."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        qn = connection.ops.quote_name
        meta = model._meta
        self.table = qn(meta.db_table)
        columns = []
        for name in fields:
            f = meta.get_field(name)
            assert isinstance(f, models.Field) and f.column
            columns.append(qn(f.column))
        self.columns = ", ".join(columns)
        self.width = len(fields)

    def write(self, rows: Sequence[Row]) -> int:
        if not rows:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * self.width)
                # Names quoted from model metadata, values passed as parameters.
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})"  # nosec B608
                for i in range(0, len(rows), 5000):
                    cursor.executemany(sql, rows[i : i + 5000])
        return len(rows)


def db_value(model: type[models.Model], name: str, value: Any) -> Any:
    """`value` as the database takes it for `model.name` (for rows given to RowWriter)."""
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)
    return f.get_db_prep_save(value, connection)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh ids for new rows of `model`'s table, never handed out again.

    PostgreSQL takes them from the table's sequence. SQLite has one writer at a time: a no-op
    UPDATE takes the write lock for the caller's transaction, then the ids follow the highest
    ever used (AUTOINCREMENT's record of it included), which inserting them moves on."""
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [qn(table), pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # Names quoted from model metadata, values passed as parameters.
        cursor.execute(f"UPDATE {qn(table)} SET {qn(pk.column)} = {qn(pk.column)} WHERE 0 = 1")  # nosec B608
        # Names quoted from model metadata, values passed as parameters.
        cursor.execute(f"SELECT MAX({qn(pk.column)}) FROM {qn(table)}")  # nosec B608
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            highest = max(highest, found[0] if found else 0)
        return list(range(highest + 1, highest + 1 + count))


def create_many(objs: list[M], *, batch_size: int = 5000) -> list[M]:
    """Insert new instances of one model, setting their primary keys (see module doc)."""
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor not in ("postgresql", "sqlite"):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f.column]
    missing = [o for o in objs if o.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
        obj.pk = pk
    writer = RowWriter(model, [f.name for f in fields])
    attnames = [f.attname for f in fields]
    # auto_now(_add) stamps: one moment for the whole batch, as one statement would give
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    # (SQLite stores date-times as naive UTC text: those go through the field.)
    pg = connection.vendor == "postgresql"
    plain = [isinstance(f, _PLAIN) and (pg or not isinstance(f, models.DateTimeField))
             for f in fields]  # fmt: skip
    rows: list[Row] = []
    for obj in objs:
        values = obj.__dict__
        rows.append(tuple(
            values[a] if p else f.get_db_prep_save(values[a], connection)
            for f, a, p in zip(fields, attnames, plain, strict=True)
        ))  # fmt: skip
        obj._state.adding = False
        obj._state.db = "default"
        if len(rows) >= batch_size:
            writer.write(rows)
            rows = []
    writer.write(rows)
    return objs


def refresh_statistics() -> None:
    """Gather fresh planner statistics after a bulk load, as autovacuum would some time later.

    Without them PostgreSQL takes the freshly filled tables for empty and plans nested loops
    over them, turning a query of milliseconds into minutes. ANALYZE may run inside the
    caller's transaction and sees that transaction's own uncommitted rows. SQLite plans from
    its indexes alone and needs nothing here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
