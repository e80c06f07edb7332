"""Account routes: who am I, my API tokens, agencies of my jurisdiction."""

import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from crossroads.access.models import Agency, ApiToken
from crossroads.access.policy import VIEW
from crossroads.audit.models import Action
from crossroads.audit.services import record

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


class TokenOut(Schema):
    id: int
    name: str
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
    return list(ApiToken.objects.usable().filter(user=request.user))


@router.post("/tokens", response={201: NewTokenOut})
def create_token(request, payload: TokenIn):
    token, raw = ApiToken.issue(request.user, payload.name, days=payload.days)
    record(request.user, Action.CREATE, token)
    token.token = raw
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: int):
    updated = ApiToken.objects.usable().filter(user=request.user, pk=token_id).update(
        revoked_at=timezone.now())
    if not updated:
        raise Http404
    record(request.user, Action.DELETE, object_type="access.apitoken", object_id=token_id)
    return Status(204, None)
