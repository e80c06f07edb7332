"""The hub as witness of this node's audit chain: send the signed head, check it back.

A head is (count of entries, id and hash of the last entry). Once the hub holds a signed head,
a node that rewrites or truncates its history no longer matches it: `check` finds, for every
head the hub holds, the local entry of that id with that hash and that many entries up to it.
The heads come back signed by this node, so the hub cannot forge one either.
"""

from dataclasses import dataclass, field

from crossroads.audit.models import AuditEntry, ChainHead
from crossroads.audit.services import verify_chain

from . import identity, transport
from .envelope import EnvelopeError, Peer, verify


def current_head() -> dict:
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        return {"count": 0, "last_id": 0, "last_hash": "0" * 64}
    return {"count": AuditEntry.objects.filter(id__lte=head.last_id).count(),
            "last_id": head.last_id, "last_hash": head.last_hash}


def send_head():
    return transport.send_to_hub("witness.head", current_head())


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


def check(heads: list[dict] | None = None) -> WitnessReport:
    """Compare the local chain with the heads the hub holds (fetched unless given)."""
    if heads is None:
        heads = transport.call_hub("witness", {}).get("heads", [])
    report = WitnessReport(heads=len(heads))
    chain = verify_chain()
    if not chain.ok:
        report.chain_ok = False
        report.problems.append(f"local chain broken at entry {chain.broken_id}: {chain.reason}")
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
