"""API schemas of the registry (input validated by type here, by domain rules in services)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from crossroads.api_types import Country, Id, IsoDate, Limit, Offset, OptionalCountry

from . import services
from .break_glass import DEFAULT_HOURS
from .choices import (
    CaseStatus,
    DatePrecision,
    DocumentType,
    ExploitationForm,
    HandlingCode,
    InvolvementRole,
    LegalBasis,
    RecruiterRelation,
    Sex,
    TrialOutcome,
    VulnerableGroup,
)

SexCode = Literal[tuple(Sex.values)]
PrecisionCode = Literal[tuple(DatePrecision.values)]
FormCode = Literal[tuple(ExploitationForm.values)]
RoleCode = Literal[tuple(InvolvementRole.values)]
StatusCode = Literal[tuple(CaseStatus.values)]
OutcomeCode = Literal[("", *TrialOutcome.values)]
HandlingCodeValue = Literal[tuple(HandlingCode.values)]
RecruiterCode = Literal[tuple(RecruiterRelation.values)]
DocTypeCode = Literal[tuple(DocumentType.values)]
Name = Field(..., min_length=1, max_length=200)


class DocumentIn(Schema):
    doc_type: DocTypeCode
    number: str = Field(..., min_length=1, max_length=40)
    issuing_country: Country


class PersonIn(Schema):
    given_names: str = Name
    family_name: str = Name
    father_name: str = Field("", max_length=200)
    sex: SexCode = "U"
    birth_date: IsoDate | None = None
    birth_precision: PrecisionCode = "exact"
    place_of_birth: str = Field("", max_length=200)
    citizenships: list[Country] = Field(default_factory=list, max_length=5)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)
    phones: list[str] = Field(default_factory=list, max_length=10)
    emails: list[str] = Field(default_factory=list, max_length=10)
    addresses: list[str] = Field(default_factory=list, max_length=10)


def person_input(payload: PersonIn) -> services.PersonInput:
    """The service's input from a parsed person (registrations, updates, persons in a case)."""
    data = payload.dict()
    data["documents"] = [services.DocumentInput(**d) for d in data["documents"]]
    return services.PersonInput(**data)


class DocumentOut(Schema):
    doc_type: str
    number: str
    issuing_country: str


class ContactOut(Schema):
    kind: str
    value: str


class PersonSummary(Schema):
    id: int
    given_names: str
    family_name: str
    father_name: str
    sex: str
    birth_date: datetime.date | None
    birth_precision: str
    jurisdiction: str = Field(..., alias="jurisdiction_id")


class PersonOut(PersonSummary):
    version: int
    place_of_birth: str
    citizenships: list[str]
    aliases: list[str]
    documents: list[DocumentOut]
    contacts: list[ContactOut]
    involvements: list["PersonInvolvementOut"]

    @staticmethod
    def resolve_aliases(obj):
        return [a.name for a in obj.aliases.all()]


class PersonInvolvementOut(Schema):
    id: int
    case_id: int
    role: str


class AgencyRef(Schema):
    id: int
    name: str
    kind: str


class CaseSummary(Schema):
    id: int
    reference: str
    jurisdiction: str = Field(..., alias="jurisdiction_id")
    owner_agency: AgencyRef
    status: str
    handling_code: str
    opened_on: datetime.date


class VictimOnList(Schema):
    """A victim as the case list shows them: `name` only where the reader sees the case by name
    (otherwise null: the pages say "Person #id")."""

    person_id: int
    role: str
    name: str | None


class CaseListItem(CaseSummary):
    victims: list[VictimOnList] = Field(..., alias="victim_rows")
    forms: list[str]


class InvolvementOut(Schema):
    id: int
    case_id: int
    person_id: int
    role: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_at: datetime.datetime
    changed_by: str
    reason: str
    outcome: str

    @staticmethod
    def resolve_changed_by(obj):
        return obj.changed_by.get_username()


class ExploitationIn(Schema):
    forms: list[FormCode] = Field(..., min_length=1)
    year_of_registration: int | None = None
    labour_sectors: list[str] = Field(default_factory=list)
    sexual_types: list[str] = Field(default_factory=list)
    means_of_control: list[str] = Field(default_factory=list)
    recruiter_relation: RecruiterCode = "unknown"
    is_abduction: bool = False
    citizenship: OptionalCountry = ""
    country_of_recruitment: OptionalCountry = ""
    countries_of_transit: list[Country] = Field(default_factory=list, max_length=10)
    country_of_exploitation: OptionalCountry = ""
    municipality_of_exploitation: str = Field("", max_length=100)
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None


class ExploitationOut(Schema):
    id: int
    case_id: int
    person_id: int
    year_of_registration: int
    forms: list[str]
    labour_sectors: list[str]
    sexual_types: list[str]
    means_of_control: list[str]
    recruiter_relation: str
    is_abduction: bool
    citizenship: str
    country_of_recruitment: str
    countries_of_transit: list[str]
    country_of_exploitation: str
    municipality_of_exploitation: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    age_band: str
    is_minor: bool


class CaseDetail(CaseSummary):
    version: int
    summary: str | None
    assigned_agencies: list[AgencyRef]
    team: list[int]
    involvements: list[InvolvementOut]
    exploitation_records: list[ExploitationOut]
    status_history: list[StatusChangeOut]

    @staticmethod
    def resolve_team(obj):
        return [user.pk for user in obj.team.all()]


class CaseIn(Schema):
    handling_code: HandlingCodeValue = "H0"
    summary: str = Field("", max_length=5000)
    opened_on: IsoDate | None = None


class RegistrationIn(Schema):
    person: PersonIn
    case: CaseIn = Field(default_factory=CaseIn)
    exploitation: ExploitationIn
    role: Literal["victim", "presumed_victim"] = "victim"


class RegistrationOut(Schema):
    person_id: int
    case_id: int
    case_reference: str
    exploitation_record_id: int


class StatusIn(Schema):
    status: StatusCode
    reason: str = Field("", max_length=500)
    outcome: OutcomeCode = ""   # required when a case closes from trial, else empty


class InvolvementIn(Schema):
    person_id: int
    role: RoleCode


class ExploitationCreateIn(ExploitationIn):
    person_id: int


PersonOut.model_rebuild()


class PersonConflict(Schema):
    detail: str
    version: int
    current: PersonOut


class CaseConflict(Schema):
    detail: str
    version: int
    current: CaseDetail


class BreakGlassIn(Schema):
    case_reference: str = ""
    purpose: str = ""
    hours: int = DEFAULT_HOURS


class BreakGlassOut(Schema):
    id: int
    case_id: int
    case_reference: str = Field(..., alias="case.reference")
    user: str = Field(..., alias="user.username")
    role: str
    agency: str = Field(..., alias="agency.name")
    purpose: str
    granted_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    active: bool = Field(..., alias="is_active")


class BreakGlassFilters(Schema):
    case: Id | None = None
    active: bool | None = None
    limit: Limit | None = None
    offset: Offset = 0


class BreakGlassPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BreakGlassOut]


class VulnerabilityIn(Schema):
    """A person's vulnerable group (special-category data): refused without its legal basis."""

    group: Literal[tuple(VulnerableGroup.values)]
    legal_basis: Literal[("", *LegalBasis.values)] = ""  # "" is refused with its reason
    legal_reference: str = Field("", max_length=300,
                                 description="the law, decision or consent record relied on")


class VulnerabilityOut(Schema):
    id: int
    person_id: int
    group: str
    legal_basis: str
    legal_reference: str
    recorded_at: datetime.datetime
