from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("networks", "0003_judgement"),
    ]

    operations = [
        migrations.AddField(
            model_name="ftmimport",
            name="sealed",
            field=models.BooleanField(default=False),
        ),
    ]
