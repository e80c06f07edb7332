"""API schemas of victim assistance (types here, domain rules in the services)."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool

from crossroads.api_types import Id, IsoDate

from .choices import (
    INDICATORS_BY_CODE,
    REFERRAL_PURPOSES,
    RENAMED_REFERRAL_REASONS,
    ChildMeasure,
    ConsentPurpose,
    IdentificationStatus,
    MilestoneKind,
    PermitDecision,
    PermitGround,
    ReferralReason,
    ReferralUrgency,
    ReturnRisk,
    ServiceKind,
)

PurposeCode = Literal[tuple(ConsentPurpose.values)]
ReferralPurposeCode = Literal[tuple(REFERRAL_PURPOSES)]
# The reasons' old HTCDS spelling (AdditionalServicesRequired, …) is still taken.
ReasonCode = Annotated[Literal[tuple(ReferralReason.values)],
                       BeforeValidator(lambda value: RENAMED_REFERRAL_REASONS.get(value, value)
                                       if isinstance(value, str) else value)]
StatusCode = Literal[tuple(IdentificationStatus.values)]
IndicatorCode = Literal[tuple(INDICATORS_BY_CODE)]
ServiceCode = Literal[tuple(ServiceKind.values)]
MilestoneCode = Literal[tuple(MilestoneKind.values)]
Reason = Field("", max_length=500)


class ConsentIn(Schema):
    purpose: PurposeCode
    granted: StrictBool
    note: str = Field("", max_length=300)


class ConsentOut(Schema):
    id: int
    person_id: int
    purpose: str
    granted: bool
    recorded_at: datetime.datetime
    recorded_by: str = Field(..., alias="recorded_by.username")
    agency_id: int
    note: str


class ReferralIn(Schema):
    to_agency: Id
    purpose: ReferralPurposeCode
    reason: ReasonCode = ReferralReason.ADDITIONAL_SERVICES
    note: str = Field("", max_length=2000)
    transfer: StrictBool = False
    urgency: Literal[tuple(ReferralUrgency.values)] = ReferralUrgency.ROUTINE
    best_interest_override: str = Field("", max_length=500, description=(
        "For a child whose referral consent is missing: why sharing is in the child's best "
        "interest (recorded and audited)."))


class ReasonIn(Schema):
    reason: str = Reason


class ReferralOut(Schema):
    id: int
    case_id: int
    case_reference: str = Field(..., alias="case.reference")
    from_agency: int = Field(..., alias="from_agency_id")
    to_agency: int = Field(..., alias="to_agency_id")
    purpose: str
    reason: str
    transfer: bool
    urgency: str
    status: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: str


class FileIn(Schema):
    person_id: Id
    may_be_child: StrictBool = False
    unaccompanied: StrictBool = False


class ScreeningIn(Schema):
    indicators: list[IndicatorCode] = Field(..., max_length=60)
    notes: str = Field("", max_length=4000)


class ScreeningOut(Schema):
    id: int
    screened_at: datetime.datetime
    child_form: bool
    indicators: list[str]
    score: int
    threshold: int
    suggests_presumed: bool


class DecisionIn(Schema):
    status: StatusCode
    reason: str = Reason
    screening_id: Id | None = None
    # The file's status the decision was taken on: a 409 if another decision came first.
    from_status: StatusCode | None = None


class DecisionOut(Schema):
    from_status: str
    to_status: str
    decided_at: datetime.datetime
    decided_by: str = Field(..., alias="decided_by.username")
    agency_id: int
    reason: str


class TimerOut(Schema):
    id: int
    file_id: int
    case_id: int = Field(..., alias="file.case_id")
    kind: str
    starts_on: datetime.date
    due_on: datetime.date
    completed_on: datetime.date | None
    outcome: str
    state: str


class OutcomeIn(Schema):
    outcome: str = Field(..., max_length=500)


class ServiceIn(Schema):
    kind: ServiceCode
    planned_on: IsoDate | None = None
    provider: Id | None = None
    note: str = Field("", max_length=2000)


class ServiceUpdateIn(Schema):
    status: Literal["delivered", "refused"]
    on: IsoDate | None = None
    note: str = Field("", max_length=2000)


class ServiceOut(Schema):
    id: int
    kind: str
    status: str
    planned_on: datetime.date
    delivered_on: datetime.date | None
    refused_on: datetime.date | None
    provider: int | None = Field(None, alias="provider_id")
    version: int  # send it as If-Match to update (crossroads.versions)


class MilestoneIn(Schema):
    kind: MilestoneCode
    reached_on: IsoDate
    note: str = Field("", max_length=2000)


class MilestoneOut(Schema):
    id: int
    kind: str
    reached_on: datetime.date


class StayOut(Schema):
    id: int
    shelter_id: int
    file_id: int
    admitted_on: datetime.date
    discharged_on: datetime.date | None


class FlagOut(Schema):
    id: int
    person_id: int
    via: str
    probability: float | None
    raised_at: datetime.datetime


class NoticeOut(Schema):
    """A re-trafficking flag routed to the caller: a person of a case they may see may have been
    registered again, in a case they may not see (`new_case_*` only when they may)."""

    id: int
    case_id: int
    case_reference: str
    person_id: int
    via: str
    probability: float | None
    raised_at: datetime.datetime
    new_case_id: int | None = None
    new_case_reference: str | None = None

    @staticmethod
    def resolve_case_id(notice) -> int:
        return notice.earlier_file.case_id

    @staticmethod
    def resolve_case_reference(notice) -> str:
        return notice.earlier_file.case.reference

    @staticmethod
    def resolve_person_id(notice) -> int:
        return notice.earlier_file.person_id

    @staticmethod
    def resolve_new_case_id(notice) -> int | None:
        return notice.new_case.pk if notice.new_case else None

    @staticmethod
    def resolve_new_case_reference(notice) -> str | None:
        return notice.new_case.reference if notice.new_case else None


class PermitIn(Schema):
    """A residence permit application and its decision (CETS 197 Art. 14)."""

    ground: Literal[tuple(PermitGround.values)]
    applied_on: IsoDate
    decision: Literal[tuple(PermitDecision.values)] = PermitDecision.PENDING
    decided_on: IsoDate | None = None
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = None
    renewal_of: Id | None = Field(None, description="the granted permit this one renews")
    note: str = Field("", max_length=500)


class PermitOut(Schema):
    id: int
    file_id: int
    ground: str
    applied_on: datetime.date
    decision: str
    decided_on: datetime.date | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    renewal_of: int | None = Field(None, alias="renewal_of_id")
    note: str
    recorded_at: datetime.datetime
    version: int  # send it as If-Match to change (crossroads.versions)


class AssessmentIn(Schema):
    """A child's best-interests assessment (CETS 197 Art. 10(4), 16(7))."""

    assessed_on: IsoDate
    assessor: str = Field(..., max_length=200, description="name and profession")
    outcome: str = Field(..., max_length=2000)
    guardian_appointed: StrictBool = False
    guardian_appointed_on: IsoDate | None = None
    child_heard: StrictBool = False
    child_views: str = Field("", max_length=2000)
    return_risk: Literal[tuple(ReturnRisk.values)] = ReturnRisk.NOT_ASSESSED
    measures: list[Literal[tuple(ChildMeasure.values)]] = Field([], max_length=len(ChildMeasure))


class AssessmentOut(Schema):
    id: int
    file_id: int
    assessed_on: datetime.date
    assessor: str
    guardian_appointed: bool
    guardian_appointed_on: datetime.date | None
    child_heard: bool
    child_views: str
    return_risk: str
    measures: list[str]
    outcome: str
    agency_id: int
    recorded_at: datetime.datetime
    version: int  # send it as If-Match to change (crossroads.versions)


class FileOut(Schema):
    id: int
    person_id: int
    case_id: int
    status: str
    presumed_child: bool
    unaccompanied: bool
    foreign: bool
    identified_on: datetime.date | None
    exited_on: datetime.date | None
    decisions: list[DecisionOut]
    screenings: list[ScreeningOut]
    timers: list[TimerOut]
    permits: list[PermitOut]
    services: list[ServiceOut] | None = None
    milestones: list[MilestoneOut] | None = None
    stays: list[StayOut] | None = None


class AdmissionIn(Schema):
    file_id: Id
    admitted_on: IsoDate | None = None


class DischargeIn(Schema):
    on: IsoDate | None = None


class ShelterOut(Schema):
    id: int
    name: str
    agency_id: int
    capacity: int
    occupied: int
    free: int
    full: bool
    accepts_children: bool
    active: bool
    version: int  # send it as If-Match to change (crossroads.versions)


class ShelterIn(Schema):
    name: str = Field(max_length=200)
    capacity: int = Field(ge=1, le=999)
    accepts_children: bool = False


class ShelterChangeIn(ShelterIn):
    active: bool = True
