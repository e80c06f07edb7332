"""Re-encrypting every encrypted field under the current key, in batches, while the node serves.

A pass also rewrites the values of the first format (`enc1`, bound only to their column) as
row-bound ones (`enc2`, see `cipher`); when none is left the keyring refuses `enc1` from then on.
Encrypted fields are found as the concrete fields of every installed model that are
`EncryptedMixin` fields, so a new encrypted column is covered without being listed here.
"""

from collections import Counter
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction

from . import cipher, keyring
from .fields import ROW_KEY, EncryptedMixin


def encrypted_fields() -> dict:
    """{model: [field names]} for every model with encrypted fields."""
    found = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if names:
            found[model] = names
    return found


def _raw_tokens(model, names):
    """(pk, field name, stored token) without decrypting."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
    # Identifiers come from model metadata, never from input.
    sql = f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row in cursor.fetchall():
            for name, token in zip(names, row[1:], strict=True):
                yield row[0], name, token


def _stale(token, current: str) -> bool:
    return cipher.is_ciphertext(token) and (cipher.key_id(token) != current
                                            or not cipher.is_row_bound(token))


def unbound_values() -> int:
    """How many stored values are still of the first format, not bound to their row."""
    return sum(1 for model, names in encrypted_fields().items()
               for _pk, _name, token in _raw_tokens(model, names)
               if cipher.is_ciphertext(token) and not cipher.is_row_bound(token))


def key_usage() -> Counter:
    """How many stored values each key id encrypts."""
    usage = Counter()
    for model, names in encrypted_fields().items():
        for _pk, _name, token in _raw_tokens(model, names):
            if cipher.is_ciphertext(token):
                usage[cipher.key_id(token)] += 1
    return usage


def reencrypt_all(batch_size: int = 500, progress: Callable[[str, int, int], None] | None = None) -> int:
    """Rewrite every row whose values are not under the current key or not bound to their row;
    returns rows rewritten. Values are sealed for their row here, since `bulk_update` never
    passes the row to the field."""
    current = keyring.load().current
    rewritten = 0
    for model, names in encrypted_fields().items():
        fields = [model._meta.get_field(name) for name in names]
        stale = sorted({pk for pk, _n, token in _raw_tokens(model, names) if _stale(token, current)})
        for start in range(0, len(stale), batch_size):
            batch = stale[start:start + batch_size]
            with transaction.atomic():
                rows = list(model._base_manager.select_for_update().filter(pk__in=batch)
                            .only(ROW_KEY, *names))
                for row in rows:
                    for field in fields:
                        value = getattr(row, field.attname)
                        if field.serialise(value) not in (None, ""):
                            setattr(row, field.attname, field.seal(row, value))
                model._base_manager.bulk_update(rows, names)
            rewritten += len(batch)
            if progress:
                progress(model._meta.label, min(start + batch_size, len(stale)), len(stale))
    if not keyring.load().row_bound_only and unbound_values() == 0:
        keyring.set_row_bound_only(True)
    return rewritten
