"""Account routes: who am I, my API tokens, agencies of my jurisdiction and the four-eyes
approvals of account changes."""

import datetime
import json
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import SessionAuth

from crossroads.access import activation, approvals, tokens
from crossroads.access.choices import AgencyKind
from crossroads.access.models import Agency
from crossroads.access.policy import VIEW
from crossroads.api_types import Limit, Offset
from crossroads.pagination import page

router = Router(tags=["access"])


class MeOut(Schema):
    id: int
    username: str
    role: str
    agency_id: int | None
    jurisdiction: str | None = Field(None, alias="jurisdiction_id")


class AgencyOut(Schema):
    id: int
    name: str
    kind: str
    jurisdiction: str = Field(..., alias="jurisdiction_id")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    days: int = Field(90, ge=1, le=365)
    scope: Literal["read", "write"] = "read"


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None


class NewTokenOut(TokenOut):
    token: str


@router.get("/me", response=MeOut)
def me(request):
    return request.user


class AgencyFilters(Schema):
    kind: Literal[("", *AgencyKind.values)] = ""


@router.get("/agencies", response=list[AgencyOut])
def agencies(request, filters: Query[AgencyFilters]):
    """Active agencies of the caller's jurisdiction (e.g. `kind=shelter` for referral targets)."""
    qs = Agency.objects.restrict(request.user, VIEW).filter(active=True)
    return list(qs.filter(kind=filters.kind) if filters.kind else qs)


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request):
    return list(tokens.usable_tokens(request.user))


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
    token, raw = tokens.issue_token(request.user, payload.name, payload.days, payload.scope)
    token.token = raw
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: int):
    tokens.revoke_token(request.user, token_id)
    return Status(204, None)


class ApprovalOut(Schema):
    id: int
    kind: str
    status: str
    username: str
    account_id: int | None = Field(None, alias="target_id")
    agency_id: int | None = Field(None, alias="target_agency_id")
    requested_by: str = Field(..., alias="requested_by.username")
    requested_at: datetime.datetime
    changes: dict
    previous: dict
    decided_by: str | None = None
    decided_at: datetime.datetime | None
    reason: str
    activation_link: str | None = Field(
        None, description="Only in the answer to approving a new account or a password reset: "
                          "the single-use link for the user, shown this once.")

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.username if obj.decided_by_id else None

    @staticmethod
    def resolve_activation_link(obj):
        return getattr(obj, "activation_link", None)


class ApprovalFilters(Schema):
    status: str = "pending"
    limit: Limit | None = None
    offset: Offset = 0


class ApprovalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApprovalOut]


DECISION_BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": {
    "type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}}}}}}


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
    return page(approvals.requests(request.user, filters.status), filters.limit, filters.offset)


@router.post("/approvals/{request_id}/approve", response=ApprovalOut, openapi_extra=DECISION_BODY)
def approve(request, request_id: int):
    """Apply the change (another administrator than the requester and the account concerned).
    For a new account or a password reset the answer holds `activation_link`, once: give it to
    the user out of band."""
    approvals.get_request(request.user, request_id)  # 403 / 404 before reading the body
    decided = approvals.approve(request.user, request_id, _reason(request))
    if decided.link_secret:
        decided.activation_link = activation.url(request, decided.link_secret)
    return decided


@router.post("/approvals/{request_id}/reject", response=ApprovalOut, openapi_extra=DECISION_BODY)
def reject(request, request_id: int):
    """Refuse the change, with a reason (required)."""
    approvals.get_request(request.user, request_id)
    return approvals.reject(request.user, request_id, _reason(request))


@router.post("/approvals/{request_id}/cancel", response=ApprovalOut)
def cancel(request, request_id: int):
    """Withdraw your own pending request."""
    return approvals.cancel(request.user, request_id)
