"""Keeping the hub's keyed hashes of this node's selectors current (part of `sync`).

Entities written, selectors and entities deleted, a case's handling code, a holder's consent
queue the selectors they touch (`SelectorQueue`, by kind and the node's digest; `signals`).
The sync reads each queued selector's eligible holders (`eligibility.selector_holders`) in each
of the node's jurisdictions: with one at least, it sends `selector.put` {reference, kind, hash}
when the hash changed (new, or the secret rotated); with none, `selector.withdraw` {reference}.
The reference is random, one per selector and jurisdiction, and stays on this node
(`SharedSelector`); the hub never learns the value, the entity, the case or how many hold it.
"""

from django.db import transaction
from django.utils import timezone

from crossroads.networks.models import Entity, Selector
from crossroads.networks.proxies import selector_values

from .. import transport
from ..eligibility import shareable_entities
from ..models import SelectorQueue, SharedSelector
from ..selectors import SHARED_KINDS, keyed_hash, pairs_q

BATCH = 500


def sync_selectors(jurisdictions: list[str], secret: bytes, result, full: bool = False) -> None:
    """Put or withdraw the queued selectors (every selector of the node's cases, and every one
    shared, with `full`); counts into `result` (a `SyncResult`)."""
    # Read before the selectors: an entry is deleted only at the version read here (as SyncQueue).
    queued = {(kind, digest): version
              for kind, digest, version in SelectorQueue.objects.values_list("kind", "digest", "version")}
    keys = set(queued)
    if full:
        keys |= set(Selector.objects.filter(entity__case__jurisdiction_id__in=jurisdictions,
                                            kind__in=SHARED_KINDS).values_list("kind", "digest"))
        keys |= set(SharedSelector.objects.filter(withdrawn_at__isnull=True,
                                                  jurisdiction_id__in=jurisdictions)
                    .values_list("kind", "digest"))
    keys = sorted(keys)
    for start in range(0, len(keys), BATCH):
        chunk = keys[start:start + BATCH]
        with transaction.atomic():
            values = _eligible_values(jurisdictions, chunk)
            shared = {(s.jurisdiction_id, s.kind, s.digest): s
                      for s in SharedSelector.objects.filter(pairs_q(chunk),
                                                             jurisdiction_id__in=jurisdictions)}
            for kind, digest in chunk:
                for jurisdiction in jurisdictions:
                    key = (jurisdiction, kind, digest)
                    if key in values:
                        _put(key, shared.get(key), keyed_hash(secret, kind, values[key]), result)
                    elif key in shared:
                        _withdraw(shared[key], result)
            done = [(kind, digest) for kind, digest in chunk if (kind, digest) in queued]
            if done:
                versions = [queued[pair] for pair in done]
                SelectorQueue.objects.filter(pairs_q(done), version__in=versions).delete()


def _eligible_values(jurisdictions: list[str], chunk) -> dict[tuple[str, str, str], str]:
    """(jurisdiction, kind, digest) → the normalised value, for the selectors of the chunk that
    an eligible entity holds (read from the first such entity's properties)."""
    wanted = set(chunk)
    holders = (Selector.objects.filter(pairs_q(chunk), kind__in=SHARED_KINDS,
                                       entity__in=shareable_entities(jurisdictions))
               .values_list("entity_id", flat=True).distinct())
    found: dict[tuple[str, str, str], str] = {}
    for entity in Entity.objects.filter(pk__in=list(holders)).select_related("case").order_by("pk"):
        for kind, value, digest in selector_values(entity.schema, entity.properties):
            if (kind, digest) in wanted:
                found.setdefault((entity.case.jurisdiction_id, kind, digest), value)
    return found


def _put(key, shared: SharedSelector | None, hashed: str, result) -> None:
    jurisdiction, kind, digest = key
    if shared is None:
        shared = SharedSelector.objects.create(jurisdiction_id=jurisdiction, kind=kind, digest=digest)
    if shared.hashed == hashed and shared.withdrawn_at is None:
        result.selectors_unchanged += 1
        return
    transport.send_to_hub("selector.put", {"reference": shared.reference, "kind": kind,
                                           "hash": hashed})
    SharedSelector.objects.filter(pk=shared.pk).update(hashed=hashed, shared_at=timezone.now(),
                                                       withdrawn_at=None)
    result.selectors_sent += 1


def _withdraw(shared: SharedSelector, result) -> None:
    if shared.withdrawn_at is not None:
        return
    transport.send_to_hub("selector.withdraw", {"reference": shared.reference})
    SharedSelector.objects.filter(pk=shared.pk).update(withdrawn_at=timezone.now(), hashed="")
    result.selectors_withdrawn += 1
