import datetime

from ninja import Field, Schema

from crossroads.pagination import PageFilters


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
