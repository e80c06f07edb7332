"""Keyed hashes of suspects' selectors for the hub's hit / no-hit comparison.

A selector is a value that identifies something across borders exactly: a phone number (E.164),
an e-mail address, an IBAN, a number plate, an identity document's number, each normalised by
the networks app as its local index does (`networks.proxies.selector_values`). The node sends
HMAC-SHA256 of that value under a key derived from the nodes' shared encoding secret with the
label `selector/1/<kind>` (`encoding_keys.derive_key`): the hub, which lacks the secret, cannot
hash guesses, so a phone number's small space cannot be searched there; one key per kind, so a
phone and an e-mail with the same text never compare; and the persons' encodings use keys of
other labels in Bloom filters, so a selector hash never compares with a person encoding either.
Rotating the secret changes every hash (the sync sends the new ones under the same references).
"""

import hashlib
import hmac
import re
from collections import defaultdict
from functools import lru_cache, reduce
from operator import or_

from django.db.models import Q

from crossroads.networks.choices import SelectorKind

from .encoding_keys import derive_key

# The selectors offered to the hub (company numbers are public registers' business, not suspects').
SHARED_KINDS = (SelectorKind.PHONE.value, SelectorKind.EMAIL.value, SelectorKind.IBAN.value,
                SelectorKind.PLATE.value, SelectorKind.DOCUMENT.value)
LABEL = "selector/1/{kind}"
HASH = re.compile(r"[0-9a-f]{64}")


@lru_cache(maxsize=32)
def _key(secret: bytes, kind: str) -> bytes:
    return derive_key(secret, LABEL.format(kind=kind))


def keyed_hash(secret: bytes, kind: str, value: str) -> str:
    """The hub's form of one normalised selector value: 64 hex digits."""
    if kind not in SHARED_KINDS:
        raise ValueError(f"kind: one of {', '.join(SHARED_KINDS)}")
    return hmac.new(_key(bytes(secret), kind), value.encode(), hashlib.sha256).hexdigest()


def pairs_q(pairs) -> Q:
    """Rows whose (`kind`, `digest`) is one of `pairs` (none for no pairs)."""
    by_kind = defaultdict(list)
    for kind, digest in pairs:
        by_kind[kind].append(digest)
    return reduce(or_, (Q(kind=k, digest__in=d) for k, d in sorted(by_kind.items())), Q(pk__in=[]))
