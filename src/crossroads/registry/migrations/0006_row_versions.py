"""Row versions of persons and cases (optimistic concurrency, crossroads.versions). SQLite
rebuilds the tables, which the dashboards' summary triggers do not survive: dropped first and
created again at the end, as in 0005."""

from importlib import import_module

from django.db import migrations, models

_summary_triggers = import_module(
    "crossroads.registry.migrations.0005_row_keys_and_encrypted_status_reasons")._summary_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_row_keys_and_encrypted_status_reasons'),
    ]

    operations = [
        migrations.RunPython(_summary_triggers(False), _summary_triggers(True)),
        migrations.AddField(
            model_name='case',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text='Moves on with every change (optimistic concurrency).', verbose_name='version'),
        ),
        migrations.AddField(
            model_name='person',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text='Moves on with every change (optimistic concurrency).', verbose_name='version'),
        ),
        migrations.RunPython(_summary_triggers(True), _summary_triggers(False)),
    ]
