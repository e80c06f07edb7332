"""Shapes of the oversight routes."""

import datetime

from ninja import Schema

from crossroads.api_types import Limit, Offset


class AlertOut(Schema):
    id: int
    kind: str
    username: str
    severity: str
    status: str
    entries: list[int]
    jurisdiction: str
    person_id: int | None
    facts: dict
    first_at: datetime.datetime
    last_at: datetime.datetime
    raised_at: datetime.datetime
    assigned_to: str | None

    @staticmethod
    def resolve_assigned_to(obj):
        return obj.assigned_to.get_username() if obj.assigned_to_id else None


class AlertPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AlertOut]


class AlertFilters(Schema):
    status: str = ""
    kind: str = ""
    severity: str = ""
    username: str = ""
    limit: Limit | None = None
    offset: Offset = 0


class AccessOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    role: str
    agency_id: int | None
    action: str
    object_type: str
    object_id: str
    via: str
    purpose: str
    outcome: str
    break_glass: list[int]

    @staticmethod
    def resolve_via(obj):
        return obj.details.get("via", "")

    @staticmethod
    def resolve_break_glass(obj):
        return obj.details.get("break_glass", [])


class AccessPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AccessOut]


class PageFilters(Schema):
    limit: Limit | None = None
    offset: Offset = 0


class TriageIn(Schema):
    status: str
    reason: str = ""
