"""PostgreSQL only: byte-order collation for the keys of support cases. Counting the people of
a province's year (COUNT(DISTINCT person_key) over hundreds of thousands of cases) compares
keys byte by byte instead of by the database's language rules, and names sort as on SQLite."""

from django.db import migrations

FORWARD = [
    'ALTER TABLE care_support ALTER COLUMN person_key TYPE varchar(40) COLLATE "C"',
    'ALTER TABLE care_support ALTER COLUMN sort_key TYPE varchar(400) COLLATE "C"',
    'ALTER TABLE care_support ALTER COLUMN name_key TYPE varchar(120) COLLATE "C"',
]
BACKWARD = [
    "ALTER TABLE care_support ALTER COLUMN person_key TYPE varchar(40)",
    "ALTER TABLE care_support ALTER COLUMN sort_key TYPE varchar(400)",
    "ALTER TABLE care_support ALTER COLUMN name_key TYPE varchar(120)",
]


def run(statements: list[str]):  # type: ignore[no-untyped-def]
    def apply(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("care", "0002_names_and_labels")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
