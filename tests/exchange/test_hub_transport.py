"""The hub's HTTP surface and the node's inbox, in one process: signed requests, replays,
idempotent resends, store-and-forward with acknowledgement, in-order processing."""

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from crossroads.exchange import signed_requests, transport
from crossroads.exchange.envelope import EnvelopeError, build, canonical
from crossroads.exchange.models import HubMessage, InboxMessage

pytestmark = pytest.mark.django_db


def post(parties, code, path, payload, *, headers=None):
    body = canonical(payload)
    signed = headers or signed_requests.sign(parties.identity(code), "POST", "/hub/v1/" + path, body)
    with parties.acting_as("HUB"):
        response = Client().post("/hub/v1/" + path, body, content_type="application/json",
                                 headers=signed)
    return response.status_code, response.json(), signed


def to_rs(parties, **extra):
    return build(parties.identity("AL"), recipient="RS", kind="request", body={"n": 1},
                 recipient_peer=parties.peer("RS"), **extra)


def test_the_directory_is_signed_by_the_hub(registered, settings):
    with registered.acting_as("AL"), registered.acting_as("HUB"):
        listing = Client().get("/hub/v1/directory").json()
    assert set(listing["directory"]["nodes"]) == {"AL", "RS"}
    assert registered.identity("HUB").public()["signing_key"] == settings.CROSSROADS_HUB_SIGNING_KEY


def test_requests_must_be_signed_fresh_and_used_once(registered):
    envelope = to_rs(registered)
    status, _, headers = post(registered, "AL", "messages", envelope)
    assert status == 200
    assert post(registered, "AL", "messages", envelope, headers=headers)[:2] == (
        401, {"detail": "replayed request"})
    unsigned = {"X-Crossroads-Node": "AL"}
    assert post(registered, "AL", "messages", envelope, headers=unsigned)[0] == 401
    forged = signed_requests.sign(registered.identity("RS"), "POST", "/hub/v1/messages",
                                  canonical(envelope)) | {"X-Crossroads-Node": "AL"}
    assert post(registered, "AL", "messages", envelope, headers=forged)[1]["detail"] == \
        "bad request signature"
    stale = signed_requests.sign(registered.identity("AL"), "POST", "/hub/v1/messages",
                                 canonical(envelope))
    stale[signed_requests.TIME] = (timezone.now() - datetime.timedelta(minutes=10)).isoformat()
    assert post(registered, "AL", "messages", envelope, headers=stale)[0] == 401


def test_a_resent_envelope_is_stored_once_and_forwarded_until_acknowledged(registered):
    envelope = to_rs(registered)
    assert post(registered, "AL", "messages", envelope)[1] == {"status": "stored"}
    assert post(registered, "AL", "messages", envelope)[1] == {"status": "duplicate"}
    assert HubMessage.objects.filter(recipient="RS").count() == 1
    assert post(registered, "AL", "mailbox", {})[1] == {"envelopes": []}  # not AL's
    first = post(registered, "RS", "mailbox", {})[1]["envelopes"]
    again = post(registered, "RS", "mailbox", {})[1]["envelopes"]
    assert first == again == [envelope]  # not acknowledged: still there
    assert post(registered, "RS", "mailbox/ack", {"ids": [envelope["header"]["id"]]})[1] == {"acked": 1}
    assert post(registered, "RS", "mailbox", {})[1] == {"envelopes": []}
    assert HubMessage.objects.get().envelope == ""  # the hub forgets the body once delivered
    assert post(registered, "AL", "messages", envelope)[1] == {"status": "duplicate"}


@pytest.mark.parametrize("spoil, detail", [
    (lambda e: e["body"].update(sealed={"epk": "", "ct": ""}), "bad signature"),
    (lambda e: e["header"].update(sender="RS"), "signed by another party"),
])
def test_the_hub_refuses_envelopes_that_do_not_verify(registered, spoil, detail):
    envelope = to_rs(registered)
    spoil(envelope)
    status, body, _ = post(registered, "AL", "messages", envelope)
    assert status == 422 and detail in body["detail"]


def test_the_hub_refuses_clear_bodies_between_nodes(registered):
    identity = registered.identity("AL")
    envelope = build(identity, recipient="HUB", kind="request", body={"name": "x"})
    envelope["header"]["recipient"] = "RS"
    envelope["sig"] = identity.sign(canonical({"header": envelope["header"], "body": envelope["body"]}))
    status, body, _ = post(registered, "AL", "messages", envelope)
    assert status == 422 and "sealed" in body["detail"]


def accept_as_rs(parties, envelope):
    with parties.acting_as("RS"):
        return transport.accept(envelope)


def test_the_inbox_takes_a_message_once_and_refuses_a_reused_nonce(registered):
    envelope = to_rs(registered)
    assert accept_as_rs(registered, envelope) is not None
    assert accept_as_rs(registered, envelope) is None
    replay = to_rs(registered)
    replay["header"]["nonce"] = envelope["header"]["nonce"]
    identity = registered.identity("AL")
    replay["sig"] = identity.sign(canonical({"header": replay["header"], "body": replay["body"]}))
    with pytest.raises(EnvelopeError, match="nonce"):
        accept_as_rs(registered, replay)
    assert InboxMessage.objects.count() == 1
    with pytest.raises(EnvelopeError, match="another node"), registered.acting_as("AL"):
        transport.accept(to_rs(registered))


def test_a_conversation_is_processed_in_order_whatever_the_arrival(registered, monkeypatch):
    seen = []
    monkeypatch.setitem(transport.HANDLERS, "note",
                        lambda message, header, body: seen.append(body["n"]))
    conversation = str(uuid.uuid4())
    envelopes = [build(registered.identity("AL"), recipient="RS", kind="note", body={"n": n},
                       conversation=conversation, seq=n, recipient_peer=registered.peer("RS"))
                 for n in (1, 2, 3)]
    with registered.acting_as("RS"):
        for envelope in (envelopes[2], envelopes[1]):
            transport.accept(envelope)
        assert transport.process() == 0 and seen == []  # 2 and 3 wait for 1
        transport.accept(envelopes[0])
        transport.accept(envelopes[1])  # a duplicate arrival changes nothing
        assert transport.process() == 3
        assert transport.process() == 0
    assert seen == [1, 2, 3]


def test_a_bad_message_is_set_aside_without_blocking_its_conversation(registered, monkeypatch):
    def refuse_first(message, header, body):
        if body["n"] == 1:
            raise EnvelopeError("not acceptable")
        seen.append(body["n"])

    seen = []
    monkeypatch.setitem(transport.HANDLERS, "note", refuse_first)
    conversation = str(uuid.uuid4())
    with registered.acting_as("RS"):
        for n in (1, 2):
            transport.accept(build(registered.identity("AL"), recipient="RS", kind="note",
                                   body={"n": n}, conversation=conversation, seq=n,
                                   recipient_peer=registered.peer("RS")))
        assert transport.process() == 2
    assert seen == [2]
    assert InboxMessage.objects.get(seq=1).error == "not acceptable"


def test_delivery_backs_off_while_the_hub_is_unreachable(registered, settings):
    settings.CROSSROADS_HUB_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with registered.acting_as("AL"):
        message = transport.send("RS", "note", {"n": 1})
        assert transport.deliver() == 0
        message.refresh_from_db()
        assert message.attempts == 1 and message.sent_at is None and "unreachable" in message.last_error
        assert message.next_attempt_at > timezone.now()
        assert transport.deliver() == 0  # not due yet: no second attempt
        message.refresh_from_db()
        assert message.attempts == 1
    assert json.loads(message.envelope)["header"]["recipient"] == "RS"


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.CROSSROADS_EXCHANGE_RETRY_CAP = 60
    waits = [transport.backoff(n).total_seconds() for n in range(1, 10)]
    assert (1 <= waits[0] <= 2) and (8 <= waits[3] <= 16)
    assert all(30 <= w <= 60 for w in waits[6:])


def test_rotated_keys_keep_messages_flowing_once_confirmed(registered, monkeypatch):
    """A rotated peer's messages are held until an administrator confirms its new fingerprint
    (pinning), then processed; what was sealed to a rotated node's old key still opens."""
    from crossroads.exchange import identity, services

    serve_directory_from_the_hub(registered, monkeypatch)
    sealed_to_old_key = to_rs(registered)
    with registered.acting_as("RS"):
        identity.rotate()  # RS keeps its old pair: what was sealed to it still opens
    with registered.acting_as("AL"):
        pair = identity.rotate()
    services.register_node("AL", jurisdictions=["AL"], signing_key=pair.signing_public,
                      encryption_key=pair.encryption_public, key_id=pair.kid)
    signed_with_new_key = to_rs(registered)
    with registered.acting_as("RS"):
        assert transport.accept(sealed_to_old_key) is not None
        assert transport.accept(signed_with_new_key) is None  # held: the new keys are pending
        assert services.confirm_peer("AL", pair.fingerprint) == 1
        bodies = [transport.open_body(json.loads(m.envelope)) for m in InboxMessage.objects.all()]
    assert bodies == [{"n": 1}, {"n": 1}]


def serve_directory_from_the_hub(parties, monkeypatch):
    """The node's calls for the directory answered by the hub of this process, signed."""
    from crossroads.exchange import hub

    def call_hub(path, payload=None):
        assert path == "directory", path
        with parties.acting_as("HUB"):
            return hub.directory()

    monkeypatch.setattr(transport, "call_hub", call_hub)
