"""Queue the persons whose encoding may have changed, in the transaction that changed them;
once it has committed, refuse the pending formal requests about persons who may no longer be
shared (consent to cross-border sharing withdrawn, a case raised to H3). The registry and the
assistance app know nothing of the exchange: it listens to their saves."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from crossroads.assistance.models import Consent
from crossroads.linkage.models import PersonMerge
from crossroads.registry.choices import RESTRICTED_HANDLING
from crossroads.registry.models import Case, Involvement, Person

from .models import SyncQueue
from .services import refuse_unanswerable

log = logging.getLogger(__name__)


def _queue(person_ids) -> None:
    if not settings.CROSSROADS_HUB_URL:
        return  # this node does not take part in the exchange
    # An entry already queued gets a fresh version (and keeps its row): a sync that read the
    # old version leaves it for its next round (services.sharing.sync).
    SyncQueue.objects.bulk_create([SyncQueue(person_id=i) for i in sorted(set(person_ids))],
                                  update_conflicts=True, unique_fields=["person_id"],
                                  update_fields=["version", "queued_at"])


def _refuse_requests_after_commit(person_ids) -> None:
    ids = set(person_ids)

    def refuse():
        refused = refuse_unanswerable(ids)
        if refused:
            log.info("refused %d pending request(s): the person may no longer be shared", refused)

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
        if instance.handling_code in RESTRICTED_HANDLING:
            _refuse_requests_after_commit(persons)


def _consent_saved(sender, instance, **kwargs):
    if instance.purpose == "cross_border":  # given or withdrawn: encode or withdraw the person
        _queue([instance.person_id])
        if not instance.granted:
            _refuse_requests_after_commit([instance.person_id])


def _merge_saved(sender, instance, **kwargs):
    """A merge (or its undoing): the merged record is withdrawn (or may be encoded again), and
    the survivor's consent now includes (or no longer includes) the merged record's answers."""
    _queue([instance.survivor_id, instance.merged_id])


def connect() -> None:
    post_save.connect(_person_saved, sender=Person, dispatch_uid="exchange-person")
    post_save.connect(_involvement_saved, sender=Involvement, dispatch_uid="exchange-involvement")
    post_save.connect(_case_saved, sender=Case, dispatch_uid="exchange-case")
    post_save.connect(_consent_saved, sender=Consent, dispatch_uid="exchange-consent")
    post_save.connect(_merge_saved, sender=PersonMerge, dispatch_uid="exchange-merge")
