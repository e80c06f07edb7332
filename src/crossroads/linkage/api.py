"""Duplicate review routes of the JSON API: the queue, confirm (merge), reject, unmerge."""

import datetime

from ninja import Field, Query, Router, Schema

from crossroads.access.policy import get_visible_or_404
from crossroads.api_types import Limit, Offset
from crossroads.pagination import page
from crossroads.registry.queries import record_identity_read
from crossroads.registry.schemas import PersonSummary

from . import node
from .models import MatchCandidate, PersonMerge

router = Router(tags=["linkage"])


class CandidateOut(Schema):
    id: int
    person_a: PersonSummary
    person_b: PersonSummary
    probability: float
    match_weight: float
    reasons: list[str]
    status: str
    found_at: datetime.datetime
    decided_at: datetime.datetime | None


class CandidatePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CandidateOut]


class DecisionIn(Schema):
    reason: str = Field("", max_length=500)


class DecisionOut(Schema):
    id: int
    status: str
    decided_at: datetime.datetime | None


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    candidate_id: int | None
    merged_at: datetime.datetime
    undone_at: datetime.datetime | None


class QueueFilters(Schema):
    limit: Limit | None = None
    offset: Offset = 0


@router.get("/duplicates", response=CandidatePage)
def list_duplicates(request, filters: Query[QueueFilters]):
    """Open possible duplicates whose two persons the caller may change (reviewers only)."""
    result = page(node.review_queue(request.user), filters.limit, filters.offset)
    record_identity_read(request.user, [p for c in result["items"] for p in (c.person_a, c.person_b)],
                         context="api duplicate queue")
    return result


def _candidate(request, candidate_id: int) -> MatchCandidate:
    return get_visible_or_404(MatchCandidate.objects.all(), request.user, pk=candidate_id)


@router.post("/duplicates/{candidate_id}/confirm", response=MergeOut)
def confirm_duplicate(request, candidate_id: int, payload: DecisionIn):
    """The two records are one person: merge them (both rows and their history are kept)."""
    return node.confirm(request.user, _candidate(request, candidate_id), payload.reason)


@router.post("/duplicates/{candidate_id}/reject", response=DecisionOut)
def reject_duplicate(request, candidate_id: int, payload: DecisionIn):
    """The two records are different persons: close the pair."""
    return node.reject(request.user, _candidate(request, candidate_id), payload.reason)


@router.post("/merges/{merge_id}/undo", response=MergeOut)
def undo_merge(request, merge_id: int):
    """Unmerge: both persons stand alone again, as before the merge."""
    merge = get_visible_or_404(PersonMerge.objects.all(), request.user, pk=merge_id)
    return node.undo_merge(request.user, merge)
