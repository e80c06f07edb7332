from django.db import migrations

JURISDICTIONS = {
    "AL": "Albania", "BA": "Bosnia and Herzegovina", "XK": "Kosovo", "ME": "Montenegro",
    "MK": "North Macedonia", "RS": "Serbia",
}


def create(apps, schema_editor):
    Jurisdiction = apps.get_model("access", "Jurisdiction")
    for code, name in JURISDICTIONS.items():
        Jurisdiction.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
