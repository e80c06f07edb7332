"""Keeping the hub's encodings of this node's persons (and, `selector_sharing`, the keyed
hashes of its selectors) current.

Registrations and edits queue the persons they touch (`signals`); `sync()` encodes the queued
ones (or, with `full=True`, every person) and queues `encoding.put` for the eligible ones
whose encoding changed and `encoding.withdraw` for those no longer eligible (a case became
H3, consent withdrawn, merged). The references are random and stay on this node with the
person they stand for (`SharedReference`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crossroads.registry.models import Person

from .. import matching, transport
from ..eligibility import shareable_persons
from ..identity import exchange_secret
from ..models import PeerNode, SharedReference, SyncQueue
from .selector_sharing import sync_selectors

BATCH = 200


@dataclass
class SyncResult:
    sent: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    selectors_sent: int = 0
    selectors_unchanged: int = 0
    selectors_withdrawn: int = 0


def node_jurisdictions() -> list[str]:
    """The jurisdictions this node serves, as the hub's directory lists them."""
    entry = PeerNode.objects.filter(code=settings.CROSSROADS_NODE_ID).first()
    if entry is None:
        transport.refresh_directory()
        entry = PeerNode.objects.filter(code=settings.CROSSROADS_NODE_ID).first()
    if entry is None:
        raise transport.TransportError("this node is not registered at the hub")
    return list(entry.jurisdictions)


def sync(full: bool = False, secret: bytes | None = None) -> SyncResult:
    jurisdictions = node_jurisdictions()
    secret = secret or exchange_secret()
    result = SyncResult()
    # Read before the persons: an entry is deleted only at the version read here, so a change
    # queued after this line (a consent withdrawn mid-round) stays queued for the next round.
    queued = dict(SyncQueue.objects.values_list("person_id", "version"))
    ids = list(queued)
    if full:
        ids += list(Person.objects.filter(jurisdiction_id__in=jurisdictions)
                    .values_list("pk", flat=True))
        ids += list(SharedReference.objects.filter(withdrawn_at__isnull=True,
                                                   jurisdiction_id__in=jurisdictions)
                    .values_list("person_id", flat=True))
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        eligible = set(shareable_persons(jurisdictions).filter(pk__in=chunk).values_list("pk", flat=True))
        with transaction.atomic():
            for person in Person.objects.filter(pk__in=chunk):
                if person.pk in eligible:
                    _put(person, secret, result)
                else:
                    _withdraw(person, result)
            # Versions are fresh UUIDs: the pair (person, version read) is matched exactly.
            SyncQueue.objects.filter(person_id__in=chunk, version__in=[
                queued[i] for i in chunk if i in queued]).delete()
    sync_selectors(jurisdictions, secret, result, full=full)
    return result


def _put(person: Person, secret: bytes, result: SyncResult) -> None:
    encoding = matching.node_encoding(person, secret)
    digest = matching.digest(encoding)
    shared, _ = SharedReference.objects.get_or_create(
        person=person, defaults={"jurisdiction_id": person.jurisdiction_id})
    if shared.digest == digest and shared.withdrawn_at is None:
        result.unchanged += 1
        return
    transport.send_to_hub("encoding.put", {"reference": shared.reference,
                                           "jurisdiction": shared.jurisdiction_id,
                                           "encoding": encoding})
    SharedReference.objects.filter(pk=shared.pk).update(digest=digest, shared_at=timezone.now(),
                                                        withdrawn_at=None)
    result.sent += 1


def _withdraw(person: Person, result: SyncResult) -> None:
    shared = SharedReference.objects.filter(person=person, withdrawn_at__isnull=True).first()
    if shared is None:
        return
    transport.send_to_hub("encoding.withdraw", {"reference": shared.reference})
    SharedReference.objects.filter(pk=shared.pk).update(withdrawn_at=timezone.now(), digest="")
    result.withdrawn += 1
