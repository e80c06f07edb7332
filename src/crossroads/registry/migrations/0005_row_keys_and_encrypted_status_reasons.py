"""Row binding of encrypted values (a random row key per row, in the associated data) and
the status reasons encrypted like the narratives (security finding 11).

On SQLite, altering a table rebuilds it, which the dashboards' summary triggers do not survive:
they are dropped first and created again at the end."""

from importlib import import_module

from django.db import migrations

from crossroads.keys.migration_ops import add_row_keys, encrypt_field

SUMMARY = import_module("crossroads.statistics.migrations.0004_summary_triggers")


def _summary_triggers(create: bool):
    """SQLite: the dashboards' summary triggers dropped before the tables are rebuilt (a rebuild
    renames tables they name) and created again after; PostgreSQL keeps them."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for name, body in SUMMARY.SQLITE.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            if create:
                schema_editor.execute(f"CREATE TRIGGER {name} {body}")

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0004_trial_outcome'),
        ('statistics', '0004_summary_triggers'),
    ]

    operations = [
        migrations.RunPython(_summary_triggers(False), _summary_triggers(True)),
        *add_row_keys(
            'registry', 'person', 'alias', 'identitydocument', 'contact', 'case',
            'casestatuschange'),
        *encrypt_field('registry', 'casestatuschange', 'reason', blank=True, max_length=500,
                       verbose_name='reason'),
        migrations.RunPython(_summary_triggers(True), _summary_triggers(False)),
    ]
