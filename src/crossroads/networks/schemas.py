"""Ninja schemas of networks: FtM entities and links as the API takes and gives them."""

from typing import Literal

from ninja import Field, Schema

from crossroads.pagination import PageFilters

from .choices import LINK_ENDS

LinkSchema = Literal[tuple(LINK_ENDS)]
# An FtM date, as precise as known: 2021, 2021-03, 2021-03-04, 2021-03-04T10:30(:00)
FTM_DATE = r"^(\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?)?$"


class EntityIn(Schema):
    schema_: str = Field(alias="schema", description="an FtM schema: Person, Organization, "
                         "Company, LegalEntity, Address, Vehicle, BankAccount, UserAccount")
    properties: dict[str, list[str]] = Field(default_factory=dict)
    source: str = Field(max_length=200, description="where it came from")
    id: str = Field("", max_length=128, description="the FtM id (a new one if empty)")
    person_id: int | None = Field(None, description="the register's person, of this case")


class LinkIn(Schema):
    schema_: str = Field(alias="schema", description="an FtM interval: Associate, Family, "
                         "Membership, Employment, Ownership, Payment, Call, Message, Trip")
    source_entity: str = Field(max_length=128, description="FtM id of the first end")
    target_entity: str = Field(max_length=128, description="FtM id of the second end")
    properties: dict[str, list[str]] = Field(default_factory=dict)
    source: str = Field(max_length=200)
    id: str = Field("", max_length=128)


class EntityOut(Schema):
    id: int
    ftm_id: str
    schema_: str = Field(alias="schema")
    caption: str
    case_id: int
    case_reference: str
    person_id: int | None
    source: str
    properties: dict[str, list[str]]

    @staticmethod
    def resolve_case_reference(obj) -> str:
        return obj.case.reference


class LinkOut(Schema):
    id: int
    ftm_id: str
    schema_: str = Field(alias="schema")
    case_id: int
    source_entity_id: int
    target_entity_id: int
    start_date: str
    end_date: str
    source: str
    properties: dict[str, list[str]]


class SharedOut(Schema):
    entity: EntityOut
    kind: str = Field(description="the selector both carry (phone, email, iban, plate, ...)")


class NeighboursOut(Schema):
    entity: EntityOut
    links: list[LinkOut]
    neighbours: list[EntityOut]
    shared: list[SharedOut] = Field(description="entities of any case you may see that share "
                                    "a selector with this one")
    truncated: bool


class EntityFilters(PageFilters):
    schema_: str = Field("", alias="schema")


class NeighbourFilters(Schema):
    schema_: list[LinkSchema] = Field(default_factory=list, alias="schema",
                                      description="link schemata to follow (all if none)")
    start: str = Field("", max_length=32, pattern=FTM_DATE,
                       description="links ending on or after (FtM date)")
    end: str = Field("", max_length=32, pattern=FTM_DATE, description="links starting on or before")


class CdrMappingIn(Schema):
    caller: str = Field(max_length=100, description="the column of the calling number")
    receiver: str = Field(max_length=100, description="the column of the called number")
    start: str = Field(max_length=100, description="the column of the call's start (a date)")
    duration: str = Field("", max_length=100, description="the column of seconds (optional)")
    source: str = Field("", max_length=200, description="where the records came from")
    preview: bool = Field(True, description="parse only; nothing is written")


class CdrRowOut(Schema):
    row: int
    caller: str
    receiver: str
    start: str
    duration: str


class CdrErrorOut(Schema):
    row: int
    column: str
    msg: str


class CdrOut(Schema):
    preview: bool
    rows: list[CdrRowOut] = Field(description="the rows taken (the first 50 in a preview)")
    accepted: int
    errors: list[CdrErrorOut] = Field(description="every rejected row, by column")
    calls: int
    new_entities: int


class BankMappingIn(Schema):
    """Which columns of a bank statement hold what; a blank one is guessed from the header."""

    date: str = Field("", max_length=100, description="the column of the booking date")
    amount: str = Field("", max_length=100, description="the column of the signed amount "
                        "(negative: paid out of the statement's account)")
    debit: str = Field("", max_length=100, description="or: the column of debits (paid out)")
    credit: str = Field("", max_length=100, description="and the column of credits (paid in)")
    currency: str = Field("", max_length=100, description="the column of the ISO 4217 code")
    account: str = Field("", max_length=100, description="the column of the statement's IBAN")
    holder: str = Field("", max_length=100, description="the column of its holder's name")
    counterparty: str = Field("", max_length=100, description="the counterparty's name")
    counterparty_iban: str = Field("", max_length=100, description="the counterparty's IBAN")
    purpose: str = Field("", max_length=100, description="the purpose or reference text")
    source: str = Field("", max_length=200, description="where the statement came from")
    preview: bool = Field(True, description="parse only; nothing is written")


class BankRowOut(Schema):
    row: int
    date: str
    amount: str = Field(description="signed: negative when paid out of the account")
    currency: str
    account: str
    holder: str
    counterparty: str
    counterparty_iban: str
    purpose: str


class BankOut(Schema):
    preview: bool
    mapping: dict[str, str] = Field(description="the columns read (guesses filled in)")
    rows: list[BankRowOut] = Field(description="the rows taken (the first 50)")
    accepted: int
    errors: list[CdrErrorOut] = Field(description="every rejected row, by column")
    payments: int
    new_entities: int = Field(description="accounts and holders the case did not hold")
    already_held: int = Field(description="rows whose payment the case holds already")


class ScoredOut(Schema):
    entity: EntityOut
    score: float


class AnalysisOut(Schema):
    entities: int
    links: int = Field(description="links and cross-case joins (shared selectors) counted")
    sampled: bool = Field(description="betweenness estimated from a sample of sources")
    components: list[int] = Field(description="the size of each connected component")
    communities: list[list[int]] = Field(description="Leiden communities (entity ids)")
    brokers: list[ScoredOut] = Field(description="highest betweenness first")
    hubs: list[ScoredOut] = Field(description="highest degree first")


class PathOut(Schema):
    entities: list[EntityOut] = Field(description="from the first to the last; empty if the "
                                      "two are not joined")


class MergeCandidateOut(Schema):
    left: EntityOut
    right: EntityOut
    reasons: list[str] = Field(description="the selectors both carry (phone, iban, plate, ...)")
    judgement: str = Field(description="same, unsure, or empty if not judged yet")


class JudgementIn(Schema):
    left: int
    right: int
    verdict: str = Field(description="same, different or unsure")


class JudgementOut(Schema):
    left_id: int
    right_id: int
    verdict: str
