"""Authenticated encryption of one field value (AES-256-GCM).

A ciphertext reads `enc1$KID$BASE64(nonce ‖ ciphertext ‖ tag)`. The associated data is the
field's label (`registry.person.family_name`), so a ciphertext moved into another column or
table no longer decrypts.
"""

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import keyring

PREFIX = "enc1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


def is_ciphertext(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + "$")


def key_id(token: str) -> str:
    return token.split("$", 2)[1]


def encrypt(plaintext: str, label: str) -> str:
    keys = keyring.load()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.keys[keys.current]).encrypt(nonce, plaintext.encode(), label.encode())
    return f"{PREFIX}${keys.current}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, label: str) -> str:
    try:
        prefix, kid, body = token.split("$", 2)
        blob = base64.b64decode(body)
    except ValueError:
        raise DecryptionError(f"not a ciphertext of {label}") from None
    keys = keyring.load()
    if prefix != PREFIX or kid not in keys.keys:
        raise DecryptionError(f"unknown key {kid!r} for {label}")
    try:
        plain = AESGCM(keys.keys[kid]).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], label.encode())
    except InvalidTag:
        raise DecryptionError(f"{label}: ciphertext does not authenticate") from None
    return plain.decode()
