"""Shapes of the duplicate review in the JSON API."""

import datetime

from ninja import Field, Schema

from crossroads.api_types import Limit, Offset
from crossroads.registry.schemas import PersonSummary


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
