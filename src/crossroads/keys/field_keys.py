"""The node's key pairs for field capture: devices seal each submission to the current public
key (ECDH P-256 with an ephemeral key of the device, HKDF-SHA-256, AES-256-GCM); only the node,
holding the private key in its keyring, opens it.

The sealed form (JSON): {"v": 1, "kid": FKID, "epk": base64(uncompressed P-256 point of the
device's ephemeral key), "iv": base64(12 bytes), "ct": base64(AES-GCM ciphertext and tag)}.
The AES key is HKDF-SHA-256(ECDH secret, salt = the epk bytes, info = INFO), the associated
data is `aad` (it binds the ciphertext to the submission's content id and kind, so a sealed
body cannot be replayed under another id).
"""

import base64
import binascii
import dataclasses
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils import timezone

from . import keyring

INFO = b"crossroads field capture v1"
VERSION = 1


class SealError(Exception):
    """A sealed submission that cannot be opened; the message says why (in English, for the
    API's 422)."""


def aad(content_id: str, kind: str) -> bytes:
    return f"crossroads-field/v1|{content_id}|{kind}".encode()


def _new_pair() -> tuple[str, str]:
    private = ec.generate_private_key(ec.SECP256R1())
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return keyring.new_key_id("f"), base64.b64encode(der).decode()


def _field() -> dict:
    """The keyring's field entry, made (with a first key pair) on first use."""
    keys = keyring.load()
    if keys.field is not None:
        return keys.field
    with keyring._lock:
        keyring._cache.pop(str(keyring.keyring_path()), None)
    keys = keyring.load()
    if keys.field is None:
        kid, der = _new_pair()
        keyring._write(keyring.keyring_path(), dataclasses.replace(keys, mtime=0.0, field={
            "current": kid, "keys": {kid: der}, "created": {kid: timezone.now().isoformat()}}))
        keys = keyring.load()
    return keys.field


def rotate() -> str:
    """A new current field key pair; the old ones keep opening what was sealed to them."""
    field = _field()
    kid, der = _new_pair()
    keys = keyring.load()
    keyring._write(keyring.keyring_path(), dataclasses.replace(keys, mtime=0.0, field={
        "current": kid, "keys": {**field["keys"], kid: der},
        "created": {**field.get("created", {}), kid: timezone.now().isoformat()}}))
    return kid


def _private(kid: str) -> ec.EllipticCurvePrivateKey | None:
    der = _field()["keys"].get(kid)
    if der is None:
        return None
    return serialization.load_der_private_key(base64.b64decode(der), password=None)


def public_key() -> dict:
    """{"kid", "raw"}: the current public key, base64 of its uncompressed point (what
    `crypto.subtle.importKey("raw", …, {name: "ECDH", namedCurve: "P-256"})` takes)."""
    kid = _field()["current"]
    raw = _private(kid).public_key().public_bytes(serialization.Encoding.X962,
                                                  serialization.PublicFormat.UncompressedPoint)
    return {"kid": kid, "raw": base64.b64encode(raw).decode()}


def _b64(sealed: dict, name: str) -> bytes:
    value = sealed.get(name)
    if not isinstance(value, str):
        raise SealError(f"The sealed submission lacks “{name}”.")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SealError(f"“{name}” is not base64.") from None


def open_sealed(sealed: dict, associated: bytes) -> bytes:
    """The plaintext of a sealed submission, or SealError."""
    if not isinstance(sealed, dict) or sealed.get("v") != VERSION:
        raise SealError("Unknown version of the sealed form (expected 1).")
    private = _private(str(sealed.get("kid", "")))
    if private is None:
        raise SealError("The submission is sealed to a key this node does not hold.")
    epk, iv, ct = _b64(sealed, "epk"), _b64(sealed, "iv"), _b64(sealed, "ct")
    if len(iv) != 12:
        raise SealError("The nonce must be 12 bytes.")
    try:
        device = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
    except ValueError:
        raise SealError("The device's key is not a P-256 point.") from None
    secret = private.exchange(ec.ECDH(), device)
    key = HKDF(hashes.SHA256(), 32, salt=epk, info=INFO).derive(secret)
    try:
        return AESGCM(key).decrypt(iv, ct, associated)
    except InvalidTag:
        raise SealError("The ciphertext does not open with this node's key (altered, or "
                        "sealed for another submission).") from None


def seal(plaintext: bytes, associated: bytes, public: dict | None = None) -> dict:
    """What a device does, in Python (tests, a command-line client)."""
    public = public or public_key()
    node = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),
                                                        base64.b64decode(public["raw"]))
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    epk = ephemeral.public_key().public_bytes(serialization.Encoding.X962,
                                              serialization.PublicFormat.UncompressedPoint)
    key = HKDF(hashes.SHA256(), 32, salt=epk, info=INFO).derive(ephemeral.exchange(ec.ECDH(), node))
    iv = secrets.token_bytes(12)
    return {"v": VERSION, "kid": public["kid"], "epk": base64.b64encode(epk).decode(),
            "iv": base64.b64encode(iv).decode(),
            "ct": base64.b64encode(AESGCM(key).encrypt(iv, plaintext, associated)).decode()}
