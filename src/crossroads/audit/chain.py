"""Hashing of audit entries: the canonical form every verifier must reproduce."""

import hashlib
import json

GENESIS = "0" * 64
HASHED_FIELDS = ("at", "actor_id", "actor", "role", "agency_id", "jurisdiction", "action",
                 "object_type", "object_id", "purpose", "outcome", "details", "prev_hash")


def entry_hash(values: dict) -> str:
    payload = {field: values[field] for field in HASHED_FIELDS}
    payload["at"] = payload["at"].isoformat(timespec="microseconds")
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
