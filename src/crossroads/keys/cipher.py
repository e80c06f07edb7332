"""Authenticated encryption of one field value (AES-256-GCM).

A ciphertext reads `enc2$KID$BASE64(nonce ‖ ciphertext ‖ tag)`. The associated data binds it
to its place: the field's label (`registry.person.family_name`) and the row's random row key
(`row_key`, a UUID set when the row is created). A ciphertext moved into another column,
table or row no longer decrypts: one person's name cannot be swapped into another's row.

The first format, `enc1`, bound only the column. It still decrypts while the keyring accepts
it (a keyring made before row binding); `crossroads keys rotate` rewrites every `enc1` value
as `enc2` and then tells the keyring to refuse `enc1` from then on.
"""

import base64
import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import keyring

PREFIX = "enc2"          # label and row key in the associated data
LEGACY_PREFIX = "enc1"   # label only
NONCE_BYTES = 12


class DecryptionError(Exception):
    pass


def is_ciphertext(value: str) -> bool:
    return isinstance(value, str) and value.startswith((PREFIX + "$", LEGACY_PREFIX + "$"))


def is_row_bound(token: str) -> bool:
    return token.startswith(PREFIX + "$")


def key_id(token: str) -> str:
    return token.split("$", 2)[1]


def row_key_text(row_key) -> str:
    """One spelling of a row key, whatever the database returns (UUID, hex, hyphenated)."""
    try:
        return (row_key if isinstance(row_key, uuid.UUID) else uuid.UUID(str(row_key))).hex
    except ValueError:
        raise DecryptionError("not a row key") from None


def _associated_data(label: str, row_key) -> bytes:
    return f"{label}\x1f{row_key_text(row_key)}".encode()


def encrypt(plaintext: str, label: str, row_key) -> str:
    keys = keyring.load()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.keys[keys.current]).encrypt(nonce, plaintext.encode(),
                                                     _associated_data(label, row_key))
    return f"{PREFIX}${keys.current}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, label: str, row_key=None) -> str:
    """The plaintext of `token` stored in column `label` of the row whose key is `row_key`."""
    try:
        prefix, kid, body = token.split("$", 2)
        blob = base64.b64decode(body)
    except ValueError:
        raise DecryptionError(f"not a ciphertext of {label}") from None
    keys = keyring.load()
    if prefix == PREFIX:
        if row_key is None:
            raise DecryptionError(f"{label}: a row-bound ciphertext read without its row key")
        associated = _associated_data(label, row_key)
    elif prefix == LEGACY_PREFIX:
        if keys.row_bound_only:
            raise DecryptionError(f"{label}: a ciphertext not bound to its row is refused "
                                  "(this keyring accepts only row-bound values)")
        associated = label.encode()
    else:
        raise DecryptionError(f"not a ciphertext of {label}")
    if kid not in keys.keys:
        raise DecryptionError(f"unknown key {kid!r} for {label}")
    try:
        plain = AESGCM(keys.keys[kid]).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated)
    except InvalidTag:
        raise DecryptionError(f"{label}: ciphertext does not authenticate (moved from another "
                              "column or row, or altered)") from None
    return plain.decode()

