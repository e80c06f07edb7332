"""Row binding of encrypted values (a random row key per row, in the associated data) and
the free text staff type — decision and override reasons, consent notes, timer outcomes —
encrypted like the notes (security finding 11)."""

from django.db import migrations

from crossroads.keys.migration_ops import add_row_keys, encrypt_field


class Migration(migrations.Migration):

    dependencies = [
        ('assistance', '0001_initial'),
    ]

    operations = [
        *add_row_keys(
            'assistance', 'screening', 'statusdecision', 'protectiontimer', 'consent',
            'consentoverride', 'referral', 'service', 'milestone'),
        *encrypt_field('assistance', 'statusdecision', 'reason', max_length=500),
        *encrypt_field('assistance', 'protectiontimer', 'outcome', blank=True, max_length=500),
        *encrypt_field('assistance', 'consent', 'note', blank=True, max_length=300),
        *encrypt_field('assistance', 'consentoverride', 'reason', max_length=500),
        *encrypt_field('assistance', 'referral', 'decision_reason', blank=True, max_length=500),
    ]
