"""Shapes of the audit routes."""

import datetime

from ninja import Schema

from crossroads.api_types import Limit, Offset


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
