"""On PostgreSQL, compare tree paths byte by byte (collation "C") so that range scans on the
path use the b-tree index; SQLite already compares text in binary order."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("org_unit", "org_unitversion"):
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN path TYPE varchar(255) COLLATE "C"'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("org_unit", "org_unitversion"):
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN path TYPE varchar(255)")


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
