"""The hub: signed directory of the registered nodes (the registry: `services.nodes`),
store-and-forward mailbox, encodings and selectors with their hit/no-hit comparison, witness of
the nodes' audit chains, published aggregates.

The hub holds no identity in clear and no key that opens a body between nodes: it verifies
signatures, stores and forwards. Every function here runs in hub mode only.
"""

import datetime
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import identity, signed_requests
from .envelope import EnvelopeError, Peer, build, canonical, check_age, now_iso, verify
from .identity import HUB_ID
from .models import (
    HubBlockingKey,
    HubEncoding,
    HubHit,
    HubMessage,
    HubNode,
    HubNonce,
    HubPublication,
    HubSelector,
    HubSelectorHit,
    HubWitnessHead,
)
from .selectors import HASH, SHARED_KINDS

REQUEST_WINDOW = datetime.timedelta(minutes=5)
# An envelope waits in a node's outbox while the hub is down: accept it for a week.
ENVELOPE_MAX_AGE = datetime.timedelta(days=7)
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAILBOX_BATCH = 100


class HubRefusal(Exception):
    """The hub refuses the call; `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def directory() -> dict:
    """Every active node's public keys, signed by the hub (nodes check it with the hub's key)."""
    own = identity.load()
    listing = {"issued": now_iso(), "hub": own.public(), "nodes": {
        node.code: {"jurisdictions": node.jurisdictions, "signing_key": node.signing_key,
                    "encryption_key": node.encryption_key, "key_id": node.key_id,
                    "fingerprint": identity.fingerprint(node.signing_key, node.encryption_key)}
        for node in HubNode.objects.filter(active=True)}}
    return {"directory": listing, "sig": own.sign(canonical(listing))}


def _peer(node: HubNode) -> Peer:
    return Peer(node.code, node.signing_key, node.encryption_key, node.key_id)


def authenticate(headers, method: str, path: str, body: bytes) -> HubNode:
    """The registered node that signed this request; refuses replays and stale times."""
    code = headers.get(signed_requests.NODE, "")
    node = HubNode.objects.filter(code=code, active=True).first()
    if node is None:
        raise HubRefusal("unknown node", status=401)
    try:
        moment, nonce = signed_requests.verify(headers, method, path, body, node.signing_key)
        check_age({"ts": moment}, REQUEST_WINDOW, CLOCK_SKEW)
    except EnvelopeError as error:
        raise HubRefusal(str(error), status=401) from None
    try:
        with transaction.atomic():
            HubNonce.objects.create(node=code, nonce=nonce)
    except IntegrityError:
        raise HubRefusal("replayed request", status=401) from None
    HubNonce.objects.filter(seen_at__lt=timezone.now() - 2 * REQUEST_WINDOW).delete()
    return node


def receive(node: HubNode, envelope) -> str:
    """Take one envelope from `node`: 'stored' (for a node's mailbox), 'done' (for the hub),
    or 'duplicate' (already received: nothing happens twice)."""
    try:
        header = verify(envelope, _peer(node))
        check_age(header, ENVELOPE_MAX_AGE, CLOCK_SKEW)
    except EnvelopeError as error:
        raise HubRefusal(str(error)) from None
    if HubMessage.objects.filter(message_id=header["id"]).exists():
        return "duplicate"
    recipient = header["recipient"]
    with transaction.atomic():
        if recipient == HUB_ID:
            apply = HUB_KINDS.get(header["kind"])
            if apply is None:
                raise HubRefusal(f"unknown kind {header['kind']!r} for the hub")
            apply(node, header, envelope)
            stored = {"header": header}  # the body was for the hub: it is applied, not kept
            outcome = "done"
        else:
            if "sealed" not in envelope["body"]:
                raise HubRefusal("a body between nodes must be sealed")
            if not HubNode.objects.filter(code=recipient, active=True).exists():
                raise HubRefusal(f"unknown recipient {recipient}")
            stored, outcome = envelope, "stored"
        try:
            with transaction.atomic():
                HubMessage.objects.create(
                    message_id=header["id"], sender=node.code, recipient=recipient,
                    kind=header["kind"], envelope=canonical(stored).decode(),
                    delivered_at=timezone.now() if recipient == HUB_ID else None)
        except IntegrityError:
            # The same envelope arrived twice at once: the other request stored it.
            transaction.set_rollback(True)
            return "duplicate"
    return outcome


def mailbox(node: HubNode, limit: int = MAILBOX_BATCH) -> list[dict]:
    rows = HubMessage.objects.filter(recipient=node.code, delivered_at__isnull=True)[:limit]
    return [json.loads(row.envelope) for row in rows]


def ack(node: HubNode, message_ids: list[str]) -> int:
    """The node holds these messages safely: forget their bodies, keep the ids (a resend of
    one is still recognised as a duplicate)."""
    return HubMessage.objects.filter(recipient=node.code, message_id__in=message_ids,
                                     delivered_at__isnull=True).update(
        delivered_at=timezone.now(), envelope="")


def post(recipient: str, kind: str, body: dict) -> None:
    """An envelope from the hub itself into a node's mailbox."""
    envelope = build(identity.load(), recipient=recipient, kind=kind, body=body)
    HubMessage.objects.create(message_id=envelope["header"]["id"], sender=HUB_ID,
                              recipient=recipient, kind=kind,
                              envelope=canonical(envelope).decode())


# ---- what nodes send to the hub ---------------------------------------------------------

def _owned(model, node: HubNode, reference):
    found = model.objects.filter(reference=reference).first()
    if found is not None and found.node != node.code:
        raise HubRefusal("reference belongs to another node")
    return found


def _check_reference(reference) -> str:
    if not isinstance(reference, str) or not re.fullmatch(r"[0-9a-f]{32}", reference):
        raise HubRefusal("reference: 32 hexadecimal digits")
    return reference


def _put_encoding(node: HubNode, header: dict, envelope: dict) -> None:
    from . import matching

    body = envelope["body"]
    reference, jurisdiction = _check_reference(body.get("reference")), body.get("jurisdiction")
    if jurisdiction not in node.jurisdictions:
        raise HubRefusal("jurisdiction not served by this node")
    try:
        stored_form, keys = matching.hub_record(body.get("encoding"))
    except matching.BadEncoding as error:
        raise HubRefusal(f"encoding: {error}") from None
    existing = _owned(HubEncoding, node, reference)
    if existing is None:
        existing = HubEncoding.objects.create(reference=reference, node=node.code,
                                              jurisdiction=jurisdiction, encoding=stored_form)
    else:
        HubEncoding.objects.filter(pk=existing.pk).update(
            encoding=stored_form, jurisdiction=jurisdiction, updated_at=timezone.now())
        existing.encoding = stored_form
        existing.blocking_keys.all().delete()
    HubBlockingKey.objects.bulk_create([HubBlockingKey(encoding=existing, key=k) for k in keys])
    _compare(existing, keys)


def _compare(new: HubEncoding, keys: list[str]) -> None:
    """Score the new encoding against other jurisdictions' encodings sharing a blocking key;
    notify both nodes of each new hit (reference pair and score, nothing else)."""
    from . import matching

    candidate_ids = (HubBlockingKey.objects.filter(key__in=keys)
                     .exclude(encoding__jurisdiction=new.jurisdiction)
                     .values_list("encoding_id", flat=True).distinct())
    candidates = list(HubEncoding.objects.filter(pk__in=list(candidate_ids)))
    for other, score in matching.hub_matches(new.encoding, [(c, c.encoding) for c in candidates]):
        left, right = sorted([new, other], key=lambda e: e.pk)
        _hit, created = HubHit.objects.get_or_create(left=left, right=right,
                                                     defaults={"score": score})
        if not created:
            continue
        for mine, theirs in ((left, right), (right, left)):
            post(mine.node, "hit", {"reference": mine.reference, "remote_reference": theirs.reference,
                                    "remote_node": theirs.node,
                                    "remote_jurisdiction": theirs.jurisdiction,
                                    "score": round(score, 4)})


def _withdraw_encoding(node: HubNode, header: dict, envelope: dict) -> None:
    found = _owned(HubEncoding, node, envelope["body"].get("reference"))
    if found is not None:
        found.delete()


SELECTOR_FIELDS = {"reference", "kind", "hash"}


def _put_selector(node: HubNode, header: dict, envelope: dict) -> None:
    """A node's keyed hash of one selector: kept with its kind, the node and the reference,
    and compared at once with the other nodes' hashes of the same kind."""
    body = envelope["body"]
    if not isinstance(body, dict) or set(body) != SELECTOR_FIELDS:
        raise HubRefusal("a selector holds exactly reference, kind and hash")
    reference, kind, digest = _check_reference(body["reference"]), body["kind"], body["hash"]
    if kind not in SHARED_KINDS:
        raise HubRefusal(f"kind: one of {', '.join(SHARED_KINDS)}")
    if not isinstance(digest, str) or not HASH.fullmatch(digest):
        raise HubRefusal("hash: 64 hexadecimal digits")
    existing = _owned(HubSelector, node, reference)
    if existing is None:
        existing = HubSelector.objects.create(reference=reference, node=node.code, kind=kind,
                                              digest=digest)
    else:
        if existing.kind != kind:
            raise HubRefusal("a reference keeps its kind")
        HubSelector.objects.filter(pk=existing.pk).update(digest=digest, updated_at=timezone.now())
        existing.digest = digest
    _compare_selector(existing)


def _served(code: str) -> str:
    """The jurisdiction a node's hit names: the node's first (the hub keeps none per selector)."""
    node = HubNode.objects.filter(code=code).first()
    return node.jurisdictions[0] if node and node.jurisdictions else ""


def _compare_selector(new: HubSelector) -> None:
    """Equal keyed hashes of the same kind from other nodes: a hit, posted once to both nodes
    (the references and the kind, never a value)."""
    others = HubSelector.objects.filter(kind=new.kind, digest=new.digest).exclude(node=new.node)
    for other in others:
        left, right = sorted([new, other], key=lambda s: s.pk)
        _hit, created = HubSelectorHit.objects.get_or_create(left=left, right=right)
        if not created:
            continue
        for mine, theirs in ((left, right), (right, left)):
            post(mine.node, "hit", {"reference": mine.reference, "remote_reference": theirs.reference,
                                    "remote_node": theirs.node,
                                    "remote_jurisdiction": _served(theirs.node),
                                    "score": 1.0, "selector": new.kind})


def _withdraw_selector(node: HubNode, header: dict, envelope: dict) -> None:
    found = _owned(HubSelector, node, envelope["body"].get("reference"))
    if found is not None:
        found.delete()


def _witness_head(node: HubNode, header: dict, envelope: dict) -> None:
    from . import hub_witness

    try:
        hub_witness.take(node, envelope["body"], canonical(envelope).decode())
    except hub_witness.BadHead as error:
        raise HubRefusal(str(error)) from None


def _publication(node: HubNode, header: dict, envelope: dict) -> None:
    body = envelope["body"]
    name = body.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[\w.-]{1,100}", name):
        raise HubRefusal("publication name: letters, digits, '.', '_' or '-'")
    HubPublication.objects.create(node=node.code, name=name, body=body.get("body"),
                                  message_id=header["id"])


HUB_KINDS = {
    "encoding.put": _put_encoding,
    "encoding.withdraw": _withdraw_encoding,
    "selector.put": _put_selector,
    "selector.withdraw": _withdraw_selector,
    "witness.head": _witness_head,
    "publication": _publication,
}


def witness_heads(node: HubNode) -> dict:
    """Every head of the node the hub holds (signed by the node), and the reference one's entry
    id: the entry the node's next head must say its chain still holds."""
    from . import hub_witness

    held = hub_witness.reference(node.code)
    return {"heads": [json.loads(h.envelope) for h in HubWitnessHead.objects.filter(node=node.code)],
            "reference": held.last_id if held is not None else None}


def is_hub() -> bool:
    return settings.CROSSROADS_MODE == "hub"
