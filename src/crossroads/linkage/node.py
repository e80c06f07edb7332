"""Linkage inside the node, the engine's glue: a person as the engine's record, the blocking
digests of the register's index, finding and storing the possible duplicates of a person after
a save. Their review (confirm = merge, reject, unmerge) is in `services`, the reads in `queries`.

Candidates are found by the blocking keys of the engine, stored per person as keyed digests
(SearchKey kind "link", written with the other blind indexes), scored by the shipped model and
kept at or above `settings.CROSSROADS_LINK_THRESHOLD`. Finding a candidate shows nothing to
anyone: a pair is shown only to users who may see both persons (the access policy's rule for
`linkage.matchcandidate`), and decided only by reviewers who may change both.
"""

import functools

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from crossroads.audit.choices import Action
from crossroads.audit.services import deferred as audit_deferred
from crossroads.audit.services import record
from crossroads.registry.blind_index import digest
from crossroads.registry.models import Person, SearchKey

from .choices import CandidateStatus
from .models import MatchCandidate
from .queries import visible_candidates

# A person sharing a key with more persons than this is compared with the first ones only
# (a very common name and birth year); the whole-node run compares everyone.
MAX_BLOCK = 50


def person_record(person, document_numbers=()) -> dict:
    """A Person as the engine's raw record (see `crossroads.linkage.records`)."""
    birth = ""
    if person.birth_date:
        birth = {"exact": person.birth_date.isoformat(), "month": f"{person.birth_date:%Y-%m}"}.get(
            person.birth_precision, f"{person.birth_date:%Y}"
        )
    numbers = list(document_numbers)
    return {
        "id": str(person.pk or "new"),
        "given_name": person.given_names or "",
        "family_name": person.family_name or "",
        "father_name": person.father_name or "",
        "sex": person.sex if person.sex in {"M", "F"} else "",
        "birth_date": birth,
        "birth_place": person.place_of_birth or "",
        "citizenship": (person.citizenships or [""])[0],
        "document_number": numbers[0] if numbers else "",
    }


def link_digests(person, document_numbers=()) -> set[str]:
    """Keyed digests of the person's blocking keys (SearchKey rows of kind "link")."""
    from .blocking import blocking_keys
    from .records import BadRecord

    try:
        keys = blocking_keys(person_record(person, document_numbers))
    except BadRecord:
        return set()
    return {digest("link", key) for key in keys}


def record_of(person) -> dict:
    return person_record(person, [d.number for d in person.documents.all()])


@functools.cache
def link_model():
    from .model import default_model

    return default_model()


def threshold() -> float:
    return float(getattr(settings, "CROSSROADS_LINK_THRESHOLD", 0.8))


def store_candidate(
    a_id: int, b_id: int, probability: float, match_weight: float, reasons: list[str], run=None
) -> tuple[MatchCandidate, bool]:
    """Create the pair's candidate, or refresh its score while it is open."""
    a_id, b_id = sorted((int(a_id), int(b_id)))
    values = {
        "probability": probability,
        "match_weight": match_weight,
        "reasons": list(reasons),
        "found_by_run": run,
    }
    candidate, created = MatchCandidate.objects.get_or_create(
        person_a_id=a_id, person_b_id=b_id, defaults=values
    )
    if not created and candidate.status == CandidateStatus.OPEN:
        for key, value in values.items():
            setattr(candidate, key, value)
        candidate.save(update_fields=list(values))
    return candidate, created


def find_candidates(actor, person) -> list[MatchCandidate]:
    """Score `person` against every person of its jurisdiction that shares a link digest and
    store the pairs at or above the threshold. Node-level: nothing is shown to the actor here."""
    from . import engine

    if person.merged_into_id:
        return []
    keys = SearchKey.objects.filter(person_id=person.pk, kind="link").values("digest")
    # The persons sharing the most blocking keys first: a common surname alone must not drag
    # hundreds of records into scoring at every registration.
    closest = (
        SearchKey.objects.filter(kind="link", digest__in=keys)
        .exclude(person_id=person.pk)
        .values("person_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "person_id")[:MAX_BLOCK]
    )
    others = list(
        Person.objects.filter(
            jurisdiction_id=person.jurisdiction_id,
            merged_into__isnull=True,
            pk__in=[row["person_id"] for row in closest],
        ).prefetch_related("documents")
    )
    if not others:
        return []
    scored = engine.score_candidates(record_of(person), [record_of(o) for o in others], link_model())
    found = []
    with audit_deferred():
        for candidate in scored:
            if candidate.probability < threshold():
                continue
            stored, created = store_candidate(
                person.pk,
                candidate.other_id,
                candidate.probability,
                candidate.match_weight,
                candidate.reasons,
            )
            if created:
                record(
                    actor,
                    Action.CREATE,
                    stored,
                    details={
                        "persons": [stored.person_a_id, stored.person_b_id],
                        "probability": round(candidate.probability, 4),
                    },
                )
            found.append(stored)
    return found


def candidates_for(actor, person, limit: int = 5) -> list[dict]:
    """After a registration or an edit: find and store the person's candidates, and return the
    ones `actor` may see (both persons), strongest first, at most `limit`."""
    find_candidates(actor, person)
    return visible_candidates(actor, [person]).get(person.pk, [])[:limit]


def on_person_saved(sender, actor, person, **kwargs) -> None:
    """A registration or an edit answers without waiting for duplicate detection: it is queued
    as a background task (`crossroads tasks work` runs it), in the saving transaction when
    there is one, so it is lost neither with a crash nor before the commit. With
    CROSSROADS_DUPLICATES_IN_BACKGROUND off (the test suite), it runs here and now."""
    if not settings.CROSSROADS_DUPLICATES_IN_BACKGROUND:
        after_person_saved(actor, person)
        return
    from .tasks import find_duplicates

    find_duplicates.enqueue(person.pk, actor.pk)


def link_keys(person, document_numbers) -> set[tuple[str, str]]:
    """The person's blocking keys as search keys (kind "link"), for the register's index."""
    return {("link", value) for value in link_digests(person, document_numbers)}


def after_person_saved(actor, person) -> list[dict]:
    """Store the person's candidates; linkage failing never fails the save."""
    import logging

    try:
        with transaction.atomic():
            return candidates_for(actor, person)
    except Exception:  # the engine is an optional helper here, the save has succeeded
        logging.getLogger(__name__).exception("linkage of person %s failed", person.pk)
        return []
