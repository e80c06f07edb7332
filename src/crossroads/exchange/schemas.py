"""Shapes of the exchange's JSON API (`/api/v1/exchange/...`): hits, formal requests, answers."""

import datetime
import uuid
from typing import Literal

from ninja import Schema

from crossroads.api_types import Id, IsoDate, Limit, Offset

from .choices import (
    FIELD_LABELS,
    SHAREABLE_HANDLING,
    InformationReliability,
    RequestStatus,
    SourceReliability,
)

# A person's fields, or (for a selector hit) its holders' fields: the service checks which.
FieldCode = Literal[tuple(FIELD_LABELS)]
ShareableHandling = Literal[SHAREABLE_HANDLING]


class HitOut(Schema):
    """A hit of a person (`kind` "person", `person_id`) or of a selector (`kind` "phone",
    "email", "iban", "plate" or "document"; never its value, `person_id` null)."""

    id: int
    kind: str
    person_id: int | None
    reference: str
    remote_reference: str
    remote_node: str
    remote_jurisdiction: str
    score: float
    received_at: datetime.datetime

    @staticmethod
    def resolve_person_id(hit):
        return hit.reference.person_id if hit.reference_id else None

    @staticmethod
    def resolve_reference(hit):
        return hit.shared.reference


class HitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HitOut]


class RequestIn(Schema):
    hit_id: Id
    purpose: str
    legal_basis: str = ""
    agreement_id: Id | None = None
    fields: list[FieldCode]
    handling_code: ShareableHandling
    deadline: IsoDate


class ApproveIn(Schema):
    fields: list[FieldCode]
    source_reliability: Literal[tuple(SourceReliability.values)]
    information_reliability: Literal[tuple(InformationReliability.values)]


class RefuseIn(Schema):
    reason: str


class RequestOut(Schema):
    id: int
    public_id: uuid.UUID
    direction: str
    status: str
    peer_node: str
    peer_jurisdiction: str
    jurisdiction: str
    hit_id: int | None
    requester: str
    purpose: str
    legal_basis: str
    agreement_id: int | None
    agreement: str | None
    fields_requested: list[str]
    fields_approved: list[str]
    handling_code: str
    deadline: datetime.date
    overdue: bool
    due_soon: bool
    decided_by: str
    decided_at: datetime.datetime | None
    refusal_reason: str
    source_reliability: str
    information_reliability: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_jurisdiction(request):
        return request.jurisdiction_id

    @staticmethod
    def resolve_agreement(request):
        return request.agreement.citation if request.agreement_id else None

    @staticmethod
    def resolve_overdue(request):
        return request.is_overdue

    @staticmethod
    def resolve_due_soon(request):
        return request.is_due_soon


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class AnswerOut(Schema):
    values: dict
    handling_code: str
    source_reliability: str
    information_reliability: str
    onward_sharing: bool
    court_use: bool


class ExportOut(Schema):
    request: uuid.UUID
    marking: str
    court_use: bool
    source_reliability: str
    information_reliability: str
    values: dict


class Paging(Schema):
    limit: Limit | None = None
    offset: Offset = 0


class RequestFilters(Paging):
    direction: Literal["", "out", "in"] = ""
    status: Literal[("", *RequestStatus.values)] = ""
    overdue: bool = False
