"""Keys derived from the region's shared encoding secret.

The nodes share one secret (the hub never holds it); every use gets its own key by
HKDF-SHA256 with a label, so a key that leaks from one use (say, a field's q-gram key)
tells nothing about another. Changing the secret changes every filter: encodings made
under different secrets are unrelated and cannot be compared.
"""

import hashlib
import hmac
from functools import lru_cache

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_SECRET_BYTES = 32
_KEY_BYTES = 32
_SALT = b"crossroads exchange encoding"


class WeakSecret(ValueError):
    """The shared secret is missing or shorter than MIN_SECRET_BYTES."""


def check_secret(secret: bytes) -> None:
    """Raise WeakSecret unless `secret` is bytes of at least MIN_SECRET_BYTES."""
    if not isinstance(secret, bytes | bytearray) or len(secret) < MIN_SECRET_BYTES:
        raise WeakSecret(f"secret: at least {MIN_SECRET_BYTES} random bytes are required")


def derive_key(secret: bytes, label: str) -> bytes:
    """The key for one use, named by `label` (for example "clk/1/field/name")."""
    check_secret(secret)
    hkdf = HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=_SALT, info=label.encode())
    return hkdf.derive(bytes(secret))


def secret_key_id(secret: bytes) -> str:
    """A public id of the secret (16 hex digits from its own derived key), so that the
    hub can tell encodings of different secrets apart, for instance during rotation,
    without learning anything about the secret itself."""
    return derive_key(secret, "key-id")[:8].hex()


def keyed_stream(key: bytes, count: int) -> np.ndarray:
    """`count` pseudo-random uint64 values from HMAC-SHA512 in counter mode (a PRF)."""
    blocks = -(-count // 8)
    data = b"".join(hmac.digest(key, block.to_bytes(8, "big"), hashlib.sha512) for block in range(blocks))
    return np.frombuffer(data, dtype="<u8")[:count]


@lru_cache(maxsize=8)
def diffusion_taps(key: bytes, length: int, taps: int) -> np.ndarray:
    """A secret (length, taps) table of distinct input positions for each output bit.

    Drawn from the keyed stream by rejection, so every row holds `taps` different
    positions and rows are independent (no circulant structure a guesser could try).
    """
    stream = iter(keyed_stream(key, length * taps * 4) % np.uint64(length))
    table = np.empty((length, taps), dtype=np.intp)
    for row in range(length):
        chosen: list[int] = []
        while len(chosen) < taps:
            position = int(next(stream))
            if position not in chosen:
                chosen.append(position)
        table[row] = chosen
    return table
