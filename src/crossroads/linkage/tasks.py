"""The whole-node deduplication as a background task.

A page queues a `DedupeRun` (`queue_dedupe`); `crossroads tasks work` runs queued runs
(`run_dedupe`) outside any request and updates their progress as it goes, which the page
shows as a progress bar. Progress counts two steps per person: reading its record, then
storing the pairs found.
"""

import logging

from django.db import transaction
from django.utils import timezone

from crossroads.access.policy import require_capability
from crossroads.audit.models import Action
from crossroads.audit.services import record
from crossroads.registry.models import Person

from .models import DedupeRun, RunStatus

log = logging.getLogger(__name__)
BATCH = 500


def queue_dedupe(actor) -> DedupeRun:
    """Queue a run for the actor's jurisdiction; a run already queued or running is reused."""
    require_capability(actor, "rerun_dedupe")
    with transaction.atomic():
        active = DedupeRun.objects.filter(jurisdiction_id=actor.jurisdiction_id,
                                          status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
        if active:
            return active
        run = DedupeRun.objects.create(jurisdiction_id=actor.jurisdiction_id, started_by=actor)
        record(actor, Action.CREATE, run, details={"task": "dedupe"})
    return run


def _progress(run: DedupeRun, **values) -> None:
    for key, value in values.items():
        setattr(run, key, value)
    DedupeRun.objects.filter(pk=run.pk).update(**values)


def run_dedupe(run: DedupeRun, batch_size: int = BATCH) -> DedupeRun:
    """Deduplicate every unmerged person of the run's jurisdiction; store the pairs at or above
    the threshold as candidates (with the engine's reasons). Never call it in a request."""
    from . import engine
    from .node import link_model, record_of, store_candidate, threshold
    from .records import BadRecord, to_features

    persons = Person.objects.filter(jurisdiction_id=run.jurisdiction_id, merged_into__isnull=True)
    count = persons.count()
    _progress(run, status=RunStatus.RUNNING, started_at=timezone.now(), done=0,
              total=2 * count, error="")
    try:
        records: dict[str, dict] = {}
        last = 0
        while True:
            batch = list(persons.filter(pk__gt=last).order_by("pk")
                         .prefetch_related("documents")[:batch_size])
            if not batch:
                break
            for person in batch:
                raw = record_of(person)
                try:
                    to_features(raw)
                except BadRecord:
                    continue
                records[raw["id"]] = raw
            last = batch[-1].pk
            _progress(run, done=min(run.done + len(batch), count))
        pairs = (engine.dedupe_records(records.values(), link_model(), threshold())[0]
                 if len(records) > 1 else [])
        by_left: dict[str, list[str]] = {}
        for pair in pairs:
            by_left.setdefault(pair.left_id, []).append(pair.right_id)
        new = 0
        lefts = sorted(by_left)
        for index in range(0, len(lefts), batch_size):
            with transaction.atomic():
                for left in lefts[index:index + batch_size]:
                    scored = engine.score_candidates(records[left],
                                                     [records[r] for r in by_left[left]],
                                                     link_model())
                    for candidate in scored:
                        _stored, created = store_candidate(
                            left, candidate.other_id, candidate.probability,
                            candidate.match_weight, candidate.reasons, run)
                        new += created
            stored_share = (index + batch_size) / len(lefts)
            _progress(run, done=count + min(count, int(count * stored_share)))
        _progress(run, status=RunStatus.DONE, done=run.total, pairs_found=len(pairs),
                  finished_at=timezone.now())
        record(run.started_by, Action.UPDATE, run, details={
            "task": "dedupe", "status": RunStatus.DONE, "persons": len(records),
            "pairs": len(pairs), "new_candidates": new})
    except Exception as error:
        log.exception("deduplication run %s failed", run.pk)
        _progress(run, status=RunStatus.FAILED, error=str(error)[:500],
                  finished_at=timezone.now())
        record(run.started_by, Action.UPDATE, run, details={
            "task": "dedupe", "status": RunStatus.FAILED})
    return run


def claim_next() -> DedupeRun | None:
    """The oldest queued run, marked running by this worker (None if there is none)."""
    for run in DedupeRun.objects.filter(status=RunStatus.QUEUED).order_by("id")[:5]:
        if DedupeRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
                status=RunStatus.RUNNING, started_at=timezone.now()):
            run.refresh_from_db()
            return run
    return None
