"""Optimistic concurrency: a row's version, its ETag, and the compare-and-set that moves it.

A write names the version it was built from (API: `If-Match: "<version>"`, the `ETag` of the
GET; pages: a hidden `version` field). `claim` moves the row to the next version only if it is
still at that version — and, for a state change, still in the state the write started from — in
one UPDATE: of two writes at once exactly one matches, on SQLite (one writer at a time) and on
PostgreSQL (the second UPDATE waits for the first's row lock, then re-reads the row). The loser
gets `StaleVersion` and writes nothing.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IF_MATCH = "HTTP_IF_MATCH"
_ENTITY_TAG = re.compile(r'\s*"(\d{1,18})"\s*')


class StaleVersion(Exception):
    """The row changed since the caller read it (another write won); nothing was written."""

    def __init__(self, current: int | None):
        super().__init__(f"the record is at version {current}")
        self.current = current


def version_field():
    return models.PositiveIntegerField(
        gettext_lazy("version"), default=1, editable=False,
        help_text=gettext_lazy("Moves on with every change (optimistic concurrency)."))


def _accepted(expected: int | tuple[int, ...]) -> tuple[int, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def check(instance: models.Model, expected: int | tuple[int, ...] | None) -> None:
    """Refuse early a write built from another version than the one just read (before its
    validation answers about a state the writer has not seen); `claim` still decides."""
    if expected is not None and instance.version not in _accepted(expected):
        raise StaleVersion(instance.version)


def claim(instance: models.Model, expected: int | tuple[int, ...] | None = None,
          **unchanged) -> int:
    """Move `instance` to its next version in the database, if it is still at `expected` (any
    version when None) and its `unchanged` columns still hold; else `StaleVersion`. Call it
    first in the write's transaction: on PostgreSQL it holds the row until the commit."""
    rows = type(instance)._base_manager.filter(pk=instance.pk, **unchanged)
    if expected is not None:
        rows = rows.filter(version__in=_accepted(expected))
    claimed = rows.update(version=F("version") + 1)
    instance.version = current_version(instance)
    if not claimed:
        raise StaleVersion(instance.version)
    return instance.version


def current_version(instance: models.Model) -> int | None:
    return (type(instance)._base_manager.filter(pk=instance.pk)
            .values_list("version", flat=True).first())


def etag(version: int) -> str:
    return f'"{version}"'


def versioned(response, row):
    """The row with its version as the response's ETag (sent back as `If-Match` to change it)."""
    response["ETag"] = etag(row.version)
    return row


def if_match(request) -> tuple[int, ...] | None:
    """The versions an `If-Match` header accepts; None without one (or with `*`). Weak tags
    (`W/"3"`) never match (RFC 9110 compares If-Match strongly) and we never send them."""
    header = request.META.get(IF_MATCH, "").strip()
    if not header or header == "*":
        return None
    versions = []
    for tag in header.split(","):
        if tag.strip().startswith("W/"):
            continue
        found = _ENTITY_TAG.fullmatch(tag)
        if found is None:
            raise ValidationError({"If-Match": _('Send the ETag of the record as read, e.g. "3".')})
        versions.append(int(found.group(1)))
    return tuple(versions)


class VersionField(forms.IntegerField):
    """The hidden field of an edit form: the version of the record the form was filled from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        message = gettext_lazy("This form is out of date: open the page again.")
        super().__init__(min_value=1, error_messages={"required": message, "invalid": message,
                                                      "min_value": message}, **kwargs)


def stale_message() -> str:
    return _("Someone changed this record after you opened the form. Nothing was saved: the "
             "newer values are shown; check them and submit again.")
