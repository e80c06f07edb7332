"""Reads of duplicate detection, under the access policy: the possible duplicates of the
persons a page shows, the review queue, merges, the latest whole-node run. A read that returns
identities records them itself (`registry.queries.record_identity_read`)."""

from collections.abc import Callable

from django.db.models import Q

from crossroads.access.policy import CHANGE, VIEW, may, require_capability
from crossroads.registry.models import Person
from crossroads.registry.queries import read_page, record_identity_read

from .choices import CandidateStatus
from .models import DedupeRun, MatchCandidate, PersonMerge


def _pair(candidate) -> tuple:
    return candidate.person_a, candidate.person_b


def visible_candidates(actor, persons) -> dict[int, list[dict]]:
    """Open candidates of these persons that `actor` may see (both persons), per person id:
    [{"candidate", "person" (the other one), "percent"}], strongest first. For the register's
    page queries (`duplicates_extra`), which record the persons they show with them."""
    ids = [p.pk for p in persons]
    if not ids:
        return {}
    rows = list(
        MatchCandidate.objects.restrict(actor, VIEW)
        .filter(status=CandidateStatus.OPEN)
        .filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids))
    )
    others = Person.objects.in_bulk({c.person_a_id for c in rows} | {c.person_b_id for c in rows})
    shown: dict[int, list[dict]] = {}
    for candidate in rows:
        for pid in (candidate.person_a_id, candidate.person_b_id):
            if pid in ids:
                shown.setdefault(pid, []).append(
                    {
                        "candidate": candidate,
                        "person": others[candidate.other(pid)],
                        "percent": round(100 * candidate.probability),
                    }
                )
    return shown


def open_merges(actor):
    """Merges the reviewer may undo (both persons changeable), latest first."""
    return recent_merges(actor).filter(undone_at__isnull=True)


def review_queue_page(actor, paginate: Callable, *, context: str):
    """One page of the review queue (`paginate` cuts it), the pairs' persons recorded as read."""
    return read_page(actor, review_queue(actor), paginate, context=context, shows=_pair)


def review_page(actor, paginate: Callable, *, context: str, merges: int = 20) -> tuple:
    """The duplicates page's reads: a page of the queue and the latest `merges` open merges,
    all their persons recorded as one entry."""
    queue = paginate(review_queue(actor))
    latest = list(open_merges(actor)[:merges])
    record_identity_read(
        actor,
        [p for c in queue for p in _pair(c)] + [p for m in latest for p in (m.survivor, m.merged)],
        context=context,
    )
    return queue, latest


def review_queue(actor):
    """Open candidates the reviewer may decide on (both persons changeable), as a queryset for
    the page reads above (which record what they show)."""
    require_capability(actor, "review_duplicates")
    return (
        MatchCandidate.objects.restrict(actor, CHANGE)
        .filter(status=CandidateStatus.OPEN)
        .select_related("person_a", "person_b")
    )


def recent_merges(actor):
    require_capability(actor, "review_duplicates")
    return PersonMerge.objects.restrict(actor, CHANGE).select_related("survivor", "merged")


def duplicates_extra(user, obj, persons) -> dict:
    """Page context for the register's pages: possible duplicates of the persons shown."""
    return {"duplicates": visible_candidates(user, persons) if persons else {}}


def latest_run(user):
    if not may(user, "rerun_dedupe"):
        return None
    return with_visible_pairs(
        user, DedupeRun.objects.restrict(user, VIEW).select_related("job", "started_by").first()
    )


def with_visible_pairs(user, run):
    """The run, with the number of the pairs it found that `user` may see: the node-wide count
    would tell a registrant that a made-up victim matched someone they may not see."""
    if run is not None:
        run.visible_pairs = MatchCandidate.objects.restrict(user, VIEW).filter(found_by_run=run).count()
    return run
