"""The keyring: data-encryption keys kept in a file outside the database.

File format (JSON, mode 0600): {"current": KID, "keys": {KID: base64(32 bytes), ...},
"created": {KID: ISO time}, "row_bound_only": true, "audit": AUDIT, "field": FIELD}. Every ciphertext names
the key that made it, so old keys keep decrypting until every row has been re-encrypted
(`crossroads keys rotate`) and the key is retired (`crossroads keys retire KID`). Running
processes notice a rotated file by its modification time, so rotation needs no restart.

`row_bound_only` (absent in keyrings made before row binding, see `cipher`) refuses the old
`enc1` values whose associated data names only the column; `keys rotate` sets it once no such
value is left. It lives here, outside the database, so that database access cannot clear it.

AUDIT holds the keys of a second kind, the HMAC keys of the audit chain (`crossroads.audit.chain`):
{"current": AKID, "keys": {AKID: base64(32 bytes)}, "created": {AKID: ISO time}, "sealed":
{"last_id": N, "last_hash": HEX, "count": C}}. Each entry names the key it was chained with, so a
rotation (`crossroads keys rotate --audit`) only changes the key of new entries; audit keys are
never retired. `sealed` is the head of the unkeyed chain (plain SHA-256, entries made before the
chain was keyed) at the moment the first audit key was made: the unkeyed part may not grow or
change after it.

FIELD holds the node's key pairs for field capture (`crossroads.keys.field_keys`): {"current":
FKID, "keys": {FKID: base64(PKCS#8 DER of an EC P-256 private key)}, "created": {FKID: ISO
time}}. Devices encrypt to the current public key; older pairs keep decrypting what was sealed
to them.
"""

import base64
import dataclasses
import json
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .private_files import write_private

KEY_BYTES = 32


class KeyringError(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class AuditKeys:
    current: str
    keys: dict[str, bytes]
    created: dict[str, str]
    sealed: dict  # {"last_id": int, "last_hash": str, "count": int}


@dataclasses.dataclass(frozen=True)
class Keys:
    current: str
    keys: dict[str, bytes]
    created: dict[str, str]
    mtime: float
    audit: AuditKeys | None = None
    row_bound_only: bool = True
    field: dict | None = None  # the field capture key pairs (crossroads.keys.field_keys)


_lock = threading.Lock()
_cache: dict[str, Keys] = {}


def keyring_path() -> Path:
    path = getattr(settings, "CROSSROADS_KEY_FILE", None)
    if not path:
        raise ImproperlyConfigured("CROSSROADS_KEY_FILE must name the keyring file.")
    return Path(path)


def new_key_id(prefix: str = "k") -> str:
    return timezone.now().strftime(f"{prefix}%Y%m%d%H%M%S") + secrets.token_hex(2)


def _encode(keys: dict[str, bytes]) -> dict[str, str]:
    return {kid: base64.b64encode(k).decode() for kid, k in keys.items()}


def _write(path: Path, keys: Keys) -> None:
    """Write atomically with owner-only permissions."""
    payload = {"current": keys.current, "keys": _encode(keys.keys), "created": keys.created,
               "row_bound_only": keys.row_bound_only}
    if keys.audit is not None:
        payload["audit"] = {"current": keys.audit.current, "keys": _encode(keys.audit.keys),
                            "created": keys.audit.created, "sealed": keys.audit.sealed}
    if keys.field is not None:
        payload["field"] = keys.field
    write_private(path, json.dumps(payload, indent=2))


class _Inconsistent(Exception):
    pass


def _decode(raw: dict) -> tuple[str, dict[str, bytes], dict[str, str]]:
    """(current, keys, created) of one kind of key."""
    keys = {kid: base64.b64decode(value) for kid, value in raw["keys"].items()}
    if raw["current"] not in keys or any(len(k) != KEY_BYTES for k in keys.values()):
        raise _Inconsistent
    return raw["current"], keys, raw.get("created", {})


def _decode_audit(raw: dict | None) -> AuditKeys | None:
    if raw is None:
        return None
    seal = raw["sealed"]
    return AuditKeys(*_decode(raw), {"last_id": int(seal["last_id"]),
                                     "last_hash": str(seal["last_hash"]), "count": int(seal["count"])})


def _read(path: Path) -> Keys:
    try:
        raw = json.loads(path.read_text())
        field = raw.get("field")
        if field is not None and (not isinstance(field, dict) or field.get("current")
                                  not in field.get("keys", {})):
            raise _Inconsistent
        return Keys(*_decode(raw), path.stat().st_mtime, _decode_audit(raw.get("audit")),
                    bool(raw.get("row_bound_only", False)), field)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise KeyringError(f"cannot read the keyring {path}: {error}") from None
    except _Inconsistent:
        raise KeyringError(f"the keyring {path} is inconsistent") from None


def read_file(path: Path) -> Keys:
    """A keyring named explicitly (e.g. a copy an auditor verifies with); never created."""
    return _read(Path(path))


def create_keyring(path: Path) -> Keys:
    kid = new_key_id()
    keys = Keys(kid, {kid: secrets.token_bytes(KEY_BYTES)}, {kid: timezone.now().isoformat()}, 0.0)
    _write(path, keys)
    return keys


def load() -> Keys:
    """The keyring, re-read when the file changed; created on first use outside production."""
    path = keyring_path()
    with _lock:
        cached = _cache.get(str(path))
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            if not getattr(settings, "CROSSROADS_CREATE_KEYRING", False):
                raise KeyringError(f"the keyring {path} does not exist") from None
            create_keyring(path)
            mtime = path.stat().st_mtime
        if cached is None or cached.mtime != mtime:
            cached = _cache[str(path)] = _read(path)
        return cached


def add_current_key() -> str:
    """Add a fresh key and make it the one new ciphertexts use; returns its id."""
    keys = load()
    kid = new_key_id()
    updated = dataclasses.replace(keys, current=kid,
                                  keys={**keys.keys, kid: secrets.token_bytes(KEY_BYTES)},
                                  created={**keys.created, kid: timezone.now().isoformat()},
                                  mtime=0.0)
    _write(keyring_path(), updated)
    return kid


def add_audit_key(sealed: dict | None = None) -> str:
    """Add a fresh audit key and make it the one new entries are chained with; returns its id.

    The first audit key needs `sealed`, the head of the unkeyed chain at that moment; later ones
    keep the seal they find. If another process made the first key meanwhile, its key is kept."""
    with _lock:
        _cache.pop(str(keyring_path()), None)
    keys = load()
    kid = new_key_id("a")
    now = timezone.now().isoformat()
    if keys.audit is None:
        if sealed is None:
            raise KeyringError("the keyring has no audit key yet: it is made by the first audit entry")
        audit = AuditKeys(kid, {kid: secrets.token_bytes(KEY_BYTES)}, {kid: now}, dict(sealed))
    elif sealed is not None:
        return keys.audit.current
    else:
        audit = AuditKeys(kid, {**keys.audit.keys, kid: secrets.token_bytes(KEY_BYTES)},
                          {**keys.audit.created, kid: now}, keys.audit.sealed)
    _write(keyring_path(), dataclasses.replace(keys, mtime=0.0, audit=audit))
    return kid


def remove_key(kid: str) -> None:
    keys = load()
    if kid == keys.current:
        raise KeyringError("the current key cannot be retired; rotate first")
    if kid not in keys.keys:
        raise KeyringError(f"no key {kid} in the keyring")
    remaining = {k: v for k, v in keys.keys.items() if k != kid}
    _write(keyring_path(), dataclasses.replace(
        keys, keys=remaining, created={k: v for k, v in keys.created.items() if k != kid},
        mtime=0.0))


def set_row_bound_only(value: bool = True) -> None:
    """Refuse (or, for a restored old database, accept again) values not bound to their row."""
    keys = load()
    _write(keyring_path(), dataclasses.replace(keys, row_bound_only=value))
