"""Envelopes: the signed, and between nodes end-to-end encrypted, unit of every exchange.

    {"header": {"v": 1, "id": UUID, "sender": ID, "recipient": ID, "conversation": UUID,
                "seq": N, "nonce": HEX, "ts": ISO-8601 UTC, "kind": KIND, "handling": H0..H2,
                "sealed_to": KID or ""},
     "body": {...} (to or from the hub) | {"sealed": {"epk": b64, "ct": b64}} (node to node),
     "sig": b64(Ed25519 over canonical(header, body))}

Canonical JSON sorts keys and has no spaces, so signer and verifier hash the same bytes.
Sealing: an ephemeral X25519 key agrees with the recipient's key; HKDF-SHA256 (salt = both
public keys) gives a ChaCha20-Poly1305 key; the associated data is the canonical header, so
a body moved under another header does not open. The hub relays sealed bodies it cannot read.
"""

import datetime
import json
import secrets
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils import timezone

from crossroads.text import canonical_json as canonical

from .choices import SHAREABLE_HANDLING  # restricted (H3) codes never leave the node
from .identity import (
    HUB_ID,
    RAW,
    Identity,
    IdentityError,
    b64,
    encryption_public_key,
    signing_public_key,
    unb64,
)

VERSION = 1
HKDF_INFO = b"crossroads-exchange-seal-v1"
HEADER_FIELDS = ("v", "id", "sender", "recipient", "conversation", "seq", "nonce", "ts", "kind",
                 "handling", "sealed_to")


class EnvelopeError(Exception):
    """The envelope is refused: malformed, badly signed, not for us, tampered, or replayed."""


def now_iso() -> str:
    return timezone.now().astimezone(datetime.UTC).isoformat(timespec="microseconds")


def parse_ts(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise EnvelopeError("bad timestamp") from None
    if moment.tzinfo is None:
        raise EnvelopeError("timestamp without time zone")
    return moment


@dataclass(frozen=True)
class Peer:
    """A party's public keys, as the directory lists them."""

    node: str
    signing_key: str
    encryption_key: str
    key_id: str = ""


def _seal_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=HKDF_INFO).derive(shared)


def seal(body: dict, header: dict, recipient: Peer) -> dict:
    recipient_key = encryption_public_key(recipient.encryption_key)
    ephemeral = X25519PrivateKey.generate()
    epk = ephemeral.public_key().public_bytes(**RAW)
    key = _seal_key(ephemeral.exchange(recipient_key), epk, recipient_key.public_bytes(**RAW))
    # A fresh key per message: the all-zero nonce is used exactly once with it.
    ct = ChaCha20Poly1305(key).encrypt(b"\0" * 12, canonical(body), canonical(header))
    return {"sealed": {"epk": b64(epk), "ct": b64(ct)}}


def open_sealed(envelope: dict, identity: Identity) -> dict:
    header, body = envelope["header"], envelope["body"]
    pair = identity.pairs.get(header.get("sealed_to", ""))
    if pair is None or "sealed" not in body:
        raise EnvelopeError("not sealed to a key of this node")
    try:
        epk = unb64(body["sealed"]["epk"], 32)
        ct = unb64(body["sealed"]["ct"])
        own_public = pair.encryption.public_key().public_bytes(**RAW)
        shared = pair.encryption.exchange(encryption_public_key(b64(epk)))
        plain = ChaCha20Poly1305(_seal_key(shared, epk, own_public)).decrypt(
            b"\0" * 12, ct, canonical(header))
        return json.loads(plain)
    except (KeyError, TypeError, ValueError, IdentityError, InvalidTag):
        raise EnvelopeError("the sealed body does not open") from None


def build(identity: Identity, *, recipient: str, kind: str, body: dict,
          conversation: str | None = None, seq: int = 0, handling: str = "H0",
          recipient_peer: Peer | None = None, message_id: str | None = None) -> dict:
    """A signed envelope; sealed to `recipient_peer` when both parties are nodes."""
    if handling not in SHAREABLE_HANDLING:
        raise EnvelopeError(f"handling code {handling} may not leave the node")
    header = {"v": VERSION, "id": message_id or str(uuid.uuid4()), "sender": identity.node,
              "recipient": recipient, "conversation": conversation or str(uuid.uuid4()),
              "seq": seq, "nonce": secrets.token_hex(16), "ts": now_iso(), "kind": kind,
              "handling": handling, "sealed_to": ""}
    if identity.node != HUB_ID and recipient != HUB_ID:
        if recipient_peer is None or recipient_peer.node != recipient:
            raise EnvelopeError(f"no encryption key for {recipient}")
        header["sealed_to"] = recipient_peer.key_id
        body = seal(body, header, recipient_peer)
    return {"header": header, "body": body,
            "sig": identity.sign(canonical({"header": header, "body": body}))}


def check_shape(envelope) -> dict:
    if not isinstance(envelope, dict) or set(envelope) != {"header", "body", "sig"}:
        raise EnvelopeError("not an envelope")
    header = envelope["header"]
    if not isinstance(header, dict) or set(header) != set(HEADER_FIELDS):
        raise EnvelopeError("bad header")
    if header["v"] != VERSION:
        raise EnvelopeError("unknown envelope version")
    for name in ("id", "sender", "recipient", "conversation", "nonce", "kind", "handling",
                 "sealed_to", "ts"):
        if not isinstance(header[name], str) or len(header[name]) > 100:
            raise EnvelopeError(f"bad header field {name}")
    if not isinstance(header["seq"], int) or header["seq"] < 0:
        raise EnvelopeError("bad sequence number")
    try:
        uuid.UUID(header["id"])
        uuid.UUID(header["conversation"])
    except ValueError:
        raise EnvelopeError("bad message or conversation id") from None
    if header["handling"] not in SHAREABLE_HANDLING:
        raise EnvelopeError(f"handling code {header['handling']} may not travel")
    if not isinstance(envelope["body"], dict) or not isinstance(envelope["sig"], str):
        raise EnvelopeError("bad body or signature")
    parse_ts(header["ts"])
    return header


def verify(envelope, sender: Peer) -> dict:
    """The header, once the envelope is well formed and signed by `sender`'s key."""
    header = check_shape(envelope)
    if header["sender"] != sender.node:
        raise EnvelopeError("signed by another party than its sender")
    try:
        signing_public_key(sender.signing_key).verify(
            unb64(envelope["sig"], 64), canonical({"header": header, "body": envelope["body"]}))
    except (InvalidSignature, IdentityError):
        raise EnvelopeError("bad signature") from None
    return header


def check_age(header: dict, max_age: datetime.timedelta, skew: datetime.timedelta) -> None:
    """Refuse a timestamp from the future (beyond the clock skew) or older than `max_age`."""
    moment = parse_ts(header["ts"])
    current = timezone.now()
    if moment > current + skew:
        raise EnvelopeError("timestamp in the future")
    if moment < current - max_age:
        raise EnvelopeError("timestamp too old")
