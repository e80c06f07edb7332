"""This installation's identity in the exchange: its signing and encryption key pairs.

One JSON file outside the database (mode 0600), `CROSSROADS_NODE_KEY_FILE`:
{"node": ID, "current": KID, "keys": {KID: {"signing": b64(Ed25519 private), "encryption":
b64(X25519 private), "created": ISO}}}. A rotation adds a pair and makes it current; earlier
pairs stay so that messages sealed to them in flight still open. Peers learn the new public
keys once the hub's administrator registers them (`crossroads exchange register-node`).
The hub has a file of the same shape, with the id `HUB`.
"""

import base64
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from crossroads.keys.private_files import write_private

HUB_ID = "HUB"
RAW = {"encoding": serialization.Encoding.Raw, "format": serialization.PublicFormat.Raw}


class IdentityError(Exception):
    pass


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str, length: int | None = None) -> bytes:
    try:
        data = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise IdentityError("not base64") from None
    if length is not None and len(data) != length:
        raise IdentityError(f"expected {length} bytes")
    return data


def fingerprint(signing_public: str, encryption_public: str) -> str:
    """What two administrators read to each other to check keys out of band: SHA-256 of both
    public keys, in groups of four hex digits."""
    digest = hashlib.sha256(unb64(signing_public) + unb64(encryption_public)).hexdigest()[:32]
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True)
class KeyPair:
    kid: str
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    created: str

    @property
    def signing_public(self) -> str:
        return b64(self.signing.public_key().public_bytes(**RAW))

    @property
    def encryption_public(self) -> str:
        return b64(self.encryption.public_key().public_bytes(**RAW))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public, self.encryption_public)


@dataclass(frozen=True)
class Identity:
    node: str
    current: str
    pairs: dict[str, KeyPair]
    mtime: float

    @property
    def pair(self) -> KeyPair:
        return self.pairs[self.current]

    def sign(self, data: bytes) -> str:
        return b64(self.pair.signing.sign(data))

    def public(self) -> dict:
        """What the hub's registry holds for this installation."""
        pair = self.pair
        return {"node": self.node, "signing_key": pair.signing_public,
                "encryption_key": pair.encryption_public, "key_id": pair.kid,
                "fingerprint": pair.fingerprint}


def key_file() -> Path:
    path = getattr(settings, "CROSSROADS_NODE_KEY_FILE", None)
    if not path:
        raise ImproperlyConfigured("CROSSROADS_NODE_KEY_FILE must name the node key file.")
    return Path(path)


def own_id() -> str:
    """`HUB` in hub mode, else the configured node id."""
    if settings.CROSSROADS_MODE == "hub":
        return HUB_ID
    if not settings.CROSSROADS_NODE_ID:
        raise ImproperlyConfigured("CROSSROADS_NODE_ID must name this node in the exchange.")
    return settings.CROSSROADS_NODE_ID


def _new_pair() -> KeyPair:
    kid = timezone.now().strftime("n%Y%m%d%H%M%S") + secrets.token_hex(2)
    return KeyPair(kid, Ed25519PrivateKey.generate(), X25519PrivateKey.generate(),
                   timezone.now().isoformat())


def _private_raw(key) -> str:
    return b64(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption()))


def _write(path: Path, identity: Identity) -> None:
    payload = {"node": identity.node, "current": identity.current, "keys": {
        kid: {"signing": _private_raw(p.signing), "encryption": _private_raw(p.encryption),
              "created": p.created} for kid, p in identity.pairs.items()}}
    write_private(path, json.dumps(payload, indent=2))


def _read(path: Path) -> Identity:
    try:
        raw = json.loads(path.read_text())
        pairs = {kid: KeyPair(kid, Ed25519PrivateKey.from_private_bytes(unb64(k["signing"], 32)),
                              X25519PrivateKey.from_private_bytes(unb64(k["encryption"], 32)),
                              k.get("created", ""))
                 for kid, k in raw["keys"].items()}
        identity = Identity(raw["node"], raw["current"], pairs, path.stat().st_mtime)
    except (OSError, ValueError, KeyError, TypeError, IdentityError) as error:
        raise IdentityError(f"cannot read the node key file {path}: {error}") from None
    if identity.current not in pairs:
        raise IdentityError(f"the node key file {path} is inconsistent")
    return identity


_lock = threading.Lock()
_cache: dict[str, Identity] = {}


def create(path: Path | None = None) -> Identity:
    """A new key file for this installation; refuses to overwrite one."""
    path = path or key_file()
    if path.exists():
        raise IdentityError(f"{path} exists already; use `keys rotate --node` to add a key pair")
    pair = _new_pair()
    identity = Identity(own_id(), pair.kid, {pair.kid: pair}, 0.0)
    _write(path, identity)
    return load()


def load() -> Identity:
    """The key file, re-read when it changed; created on first use outside production."""
    path = key_file()
    with _lock:
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            if not getattr(settings, "CROSSROADS_CREATE_KEYRING", False):
                raise IdentityError(f"the node key file {path} does not exist") from None
            pair = _new_pair()
            _write(path, Identity(own_id(), pair.kid, {pair.kid: pair}, 0.0))
            mtime = path.stat().st_mtime
        cached = _cache.get(str(path))
        if cached is None or cached.mtime != mtime:
            cached = _cache[str(path)] = _read(path)
    if cached.node != own_id():
        raise IdentityError(f"the node key file {path} belongs to {cached.node}, not {own_id()}")
    return cached


def rotate() -> KeyPair:
    """Add a fresh pair and make it current; older pairs stay for messages in flight."""
    identity = load()
    pair = _new_pair()
    _write(key_file(), Identity(identity.node, pair.kid, {**identity.pairs, pair.kid: pair}, 0.0))
    return load().pair


def signing_public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(unb64(text, 32))


def encryption_public_key(text: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(unb64(text, 32))


def exchange_secret() -> bytes:
    """The secret the nodes share for keyed encodings (never given to the hub): 32+ bytes,
    base64 in `CROSSROADS_EXCHANGE_SECRET_FILE`. Outside production a missing file is an
    error too: nodes must share one secret, so none may invent its own."""
    path = Path(settings.CROSSROADS_EXCHANGE_SECRET_FILE)
    try:
        secret = unb64(path.read_text().strip())
    except (OSError, IdentityError) as error:
        raise IdentityError(f"cannot read the exchange secret {path}: {error}") from None
    if len(secret) < 32:
        raise IdentityError(f"the exchange secret {path} must hold at least 32 bytes")
    return secret


def write_exchange_secret(path: Path, secret: bytes | None = None) -> bytes:
    secret = secret or secrets.token_bytes(32)
    write_private(path, b64(secret) + "\n")
    return secret


def load_if_present():
    """The node's identity if it has a key file, else None (a node outside the exchange)."""
    try:
        return load() if key_file().exists() else None
    except (IdentityError, ImproperlyConfigured):
        return None
