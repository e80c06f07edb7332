"""Queue the persons whose encoding may have changed, in the transaction that changed them;
once it has committed, refuse the pending formal requests about persons who may no longer be
shared (consent to cross-border sharing withdrawn, a case raised to H3). The registry and the
assistance app know nothing of the exchange: it listens to their saves.

Selectors the same way (`SelectorQueue`): networks announces the entities whose selectors it
wrote once they have committed (`networks.signals.selectors_written`, its own signal: it may not
import the exchange); a deleted selector (an entity's or a case's deletion cascades to it), a
case saved (its handling code) and anything that changes a person's eligibility queue the
selectors concerned in the transaction that made the change."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from crossroads.assistance.models import Consent
from crossroads.linkage.models import PersonMerge
from crossroads.networks.models import Selector
from crossroads.networks.signals import selectors_written
from crossroads.registry.choices import RESTRICTED_HANDLING
from crossroads.registry.models import Case, Involvement, Person

from .models import SelectorQueue, SyncQueue
from .selectors import SHARED_KINDS
from .services import refuse_unanswerable

log = logging.getLogger(__name__)


def _queue(person_ids) -> None:
    if not settings.CROSSROADS_HUB_URL:
        return  # this node does not take part in the exchange
    ids = sorted(set(person_ids))
    # An entry already queued gets a fresh version (and keeps its row): a sync that read the
    # old version leaves it for its next round (services.sharing.sync).
    SyncQueue.objects.bulk_create([SyncQueue(person_id=i) for i in ids],
                                  update_conflicts=True, unique_fields=["person_id"],
                                  update_fields=["version", "queued_at"])
    # The selectors of their entities follow the person's eligibility (a victim's consent).
    _queue_selectors(_selectors(entity__person_id__in=ids))


def _selectors(**lookup) -> set[tuple[str, str]]:
    return set(Selector.objects.filter(kind__in=SHARED_KINDS, **lookup)
               .values_list("kind", "digest"))


def _queue_selectors(pairs) -> None:
    """Queue selectors by (kind, node digest), with a fresh version (as `_queue`)."""
    if not settings.CROSSROADS_HUB_URL:
        return
    SelectorQueue.objects.bulk_create(
        [SelectorQueue(kind=kind, digest=digest) for kind, digest in sorted(set(pairs))
         if kind in SHARED_KINDS],
        update_conflicts=True, unique_fields=["kind", "digest"], update_fields=["version", "queued_at"])


def _refuse_requests_after_commit(person_ids, selectors=()) -> None:
    ids, pairs = set(person_ids), set(selectors)

    def refuse():
        refused = refuse_unanswerable(ids, selectors=pairs)
        if refused:
            log.info("refused %d pending request(s): no longer shared", refused)

    # robust: a failure here (logged) never undoes the withdrawal; the worker's round and the
    # check before an answer leaves catch what is left.
    transaction.on_commit(refuse, robust=True)


def _person_saved(sender, instance, **kwargs):
    _queue([instance.pk])


def _involvement_saved(sender, instance, **kwargs):
    _queue([instance.person_id])
    if instance.case.handling_code in RESTRICTED_HANDLING:  # added to a restricted case
        _refuse_requests_after_commit([instance.person_id])


def _case_saved(sender, instance, created, **kwargs):
    if not created:  # a handling code may have changed
        persons = list(Involvement.objects.filter(case=instance).values_list("person_id", flat=True))
        _queue(persons)
        selectors = _selectors(entity__case=instance) if settings.CROSSROADS_HUB_URL else set()
        _queue_selectors(selectors)
        if instance.handling_code in RESTRICTED_HANDLING:
            _refuse_requests_after_commit(persons, selectors)


def _consent_saved(sender, instance, **kwargs):
    if instance.purpose == "cross_border":  # given or withdrawn: encode or withdraw the person
        _queue([instance.person_id])
        if not instance.granted:
            _refuse_requests_after_commit([instance.person_id])


def _merge_saved(sender, instance, **kwargs):
    """A merge (or its undoing): the merged record is withdrawn (or may be encoded again), and
    the survivor's consent now includes (or no longer includes) the merged record's answers."""
    _queue([instance.survivor_id, instance.merged_id])


def _selectors_written(sender, entity_ids, **kwargs):
    """After networks committed entities with selectors (imports, the entity form, call records)."""
    if settings.CROSSROADS_HUB_URL:
        ids = list(entity_ids)
        for start in range(0, len(ids), 1000):  # within every database's limit of parameters
            _queue_selectors(_selectors(entity_id__in=ids[start:start + 1000]))


def _selector_deleted(sender, instance, **kwargs):
    """A selector gone (its entity or case deleted): withdrawn at the hub unless another
    eligible entity holds it."""
    _queue_selectors([(instance.kind, instance.digest)])


def connect() -> None:
    post_save.connect(_person_saved, sender=Person, dispatch_uid="exchange-person")
    post_save.connect(_involvement_saved, sender=Involvement, dispatch_uid="exchange-involvement")
    post_save.connect(_case_saved, sender=Case, dispatch_uid="exchange-case")
    post_save.connect(_consent_saved, sender=Consent, dispatch_uid="exchange-consent")
    post_save.connect(_merge_saved, sender=PersonMerge, dispatch_uid="exchange-merge")
    selectors_written.connect(_selectors_written, dispatch_uid="exchange-selectors")
    post_delete.connect(_selector_deleted, sender=Selector, dispatch_uid="exchange-selector-deleted")
