"""Migration steps for encrypted fields: giving existing rows their row key, and encrypting a
column that used to hold plain text. Used by the apps' migrations; keep them stable.

Both work on raw SQL over the historical model's table, so they need no current model, and
they touch the keyring only when there is a value to encrypt (an empty database migrates
without one).
"""

import uuid

from django.db import migrations, models

from . import cipher
from .fields import ROW_KEY, EncryptedTextField


def _table(apps, app_label: str, model_name: str):
    model = apps.get_model(app_label, model_name)
    return model, model._meta.db_table, model._meta.pk.column


def add_row_keys(app_label: str, *model_names: str) -> list:
    """The operations giving each model a row key, and each existing row its own random one:
    added empty, filled row by row, then required and unique."""
    return [
        *(migrations.AddField(name, ROW_KEY, models.UUIDField(null=True, editable=False))
          for name in model_names),
        _give_row_keys(app_label, *model_names),
        *(migrations.AlterField(name, ROW_KEY,
                                models.UUIDField(default=uuid.uuid4, editable=False, unique=True))
          for name in model_names),
    ]


def _give_row_keys(app_label: str, *model_names: str) -> migrations.RunPython:

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        for name in model_names:
            model, table, pk = _table(apps, app_label, name)
            key_field = model._meta.get_field(ROW_KEY)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {quote(pk)} FROM {quote(table)}")  # noqa: S608
                rows = [(key_field.get_db_prep_value(uuid.uuid4(), connection), row[0])
                        for row in cursor.fetchall()]
                cursor.executemany(f"UPDATE {quote(table)} SET {quote(ROW_KEY)} = %s "  # noqa: S608
                                   f"WHERE {quote(pk)} = %s", rows)

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)


def encrypt_field(app_label: str, model_name: str, name: str, **options) -> list:
    """The operations turning a plain text field into an `EncryptedTextField(**options)`, its
    stored values encrypted (reversible: backwards they are decrypted again)."""
    return [migrations.AlterField(model_name, name, EncryptedTextField(**options)),
            encrypt_column(app_label, model_name, name)]


def encrypt_column(app_label: str, model_name: str, *field_names: str) -> migrations.RunPython:
    """Encrypt the plain text already stored in `field_names`, bound to each row (run after the
    rows have their row key and the field became encrypted); backwards, decrypt it again."""

    def convert(apps, schema_editor, encrypting: bool):
        quote = schema_editor.connection.ops.quote_name
        model, table, pk = _table(apps, app_label, model_name)
        row_key = model._meta.get_field(ROW_KEY).column
        for name in field_names:
            label, column = f"{app_label}.{model_name.lower()}.{name}", model._meta.get_field(name).column
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(f"SELECT {quote(pk)}, {quote(row_key)}, {quote(column)} "  # noqa: S608
                               f"FROM {quote(table)}")
                if encrypting:
                    updates = [(cipher.encrypt(value, label, key), row_pk)
                               for row_pk, key, value in cursor.fetchall()
                               if value and not cipher.is_ciphertext(value)]
                else:
                    updates = [(cipher.decrypt(value, label, key), row_pk)
                               for row_pk, key, value in cursor.fetchall()
                               if cipher.is_ciphertext(value)]
                cursor.executemany(f"UPDATE {quote(table)} SET {quote(column)} = %s "  # noqa: S608
                                   f"WHERE {quote(pk)} = %s", updates)

    return migrations.RunPython(lambda apps, editor: convert(apps, editor, True),
                                lambda apps, editor: convert(apps, editor, False), elidable=False)
