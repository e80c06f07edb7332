"""API schemas of reports from the public (types here, domain rules in the services)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from crossroads.registry.choices import HandlingCode

from .choices import HOTLINE_CHANNELS, Affected, NoActionReason, Occurred, Urgency

Text = Field(..., max_length=10_000)
Short = Field("", max_length=300)


class PublicReportIn(Schema):
    text: str = Text
    municipality: str = Field(..., max_length=120, description=(
        "`<jurisdiction>:<municipality>` as the form lists them (`AL:Tiranë`), `<jurisdiction>:` "
        "for elsewhere (then `place` is required), or a name only one jurisdiction lists."))
    language: str = Field(..., max_length=8)
    contact: str = Short
    place: str = Short
    occurred: Literal[tuple(Occurred.values)] = Occurred.UNKNOWN
    affected: Literal[tuple(Affected.values)] = Affected.UNKNOWN
    urgency: Literal[tuple(Urgency.values)] = Urgency.ROUTINE


class HotlineCallIn(PublicReportIn):
    channel: Literal[tuple(c.value for c in HOTLINE_CHANNELS)]
    call_at: datetime.datetime
    call_notes: str = Field("", max_length=10_000)


class ReceiptOut(Schema):
    receipt: str


class ReceiptIn(Schema):
    receipt: str = Field(..., max_length=64)


class ReplyIn(ReceiptIn):
    text: str = Text


class PublicMessageOut(Schema):
    author: str
    text: str = Field(..., alias="body")
    sent_at: datetime.date = Field(..., description="The day only.")

    @staticmethod
    def resolve_sent_at(message) -> datetime.date:
        return message.sent_at.date()


class ConversationOut(Schema):
    status: str
    messages: list[PublicMessageOut]


class ReportOut(Schema):
    id: int
    jurisdiction: str = Field(..., alias="jurisdiction_id")
    channel: str
    municipality: str
    urgency: str
    affected: str
    occurred: str
    status: str
    received_at: datetime.datetime
    due_at: datetime.datetime
    overdue: bool = Field(..., alias="is_overdue")
    assignee: str | None = Field(None, alias="assignee.username")
    case: str | None = Field(None, alias="case.reference")
    no_action_reason: str
    duplicate_of: int | None = Field(None, alias="duplicate_of_id")
    version: int


class MessageOut(Schema):
    author: str
    sent_by: str | None = Field(None, alias="sent_by.username")
    text: str = Field(..., alias="body")
    sent_at: datetime.datetime


class ReportDetailOut(ReportOut):
    language: str
    text: str = Field(..., alias="what_happened")
    place: str
    contact: str
    call_at: datetime.datetime | None
    call_notes: str
    messages: list[MessageOut]
    possible_duplicates: list[int]


class MessageIn(Schema):
    text: str = Text


class TriageIn(Schema):
    step: Literal["review", "assign", "no_action", "reopen", "new_case", "attach", "duplicate"]
    assignee: str = Field("", max_length=150, description="`assign`: a user name")
    reason: Literal[("", *NoActionReason.values)] = Field("", description="`no_action`")
    case: str = Field("", max_length=40, description="`attach`: the case's reference")
    handling_code: Literal[tuple(HandlingCode.values)] = Field(HandlingCode.H1,
                                                                description="`new_case`")
    duplicate_of: int | None = Field(None, ge=1, description="`duplicate`: the number of the "
                                                             "report this one repeats")


class ReportFilters(Schema):
    status: str = ""
    urgency: str = ""
    mine: bool = False
