"""Account routes: who am I, my API tokens, agencies of my jurisdiction."""

import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status

from crossroads.access import tokens
from crossroads.access.models import Agency
from crossroads.access.policy import VIEW

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


@router.get("/agencies", response=list[AgencyOut])
def agencies(request):
    return list(Agency.objects.restrict(request.user, VIEW).filter(active=True))


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request):
    return list(tokens.usable_tokens(request.user))


@router.post("/tokens", response={201: NewTokenOut})
def create_token(request, payload: TokenIn):
    token, raw = tokens.issue_token(request.user, payload.name, payload.days, payload.scope)
    token.token = raw
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: int):
    tokens.revoke_token(request.user, token_id)
    return Status(204, None)
