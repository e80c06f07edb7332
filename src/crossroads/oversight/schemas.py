"""Shapes of the oversight routes."""

import datetime

from ninja import Schema

from crossroads.api_types import Limit, Offset


class AlertOut(Schema):
    id: int
    kind: str
    username: str
    severity: str
    status: str
    entries: list[int]
    jurisdiction: str
    person_id: int | None
    facts: dict
    first_at: datetime.datetime
    last_at: datetime.datetime
    raised_at: datetime.datetime
    assigned_to: str | None

    @staticmethod
    def resolve_assigned_to(obj):
        return obj.assigned_to.get_username() if obj.assigned_to_id else None


class AlertPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AlertOut]


class AlertFilters(Schema):
    status: str = ""
    kind: str = ""
    severity: str = ""
    username: str = ""
    limit: Limit | None = None
    offset: Offset = 0


class AccessOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    role: str
    agency_id: int | None
    action: str
    object_type: str
    object_id: str
    via: str
    purpose: str
    outcome: str
    break_glass: list[int]

    @staticmethod
    def resolve_via(obj):
        return obj.details.get("via", "")

    @staticmethod
    def resolve_break_glass(obj):
        return obj.details.get("break_glass", [])


class AccessPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AccessOut]


class PageFilters(Schema):
    limit: Limit | None = None
    offset: Offset = 0


class TriageIn(Schema):
    status: str
    reason: str = ""


class RecommendationOut(Schema):
    id: int
    inquiry_id: int
    agency_id: int
    agency: str
    text: str
    deadline: datetime.date
    status: str
    overdue: bool
    answer: str
    answered_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.name


class InquiryOut(Schema):
    id: int
    jurisdiction: str
    source: str
    subject: str
    complainant: str
    received_on: datetime.date | None
    agency_id: int | None
    account: str | None
    status: str
    findings: str
    reason: str
    alerts: list[int]
    opened_at: datetime.datetime
    investigating_at: datetime.datetime | None
    findings_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_account(obj):
        return obj.account.get_username() if obj.account_id else None

    @staticmethod
    def resolve_alerts(obj):
        return sorted(a.pk for a in obj.alerts.all())


class InquiryDetail(InquiryOut):
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_recommendations(obj):
        return list(obj.recommendations.all())


class InquiryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InquiryOut]


class InquiryFilters(Schema):
    status: str = ""
    overdue: bool = False
    limit: Limit | None = None
    offset: Offset = 0


class InquiryIn(Schema):
    """Either `alerts` (ids of access alerts) or a complaint: `subject`, `complainant`,
    `received_on` and the `agency_id` and/or `account` (user name) complained about."""

    alerts: list[int] = []
    subject: str = ""
    complainant: str = ""
    received_on: datetime.date | None = None
    agency_id: int | None = None
    account: str = ""


class InquiryStepIn(Schema):
    """`status`: investigating, findings_issued (the findings written first), closed, or
    withdrawn (with a `reason`)."""

    status: str
    reason: str = ""


class FindingsIn(Schema):
    findings: str


class AlertsIn(Schema):
    alerts: list[int]


class RecommendationIn(Schema):
    agency_id: int | None = None
    text: str = ""
    deadline: datetime.date | None = None


class AnswerIn(Schema):
    status: str
    answer: str = ""
    answered_on: datetime.date | None = None
