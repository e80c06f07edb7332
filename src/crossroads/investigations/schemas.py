"""API schemas of investigations (types here, domain rules in the services)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from crossroads.api_types import Id, IsoDate
from crossroads.registry.choices import HandlingCode, InvolvementRole, TeamRole
from crossroads.registry.schemas import PersonIn

from .choices import EventKind

TeamRoleCode = Literal[tuple(TeamRole.values)]
RoleCode = Literal[tuple(InvolvementRole.values)]
HandlingCodeValue = Literal[tuple(HandlingCode.values)]
Reason = Field("", max_length=500)
EventKindCode = Literal[tuple(EventKind.values)]


class TeamMemberIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    team_role: TeamRoleCode


class TeamMemberOut(Schema):
    username: str = Field(..., alias="user.username")
    team_role: str


class TeamChangeOut(Schema):
    kind: str
    username: str = Field(..., alias="member.username")
    team_role: str
    changed_by: str = Field(..., alias="changed_by.username")
    changed_at: datetime.datetime


class CasePersonIn(Schema):
    person: PersonIn
    role: RoleCode


class CasePersonOut(Schema):
    person_id: int
    involvement_id: int


class HandlingCodeIn(Schema):
    handling_code: HandlingCodeValue
    reason: str = Reason


class DecisionIn(Schema):
    reason: str = Reason


class HandlingChangeOut(Schema):
    id: int
    case_id: int
    from_code: str
    to_code: str
    status: str
    requested_by: str = Field(..., alias="requested_by.username")
    requested_at: datetime.datetime
    request_reason: str
    decided_by: str | None
    decided_at: datetime.datetime | None
    reason: str

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.get_username() if obj.decided_by_id else None


class OwnershipIn(Schema):
    agency_id: Id
    lead: str = Field(..., min_length=1, max_length=150)
    reason: str = Reason


class OwnershipOut(Schema):
    id: int
    case_id: int
    from_agency_id: int
    to_agency_id: int
    new_lead: str = Field(..., alias="new_lead.username")
    transferred_by: str = Field(..., alias="transferred_by.username")
    transferred_at: datetime.datetime
    reason: str


class EventIn(Schema):
    kind: EventKindCode
    occurred_on: IsoDate
    narrative: str = Field(..., min_length=1, max_length=20000)
    participants: str = Field("", max_length=1000)


class EvidenceOut(Schema):
    id: int
    event_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str = Field(..., alias="uploaded_by.username")
    uploaded_at: datetime.datetime


class EventOut(Schema):
    id: int
    case_id: int
    kind: str
    occurred_on: datetime.date
    narrative: str
    participants: str
    author: str = Field(..., alias="author.username")
    created_at: datetime.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())
