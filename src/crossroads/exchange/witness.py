"""The hub as witness of this node's audit chain: send the signed head, check it back.

A head is (count of entries, id and hash of the last entry). Once the hub holds a signed head,
a node that rewrites or truncates its history no longer matches it: `check` finds, for every
head the hub holds, the local entry of that id with that hash and that many entries up to it.
The heads come back signed by this node, so the hub cannot forge one either.

Each head but the first also says what the chain holds *now* at the entry of the last head the
hub holds (`prior`): the hub itself then sees a rewrite, a go-back or a silence as the head
arrives (`hub_witness`), and tells the hub operator and this node's oversight.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from crossroads.audit.models import AuditEntry, ChainHead
from crossroads.audit.services import verify_chain

from . import identity, transport
from .envelope import EnvelopeError, Peer, verify
from .identity import HUB_ID, IdentityError
from .models import OutboxMessage

ABSENT = "0" * 64  # the hash a head names for an entry the chain no longer holds


def current_head() -> dict:
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        return {"count": 0, "last_id": 0, "last_hash": ABSENT}
    return {"count": AuditEntry.objects.filter(id__lte=head.last_id).count(),
            "last_id": head.last_id, "last_hash": head.last_hash}


def prior(last_id: int) -> dict:
    """What the chain holds now at entry `last_id`: its hash and the count of entries up to
    it. The hub compares them with the head it holds there (a fork when they differ)."""
    found = AuditEntry.objects.filter(id=last_id).values_list("hash", flat=True).first()
    return {"last_id": last_id, "hash": found or ABSENT,
            "count": AuditEntry.objects.filter(id__lte=last_id).count()}


def _last_queued() -> int | None:
    """The entry id of the last head this node queued (the local record, when the hub cannot
    be asked which head it holds)."""
    last = (OutboxMessage.objects.filter(recipient=HUB_ID, kind="witness.head")
            .order_by("-id").values_list("envelope", flat=True).first())
    if last is None:
        return None
    return json.loads(last)["body"]["last_id"]


def send_head():
    """Queue the signed head with the proof that it extends the last head the hub holds (asked
    of the hub; offline, the last head queued here). Once the hub answered, heads still waiting
    in the outbox are superseded by this one and dropped."""
    try:
        held = transport.call_hub("witness", {}).get("reference")
        OutboxMessage.objects.filter(recipient=HUB_ID, kind="witness.head",
                                     sent_at__isnull=True).delete()
    except transport.TransportError:
        held = _last_queued()
    body = current_head()
    if isinstance(held, int) and not isinstance(held, bool):
        body["prior"] = prior(held)
    return transport.send_to_hub("witness.head", body)


@dataclass
class WitnessReport:
    heads: int = 0
    chain_ok: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain_ok and not self.problems


def _signed_by_me(envelope: dict) -> dict:
    own = identity.load()
    for pair in own.pairs.values():
        try:
            return verify(envelope, Peer(own.node, pair.signing_public, pair.encryption_public))
        except EnvelopeError:
            continue
    raise EnvelopeError("a head the hub holds was not signed by this node")


def check(heads: list[dict] | None = None, *, chain: bool = True) -> WitnessReport:
    """Compare the local chain with the heads the hub holds (fetched unless given); with
    `chain`, verify the local chain first."""
    if heads is None:
        heads = transport.call_hub("witness", {}).get("heads", [])
    report = WitnessReport(heads=len(heads))
    walked = verify_chain() if chain else None
    if walked is not None and not walked.ok:
        report.chain_ok = False
        report.problems.append(f"local chain broken at entry {walked.broken_id}: {walked.reason}")
    for envelope in heads:
        try:
            _signed_by_me(envelope)
            body = envelope["body"]
            last_id, last_hash, count = int(body["last_id"]), body["last_hash"], int(body["count"])
        except (EnvelopeError, KeyError, TypeError, ValueError) as error:
            report.problems.append(f"unverifiable head at the hub: {error}")
            continue
        if last_id == 0:
            continue
        entry = AuditEntry.objects.filter(id=last_id).values_list("hash", flat=True).first()
        if entry != last_hash:
            report.problems.append(f"entry {last_id} differs from the head the hub holds")
        elif AuditEntry.objects.filter(id__lte=last_id).count() != count:
            report.problems.append(f"entries up to {last_id} were removed or added")
    return report


def against_witness() -> tuple[int, list[str]]:
    """For `crossroads audit verify --against-witness` (which walks the chain itself): how many
    heads the hub holds and every way the local chain differs from them."""
    try:
        report = check(chain=False)
    except (transport.TransportError, EnvelopeError, IdentityError,
            ImproperlyConfigured) as error:
        return 0, [f"the witness could not be asked: {error}"]
    return report.heads, report.problems
