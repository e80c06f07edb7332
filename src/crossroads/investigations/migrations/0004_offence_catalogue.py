"""The shipped offence catalogue (investigations/data/offences.json), every entry with its
source and whether it was checked against the code; coordinators maintain it from here on."""

from django.db import migrations

from crossroads.investigations.catalogue import load_catalogue


def load(apps, schema_editor):
    load_catalogue(apps.get_model("investigations", "Offence"))


class Migration(migrations.Migration):

    dependencies = [
        ("investigations", "0003_proceedings"),
        ("access", "0002_jurisdictions"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
