"""Duplicate review routes of the JSON API: the queue, confirm (merge), reject, unmerge."""

from ninja import Query, Router

from crossroads.access.policy import get_visible_or_404
from crossroads.pagination import page

from . import queries, services
from .models import MatchCandidate, PersonMerge
from .schemas import CandidatePage, DecisionIn, DecisionOut, MergeOut, QueueFilters

router = Router(tags=["linkage"])


@router.get("/duplicates", response=CandidatePage)
def list_duplicates(request, filters: Query[QueueFilters]):
    """Open possible duplicates whose two persons the caller may change (reviewers only)."""
    return queries.review_queue_page(
        request.user, lambda qs: page(qs, filters.limit, filters.offset), context="api duplicate queue"
    )


def _candidate(request, candidate_id: int) -> MatchCandidate:
    return get_visible_or_404(MatchCandidate.objects.all(), request.user, pk=candidate_id)


@router.post("/duplicates/{candidate_id}/confirm", response=MergeOut)
def confirm_duplicate(request, candidate_id: int, payload: DecisionIn):
    """The two records are one person: merge them (both rows and their history are kept)."""
    return services.confirm(request.user, _candidate(request, candidate_id), payload.reason)


@router.post("/duplicates/{candidate_id}/reject", response=DecisionOut)
def reject_duplicate(request, candidate_id: int, payload: DecisionIn):
    """The two records are different persons: close the pair."""
    return services.reject(request.user, _candidate(request, candidate_id), payload.reason)


@router.post("/merges/{merge_id}/undo", response=MergeOut)
def undo_merge(request, merge_id: int):
    """Unmerge: both persons stand alone again, as before the merge."""
    merge = get_visible_or_404(PersonMerge.objects.all(), request.user, pk=merge_id)
    return services.undo_merge(request.user, merge)
