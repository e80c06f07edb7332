"""Exchange routes of the node's JSON API: hits and formal requests, for focal points."""

import datetime
import uuid
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from crossroads.access.policy import get_visible_or_404
from crossroads.api_types import Id, IsoDate, Limit, Offset
from crossroads.pagination import page

from . import formal_requests, hits
from .choices import Direction, Field, InformationReliability, RequestStatus, SourceReliability
from .models import ExchangeRequest

router = Router(tags=["exchange"])

FieldCode = Literal[tuple(Field.values)]
ShareableHandling = Literal["H0", "H1", "H2"]


class HitOut(Schema):
    id: int
    person_id: int
    reference: str
    remote_reference: str
    remote_node: str
    remote_jurisdiction: str
    score: float
    received_at: datetime.datetime

    @staticmethod
    def resolve_person_id(hit):
        return hit.reference.person_id

    @staticmethod
    def resolve_reference(hit):
        return hit.reference.reference


class HitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[HitOut]


class RequestIn(Schema):
    hit_id: Id
    purpose: str
    legal_basis: str
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
    def resolve_overdue(request):
        return request.status == RequestStatus.PENDING and request.deadline < timezone.localdate()

    @staticmethod
    def resolve_due_soon(request):
        return (request.status == RequestStatus.PENDING
                and request.deadline <= timezone.localdate() + formal_requests.REMIND_BEFORE)


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


@router.get("/exchange/hits", response=HitPage)
def list_hits(request, filters: Query[Paging]):
    return page(hits.visible_hits(request.user), filters.limit, filters.offset)


@router.post("/exchange/requests", response={201: RequestOut})
def create_request(request, payload: RequestIn):
    hit = get_visible_or_404(hits.visible_hits(request.user), request.user, pk=payload.hit_id)
    created = formal_requests.create_request(
        request.user, hit, purpose=payload.purpose, legal_basis=payload.legal_basis,
        fields=payload.fields, handling_code=payload.handling_code, deadline=payload.deadline)
    return Status(201, created)


@router.get("/exchange/requests", response=RequestPage)
def list_requests(request, filters: Query[RequestFilters]):
    qs = formal_requests.visible_requests(request.user)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(direction=Direction.IN, status=RequestStatus.PENDING,
                       deadline__lt=timezone.localdate())
    return page(qs, filters.limit, filters.offset)


def _request(request, request_id: Id) -> ExchangeRequest:
    return get_visible_or_404(formal_requests.visible_requests(request.user), request.user, pk=request_id)


@router.get("/exchange/requests/{request_id}", response=RequestOut)
def get_request(request, request_id: Id):
    return _request(request, request_id)


@router.post("/exchange/requests/{request_id}/approve", response=RequestOut)
def approve_request(request, request_id: Id, payload: ApproveIn):
    return formal_requests.approve(request.user, _request(request, request_id), **payload.dict())


@router.post("/exchange/requests/{request_id}/refuse", response=RequestOut)
def refuse_request(request, request_id: Id, payload: RefuseIn):
    return formal_requests.refuse(request.user, _request(request, request_id), reason=payload.reason)


@router.get("/exchange/requests/{request_id}/answer", response=AnswerOut)
def read_answer(request, request_id: Id):
    return formal_requests.read_answer(request.user, _request(request, request_id))


@router.get("/exchange/requests/{request_id}/answer/export", response=ExportOut)
def export_answer(request, request_id: Id):
    return formal_requests.export_answer(request.user, _request(request, request_id))
