"""Schemas of field capture: the envelope a device sends, the receipt it keeps, and the screening,
contact note and report from the field inside a sealed submission (the registration inside one
is the registry's RegistrationIn)."""

import datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, model_validator

KindCode = Literal["screening", "registration", "contact_note", "field_report"]


class SealedIn(Schema):
    v: int
    kid: str = Field(..., max_length=40)
    epk: str = Field(..., max_length=200)
    iv: str = Field(..., max_length=40)
    ct: str = Field(..., max_length=200_000)


class SubmissionIn(Schema):
    content_id: UUID
    kind: KindCode
    sealed: SealedIn


class ProblemOut(Schema):
    loc: list[str | int]
    msg: str


class ReceiptOut(Schema):
    """What the device keeps after the sync: no content, only what became of it."""

    content_id: UUID
    kind: str
    status: str
    receipt: str
    received_at: datetime.datetime
    problems: list[ProblemOut]


class DeviceOut(Schema):
    kid: str
    public_key: str
    csrf_token: str
    offline_hours: int
    pin_attempts: int


class TargetData(Schema):
    """Whom a capture is about: a case on the node (its reference, and the person's number when
    the case has more than one victim), or a registration captured with it (its content id)."""

    case_reference: str = Field("", max_length=40)
    person_id: int | None = Field(None, ge=1)
    registration: UUID | None = None

    @model_validator(mode="after")
    def one_target(self):
        if bool(self.case_reference.strip()) == bool(self.registration):
            raise ValueError("Give the case reference or the registration, one of them.")
        self.case_reference = self.case_reference.strip().upper()
        return self


class ScreeningData(TargetData):
    """A screening captured in the field."""

    may_be_child: bool = False
    indicators: list[str] = Field(default_factory=list, max_length=60)
    notes: str = Field("", max_length=2000)


class ContactNoteData(TargetData):
    """A contact note captured in the field; its values are checked by the assistance service
    (assistance.services.contacts), every mistake at once."""

    contacted_on: datetime.date | None = None
    mode: str = Field("", max_length=20)
    narrative: str = Field("", max_length=10_000)


class FieldReportData(Schema):
    """A report from the field: the tips app's report (its vocabularies, checked by its
    service), `seen_at` when it was seen."""

    text: str = Field("", max_length=10_000)
    municipality: str = Field("", max_length=120)
    place: str = Field("", max_length=300)
    seen_at: datetime.datetime | None = None
    occurred: str = Field("unknown", max_length=10)
    affected: str = Field("unknown", max_length=10)
    urgency: str = Field("routine", max_length=10)
    language: str = Field("en", max_length=8)
