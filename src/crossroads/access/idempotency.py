"""Safe retries of API writes: every POST sent with an `Idempotency-Key` header runs once per
user and key; a retry with the same body gets the first answer again, one with another body is
refused.

The key is taken in the same transaction as the request's writes (`crossroads.api` runs a keyed
POST in one transaction): if the request fails or the process dies, neither the writes nor the
key remain and a retry runs afresh; if it committed, the retry finds the stored answer. Two
requests with one key at once: the second one's insert of the key waits for the first's
transaction (PostgreSQL's unique index, SQLite's single writer), then replays its answer.
"""

import datetime
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = ("ETag", "Location")
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the IETF draft's examples


def requested_key(request) -> str | None:
    """The request's key, or None for a request without one (or not a POST)."""
    if request.method != "POST" or HEADER not in request.META:
        return None
    return request.META[HEADER].strip()


def key_error(key: str) -> str | None:
    if _KEY.fullmatch(key):
        return None
    return _("Use 1 to 255 visible ASCII characters (a UUID is a good key).")


def _digest(*parts: bytes) -> str:
    found = hashlib.sha256()
    for part in parts:
        found.update(hashlib.sha256(part).digest())
    return found.hexdigest()


def expiry() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.CROSSROADS_IDEMPOTENCY_HOURS)


def reserve(user, key: str, request) -> IdempotentRequest | HttpResponse:
    """Take the key for this request (in the caller's transaction), or the first answer to
    replay. Raises ValidationError for a key already used with another request."""
    key_hash = hashlib.sha256(key.encode()).hexdigest()
    fingerprint = _digest(request.method.encode(), request.path.encode(), request.body)
    IdempotentRequest.objects.filter(user=user, key_hash=key_hash,
                                     created_at__lt=expiry()).delete()
    transaction.on_commit(_purge_now_and_then)
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=user, key_hash=key_hash,
                                                    fingerprint=fingerprint)
    except IntegrityError:
        first = IdempotentRequest.objects.get(user=user, key_hash=key_hash)
    if first.fingerprint != fingerprint:
        raise ValidationError({"Idempotency-Key": _(
            "This key was used for another request (another path or body); use a new key "
            "for a new request.")})
    return replay(first)


def replay(first: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(first.body, status=first.status, content_type=first.content_type)
    for name, value in first.headers.items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


def keep(reserved: IdempotentRequest, response) -> None:
    """Store the answer with the key, in the transaction of the request's writes."""
    reserved.status = response.status_code
    reserved.content_type = response.get("Content-Type", "")
    reserved.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    reserved.body = response.content.decode()
    reserved.save()


def purge() -> int:
    """Forget the keys older than CROSSROADS_IDEMPOTENCY_HOURS."""
    return IdempotentRequest.objects.filter(created_at__lt=expiry()).delete()[0]


_last_purge = None
PURGE_EVERY = datetime.timedelta(minutes=5)


def _purge_now_and_then() -> None:
    """After a keyed request's commit (in a short transaction of its own, not the request's),
    at most every few minutes per process."""
    global _last_purge
    now = timezone.now()
    if _last_purge is None or now - _last_purge > PURGE_EVERY:
        _last_purge = now
        purge()
