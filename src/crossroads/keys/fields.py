"""Model fields whose values are stored encrypted (see `cipher`), each bound to its row.

Every model with an encrypted field has a `row_key` (`row_key_field()`): a random UUID set
when the row is made, never changed. A value is encrypted in `pre_save`, where the row is at
hand, with the row key in the associated data; it is decrypted on the way back with the row
key the same SELECT reads next to it (`RowBoundCol`). So `save()` and `bulk_create()` bind
rows by themselves, while writes that never see the row — `QuerySet.update()`,
`bulk_update()`, fixtures loaded raw — are refused unless they carry values already sealed for
their row (`seal`), as key rotation does.

Only `isnull` lookups are allowed: comparing ciphertexts would silently match nothing, so
searching goes through blind indexes (`crossroads.registry.blind_index`) instead.
"""

import base64
import datetime
import uuid

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.expressions import Col
from django.utils.functional import cached_property

from . import cipher

ROW_KEY = "row_key"


def row_key_field() -> models.UUIDField:
    """The row identity that encrypted values are bound to; add it to every model that has one."""
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


def _row_key_column(model) -> str | None:
    try:
        return model._meta.get_field(ROW_KEY).column
    except FieldDoesNotExist:  # a historical model in a migration before row keys
        return None


class Sealed(str):
    """A ciphertext already bound to its row: written as it is."""


class RowBoundCol(Col):
    """Selects an encrypted column as `row key $ ciphertext`, so that the value is decrypted
    against the row it was read from (in `values()` and joins as well as in instances)."""

    def select_format(self, compiler, sql, params):
        sql, params = super().select_format(compiler, sql, params)
        column = _row_key_column(self.target.model)
        if column is None:
            return sql, params
        key = ".".join(map(compiler.quote_name_unless_alias,
                           (self.alias, column) if self.alias else (column,)))
        # A missing row key reads as an empty one, which no value decrypts with: never as NULL,
        # which would make the whole value read as empty.
        return f"(COALESCE(CAST({key} AS TEXT), '') || '$' || {sql})", params


class EncryptedMixin:
    """Encrypts on the way to the database, decrypts on the way back. Empty stays empty."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.label = f"{cls._meta.label_lower}.{name}"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not self.model._meta.abstract and _row_key_column(self.model) is None:
            errors.append(checks.Error(
                f"{self.label} is encrypted but {self.model.__name__} has no `{ROW_KEY}`",
                hint="add `row_key = row_key_field()` (crossroads.keys.fields) and a migration "
                     "that gives existing rows one each", obj=self, id="crossroads.E010"))
        return errors

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(f"{self.label} is encrypted: search it through its blind index")
        return super().get_lookup(lookup_name)

    def get_col(self, alias, output_field=None):
        if alias == self.model._meta.db_table and output_field in (None, self):
            return self.cached_col
        return RowBoundCol(alias, self, output_field)

    @cached_property
    def cached_col(self):
        return RowBoundCol(self.model._meta.db_table, self)

    def seal(self, row, value) -> Sealed:
        """`value` (as Python sees it) encrypted for this column of `row`."""
        row_key = getattr(row, ROW_KEY, None)
        if row_key is None:
            raise ValueError(f"{self.label}: the row has no {ROW_KEY} to bind its value to")
        return Sealed(cipher.encrypt(self.serialise(value), self.label, row_key))

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.serialise(value) in (None, ""):
            return value
        return self.seal(model_instance, value)

    def get_prep_value(self, value):
        value = self.serialise(value)
        if value in (None, ""):
            return value
        if isinstance(value, Sealed):
            return str(value)
        raise ValueError(f"{self.label} is encrypted for its row: write it through save() or "
                         "bulk_create(), or update() it with a value from seal(row, value)")

    def from_db_value(self, value, expression, connection):
        if value is None:
            return self.deserialise(value)
        row_key = None
        if not cipher.is_ciphertext(value):  # "row key$ciphertext", or "row key$" when empty
            row_key, _, value = value.partition("$")
            row_key = cipher.row_key_text(row_key)  # refuses anything but a UUID
        if value == "":
            return self.deserialise(value)
        return self.deserialise(cipher.decrypt(value, self.label, row_key))


class EncryptedTextField(EncryptedMixin, models.TextField):
    def serialise(self, value):
        return value

    def deserialise(self, value):
        return value


class EncryptedBinaryField(EncryptedMixin, models.TextField):
    """Bytes (an evidence file) kept as encrypted base64 text; Python sees `bytes`."""

    def serialise(self, value):
        return base64.b64encode(value).decode() if isinstance(value, bytes | bytearray) else value

    def deserialise(self, value):
        return base64.b64decode(value) if value else b""

    def to_python(self, value):
        return base64.b64decode(value) if isinstance(value, str) else value


class EncryptedDateField(EncryptedMixin, models.TextField):
    """A date kept as encrypted ISO text; Python sees a `datetime.date`."""

    def serialise(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value

    def deserialise(self, value):
        return datetime.date.fromisoformat(value) if value else None

    def to_python(self, value):
        if isinstance(value, str) and value:
            return datetime.date.fromisoformat(value)
        return value or None
