"""Oversight routes: the access alerts and who saw a person (oversight only)."""

from ninja import Query, Router

from crossroads.pagination import page

from . import queries, services
from .schemas import AccessPage, AlertFilters, AlertOut, AlertPage, PageFilters, TriageIn

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
