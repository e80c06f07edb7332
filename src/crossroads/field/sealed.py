"""The sealed submissions of field devices: their digest, opening them with the node's field
key (`crossroads.keys.field_keys`) and the checks of the envelope. Used by the services (on
arrival, on a decision) and the queries (showing a kept submission)."""

import datetime
import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from crossroads.keys import field_keys

from .choices import CLOCK_SKEW_MINUTES


def digest(sealed: dict) -> str:
    return hashlib.sha256(json.dumps(sealed, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


def open_content(submission_or_sealed) -> dict:
    """The plaintext of a sealed submission ({"content_id", "kind", "captured_at", "data"}), or
    a ValidationError naming what is wrong with it."""
    content_id, kind, sealed = (str(submission_or_sealed.content_id), submission_or_sealed.kind,
                                submission_or_sealed.sealed)
    try:
        plain = field_keys.open_sealed(sealed, field_keys.aad(content_id, kind))
    except field_keys.SealError as error:
        raise ValidationError({"sealed": str(error)}) from None
    try:
        content = json.loads(plain)
    except ValueError:
        raise ValidationError({"sealed": _("The opened submission is not JSON.")}) from None
    if not isinstance(content, dict) or not isinstance(content.get("data"), dict):
        raise ValidationError({"sealed": _("The opened submission has no data.")})
    if str(content.get("content_id")) != content_id or content.get("kind") != kind:
        raise ValidationError({"sealed": _(
            "The opened submission names another content id or kind than its envelope.")})
    return content


def captured_at(content: dict) -> datetime.datetime:
    value = content.get("captured_at")
    when = parse_datetime(value) if isinstance(value, str) else None
    if when is None or timezone.is_naive(when):
        raise ValidationError({"sealed": _("The capture time is missing or has no time zone.")})
    if when > timezone.now() + datetime.timedelta(minutes=CLOCK_SKEW_MINUTES):
        raise ValidationError({"sealed": _("The capture time is in the future.")})
    return when
