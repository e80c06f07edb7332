"""Account routes: who am I, my API tokens, agencies of my jurisdiction and the four-eyes
approvals of account changes."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import SessionAuth

from crossroads.pagination import PageFilters, page, page_of, paged

from . import activation, approvals, queries, services, tokens
from .schemas import (
    DECISION_BODY,
    AgencyFilters,
    AgencyOut,
    ApprovalFilters,
    ApprovalOut,
    ApprovalPage,
    MeOut,
    NewTokenOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["access"])


@router.get("/me", response=MeOut)
def me(request):
    return request.user


@router.get("/agencies", response=page_of(AgencyOut))
def agencies(request, filters: Query[AgencyFilters]):
    """Active agencies of the caller's jurisdiction (e.g. `kind=shelter` for referral targets)."""
    return paged(queries.agencies(request.user, filters.kind), filters)


@router.get("/tokens", response=page_of(TokenOut))
def list_tokens(request, filters: Query[PageFilters]):
    return paged(queries.my_tokens(request.user), filters)


class VerifiedSession(SessionAuth):
    """A session that has passed the second factor, with no `Authorization` header: a token
    never mints tokens, and a password alone never does either."""

    def authenticate(self, request, key):
        if "HTTP_AUTHORIZATION" in request.META or not tokens.session_verified(request.user):
            return None
        return request.user


@router.post("/tokens", response={201: NewTokenOut}, auth=VerifiedSession())
def create_token(request, payload: TokenIn):
    """Issue a token: only from a browser session that passed the second factor (CSRF token
    required), never with a bearer token."""
    token, raw = services.issue_token(request.user, payload.name, payload.days, payload.scope)
    token.token = raw
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: int):
    services.revoke_token(request.user, token_id)
    return Status(204, None)


def _reason(request) -> str:
    """The optional JSON body `{"reason": "..."}`, read after the caller's rights are known."""
    if request.content_type != "application/json":
        return request.POST.get("reason", "")  # none, or a form
    if not request.body.strip():
        return ""
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("reason", ""), str):
        raise ValidationError({"reason": _("Send a JSON object with a text reason.")})
    return data.get("reason", "")


@router.get("/approvals", response=ApprovalPage)
def list_approvals(request, filters: Query[ApprovalFilters]):
    """Account changes of your jurisdiction awaiting (or given) a second administrator's decision;
    `status` is pending by default, empty for all."""
    return page(queries.approval_requests(request.user, filters.status), filters.limit,
                filters.offset)


@router.post("/approvals/{request_id}/approve", response=ApprovalOut, openapi_extra=DECISION_BODY)
def approve(request, request_id: int):
    """Apply the change (another administrator than the requester and the account concerned).
    For a new account or a password reset the answer holds `activation_link`, once: give it to
    the user out of band."""
    queries.get_approval(request.user, request_id)  # 403 / 404 before reading the body
    decided = approvals.approve(request.user, request_id, _reason(request))
    if decided.link_secret:
        decided.activation_link = activation.url(request, decided.link_secret)
    return decided


@router.post("/approvals/{request_id}/reject", response=ApprovalOut, openapi_extra=DECISION_BODY)
def reject(request, request_id: int):
    """Refuse the change, with a reason (required)."""
    queries.get_approval(request.user, request_id)
    return approvals.reject(request.user, request_id, _reason(request))


@router.post("/approvals/{request_id}/cancel", response=ApprovalOut)
def cancel(request, request_id: int):
    """Withdraw your own pending request."""
    return approvals.cancel(request.user, request_id)
