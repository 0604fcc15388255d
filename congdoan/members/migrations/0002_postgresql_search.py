"""PostgreSQL only: byte-order collation for the name keys (so Vietnamese order and keyset
pages agree with SQLite and use the b-tree), and a trigram index for searching names anywhere
in the country without diacritics."""

from django.db import migrations

FORWARD = [
    'ALTER TABLE members_member ALTER COLUMN sort_key TYPE varchar(400) COLLATE "C"',
    'ALTER TABLE members_member ALTER COLUMN name_key TYPE varchar(120) COLLATE "C"',
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_name_trgm ON members_member "
    "USING gin (name_key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_name_trgm",
    "ALTER TABLE members_member ALTER COLUMN sort_key TYPE varchar(400)",
    "ALTER TABLE members_member ALTER COLUMN name_key TYPE varchar(120)",
]


def run(statements: list[str]):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
