"""Finding 4 (issue 13): a hub could forge a formal request and receive the answer in clear.

Requests and decisions are accepted only from pinned peer nodes, about a hit this node holds;
answers are sealed to the requesting node; nothing identity-bearing is addressed to the hub
(`transport.send` refuses, and delivery holds back such an outbox entry)."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.exchange import transport
from crossroads.exchange.choices import RequestStatus
from crossroads.exchange.envelope import EnvelopeError, build, open_sealed
from crossroads.exchange.models import (
    Conversation,
    ExchangeRequest,
    InboxMessage,
    OutboxMessage,
)
from tests.exchange import conftest as exchange_fixtures
from tests.exchange.conftest import consent_to_cross_border
from tests.exchange.test_formal_requests import (
    DEADLINE,
    ask,
    hit_for,
    request_envelope,
    shared,
)

pytestmark = pytest.mark.django_db
parties, registered = exchange_fixtures.parties, exchange_fixtures.registered  # the in-process nodes


def arrives_on_al(parties, envelope) -> InboxMessage:
    with parties.acting_as("AL"):
        transport.accept(envelope)
        transport.process()
    return InboxMessage.objects.get(message_id=envelope["header"]["id"])


def test_finding_4_a_request_signed_by_the_hub_is_set_aside(world, registered):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    hit = hit_for(world.persons["AL-victim"], remote_node="RS")  # even with a hit to point at
    envelope = request_envelope(registered, hit, sender="HUB")
    assert envelope["header"]["sealed_to"] == ""  # the hub cannot seal as a node
    message = arrives_on_al(registered, envelope)
    assert "pinned peer node" in message.error
    assert not ExchangeRequest.objects.exists()


def test_finding_4_a_request_referring_to_no_hit_is_set_aside(world, registered):
    reference = shared(world.persons["AL-victim"])
    envelope = build(registered.identity("RS"), recipient="AL", kind="request", body={
        "request_id": str(uuid.uuid4()), "reference": reference.reference,
        "requester_reference": uuid.uuid4().hex, "requester": "rs focal",
        "requester_jurisdiction": "RS", "purpose": "identify", "legal_basis": "MoU",
        "fields": ["family_name"], "deadline": DEADLINE.isoformat()},
        conversation=str(uuid.uuid4()), seq=1, recipient_peer=registered.peer("AL"))
    assert arrives_on_al(registered, envelope).error == "request refers to no hit this node holds"
    assert not ExchangeRequest.objects.exists()


def test_finding_4_a_hit_with_another_node_does_not_open_a_request(world, registered):
    """The hit AL holds is with RS's person; the same reference asked by the hub's own name
    (or another node) finds no hit of theirs."""
    hit = hit_for(world.persons["AL-victim"], remote_node="ME")
    assert "no hit" in arrives_on_al(registered, request_envelope(registered, hit)).error


def test_finding_4_a_stored_hub_request_is_never_answered_to_the_hub(world, registered):
    """A request the hub forged before the fix, still pending: it cannot be approved, and no
    decision is ever addressed to the hub."""
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    person = world.persons["AL-victim"]
    forged = ExchangeRequest.objects.create(
        direction="in", conversation=Conversation.objects.create(peer="HUB"),
        jurisdiction_id="AL", peer_node="HUB", peer_jurisdiction="RS",
        local_reference=shared(person).reference, remote_reference=uuid.uuid4().hex,
        requester="hub", purpose="x", legal_basis="x", fields_requested=["family_name"],
        handling_code="H0", deadline=DEADLINE, status=RequestStatus.PENDING)
    with registered.acting_as("AL"):
        response = world.api(Role.FOCAL_POINT, "AL").post(
            f"/api/v1/exchange/requests/{forged.pk}/approve",
            {"fields": ["family_name"], "source_reliability": "A", "information_reliability": "1"},
            content_type="application/json")
    assert response.status_code == 422 and "pinned" in response.json()["detail"][0]["msg"]
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("kind", ["request", "decision"])
def test_finding_4_the_transport_refuses_identity_bearing_kinds_to_the_hub(registered, kind):
    with registered.acting_as("AL"), pytest.raises(EnvelopeError, match="never addressed to the hub"):
        transport.send("HUB", kind, {"values": {"family_name": "Krasniqi"}})
    assert not OutboxMessage.objects.exists()


def test_finding_4_delivery_holds_back_an_identity_bearing_entry_for_the_hub(registered,
                                                                          monkeypatch):
    """An outbox entry written around `send` (older code, a database edit) never leaves."""
    envelope = build(registered.identity("AL"), recipient="HUB", kind="decision",
                     body={"values": {"family_name": "Krasniqi"}})
    OutboxMessage.objects.create(message_id=envelope["header"]["id"], recipient="HUB",
                                 conversation=envelope["header"]["conversation"], kind="decision",
                                 envelope=json.dumps(envelope))
    posted = []
    monkeypatch.setattr(transport, "call_hub", lambda path, payload=None: posted.append(payload))
    with registered.acting_as("AL"):
        assert transport.deliver() == 0
    assert posted == []
    assert OutboxMessage.objects.get().last_error.startswith("held back")


def test_finding_4_the_answer_is_sealed_to_the_requesting_node(world, registered):
    from tests.exchange.test_formal_requests import receive_request_on_al

    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    with registered.acting_as("AL"):
        assert world.api(Role.FOCAL_POINT, "AL").post(
            f"/api/v1/exchange/requests/{request.pk}/approve",
            {"fields": ["family_name"], "source_reliability": "A", "information_reliability": "1"},
            content_type="application/json").status_code == 200
    envelope = json.loads(OutboxMessage.objects.get(kind="decision").envelope)
    assert envelope["header"]["recipient"] == "RS" and set(envelope["body"]) == {"sealed"}
    assert envelope["header"]["sealed_to"] == registered.peer("RS").key_id
    assert "Krasniqi" not in json.dumps(envelope)
    for other in ("HUB", "AL"):
        with pytest.raises(EnvelopeError):
            open_sealed(envelope, registered.identity(other))


def test_finding_4_a_decision_signed_by_the_hub_is_set_aside(world, registered):
    request, _ = ask(world, registered)
    envelope = build(registered.identity("HUB"), recipient="RS", kind="decision", body={
        "request_id": str(request.public_id), "status": "approved", "fields": ["given_names"],
        "values": {"given_names": "forged"}, "source_reliability": "A",
        "information_reliability": "1", "decided_by": "hub"},
        conversation=str(request.conversation_id), seq=1)
    with registered.acting_as("RS"):
        transport.accept(envelope)
        transport.process()
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and request.answer == ""
    assert InboxMessage.objects.get(kind="decision").error


def test_finding_4_a_replayed_request_message_opens_nothing(world, registered):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    hit = hit_for(world.persons["AL-victim"], remote_node="RS")
    envelope = request_envelope(registered, hit)
    arrives_on_al(registered, envelope)
    request = ExchangeRequest.objects.get(direction="in")
    ExchangeRequest.objects.filter(pk=request.pk).update(status=RequestStatus.REFUSED)
    with registered.acting_as("AL"):
        assert transport.accept(envelope) is None  # the same message: a duplicate
        InboxMessage.objects.all().delete()  # even once the inbox has forgotten it
        transport.accept(envelope)
        transport.process()
    assert InboxMessage.objects.get().error in ("sequence number already processed",
                                                "a request with this id exists already")
    assert ExchangeRequest.objects.get().status == RequestStatus.REFUSED
    old = request_envelope(registered, hit)  # a message RS signed 31 days ago
    old["header"]["ts"] = (timezone.now() - datetime.timedelta(days=31)).isoformat()
    old["sig"] = registered.identity("RS").sign(
        transport.canonical({"header": old["header"], "body": old["body"]}))
    with registered.acting_as("AL"), pytest.raises(EnvelopeError, match="too old"):
        transport.accept(old)
