"""Row binding of encrypted values: a random row key per row, in the associated data
(security finding 11)."""

from django.db import migrations

from crossroads.keys.migration_ops import add_row_keys


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0002_pinned_peer_keys'),
    ]

    operations = [
        *add_row_keys('exchange', 'exchangerequest'),
    ]
