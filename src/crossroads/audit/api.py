"""Audit trail routes for oversight."""

import datetime

from django.db.models import Q
from ninja import Query, Router, Schema

from crossroads.access.policy import VIEW, require_capability
from crossroads.api_types import Limit, Offset
from crossroads.pagination import page

from .models import AuditEntry

router = Router(tags=["audit"])


class EntryOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    role: str
    jurisdiction: str
    action: str
    object_type: str
    object_id: str
    purpose: str
    outcome: str
    details: dict
    hash: str


class EntryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EntryOut]


class EntryFilters(Schema):
    actor: str = ""
    action: str = ""
    outcome: str = ""
    object_type: str = ""
    object_id: str = ""
    break_glass: bool = False
    limit: Limit | None = None
    offset: Offset = 0


def filter_entries(user, filters: dict):
    require_capability(user, "view_audit")
    qs = AuditEntry.objects.restrict(user, VIEW).order_by("-id")
    for name in ("actor", "action", "outcome", "object_type", "object_id"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("break_glass"):
        # Grants opened, ended or refused, and every read made under one.
        qs = qs.filter(Q(object_type="access.breakglassgrant") | Q(details__has_key="break_glass"))
    return qs


@router.get("/audit", response=EntryPage)
def list_entries(request, filters: Query[EntryFilters]):
    qs = filter_entries(request.user, filters.dict())
    return page(qs, filters.limit, filters.offset)
