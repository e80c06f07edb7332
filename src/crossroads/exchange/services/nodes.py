"""The registry of nodes and the pinned peers: the administrators' acts, each audited. On the
hub, `register_node` / `deactivate_node` keep the registry that the signed directory lists; on a
node, `confirm_peer` accepts the new keys the hub lists for a pinned peer once its fingerprint
matches, and takes the messages held meanwhile into the inbox."""

import re

from django.db import transaction

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .. import identity, pinning, transport
from ..hub import HubRefusal
from ..identity import HUB_ID, IdentityError
from ..models import HubNode

NODE_CODE = re.compile(r"[A-Z][A-Z0-9-]{1,15}")


def register_node(code: str, *, jurisdictions: list[str], signing_key: str, encryption_key: str,
                  key_id: str = "", url: str = "") -> HubNode:
    """Add or update a node in the registry (the administrator's act; audited)."""
    if code == HUB_ID or not NODE_CODE.fullmatch(code or ""):
        raise HubRefusal(f"node code {code!r}: 2-16 capital letters, digits or '-'")
    if not jurisdictions or any(not re.fullmatch(r"[A-Z]{2}", j) for j in jurisdictions):
        raise HubRefusal("jurisdictions: two-letter codes, at least one")
    taken = [j for node in HubNode.objects.exclude(code=code) for j in node.jurisdictions
             if j in jurisdictions]
    if taken:
        raise HubRefusal(f"jurisdictions {', '.join(taken)} belong to another node")
    try:
        identity.signing_public_key(signing_key)
        identity.encryption_public_key(encryption_key)
    except (IdentityError, ValueError):
        raise HubRefusal("signing and encryption keys: 32 bytes each, base64") from None
    with transaction.atomic():
        node, created = HubNode.objects.update_or_create(code=code, defaults={
            "jurisdictions": sorted(set(jurisdictions)), "signing_key": signing_key,
            "encryption_key": encryption_key, "key_id": key_id or "k1", "url": url,
            "active": True})
        record(None, Action.CREATE if created else Action.UPDATE, object_type="exchange.hubnode",
               object_id=code, details={"fingerprint": identity.fingerprint(signing_key,
                                                                            encryption_key),
                                        "jurisdictions": node.jurisdictions})
    return node


def deactivate_node(code: str) -> None:
    with transaction.atomic():
        if not HubNode.objects.filter(code=code).update(active=False):
            raise HubRefusal(f"no node {code}", status=404)
        record(None, Action.UPDATE, object_type="exchange.hubnode", object_id=code,
               details={"active": False})


def confirm_peer(code: str, confirmed_fingerprint: str) -> int:
    """Make a peer's pending keys its pinned keys once `confirmed_fingerprint` (as the peer's
    administrator reads it out) matches them (`pinning.PinningError` otherwise), then take the
    envelopes held meanwhile into the inbox. Returns how many were taken."""
    pinning.confirm(code, confirmed_fingerprint)
    return transport.take_held(code)
