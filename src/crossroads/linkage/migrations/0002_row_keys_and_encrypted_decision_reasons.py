"""Row binding of encrypted values (a random row key per row, in the associated data); the
merge reason encrypted, and a rejection's reason kept, encrypted, on the candidate instead of
in the audit entry (security finding 11)."""

from django.db import migrations

import crossroads.keys.fields
from crossroads.keys.migration_ops import add_row_keys, encrypt_field


class Migration(migrations.Migration):

    dependencies = [
        ('linkage', '0001_initial'),
    ]

    operations = [
        *add_row_keys('linkage', 'matchcandidate', 'personmerge'),
        *encrypt_field('linkage', 'personmerge', 'reason', blank=True, max_length=500),
        migrations.AddField('matchcandidate', 'decision_reason',
                            crossroads.keys.fields.EncryptedTextField(blank=True, max_length=500)),
    ]
