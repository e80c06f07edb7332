import datetime
from decimal import Decimal

from ninja import Field, Schema

from crossroads.api_types import Id, IsoDate, Year
from crossroads.pagination import PageFilters

from .choices import DEFAULT_CURRENCY


class ObligationFilters(PageFilters):
    instrument: str = ""
    pillar: str = ""
    verification: str = ""


class ObligationOut(Schema):
    id: str = Field(..., alias="key")
    instrument: str
    article: str
    paragraph: str
    pillar: str
    obligation: str
    check: str = Field(..., alias="question")
    note: str
    verification: str
    verified_by: str | None = Field(None, alias="verified_by.username")
    verified_at: datetime.datetime | None
    verified_source: str
    corrected: bool
    updated_at: datetime.datetime


class RevisionOut(Schema):
    changed_by: str | None = Field(None, alias="changed_by.username")
    changed_at: datetime.datetime
    before: dict
    after: dict
    reason: str


class ObligationDetailOut(ObligationOut):
    revisions: list[RevisionOut]


class ScorecardFilters(Schema):
    jurisdiction: str = ""
    cycle: int | None = None


class ScoreGroupOut(Schema):
    key: str
    counts: dict[str, int]
    total: int
    assessed: int
    score: float | None
    unknown_share: float | None
    previous_score: float | None
    change: float | None


class TierOut(Schema):
    report_year: int
    tier: str
    tier_basis: str | None = None
    source: str


class FigureOut(Schema):
    kind: str
    year: int
    value: str
    source: str
    note: str


class ScorecardOut(Schema):
    jurisdiction: str
    cycle: int
    year: int
    status: str
    previous_cycle: int | None
    score_rule: str
    overall: ScoreGroupOut
    pillars: list[ScoreGroupOut]
    instruments: list[ScoreGroupOut]
    tip_tiers: list[TierOut]
    figures: list[FigureOut]
    publication: str | None

# ---- agreements register -------------------------------------------------------------------

class AgreementFilters(PageFilters):
    status: str = ""
    kind: str = ""
    scope: str = ""
    party: str = ""
    title: str = ""


class PartyIn(Schema):
    country: str
    agency: str = ""


class DocumentIn(Schema):
    title: str
    reference: str = ""
    url: str = ""


class AgreementIn(Schema):
    title: str
    kind: str
    scope: list[str]
    scope_other: str = ""
    status: str = "draft"
    signed_on: IsoDate | None = None
    in_force_on: IsoDate | None = None
    expires_on: IsoDate | None = None
    parties: list[PartyIn]
    documents: list[DocumentIn] = []
    notes: str = ""


class PartyOut(Schema):
    country: str
    agency: str


class DocumentOut(Schema):
    title: str
    reference: str
    url: str


class AgreementOut(Schema):
    id: int
    jurisdiction: str = Field(..., alias="jurisdiction_id")
    title: str
    kind: str
    scope: list[str]
    scope_other: str
    status: str
    in_force: bool
    signed_on: datetime.date | None
    in_force_on: datetime.date | None
    expires_on: datetime.date | None
    parties: list[PartyOut]
    documents: list[DocumentOut]
    notes: str
    created_by: str | None = Field(None, alias="created_by.username")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_in_force(agreement):
        return agreement.is_in_force()

    @staticmethod
    def resolve_parties(agreement):
        return list(agreement.parties.all())

    @staticmethod
    def resolve_documents(agreement):
        return list(agreement.documents.all())


# ---- funding lines -------------------------------------------------------------------------

class FundingFilters(PageFilters):
    year: Year | None = None
    source: str = ""
    recipient_kind: str = ""


class FundingIn(Schema):
    year: int
    source: str
    donor: str = ""
    recipient_kind: str
    shelter_id: Id | None = None
    recipient: str = ""
    currency: str = DEFAULT_CURRENCY
    needed: Decimal | None = None
    allocated: Decimal
    spent: Decimal | None = None
    evidence: str
    notes: str = ""


class FundingOut(Schema):
    id: int
    jurisdiction: str = Field(..., alias="jurisdiction_id")
    year: int
    source: str
    donor: str
    recipient_kind: str
    shelter_id: int | None
    shelter_capacity: int | None
    recipient: str = Field(..., alias="recipient_name")
    currency: str
    needed: Decimal | None
    allocated: Decimal
    spent: Decimal
    unspent: Decimal
    unfunded: Decimal | None
    evidence: str
    notes: str
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_shelter_capacity(line):
        return line.shelter.capacity if line.shelter_id else None
