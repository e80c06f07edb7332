"""Hashing of audit entries: the canonical form every verifier must reproduce.

Two schemes, told apart by the entry's `key_id`:
- keyed (every entry made since the chain was keyed): HMAC-SHA256, with the audit key the entry
  names (kept in the keyring file, outside the database), over the entry's fields, its link to
  the previous entry, its sequence number and its key id. Without the key nobody can recompute
  it, so rows deleted, edited or rehashed in the database no longer verify.
- unkeyed (`key_id` NULL: entries made before that): plain SHA-256 over the same fields, without
  sequence number or key id. Kept so that existing chains still verify; the keyring seals their
  head when the first audit key is made, so they can neither grow nor change afterwards.
"""

import hashlib
import hmac
import json

GENESIS = "0" * 64
HASHED_FIELDS = ("at", "actor_id", "actor", "role", "agency_id", "jurisdiction", "action",
                 "object_type", "object_id", "purpose", "outcome", "details", "prev_hash")
KEYED_FIELDS = (*HASHED_FIELDS, "seq", "key_id")
MAC_CONTEXT = b"crossroads audit entry v2\n"


def _canonical(values: dict, fields) -> bytes:
    payload = {field: values[field] for field in fields}
    payload["at"] = payload["at"].isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode()


def entry_hash(values: dict) -> str:
    """The unkeyed scheme (entries made before the chain was keyed)."""
    return hashlib.sha256(_canonical(values, HASHED_FIELDS)).hexdigest()


def entry_mac(values: dict, key: bytes) -> str:
    """The keyed scheme: HMAC-SHA256 with the audit key named by `values["key_id"]`."""
    return hmac.new(key, MAC_CONTEXT + _canonical(values, KEYED_FIELDS), hashlib.sha256).hexdigest()
