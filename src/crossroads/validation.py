"""Validation that reports every mistake of an input at once, not the first one only.

A service checks its input inside ``with collect() as errors:``; each check run through
``errors.check`` keeps its field's messages instead of stopping the others, and the block raises
one ValidationError naming every field (a ValidationError raised directly in the block joins
them). ``within`` places the fields of a part of the input under its name (``person.birth_date``),
the path the API answers in ``loc`` and the pages map back to their fields.
"""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def _as_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


class Errors:
    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, error: ValidationError | dict, *, within: str = "") -> None:
        error = error if isinstance(error, ValidationError) else ValidationError(error)
        for name, messages in _as_dict(error).items():
            key = within if within and name == NON_FIELD_ERRORS else name
            key = f"{within}.{key}" if within and name != NON_FIELD_ERRORS else key
            self.fields.setdefault(key, []).extend(messages)

    def check(self, check, *args, within: str = "", **kwargs):
        """``check(*args, **kwargs)``, or None once its errors are kept."""
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            self.add(error, within=within)
            return None

    def has(self, prefix: str = "") -> bool:
        return any(name == prefix or name.startswith(f"{prefix}.") for name in self.fields) \
            if prefix else bool(self.fields)


@contextmanager
def collect():
    errors = Errors()
    try:
        yield errors
    except ValidationError as error:
        errors.add(error)
    if errors.fields:
        raise ValidationError(errors.fields)
