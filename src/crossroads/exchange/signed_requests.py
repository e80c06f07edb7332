"""Authentication between node and hub: every HTTP request is signed by the calling node.

Headers: `X-Crossroads-Node`, `X-Crossroads-Time` (ISO-8601 UTC), `X-Crossroads-Nonce`
(random hex) and `X-Crossroads-Signature` = Ed25519 over
"METHOD\\nPATH\\nTIME\\nNONCE\\nSHA256(BODY)". The hub refuses a time outside its window and a
nonce it has seen (the nonces of the window are kept), so a captured request cannot be
replayed, and a request whose body or path was changed no longer verifies. No passwords.
"""

import hashlib
import secrets

from cryptography.exceptions import InvalidSignature

from .envelope import EnvelopeError, now_iso
from .identity import Identity, IdentityError, signing_public_key, unb64

NODE, TIME, NONCE, SIGNATURE = ("X-Crossroads-Node", "X-Crossroads-Time", "X-Crossroads-Nonce",
                                "X-Crossroads-Signature")


def _message(method: str, path: str, moment: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, moment, nonce, hashlib.sha256(body).hexdigest()]).encode()


def sign(identity: Identity, method: str, path: str, body: bytes) -> dict:
    moment, nonce = now_iso(), secrets.token_hex(16)
    return {NODE: identity.node, TIME: moment, NONCE: nonce,
            SIGNATURE: identity.sign(_message(method, path, moment, nonce, body))}


def verify(headers, method: str, path: str, body: bytes, signing_key: str) -> tuple[str, str]:
    """(time, nonce) of a request whose signature holds; the caller checks both for replay."""
    try:
        moment, nonce, signature = headers[TIME], headers[NONCE], headers[SIGNATURE]
    except KeyError:
        raise EnvelopeError("unsigned request") from None
    if not (0 < len(nonce) <= 64) or len(moment) > 40:
        raise EnvelopeError("bad nonce or time")
    try:
        signing_public_key(signing_key).verify(unb64(signature, 64),
                                               _message(method, path, moment, nonce, body))
    except (InvalidSignature, IdentityError):
        raise EnvelopeError("bad request signature") from None
    return moment, nonce
