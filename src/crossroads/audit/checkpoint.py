"""Signed checkpoints of the audit chain, for an operator to keep outside the node.

A checkpoint names the chain's head (sequence number, entry id and MAC) at a moment, signed
with the node's Ed25519 signing key when the node has one (the exchange identity,
`CROSSROADS_NODE_KEY_FILE`), else with an HMAC under the current audit key. Kept elsewhere (an
other machine, paper, the oversight body's mailbox), it turns a truncated or rewritten history
into a named difference: `crossroads audit verify --checkpoint FILE`. Where the node takes part
in the exchange, the hub witnesses the head as well (`exchange witness-send`).
"""

import base64
import datetime
import hashlib
import hmac
import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.utils import timezone

from crossroads.keys import keyring
from crossroads.text import canonical_json as canonical

from .verification import FROM_KEYRING, verify_chain

FORMAT = "crossroads-audit-checkpoint/1"
ED25519, HMAC = "ed25519", "hmac-sha256"


class CheckpointError(Exception):
    pass


def grouped(hexdigest: str) -> str:
    return " ".join(hexdigest[i:i + 4] for i in range(0, 32, 4))


def audit_key_fingerprint(key: bytes) -> str:
    """Names an audit key without revealing it."""
    return grouped(hmac.new(key, b"crossroads audit key fingerprint", hashlib.sha256).hexdigest())


# Where the node's signing identity comes from: the exchange registers it at start-up (the
# audit sits below the exchange and does not import it); without one, checkpoints are MACs.
_identity_provider = None


def set_identity_provider(provider) -> None:
    """`provider()` returns the node's identity (with `pair` and `pairs`) or None."""
    global _identity_provider
    _identity_provider = provider


def node_identity():
    """The node's exchange identity if it has one, else None (no exchange)."""
    return _identity_provider() if _identity_provider is not None else None


def _signed_part(checkpoint: dict) -> bytes:
    signature = {k: v for k, v in checkpoint["signature"].items() if k != "value"}
    return canonical({**checkpoint, "signature": signature})


def take(node: str = "") -> dict:
    """A signed checkpoint of the chain as it verifies now; refused on a broken chain."""
    result = verify_chain()
    if not result.ok:
        raise CheckpointError(f"the audit chain is broken at entry {result.broken_id} "
                              f"({result.reason}); a checkpoint would vouch for it")
    checkpoint = {"format": FORMAT, "node": node, "seq": result.last_seq,
                  "last_id": result.last_id, "head": result.last_hash,
                  "at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")}
    own = node_identity()
    if own is not None:
        pair = own.pair
        checkpoint["signature"] = {"scheme": ED25519, "key_id": pair.kid,
                                   "fingerprint": pair.fingerprint}
        value = base64.b64encode(pair.signing.sign(_signed_part(checkpoint))).decode()
    else:
        audit = keyring.load().audit
        if audit is None:
            raise CheckpointError("the keyring has no audit key yet: the first audit entry makes it")
        key = audit.keys[audit.current]
        checkpoint["signature"] = {"scheme": HMAC, "key_id": audit.current,
                                   "fingerprint": audit_key_fingerprint(key)}
        value = hmac.new(key, _signed_part(checkpoint), hashlib.sha256).hexdigest()
    checkpoint["signature"]["value"] = value
    return checkpoint


def _check_shape(checkpoint) -> None:
    try:
        ok = (checkpoint["format"] == FORMAT and isinstance(checkpoint["seq"], int)
              and isinstance(checkpoint["last_id"], int) and checkpoint["seq"] >= 0
              and isinstance(checkpoint["head"], str) and len(checkpoint["head"]) == 64
              and isinstance(checkpoint["at"], str)
              and checkpoint["signature"]["scheme"] in (ED25519, HMAC)
              and isinstance(checkpoint["signature"]["value"], str)
              and isinstance(checkpoint["signature"]["key_id"], str))
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise CheckpointError(f"not a {FORMAT} file")


def check_signature(checkpoint: dict, keys=FROM_KEYRING) -> None:
    """Raise unless this node (its node key, or its audit key) signed the checkpoint."""
    signature = checkpoint["signature"]
    if signature["scheme"] == ED25519:
        own = node_identity()
        pair = own.pairs.get(signature["key_id"]) if own is not None else None
        if pair is None:
            raise CheckpointError(f"signed by node key {signature['key_id']} "
                                  f"({signature.get('fingerprint')}), which this node's key file "
                                  "does not hold")
        try:
            pair.signing.public_key().verify(base64.b64decode(signature["value"]),
                                             _signed_part(checkpoint))
        except (InvalidSignature, ValueError):
            raise CheckpointError("its signature does not verify: altered, or not this node's") from None
        return
    audit = keyring.load().audit if keys is FROM_KEYRING else keys
    key = audit.keys.get(signature["key_id"]) if audit is not None else None
    if key is None:
        raise CheckpointError(f"signed with audit key {signature['key_id']}, which the keyring "
                              "does not hold")
    expected = hmac.new(key, _signed_part(checkpoint), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature["value"]):
        raise CheckpointError("its MAC does not verify: altered, or not made with this keyring")


def load(path: Path, keys=FROM_KEYRING) -> dict:
    """Read a checkpoint file and check its signature; raises CheckpointError."""
    try:
        checkpoint = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise CheckpointError(f"cannot read it: {error}") from None
    _check_shape(checkpoint)
    check_signature(checkpoint, keys)
    return checkpoint
