"""Shapes of the account routes: who am I, tokens, agencies, four-eyes approvals."""

import datetime
from typing import Literal

from ninja import Field, Schema

from crossroads.api_types import Limit, Offset
from crossroads.pagination import PageFilters

from .choices import AgencyKind


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


class AgencyFilters(PageFilters):
    kind: Literal[("", *AgencyKind.values)] = ""


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


# The optional body of a decision, `{"reason": "..."}`, read by hand after the caller's rights
# are known (a 403 or 404 comes before any complaint about the body).
DECISION_BODY = {"requestBody": {"required": False, "content": {"application/json": {"schema": {
    "type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}}}}}}}
