"""API of reports from the public. The three public routes need no log-in and keep nothing of
the caller (their budget is in memory only, `limits`); the triage routes go through the policy."""

from django.http import Http404
from ninja import Query, Router, Status

from crossroads.access import idempotency
from crossroads.pagination import PageFilters, page_of, paged
from crossroads.versions import if_match

from . import limits, queries, services
from .schemas import (
    ConversationOut,
    HotlineCallIn,
    MessageIn,
    MessageOut,
    PublicReportIn,
    ReceiptIn,
    ReceiptOut,
    ReplyIn,
    ReportDetailOut,
    ReportFilters,
    ReportOut,
    TriageIn,
)

router = Router(tags=["reports from the public"])
TOO_MANY = {"detail": "Too many requests; wait a minute and try again."}
# unknown receipt, a key sent, over the budget, every public slot busy (crossroads.tips.gate)
REFUSALS = {404: dict, 422: dict, 429: dict, 503: dict}


class QueueFilters(ReportFilters, PageFilters):
    pass


KEY_REFUSED = {"detail": [{"loc": ["header", "Idempotency-Key"], "type": "value_error",
                            "msg": "The public routes keep no key: a stored key would be a trace "
                                   "of the sender. Send the request without it."}]}


def _refusal(request, kind: str):
    """The answer refusing a public call before anything is done, or None."""
    if idempotency.requested_key(request) is not None:
        return Status(422, KEY_REFUSED)
    if not limits.allowed(request, kind):
        return Status(429, TOO_MANY)
    return None


def _conversation(report) -> dict:
    return {"status": report.status, "messages": queries.conversation(report)}


def _by_receipt(code: str):
    report = queries.by_receipt(code)
    if report is None:
        raise Http404
    return report


@router.post("/public/reports", auth=None,
             response={201: ReceiptOut, 422: dict, 429: dict, 503: dict})
def file_public_report(request, payload: PublicReportIn):
    """File a report without logging in. The answer's receipt is shown once: keep it to read
    the answers and add information. Nothing about the caller is stored."""
    refused = _refusal(request, "submit")
    if refused:
        return refused
    _report, code = services.file_report(services.ReportInput(**payload.dict()))
    return Status(201, {"receipt": code})


@router.post("/public/reports/lookup", auth=None, response={200: ConversationOut, **REFUSALS})
def look_up_report(request, payload: ReceiptIn):
    """The report's state and conversation, for its receipt (404 for an unknown one)."""
    refused = _refusal(request, "lookup")
    if refused:
        return refused
    return _conversation(_by_receipt(payload.receipt))


@router.post("/public/reports/reply", auth=None, response={201: ConversationOut, **REFUSALS})
def reply_to_report(request, payload: ReplyIn):
    """Add information to the report of a receipt; answers the conversation."""
    refused = _refusal(request, "reply")
    if refused:
        return refused
    report = _by_receipt(payload.receipt)
    services.reply_as_reporter(report, payload.text)
    return Status(201, _conversation(report))


@router.post("/hotline/calls", response={201: ReceiptOut})
def enter_call(request, payload: HotlineCallIn):
    """A hotline operator enters a call; the receipt is for the caller to come back with."""
    _report, code = services.file_report(services.ReportInput(**payload.dict()),
                                         operator=request.auth)
    return Status(201, {"receipt": code})


@router.get("/reports", response=page_of(ReportOut))
def list_reports(request, filters: Query[QueueFilters]):
    """The triage queue: open reports first, the most urgent and oldest deadline first."""
    return paged(queries.queue(request.auth, status=filters.status, urgency=filters.urgency,
                               mine=filters.mine), filters)


@router.get("/reports/{report_id}", response=ReportDetailOut)
def get_report(request, report_id: int):
    return queries.report_view(request.auth, report_id, context="api")


@router.post("/reports/{report_id}/messages", response={201: MessageOut})
def write_to_reporter(request, report_id: int, payload: MessageIn):
    """A question or an answer to the reporter (they read it with their receipt)."""
    report = queries.visible_report(request.auth, report_id)
    return Status(201, services.write_to_reporter(request.auth, report, payload.text))


@router.post("/reports/{report_id}/triage", response={200: ReportOut})
def triage(request, report_id: int, payload: TriageIn):
    """One triage step; with `If-Match` (the report's version) a stale one is a 409."""
    report = queries.visible_report(request.auth, report_id)
    return services.take_step(request.auth, report, payload.step, assignee=payload.assignee,
                              reason=payload.reason, case=payload.case,
                              handling_code=payload.handling_code,
                              duplicate_of=payload.duplicate_of, version=if_match(request))
