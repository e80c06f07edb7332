"""Re-encrypting every encrypted field under the current key, in batches, while the node serves."""

from collections import Counter
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction

from . import cipher, keyring
from .fields import EncryptedMixin


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


def key_usage() -> Counter:
    """How many stored values each key id encrypts."""
    usage = Counter()
    for model, names in encrypted_fields().items():
        for _pk, _name, token in _raw_tokens(model, names):
            if cipher.is_ciphertext(token):
                usage[cipher.key_id(token)] += 1
    return usage


def reencrypt_all(batch_size: int = 500, progress: Callable[[str, int, int], None] | None = None) -> int:
    """Rewrite every row whose values are not under the current key; returns rows rewritten."""
    current = keyring.load().current
    rewritten = 0
    for model, names in encrypted_fields().items():
        stale = sorted({pk for pk, _n, token in _raw_tokens(model, names)
                        if cipher.is_ciphertext(token) and cipher.key_id(token) != current})
        for start in range(0, len(stale), batch_size):
            batch = stale[start:start + batch_size]
            with transaction.atomic():
                rows = list(model._base_manager.select_for_update().filter(pk__in=batch))
                model._base_manager.bulk_update(rows, names)
            rewritten += len(batch)
            if progress:
                progress(model._meta.label, min(start + batch_size, len(stale)), len(stale))
    return rewritten
