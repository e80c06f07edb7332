"""Peers' keys pinned on first use: the hub's signed directory introduces a peer once; a key
it lists later in place of a pinned one is held as pending until an administrator of this node
has compared its fingerprint with the peer's administrator (telephone, signed letter) and
confirms it (`crossroads exchange confirm-peer CODE --fingerprint ...`). Until then messages
are still sealed to the pinned keys (a peer keeps its earlier pairs, so they still open), and
envelopes signed with the pending keys are held, not processed, then taken into the inbox on
confirmation (`services.confirm_peer`, then `transport.take_held`: the transport imports this
module, never the other way round). A compromised hub can thus no longer read requests by
listing a key of its own.

A peer that leaves the directory stays pinned, unlisted: coming back with other keys does not
count as a first use.
"""

import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .envelope import EnvelopeError, Peer, verify
from .identity import HUB_ID, fingerprint
from .models import HeldEnvelope, PeerNode

log = logging.getLogger(__name__)


class PinningError(Exception):
    """A confirmation that does not match what is pending."""


def _keys(entry: dict) -> tuple[str, str, str]:
    return entry["signing_key"], entry["encryption_key"], entry["key_id"]


def _audit(action: str, code: str, details: dict) -> None:
    record(None, action, object_type="exchange.peernode", object_id=code, details=details)


def pin_directory(nodes: dict) -> None:
    """Take a verified directory (code -> entry): pin new peers, keep pinned keys, hold changed
    ones as pending, mark absent peers unlisted."""
    now = timezone.now()
    with transaction.atomic():
        PeerNode.objects.exclude(code__in=list(nodes)).update(listed=False)
        for code, entry in nodes.items():
            signing, encryption, key_id = _keys(entry)
            known = PeerNode.objects.select_for_update().filter(code=code).first()
            if known is None:
                PeerNode.objects.create(code=code, jurisdictions=entry["jurisdictions"],
                                        signing_key=signing, encryption_key=encryption,
                                        key_id=key_id, fetched_at=now, pinned_at=now)
                _audit(Action.CREATE, code, {"pinned": fingerprint(signing, encryption)})
                continue
            known.jurisdictions, known.fetched_at, known.listed = entry["jurisdictions"], now, True
            pending = (known.pending_signing_key, known.pending_encryption_key,
                       known.pending_key_id)
            if (signing, encryption, key_id) == (known.signing_key, known.encryption_key,
                                                 known.key_id):
                known.pending_signing_key = known.pending_encryption_key = ""
                known.pending_key_id, known.pending_since = "", None
            elif (signing, encryption, key_id) != pending:
                (known.pending_signing_key, known.pending_encryption_key,
                 known.pending_key_id, known.pending_since) = signing, encryption, key_id, now
                _audit(Action.UPDATE, code, {
                    "pending": fingerprint(signing, encryption),
                    "pinned": fingerprint(known.signing_key, known.encryption_key)})
                log.warning("the hub lists new keys for %s: held until confirmed", code)
            known.save()


def pinned_node(code: str) -> PeerNode:
    """The pinned peer node `code`, for a party of a formal request: never the hub, never this
    node itself, never a code the verified directory has not introduced."""
    found = None if code in (HUB_ID, settings.CROSSROADS_NODE_ID) else \
        PeerNode.objects.filter(code=code, listed=True).first()
    if found is None:
        raise EnvelopeError(f"{code} is not a pinned peer node")
    return found


def pending_fingerprint(peer: PeerNode) -> str:
    return fingerprint(peer.pending_signing_key, peer.pending_encryption_key) \
        if peer.pending_since else ""


def hold(envelope: dict, sender: str) -> bool:
    """Keep an envelope that verifies only with the sender's pending keys; False if it does not
    verify with those either (or nothing is pending)."""
    peer = PeerNode.objects.filter(code=sender).exclude(pending_since=None).first()
    if peer is None:
        return False
    try:
        header = verify(envelope, Peer(peer.code, peer.pending_signing_key,
                                       peer.pending_encryption_key, peer.pending_key_id))
    except EnvelopeError:
        return False
    HeldEnvelope.objects.get_or_create(message_id=header["id"], defaults={
        "sender": sender, "envelope": json.dumps(envelope)})
    log.warning("held a message from %s signed with keys not confirmed yet", sender)
    return True


def _normalised(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def confirm(code: str, confirmed_fingerprint: str) -> None:
    """Make a peer's pending keys its pinned keys, once the fingerprint read out by the peer's
    administrator matches them. The envelopes held meanwhile stay held: the caller takes them
    into the inbox (`services.nodes.confirm_peer`, by `transport.take_held`)."""
    with transaction.atomic():
        peer = PeerNode.objects.select_for_update().filter(code=code).first()
        if peer is None or not peer.pending_since:
            raise PinningError(f"no key change of {code} is waiting for confirmation")
        expected = pending_fingerprint(peer)
        if _normalised(confirmed_fingerprint) != _normalised(expected):
            raise PinningError(f"the fingerprint does not match the keys the hub lists for "
                               f"{code}; nothing was changed")
        before = fingerprint(peer.signing_key, peer.encryption_key)
        peer.signing_key, peer.encryption_key, peer.key_id = (
            peer.pending_signing_key, peer.pending_encryption_key, peer.pending_key_id)
        peer.pending_signing_key = peer.pending_encryption_key = peer.pending_key_id = ""
        peer.pending_since, peer.pinned_at = None, timezone.now()
        peer.save()
        _audit(Action.UPDATE, code, {"confirmed": expected, "replaced": before})
