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
