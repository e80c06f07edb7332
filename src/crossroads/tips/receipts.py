"""Receipt codes: shown to the reporter once, stored only as a slow hash.

A code is 20 characters of Crockford's base32 (100 random bits), shown in groups of four. It
is stored as scrypt(code) salted with a node secret (the blind-index key): the same code always
gives the same digest, so a lookup is one indexed equality, and every lookup pays the same
scrypt whether or not the code exists (no timing difference between a hit and a miss). With
100 bits, guessing is hopeless even before the in-memory rate limit (`limits`)."""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LENGTH = 20
GROUP = 4
# scrypt cost: about 30 ms and 16 MiB per lookup on one core (bench/tips/RESULTS.md).
_N, _R, _P = 2**14, 8, 1
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_code() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(code[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(text: str) -> str:
    """What the reporter typed, as the code it means: case, spaces, dashes and the letters
    Crockford reads as digits do not matter. Empty when it cannot be a code."""
    code = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    return code if len(code) == LENGTH and all(ch in ALPHABET for ch in code) else ""


def _salt() -> bytes:
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), b"crossroads.tips.receipt",
                    hashlib.sha256).digest()


def digest(text: str) -> str:
    """The stored form of a code; the same cost for a malformed one (then it matches nothing)."""
    code = normalise(text)
    value = hashlib.scrypt((code or "-" + text[:64]).encode(), salt=_salt(), n=_N, r=_R, p=_P,
                           maxmem=64 * 1024 * 1024, dklen=32).hex()
    return value if code else "!" + value[1:]
