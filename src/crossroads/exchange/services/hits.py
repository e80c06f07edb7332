"""Hit notifications from the hub (the `hit` inbox handler): a shared person of this node
probably is a person of another jurisdiction, or (with `selector`: its kind) a selector of this
node is also known to another node. The notification holds the two references, the score (1 for
a selector: equal keyed hashes) and a selector's kind, nothing else."""

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .. import transport
from ..envelope import EnvelopeError
from ..identity import HUB_ID
from ..models import Hit, SharedReference, SharedSelector


@transport.handler("hit")
def _received_hit(message, header, body) -> None:
    if message.sender != HUB_ID:
        raise EnvelopeError("hits come from the hub only")
    try:
        reference, remote = str(body["reference"]), str(body["remote_reference"])[:32]
        remote_node = str(body["remote_node"])[:16]
        remote_jurisdiction = str(body["remote_jurisdiction"])[:2]
        score = float(body["score"])
        kind = str(body["selector"]) if "selector" in body else ""
    except (KeyError, TypeError, ValueError):
        raise EnvelopeError("malformed hit") from None
    if kind:
        shared = SharedSelector.objects.filter(reference=reference, kind=kind).first()
        if shared is None:
            raise EnvelopeError("hit on a selector this node never shared")
        if shared.withdrawn_at is not None:
            raise EnvelopeError("hit on a selector this node no longer shares")
        target = {"selector": shared}
    else:
        shared = SharedReference.objects.filter(reference=reference).first()
        if shared is None:
            raise EnvelopeError("hit on a reference this node never shared")
        target = {"reference": shared}
    hit, created = Hit.objects.get_or_create(**target, remote_reference=remote, defaults={
        "remote_node": remote_node, "remote_jurisdiction": remote_jurisdiction, "score": score})
    if created:
        record(None, Action.CREATE, hit, jurisdiction=shared.jurisdiction_id, details={
            "exchange": "hit", "message": str(message.message_id), "reference": reference,
            "remote_reference": remote, "remote_node": remote_node, "score": score,
            **({"selector": kind} if kind else {})})
