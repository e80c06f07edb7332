"""Oversight routes: the access alerts, who saw a person, and the inquiries with their
recommendations (oversight only)."""

from django.http import HttpResponse
from ninja import Query, Router, Status

from crossroads.api_types import check_also_on_schema_errors
from crossroads.pagination import page
from crossroads.versions import etag, if_match

from . import queries, services
from .schemas import (
    AccessPage,
    AlertFilters,
    AlertOut,
    AlertPage,
    AlertsIn,
    AnswerIn,
    FindingsIn,
    InquiryDetail,
    InquiryFilters,
    InquiryIn,
    InquiryPage,
    InquiryStepIn,
    PageFilters,
    RecommendationIn,
    RecommendationOut,
    TriageIn,
)

router = Router(tags=["oversight"])


@router.get("/oversight/alerts", response=AlertPage)
def list_alerts(request, filters: Query[AlertFilters]):
    """The alerts of the caller's jurisdiction, newest first; `entries` are the ids of the audit
    entries behind each."""
    return page(queries.alerts(request.user, filters.dict()), filters.limit, filters.offset)


@router.get("/oversight/alerts/{alert_id}", response=AlertOut)
def get_alert(request, alert_id: int):
    return queries.alert(request.user, alert_id)


@router.post("/oversight/alerts/{alert_id}/status", response=AlertOut)
def triage_alert(request, alert_id: int, payload: TriageIn):
    """Move the alert along its triage (under_review, justified, referred, dismissed, open);
    closing it needs a reason."""
    return services.move(request.user, alert_id, payload.status, payload.reason)


@router.get("/oversight/persons/{person_id}/access", response=AccessPage)
def person_access(request, person_id: int, filters: Query[PageFilters]):
    """Every read and change of the person recorded in the caller's jurisdiction, newest
    first: who, when, through which page, route or export (`via`), with what purpose."""
    return page(queries.person_access(request.user, person_id), filters.limit, filters.offset)


# ----------------------------------------------------------------------------- inquiries
# Writes take `If-Match` (the ETag of the GET): one built from an older read is a 409.

def _versioned(response: HttpResponse, shown):
    response["ETag"] = etag(shown.version)
    return shown


def _inquiry(request, response: HttpResponse, inquiry_id: int):
    return _versioned(response, queries.inquiry(request.user, inquiry_id))


@router.get("/oversight/inquiries", response=InquiryPage, url_name="oversight_inquiries")
def list_inquiries(request, filters: Query[InquiryFilters]):
    """The inquiries of the caller's jurisdiction, newest first (`overdue=true`: those with a
    recommendation past its deadline and still owed)."""
    return page(queries.inquiries(request.user, filters.dict()), filters.limit, filters.offset)


@router.post("/oversight/inquiries", response={201: InquiryDetail},
             url_name="oversight_inquiries")
def open_inquiry(request, response: HttpResponse, payload: InquiryIn):
    """Open an inquiry from access alerts (`alerts`) or from a complaint (`subject`,
    `complainant`, `received_on`, `agency_id` and/or `account`)."""
    if payload.alerts:
        made = services.open_from_alerts(request.user, payload.alerts, payload.subject)
    else:
        made = services.open_from_complaint(request.user, services.ComplaintInput(
            **payload.dict(exclude={"alerts"})))
    return Status(201, _inquiry(request, response, made.pk))


@router.get("/oversight/inquiries/{inquiry_id}", response=InquiryDetail)
def get_inquiry(request, response: HttpResponse, inquiry_id: int):
    return _inquiry(request, response, inquiry_id)


@router.post("/oversight/inquiries/{inquiry_id}/status", response=InquiryDetail)
def move_inquiry(request, response: HttpResponse, inquiry_id: int, payload: InquiryStepIn):
    """open → investigating → findings_issued → closed; withdrawn (with a `reason`) from open
    or investigating."""
    services.move_inquiry(request.user, inquiry_id, payload.status, payload.reason,
                          version=if_match(request))
    return _inquiry(request, response, inquiry_id)


@router.put("/oversight/inquiries/{inquiry_id}/findings", response=InquiryDetail)
def write_findings(request, response: HttpResponse, inquiry_id: int, payload: FindingsIn):
    """The findings, while the inquiry is investigated."""
    services.write_findings(request.user, inquiry_id, payload.findings, version=if_match(request))
    return _inquiry(request, response, inquiry_id)


@router.post("/oversight/inquiries/{inquiry_id}/alerts", response=InquiryDetail)
def link_alerts(request, response: HttpResponse, inquiry_id: int, payload: AlertsIn):
    services.link_alerts(request.user, inquiry_id, payload.alerts, version=if_match(request))
    return _inquiry(request, response, inquiry_id)


@router.post("/oversight/inquiries/{inquiry_id}/recommendations",
             response={201: RecommendationOut}, url_name="oversight_recommend")
def recommend(request, response: HttpResponse, inquiry_id: int, payload: RecommendationIn):
    """A recommendation to an agency, with a deadline, once the findings are issued."""
    made = services.recommend(request.user, inquiry_id, services.RecommendationInput(
        **payload.dict()), version=if_match(request))
    return Status(201, _versioned(response, made))


@router.get("/oversight/recommendations/{recommendation_id}", response=RecommendationOut)
def get_recommendation(request, response: HttpResponse, recommendation_id: int):
    return _versioned(response, queries.recommendation(request.user, recommendation_id))


@router.post("/oversight/recommendations/{recommendation_id}/answer",
             response=RecommendationOut, url_name="oversight_answer")
def answer_recommendation(request, response: HttpResponse, recommendation_id: int,
                          payload: AnswerIn):
    """The agency's answer as its letter says (`accepted`, `rejected`, `implemented`), entered
    by oversight; agencies have no access to inquiries."""
    services.answer(request.user, recommendation_id, services.AnswerInput(**payload.dict()),
                    version=if_match(request))
    return _versioned(response, queries.recommendation(request.user, recommendation_id))


# A complaint, a recommendation or an answer whose body fails its schema (a malformed date) still
# has its other fields checked: one 422 lists both kinds of mistake.
def _check_complaint(user, payload: InquiryIn) -> None:
    if not payload.alerts:
        services.check_complaint(user, services.ComplaintInput(**payload.dict(exclude={"alerts"})))


check_also_on_schema_errors("oversight_inquiries", InquiryIn, _check_complaint)
check_also_on_schema_errors("oversight_recommend", RecommendationIn, lambda user, payload,
                            inquiry_id: services.check_recommendation(
                                user, int(inquiry_id), services.RecommendationInput(
                                    **payload.dict())))
check_also_on_schema_errors("oversight_answer", AnswerIn, lambda user, payload,
                            recommendation_id: services.check_answer(
                                user, int(recommendation_id), services.AnswerInput(
                                    **payload.dict())))
