"""The keyed chain (chain.py): each entry gets a sequence number and the id of the audit key it
was chained with; both stay NULL on the entries made before (plain SHA-256). The head of that
unkeyed chain is sealed into the keyring with the first audit key, so that it cannot grow or
change afterwards (see crossroads.keys.keyring)."""

from django.db import migrations, models


def seal_unkeyed_chain(apps, schema_editor):
    from crossroads.keys import keyring

    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    count = AuditEntry.objects.using(schema_editor.connection.alias).count()
    head = ChainHead.objects.using(schema_editor.connection.alias).filter(pk=1).first()
    if head is not None:
        head.last_seq = count
        head.save(update_fields=["last_seq"])
    try:
        if keyring.load().audit is None:
            keyring.add_audit_key(sealed={"last_id": head.last_id if head else 0,
                                          "last_hash": head.last_hash if head else "0" * 64,
                                          "count": count})
    except keyring.KeyringError:
        pass  # no keyring yet (production before `keys init`): the first entry seals it


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='key_id',
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='seq',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='last_seq',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.UniqueConstraint(condition=models.Q(('seq__isnull', False)), fields=('seq',), name='audit_entry_unique_seq'),
        ),
        migrations.RunPython(seal_unkeyed_chain, migrations.RunPython.noop),
    ]
