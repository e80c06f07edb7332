"""API schemas of investigations (types here, domain rules in the services)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from crossroads.api_types import Id, IsoDate
from crossroads.registry.choices import HandlingCode, InvolvementRole, TeamRole
from crossroads.registry.schemas import PersonIn

from .choices import EventKind, Stage, Verdict

TeamRoleCode = Literal[tuple(TeamRole.values)]
RoleCode = Literal[tuple(InvolvementRole.values)]
HandlingCodeValue = Literal[tuple(HandlingCode.values)]
Reason = Field("", max_length=500)
EventKindCode = Literal[tuple(EventKind.values)]
StageCode = Literal[tuple(Stage.values)]
VerdictCode = Literal[("", *Verdict.values)]
Amount = Field(None, ge=0, le=10**9, max_digits=12, decimal_places=2)


class TeamMemberIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    team_role: TeamRoleCode


class TeamMemberOut(Schema):
    username: str = Field(..., alias="user.username")
    team_role: str


class CaseStateOut(Schema):
    version: int
    handling_code: str
    owner_agency_id: int
    team: list[TeamMemberOut]


class CaseStateConflict(Schema):
    detail: str
    version: int
    current: CaseStateOut


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


class OutcomeIn(Schema):
    verdict: VerdictCode = ""
    custodial_months: int | None = Field(None, ge=1, le=1200)
    suspended: bool = False
    fine_eur: Decimal | None = Amount
    confiscation: bool = False
    compensation_claimed_eur: Decimal | None = Amount
    compensation_awarded_eur: Decimal | None = Amount
    non_punishment_invoked: bool = False


class ProceedingIn(OutcomeIn):
    person_id: Id
    offence: str = Field(..., min_length=1, max_length=40)
    stage: StageCode = "investigation"
    investigation_opened_on: IsoDate
    indicted_on: IsoDate | None = None
    verdict_on: IsoDate | None = None
    sentenced_on: IsoDate | None = None
    appealed_on: IsoDate | None = None
    final_on: IsoDate | None = None


class StageIn(OutcomeIn):
    stage: StageCode
    on: IsoDate


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    on: datetime.date
    verdict: str
    changed_by: str = Field(..., alias="changed_by.username")


class ProceedingOut(Schema):
    id: int
    case_id: int
    person_id: int
    offence: str = Field(..., alias="offence.code")
    article: str = Field(..., alias="offence.article")
    stage: str
    verdict: str
    investigation_opened_on: datetime.date
    indicted_on: datetime.date | None
    verdict_on: datetime.date | None
    sentenced_on: datetime.date | None
    appealed_on: datetime.date | None
    final_on: datetime.date | None
    custodial_months: int | None
    suspended: bool
    fine_eur: Decimal | None
    confiscation: bool
    compensation_claimed_eur: Decimal | None
    compensation_awarded_eur: Decimal | None
    non_punishment_invoked: bool
    stages: list[StageChangeOut]

    @staticmethod
    def resolve_stages(obj):
        return list(obj.stages.all())


class OffenceOut(Schema):
    id: int
    jurisdiction: str = Field(..., alias="jurisdiction_id")
    code: str
    category: str
    article: str
    title: str
    source: str
    checked: bool
    version: int  # send it as If-Match to change (crossroads.versions)


class OffenceConflict(Schema):
    detail: str
    version: int
    current: OffenceOut


class OffenceIn(Schema):
    article: str = Field("", max_length=40)
    title: str = Field(..., min_length=1, max_length=200)
    source: str = Field(..., max_length=300)
    checked: bool = False


class CrimeGroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)


class CrimeGroupOut(Schema):
    id: int
    name: str


class SuspectMarkerIn(Schema):
    public_official: bool = False
    group_id: Id | None = None
    official_agency_id: Id | None = None


class ScopeOut(Schema):
    person_id: int
    scope: str


class SuspectMarkerOut(Schema):
    person_id: int
    public_official: bool
    official_agency_id: int | None = None
    group_id: int | None
    group: str | None


class CaseMarkersOut(Schema):
    scope: list[ScopeOut]
    suspects: list[SuspectMarkerOut]


class CaseMarkersConflict(Schema):
    detail: str
    version: int
    current: CaseMarkersOut
