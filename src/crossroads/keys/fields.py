"""Model fields whose values are stored encrypted (see `cipher`).

Only `isnull` lookups are allowed: comparing ciphertexts would silently match nothing, so
searching goes through blind indexes (`crossroads.registry.blind_index`) instead.
"""

import datetime

from django.core.exceptions import FieldError
from django.db import models

from . import cipher


class EncryptedMixin:
    """Encrypts on the way to the database, decrypts on the way back. Empty stays empty."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.label = f"{cls._meta.label_lower}.{name}"

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(f"{self.label} is encrypted: search it through its blind index")
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value):
        value = self.serialise(value)
        if value in (None, ""):
            return value
        return cipher.encrypt(value, self.label)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return self.deserialise(value)
        return self.deserialise(cipher.decrypt(value, self.label))


class EncryptedTextField(EncryptedMixin, models.TextField):
    def serialise(self, value):
        return value

    def deserialise(self, value):
        return value


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
