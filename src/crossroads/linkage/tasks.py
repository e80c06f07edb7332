"""The whole-node deduplication as a background job.

A page queues a `DedupeRun` (`services.queue_dedupe`) with its `Job`; `crossroads tasks work`
runs the `dedupe` task outside any request, which reports its progress on the job as it goes
(the page shows it as a progress bar). Progress counts two steps per person: reading its record, then
storing the pairs found. The pairs are stored in batches (each in its own transaction, so the
bar moves); a run that fails part-way leaves the batches it stored as open candidates, the same
pairs a re-run stores again (a pair is stored once).
"""

import logging

from django.db import transaction
from django_tasks import task

from crossroads.access.models import User
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.registry.models import Person

from .models import DedupeRun

log = logging.getLogger(__name__)
BATCH = 500


@task()
@jobs.tracked
def dedupe(job, run_id: int) -> str:
    """The background task of one run (its job comes first, `jobs.services.tracked`)."""
    run = DedupeRun.objects.select_related("started_by").get(pk=run_id)
    try:
        run = run_dedupe(run, job.pk)
    except Exception:
        record(run.started_by, Action.UPDATE, run, details={"task": "dedupe", "status": "failed"})
        raise
    return f"{run.pairs_found} pair(s)"


def run_dedupe(run: DedupeRun, job_id: int, batch_size: int = BATCH) -> DedupeRun:
    """Deduplicate every unmerged person of the run's jurisdiction; store the pairs at or above
    the threshold as candidates (with the engine's reasons), reporting progress on the job.
    Never call it in a request."""
    from . import engine
    from .node import link_model, record_of, store_candidate, threshold
    from .records import BadRecord, to_features

    persons = Person.objects.filter(jurisdiction_id=run.jurisdiction_id, merged_into__isnull=True)
    count = persons.count()
    total = 2 * count
    jobs.progress(job_id, 0, total)
    records: dict[str, dict] = {}
    last = done = 0
    while True:
        batch = list(persons.filter(pk__gt=last).order_by("pk").prefetch_related("documents")[:batch_size])
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
        done = min(done + len(batch), count)
        jobs.progress(job_id, done)
    pairs = engine.dedupe_records(records.values(), link_model(), threshold())[0] if len(records) > 1 else []
    by_left: dict[str, list[str]] = {}
    for pair in pairs:
        by_left.setdefault(pair.left_id, []).append(pair.right_id)
    new = 0
    lefts = sorted(by_left)
    for index in range(0, len(lefts), batch_size):
        with transaction.atomic():
            for left in lefts[index : index + batch_size]:
                scored = engine.score_candidates(
                    records[left], [records[r] for r in by_left[left]], link_model()
                )
                for candidate in scored:
                    _stored, created = store_candidate(
                        left,
                        candidate.other_id,
                        candidate.probability,
                        candidate.match_weight,
                        candidate.reasons,
                        run,
                    )
                    new += created
        stored_share = (index + batch_size) / len(lefts)
        jobs.progress(job_id, count + min(count, int(count * stored_share)))
    run.pairs_found = len(pairs)
    run.save(update_fields=["pairs_found"])
    jobs.progress(job_id, total)
    record(
        run.started_by,
        Action.UPDATE,
        run,
        details={
            "task": "dedupe",
            "status": "done",
            "persons": len(records),
            "pairs": len(pairs),
            "new_candidates": new,
        },
    )
    return run


@task()
def find_duplicates(person_id: int, actor_id: int) -> str:
    """Duplicate detection of one person after its registration or edit has committed
    (`node.on_person_saved`); the candidates are recorded as found by who saved the person."""
    from .node import after_person_saved

    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return "person gone"
    found = after_person_saved(User.objects.get(pk=actor_id), person)
    return f"{len(found)} candidate(s) shown to the saver"
