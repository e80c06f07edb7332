"""Schemas of field capture: the envelope a device sends, the receipt it keeps, and the screening
inside a sealed submission (the registration inside one is the registry's RegistrationIn)."""

import datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, model_validator

KindCode = Literal["screening", "registration"]


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


class ScreeningData(Schema):
    """A screening captured in the field: of a case on the node (its reference, and the person's
    number when the case has more than one victim), or of a registration captured with it (its
    content id)."""

    case_reference: str = Field("", max_length=40)
    person_id: int | None = Field(None, ge=1)
    registration: UUID | None = None
    may_be_child: bool = False
    indicators: list[str] = Field(default_factory=list, max_length=60)
    notes: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def one_target(self):
        if bool(self.case_reference.strip()) == bool(self.registration):
            raise ValueError("Give the case reference or the registration, one of them.")
        self.case_reference = self.case_reference.strip().upper()
        return self
