"""Formal requests (the SIENA pattern): from a hit, a focal point asks; the owner's focal point
approves, partly approves (chooses the fields) or refuses with a reason; the answer travels
sealed to the requesting node, with its handling code and reliability grades, and is enforced
there (H2: no onward sharing). Every step is audited on both nodes, naming the message id.

A request cites a hit: about a person (it asks for the person's fields, `choices.Field`) or
about a selector (it asks about the entities that hold it, `choices.SelectorField`; the owner
answers from its eligible holders only).

Requests and decisions come only from pinned peer nodes (never the hub), for the jurisdiction
the signing node serves, about a hit this node holds; answers are sealed to that node. Whether
the person may still be shared (consent to cross-border sharing, no H3 case, the reference not
withdrawn) is checked at approval and again just before the answer leaves; withdrawing consent
or raising a case to H3 refuses the pending requests about the person (`refuse_unanswerable`),
and the requesting node receives the refusal with its reason.
"""

import datetime
import json
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from crossroads.access.policy import PolicyDenied, get_visible_or_404, require_capability
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.monitor import queries as monitor_queries
from crossroads.monitor.models import Agreement
from crossroads.networks.models import Selector
from crossroads.registry.models import Person

from .. import transport
from ..choices import (
    DECIDED,
    SHAREABLE_HANDLING,
    Direction,
    Field,
    InformationReliability,
    RequestStatus,
    SelectorField,
    SourceReliability,
)
from ..eligibility import (
    refusal_cause,
    selector_holders,
    selector_refusal_cause,
    strictest_handling,
)
from ..entity_fields import values as entity_values
from ..envelope import EnvelopeError
from ..identity import IdentityError
from ..models import (
    Conversation,
    ExchangeRequest,
    Hit,
    OutboxMessage,
    SharedReference,
    SharedSelector,
)
from ..person_fields import values as person_values
from ..pinning import pinned_node
from ..selectors import pairs_q
from ..steps import record_step

log = logging.getLogger(__name__)
MAX_TEXT = 2000
MAX_DEADLINE_DAYS = 365
# The reason the requesting node reads when a request is refused because the person may no
# longer be shared. A restricted (H3) case is not named: that would tell the other country more.
NO_LONGER_SHARED = gettext_noop("The record is no longer shared for cross-border exchange.")
REFUSAL_REASONS = {
    "consent": gettext_noop("The person has withdrawn consent to cross-border sharing."),
    "restricted": NO_LONGER_SHARED,
    "withdrawn": NO_LONGER_SHARED,
}
AUTOMATIC = "Crossroads (automatic)"


def _strictest(*codes: str) -> str:
    return max(codes)


def _clean_text(errors: dict, name: str, value: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > MAX_TEXT:
        errors[name] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    return value


def _clean_fields(errors: dict, name: str, fields, allowed) -> list[str]:
    fields = list(dict.fromkeys(fields or []))
    if not fields:
        errors[name] = _("Choose at least one field.")
    elif any(f not in allowed for f in fields):
        errors[name] = _("Only these fields: %(fields)s.") % {"fields": ", ".join(allowed)}
    return fields


def allowed_fields(hit: Hit) -> list[str]:
    """What a request citing this hit may ask: a person's fields, or a selector's holders'."""
    return SelectorField.values if hit.selector_id else Field.values


def _cited(errors: dict, user, hit: Hit, agreement) -> Agreement | None:
    """The agreement a request cites: in force, between the requesting and the requested
    jurisdictions, and visible to the user; else an error on `agreement`."""
    if agreement is None:
        return None
    agreement_id = getattr(agreement, "pk", agreement)
    found = monitor_queries.citable_agreements(
        user, hit.shared.jurisdiction_id, hit.remote_jurisdiction).filter(
        pk=agreement_id).first()
    if found is None:
        errors["agreement"] = _("Cite an agreement in force between %(a)s and %(b)s.") % {
            "a": hit.shared.jurisdiction_id, "b": hit.remote_jurisdiction}
    return found


def create_request(user, hit: Hit, *, purpose: str, legal_basis: str = "", fields: list[str],
                   handling_code: str, deadline: datetime.date,
                   agreement=None) -> ExchangeRequest:
    """Ask the node that owns the other side of a hit for fields of its person (or of the
    entities that hold its selector). The legal basis is the agreement it cites (an Agreement
    or its id), a free text, or both."""
    require_capability(user, "exchange")
    hit = get_visible_or_404(Hit.objects.select_related("reference", "selector"), user, pk=hit.pk)
    errors: dict = {}
    purpose = _clean_text(errors, "purpose", purpose)
    cited = _cited(errors, user, hit, agreement)
    legal_basis = _clean_text(errors, "legal_basis", legal_basis,
                              required=agreement is None)
    fields = _clean_fields(errors, "fields", fields, allowed_fields(hit))
    if handling_code not in SHAREABLE_HANDLING:
        errors["handling_code"] = _("H0, H1 or H2: H3 never leaves the node.")
    today = timezone.localdate()
    if not isinstance(deadline, datetime.date) or not (
            today <= deadline <= today + datetime.timedelta(days=MAX_DEADLINE_DAYS)):
        errors["deadline"] = _("A date from today to a year ahead.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conversation = Conversation.objects.create(peer=hit.remote_node)
        shared = hit.shared
        request = ExchangeRequest.objects.create(
            direction=Direction.OUT, conversation=conversation, hit=hit,
            jurisdiction_id=shared.jurisdiction_id, peer_node=hit.remote_node,
            peer_jurisdiction=hit.remote_jurisdiction, local_reference=shared.reference,
            remote_reference=hit.remote_reference, requested_by=user,
            requester=f"{user.get_username()} ({user.agency.name}, {user.jurisdiction_id})",
            purpose=purpose, legal_basis=legal_basis, agreement=cited, fields_requested=fields,
            handling_code=handling_code, deadline=deadline, status=RequestStatus.PENDING)
        basis = "; ".join(filter(None, [legal_basis, cited and cited.citation]))[:MAX_TEXT]
        message = transport.send(hit.remote_node, "request", {
            "request_id": str(request.public_id), "reference": hit.remote_reference,
            "requester_reference": shared.reference, "requester": request.requester,
            "requester_jurisdiction": request.jurisdiction_id, "purpose": purpose,
            "legal_basis": basis, "fields": fields, "deadline": deadline.isoformat(),
        }, conversation=conversation.pk, handling=handling_code)
        record_step(user, request, "request_sent", message=message, action=Action.CREATE,
               fields=fields, peer=hit.remote_node, agreement=cited and cited.pk)
    return request


@transport.handler("request")
def _received_request(message, header, body) -> None:
    try:
        request_id, reference = str(uuid.UUID(body["request_id"])), str(body["reference"])
        fields = [str(f) for f in body["fields"]]
        deadline = datetime.date.fromisoformat(body["deadline"])
        texts = {k: str(body[k])[:MAX_TEXT] for k in ("purpose", "legal_basis", "requester")}
        requester_jurisdiction = str(body["requester_jurisdiction"])
        requester_reference = str(body["requester_reference"])[:32]
    except (KeyError, TypeError, ValueError):
        raise EnvelopeError("malformed request") from None
    if requester_jurisdiction not in pinned_node(message.sender).jurisdictions:
        raise EnvelopeError(f"{message.sender} does not serve the requester's jurisdiction")
    if ExchangeRequest.objects.filter(public_id=request_id).exists():
        raise EnvelopeError("a request with this id exists already")
    shared = (SharedReference.objects.filter(reference=reference, withdrawn_at__isnull=True).first()
              or SharedSelector.objects.filter(reference=reference, withdrawn_at__isnull=True).first())
    if shared is None:
        raise EnvelopeError("request for a reference this node does not share")
    hits = Hit.objects.filter(remote_reference=requester_reference, remote_node=message.sender)
    if isinstance(shared, SharedSelector):
        # The hub names a selector's node, not its jurisdiction: the node's first one stands in.
        hit = hits.filter(selector=shared).first()
    else:
        hit = hits.filter(reference=shared, remote_jurisdiction=requester_jurisdiction).first()
    if hit is None:
        raise EnvelopeError("request refers to no hit this node holds")
    if not fields or any(f not in allowed_fields(hit) for f in fields):
        raise EnvelopeError("request asks for unknown fields")
    request = ExchangeRequest.objects.create(
        public_id=request_id, direction=Direction.IN, conversation_id=message.conversation,
        hit=hit, jurisdiction_id=shared.jurisdiction_id, peer_node=message.sender,
        peer_jurisdiction=requester_jurisdiction, local_reference=reference,
        remote_reference=requester_reference, requester=texts["requester"],
        purpose=texts["purpose"], legal_basis=texts["legal_basis"], fields_requested=fields,
        handling_code=header["handling"], deadline=deadline, status=RequestStatus.PENDING)
    record_step(None, request, "request_received", message=message, action=Action.CREATE,
           fields=fields, peer=message.sender)


def _pending_incoming(user, request: ExchangeRequest) -> ExchangeRequest:
    require_capability(user, "exchange")
    request = get_visible_or_404(ExchangeRequest.objects.all(), user, pk=request.pk)
    if request.direction != Direction.IN:
        raise PolicyDenied("only the owner of the data decides")
    if request.status != RequestStatus.PENDING:
        raise ValidationError({"status": _("This request has been decided already.")})
    try:
        pinned_node(request.peer_node)
    except EnvelopeError:
        raise ValidationError({"status": _("This request did not come from a pinned peer node: "
                                           "it cannot be answered.")}) from None
    return request


def _shared(request: ExchangeRequest) -> SharedReference | SharedSelector | None:
    """What of this node an incoming request is about (withdrawn or not)."""
    return (SharedReference.objects.select_related("person")
            .filter(reference=request.local_reference).first()
            or SharedSelector.objects.filter(reference=request.local_reference).first())


def _cause(request: ExchangeRequest) -> str:
    """Why the person (or the selector's holders) a request is about may no longer be shared
    ("" when they may)."""
    shared = _shared(request)
    if shared is None or shared.withdrawn_at is not None:
        return "withdrawn"
    if isinstance(shared, SharedSelector):
        return selector_refusal_cause(shared.jurisdiction_id, shared.kind, shared.digest)
    return refusal_cause(shared.person)


def _refusal(request: ExchangeRequest, reason: str, decided_by: str) -> dict:
    return {"request_id": str(request.public_id), "status": RequestStatus.REFUSED,
            "reason": reason, "decided_by": decided_by}


def _refuse_automatically(request: ExchangeRequest, cause: str,
                          replacing: OutboxMessage | None = None) -> None:
    """Refuse a request because its person (or selector) may no longer be shared, telling the requesting
    node why (as a refusal decision; in place of an answer not sent yet, when `replacing`)."""
    reason = REFUSAL_REASONS[cause]
    body = _refusal(request, reason, AUTOMATIC)
    if replacing is not None:
        record_step(None, request, "answer_withheld", message=replacing, cause=cause)
        message = transport.replace(replacing, body)
    else:
        message = transport.send(request.peer_node, "decision", body,
                                 conversation=request.conversation_id,
                                 handling=request.handling_code)
    values = {"status": RequestStatus.REFUSED, "refusal_reason": reason,
              "decided_at": timezone.now(), "decided_by": AUTOMATIC}
    for name, value in values.items():
        setattr(request, name, value)
    request.save(update_fields=list(values))  # through save(): the reason is encrypted for its row
    record_step(None, request, "refusal_sent", message=message, automatic=True, cause=cause)


def refuse_unanswerable(person_ids=None, selectors=None) -> int:
    """Refuse every pending incoming request about a person, or a selector's holders, that may
    no longer be shared (consent withdrawn, a case raised to H3, merged or withdrawn); only
    those about `person_ids` (and the selectors of their entities) and `selectors` ((kind,
    digest) pairs) when either is given, all of them otherwise. Called after consent or a
    handling code changes, and by every worker round. Returns how many were refused."""
    pending = ExchangeRequest.objects.filter(direction=Direction.IN, status=RequestStatus.PENDING)
    if person_ids is not None or selectors is not None:
        ids = set(person_ids or ())  # with the records merged with them, either way
        ids |= set(Person.objects.filter(pk__in=ids).exclude(merged_into=None)
                   .values_list("merged_into_id", flat=True))
        pairs = set(selectors or ()) | set(Selector.objects.filter(
            Q(entity__person_id__in=ids) | Q(entity__person__merged_into_id__in=ids))
            .values_list("kind", "digest"))
        references = set(SharedReference.objects.filter(
            Q(person_id__in=ids) | Q(person__merged_into_id__in=ids)).values_list("reference", flat=True))
        references |= set(SharedSelector.objects.filter(pairs_q(pairs)).values_list("reference", flat=True))
        pending = pending.filter(local_reference__in=references)
    refused = 0
    for request in pending:
        try:
            with transaction.atomic():
                request = ExchangeRequest.objects.select_for_update().get(pk=request.pk)
                cause = request.status == RequestStatus.PENDING and _cause(request)
                if not cause:
                    continue
                pinned_node(request.peer_node)  # from anyone else: nothing is sent to them
                _refuse_automatically(request, cause)
                refused += 1
        except (EnvelopeError, transport.TransportError, IdentityError) as error:
            # Stays pending (and unanswerable: approval and delivery check again); next round.
            log.warning("request %s not refused yet: %s", request.public_id, error)
    return refused


@transport.before_delivery("decision")
def _recheck_before_sending(message: OutboxMessage) -> None:
    """Just before an answer leaves: if its person may no longer be shared, a refusal with the
    reason leaves in its place."""
    request = (ExchangeRequest.objects.select_for_update()
               .filter(direction=Direction.IN, conversation_id=message.conversation,
                       peer_node=message.recipient,
                       status__in=(RequestStatus.APPROVED, RequestStatus.PARTLY)).first())
    if request is None:
        return  # a refusal
    cause = _cause(request)
    if cause:
        _refuse_automatically(request, cause, replacing=message)


def _clean_grade(errors: dict, name: str, value: str, choices) -> str:
    if value not in choices.values:
        errors[name] = _("One of %(codes)s.") % {"codes": ", ".join(choices.values)}
    return value


def approve(user, request: ExchangeRequest, *, fields: list[str], source_reliability: str,
            information_reliability: str) -> ExchangeRequest:
    """Answer with the chosen fields (all asked: approved; fewer: partly approved)."""
    request = _pending_incoming(user, request)
    errors: dict = {}
    fields = _clean_fields(errors, "fields", fields, request.fields_requested)
    _clean_grade(errors, "source_reliability", source_reliability, SourceReliability)
    _clean_grade(errors, "information_reliability", information_reliability, InformationReliability)
    if errors:
        raise ValidationError(errors)
    cause = _cause(request)
    if cause:
        with transaction.atomic():
            _refuse_automatically(request, cause)
        raise ValidationError({"fields": {
            "restricted": _("The person is now in a restricted (H3) case: nothing may leave the "
                            "node. The request was refused."),
            "consent": _("The person has withdrawn consent to cross-border sharing. The request "
                         "was refused."),
            "withdrawn": _("The person's record is no longer shared. The request was refused."),
        }[cause]})
    shared = _shared(request)
    if isinstance(shared, SharedSelector):
        holders = list(selector_holders(shared.jurisdiction_id, shared.kind, shared.digest)
                       .select_related("case", "person"))
        values = entity_values(holders, fields)
        handling = _strictest(request.handling_code, *(h.case.handling_code for h in holders),
                              *(strictest_handling(h.person) for h in holders if h.person))
    else:
        holders, values = [], person_values(shared.person, fields)
        handling = _strictest(request.handling_code, strictest_handling(shared.person))
    status = (RequestStatus.APPROVED if set(fields) == set(request.fields_requested)
              else RequestStatus.PARTLY)
    with transaction.atomic():
        message = transport.send(request.peer_node, "decision", {
            "request_id": str(request.public_id), "status": status, "fields": fields,
            "values": values, "source_reliability": source_reliability,
            "information_reliability": information_reliability, "decided_by": _decider(user),
        }, conversation=request.conversation_id, handling=handling)
        _decide(request, user, status=status, fields_approved=fields, handling_code=handling,
                source_reliability=source_reliability,
                information_reliability=information_reliability)
        record_step(user, request, "answer_sent", message=message, fields=fields, status=status)
        details = {"exchange": "answer_sent", "request": str(request.public_id),
                   "fields": fields, "to": request.peer_node}
        if holders:
            record(user, Action.EXPORT, object_type="networks.entity", jurisdiction=request.jurisdiction_id,
                   details=details | {"ids": [h.pk for h in holders],
                                      "cases": sorted({h.case_id for h in holders})})
        else:
            record(user, Action.EXPORT, shared.person, jurisdiction=request.jurisdiction_id,
                   details=details)
    return request


def refuse(user, request: ExchangeRequest, *, reason: str) -> ExchangeRequest:
    request = _pending_incoming(user, request)
    errors: dict = {}
    reason = _clean_text(errors, "reason", reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        message = transport.send(request.peer_node, "decision",
                                 _refusal(request, reason, _decider(user)),
                                 conversation=request.conversation_id,
                                 handling=request.handling_code)
        _decide(request, user, status=RequestStatus.REFUSED, refusal_reason=reason)
        record_step(user, request, "refusal_sent", message=message)
    return request


def _decider(user) -> str:
    return f"{user.get_username()} ({user.agency.name}, {user.jurisdiction_id})"


def _decide(request: ExchangeRequest, user, **values) -> None:
    values |= {"decided_at": timezone.now(), "decided_by": _decider(user)}
    for name, value in values.items():
        setattr(request, name, value)
    request.save(update_fields=list(values))


@transport.handler("decision")
def _received_decision(message, header, body) -> None:
    try:
        request_id = uuid.UUID(str(body.get("request_id")))
    except ValueError:
        raise EnvelopeError("malformed decision: no request id") from None
    request = ExchangeRequest.objects.filter(
        public_id=request_id, direction=Direction.OUT, peer_node=message.sender,
        conversation_id=message.conversation, hit__remote_node=message.sender).first()
    if request is None or request.status in DECIDED:
        raise EnvelopeError("a decision on no pending request of ours")
    if request.peer_jurisdiction not in pinned_node(message.sender).jurisdictions:
        raise EnvelopeError(f"{message.sender} does not serve the jurisdiction asked")
    status = body.get("status")
    decided_by = str(body.get("decided_by", ""))[:200]
    if status == RequestStatus.REFUSED:
        request.status, request.refusal_reason = status, str(body.get("reason", ""))[:MAX_TEXT]
        request.decided_by, request.decided_at = decided_by, timezone.now()
        request.save()
        record_step(None, request, "refusal_received", message=message)
        return
    fields, values = body.get("fields"), body.get("values")
    if (status not in (RequestStatus.APPROVED, RequestStatus.PARTLY) or not isinstance(fields, list)
            or not fields or not set(fields) <= set(request.fields_requested)
            or not isinstance(values, dict) or set(values) != set(fields)
            or body.get("source_reliability") not in SourceReliability.values
            or body.get("information_reliability") not in InformationReliability.values):
        raise EnvelopeError("malformed answer")
    request.status, request.fields_approved = status, fields
    request.answer = json.dumps(values, ensure_ascii=False)
    request.handling_code = _strictest(request.handling_code, header["handling"])
    request.source_reliability = body["source_reliability"]
    request.information_reliability = body["information_reliability"]
    request.decided_by, request.decided_at = decided_by, timezone.now()
    request.save()
    record_step(None, request, "answer_received", message=message, fields=fields, status=status)


def remind_deadlines(today: datetime.date | None = None) -> int:
    """Record a reminder (once a day) for every undecided incoming request whose deadline is
    near or past; the pages and API show them as due or overdue."""
    today = today or timezone.localdate()
    due = ExchangeRequest.objects.awaiting_decision().due_soon(today)
    reminded = 0
    for request in due:
        if request.reminded_at and timezone.localdate(request.reminded_at) >= today:
            continue
        with transaction.atomic():
            ExchangeRequest.objects.filter(pk=request.pk).update(reminded_at=timezone.now())
            record_step(None, request, "deadline_reminder", deadline=request.deadline.isoformat(),
                   overdue=request.is_overdue_on(today))
        reminded += 1
    return reminded
