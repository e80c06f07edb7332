"""The exchange's reads, for the API, the pages and the CLI: hits and formal requests under the
access policy (focal points of the jurisdiction), and the answers, whose every read writes its
own audit entry."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW, PolicyDenied, get_visible_or_404, require_capability
from crossroads.audit.models import Action, Outcome
from crossroads.audit.services import record

from .choices import COURT_USE, DECIDED, ONWARD_SHARING, Direction, RequestStatus
from .models import ExchangeRequest, Hit
from .steps import record_step


def visible_hits(user):
    require_capability(user, "exchange")
    return Hit.objects.restrict(user, VIEW).select_related("reference", "selector")


def visible_requests(user):
    require_capability(user, "exchange")
    return ExchangeRequest.objects.restrict(user, VIEW)


def citable_agreements(user, hit: Hit):
    """The agreements a request from this hit may cite (in force, between the two sides)."""
    from crossroads.monitor.queries import citable_agreements as citable

    return citable(user, hit.shared.jurisdiction_id, hit.remote_jurisdiction)


def filter_requests(user, *, direction: str = "", status: str = "", overdue: bool = False):
    """The requests `user` sees, of one direction and status; `overdue`: the undecided incoming
    requests past their deadline (the ones this node's focal points owe an answer)."""
    qs = visible_requests(user)
    if direction:
        qs = qs.filter(direction=direction)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.awaiting_decision().overdue()
    return qs


def read_answer(user, request: ExchangeRequest) -> dict:
    """The answer's values (exactly the approved fields), its marking; every read audited."""
    require_capability(user, "exchange")
    request = get_visible_or_404(ExchangeRequest.objects.all(), user, pk=request.pk)
    if request.direction != Direction.OUT or request.status not in (RequestStatus.APPROVED,
                                                                    RequestStatus.PARTLY):
        raise ValidationError({"status": _("There is no answer to read.")})
    record_step(user, request, "answer_read", action=Action.READ_IDENTITY,
                fields=request.fields_approved)
    return {"values": json.loads(request.answer), "handling_code": request.handling_code,
            "source_reliability": request.source_reliability,
            "information_reliability": request.information_reliability,
            "onward_sharing": ONWARD_SHARING[request.handling_code],
            "court_use": COURT_USE[request.handling_code]}


def export_answer(user, request: ExchangeRequest) -> dict:
    """The answer as a document to pass on (to a prosecutor's file, a third agency): refused
    when its handling code forbids onward sharing (H2); H1 is marked 'not for court'."""
    require_capability(user, "exchange")
    found = get_visible_or_404(ExchangeRequest.objects.all(), user, pk=request.pk)
    if found.direction == Direction.OUT and found.status in DECIDED and \
            not ONWARD_SHARING.get(found.handling_code, False):
        record(user, Action.DENIED, found, outcome=Outcome.DENIED, jurisdiction=found.jurisdiction_id,
               details={"exchange": "export_refused", "handling_code": found.handling_code})
        raise PolicyDenied("handling code forbids onward sharing")
    answer = read_answer(user, found)
    record_step(user, found, "answer_exported", action=Action.EXPORT)
    return {"request": str(found.public_id), "from": found.peer_node, "marking": found.handling_code,
            "court_use": answer["court_use"], "source_reliability": answer["source_reliability"],
            "information_reliability": answer["information_reliability"], "values": answer["values"]}
