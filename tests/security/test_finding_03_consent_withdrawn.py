"""Finding 3 (issue 13): a cross-border answer was sent after consent was withdrawn.

Whether the person may still be shared (consent to cross-border sharing, no H3 case, the shared
reference not withdrawn) is checked when the owner's focal point approves and again just before
the sealed answer leaves; withdrawing consent or raising a case to H3 refuses the pending requests
about the person, and the requesting node receives the refusal with its reason."""

import json

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.exchange import transport
from crossroads.exchange.choices import RequestStatus
from crossroads.exchange.envelope import open_sealed
from crossroads.exchange.models import ExchangeRequest, OutboxMessage, SharedReference
from crossroads.registry import services
from tests.exchange import conftest as exchange_fixtures
from tests.exchange.conftest import consent_to_cross_border
from tests.exchange.test_formal_requests import ask, decision_from_al, receive_request_on_al

pytestmark = pytest.mark.django_db
parties, registered = exchange_fixtures.parties, exchange_fixtures.registered  # the in-process nodes
APPROVAL = {"fields": ["given_names", "family_name"], "source_reliability": "A",
            "information_reliability": "1"}


def pending_on_al(world, parties) -> ExchangeRequest:
    """A request from RS about AL's victim, who consents to cross-border sharing."""
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    return receive_request_on_al(world, parties, world.persons["AL-victim"])


def withdraw_consent(world):
    person = world.persons["AL-victim"]
    response = world.api(Role.INVESTIGATOR).post(
        f"/api/v1/persons/{person.pk}/consents", {"purpose": "cross_border", "granted": False},
        content_type="application/json")
    assert response.status_code == 201, response.content


def approve(world, request):
    return world.api(Role.FOCAL_POINT, "AL").post(
        f"/api/v1/exchange/requests/{request.pk}/approve", APPROVAL, content_type="application/json")


def decisions_for_rs(parties) -> list[dict]:
    """AL's decisions in its outbox, as RS (and only RS) opens them."""
    return [open_sealed(json.loads(m.envelope), parties.identity("RS"))
            for m in OutboxMessage.objects.filter(kind="decision").order_by("id")]


def rs_reads(world, parties, body) -> dict:
    """What RS's focal point sees once the refusal `body` has reached RS's own request."""
    request, _ = ask(world, parties)
    request = decision_from_al(parties, request, {k: body[k] for k in ("status", "reason")})
    return world.api(Role.FOCAL_POINT, "RS").get(f"/api/v1/exchange/requests/{request.pk}").json()


def assert_refused_for_consent(world, parties, request):
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    [body] = decisions_for_rs(parties)
    assert body["status"] == "refused" and "values" not in body
    assert "consent" in body["reason"]
    seen = rs_reads(world, parties, body)
    assert seen["status"] == "refused" and "withdrawn consent" in seen["refusal_reason"]


def test_finding_3_approval_after_consent_was_withdrawn_sends_a_refusal_not_the_answer(
        world, registered):
    request = pending_on_al(world, registered)
    withdraw_consent(world)  # its after-commit hook does not run here: approval must check
    with registered.acting_as("AL"):
        response = approve(world, request)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "fields"
    assert_refused_for_consent(world, registered, request)
    assert not AuditEntry.objects.filter(action="export", object_type="registry.person").exists()


def test_finding_3_withdrawing_consent_refuses_the_pending_requests_with_a_reason(
        world, registered, django_capture_on_commit_callbacks):
    request = pending_on_al(world, registered)
    with registered.acting_as("AL"), django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(world)
    assert_refused_for_consent(world, registered, request)
    entry = AuditEntry.objects.get(details__exchange="refusal_sent")
    assert entry.details["automatic"] is True and entry.details["cause"] == "consent"
    with registered.acting_as("AL"):
        assert approve(world, request).status_code == 422  # decided already


def test_finding_3_consent_withdrawn_between_approval_and_sending_sends_a_refusal(
        world, registered, monkeypatch):
    request = pending_on_al(world, registered)
    with registered.acting_as("AL"):
        assert approve(world, request).status_code == 200
    [answer] = decisions_for_rs(registered)
    assert answer["values"]["family_name"] == "Krasniqi"  # queued, not sent yet
    withdraw_consent(world)
    posted = []
    monkeypatch.setattr(transport, "call_hub",
                        lambda path, payload=None: posted.append(payload) or {"status": "stored"})
    with registered.acting_as("AL"):
        assert transport.deliver() == 1
    [envelope] = posted
    body = open_sealed(envelope, registered.identity("RS"))
    assert body["status"] == "refused" and "values" not in body and "consent" in body["reason"]
    assert "Krasniqi" not in json.dumps(envelope) and "Drita" not in json.dumps(envelope)
    assert envelope["header"]["seq"] == json.loads(
        OutboxMessage.objects.get(kind="decision").envelope)["header"]["seq"] == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert AuditEntry.objects.filter(details__exchange="answer_withheld").exists()


def test_finding_3_raising_the_case_to_h3_refuses_the_pending_requests(
        world, registered, django_capture_on_commit_callbacks):
    request = pending_on_al(world, registered)
    with registered.acting_as("AL"), django_capture_on_commit_callbacks(execute=True):
        services.change_handling_code(world.user(Role.INVESTIGATOR), world.cases["AL-police"], "H3")
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    [body] = decisions_for_rs(registered)
    assert body["status"] == "refused" and "values" not in body
    assert "H3" not in body["reason"] and "restrict" not in body["reason"]  # says no more
    assert rs_reads(world, registered, body)["refusal_reason"] == body["reason"]


def test_finding_3_an_answer_for_a_withdrawn_reference_is_not_sent(world, registered):
    request = pending_on_al(world, registered)
    SharedReference.objects.filter(reference=request.local_reference).update(
        withdrawn_at=timezone.now())  # as the sync does when the person is withdrawn
    with registered.acting_as("AL"):
        assert approve(world, request).status_code == 422
    [body] = decisions_for_rs(registered)
    assert body["status"] == "refused" and "values" not in body
