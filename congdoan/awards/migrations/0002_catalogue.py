"""The national catalogue of award forms and their default eligibility rules."""

from django.db import migrations

from congdoan.awards.catalogue import load, unload


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
