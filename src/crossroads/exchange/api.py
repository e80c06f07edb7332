"""Exchange routes of the node's JSON API: hits and formal requests, for focal points. Reads
through `queries`, writes through `services`; the shapes are in `schemas`."""

from ninja import Query, Router, Status

from crossroads.access.policy import get_visible_or_404
from crossroads.api_types import Id
from crossroads.pagination import page

from . import queries, services
from .models import ExchangeRequest
from .schemas import (
    AnswerOut,
    ApproveIn,
    ExportOut,
    HitPage,
    Paging,
    RefuseIn,
    RequestFilters,
    RequestIn,
    RequestOut,
    RequestPage,
)

router = Router(tags=["exchange"])


@router.get("/exchange/hits", response=HitPage)
def list_hits(request, filters: Query[Paging]):
    return page(queries.visible_hits(request.user), filters.limit, filters.offset)


@router.post("/exchange/requests", response={201: RequestOut})
def create_request(request, payload: RequestIn):
    hit = get_visible_or_404(queries.visible_hits(request.user), request.user, pk=payload.hit_id)
    created = services.create_request(
        request.user, hit, purpose=payload.purpose, legal_basis=payload.legal_basis,
        fields=payload.fields, handling_code=payload.handling_code, deadline=payload.deadline,
        agreement=payload.agreement_id)
    return Status(201, created)


@router.get("/exchange/requests", response=RequestPage)
def list_requests(request, filters: Query[RequestFilters]):
    qs = queries.filter_requests(request.user, direction=filters.direction, status=filters.status,
                                 overdue=filters.overdue)
    return page(qs, filters.limit, filters.offset)


def _request(request, request_id: Id) -> ExchangeRequest:
    return get_visible_or_404(queries.visible_requests(request.user), request.user, pk=request_id)


@router.get("/exchange/requests/{request_id}", response=RequestOut)
def get_request(request, request_id: Id):
    return _request(request, request_id)


@router.post("/exchange/requests/{request_id}/approve", response=RequestOut)
def approve_request(request, request_id: Id, payload: ApproveIn):
    return services.approve(request.user, _request(request, request_id), **payload.dict())


@router.post("/exchange/requests/{request_id}/refuse", response=RequestOut)
def refuse_request(request, request_id: Id, payload: RefuseIn):
    return services.refuse(request.user, _request(request, request_id), reason=payload.reason)


@router.get("/exchange/requests/{request_id}/answer", response=AnswerOut)
def read_answer(request, request_id: Id):
    return queries.read_answer(request.user, _request(request, request_id))


@router.get("/exchange/requests/{request_id}/answer/export", response=ExportOut)
def export_answer(request, request_id: Id):
    return queries.export_answer(request.user, _request(request, request_id))
