"""Encoding sync on the node, comparison and hits at the hub, witness heads, keys and the
registry from the command line — in one process (node and hub tables are distinct)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crossroads.access.choices import Role
from crossroads.exchange import hub, transport
from crossroads.exchange.hub import HubRefusal
from crossroads.exchange.models import (
    HubEncoding,
    HubMessage,
    HubNode,
    OutboxMessage,
    SharedReference,
    SyncQueue,
)
from crossroads.exchange.services import sync
from crossroads.registry import services
from tests.conftest import exploitation_input, person_input

from .conftest import consent_to_cross_border, to_hub

pytestmark = pytest.mark.django_db


def test_sync_encodes_eligible_persons_once_and_withdraws_h3(world, joined):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    with joined.acting_as("AL"):
        result = sync(full=True)
    shared = SharedReference.objects.filter(jurisdiction_id="AL")
    persons = {r.person.family_name for r in shared}
    assert result.sent == len(persons) and "Shala" not in persons  # the H3 case's victim
    assert "Krasniqi" in persons and not shared.filter(person__jurisdiction_id="RS").exists()
    for message in OutboxMessage.objects.filter(kind="encoding.put"):
        body = json.loads(message.envelope)["body"]
        assert set(body) == {"reference", "jurisdiction", "encoding"}
        assert "Krasniqi" not in message.envelope and "2001-05-04" not in message.envelope
    with joined.acting_as("AL"):
        assert sync(full=True).sent == 0  # nothing changed
    case = world.cases["AL-police"]
    case.handling_code = "H3"
    case.save()  # queues the case's persons
    assert SyncQueue.objects.count() == 2
    with joined.acting_as("AL"):
        result = sync()
    assert result.withdrawn == 2 and not SyncQueue.objects.exists()
    assert OutboxMessage.objects.filter(kind="encoding.withdraw").count() == 2


def test_victims_are_encoded_only_while_they_consent_to_cross_border_sharing(world, joined):
    from crossroads.assistance.services import consent

    victim, investigator = world.persons["AL-victim"], world.user(Role.INVESTIGATOR)
    live = SharedReference.objects.filter(person=victim, withdrawn_at__isnull=True)
    with joined.acting_as("AL"):
        sync(full=True)
    assert not live.exists()  # never asked: not encoded
    consent.record_consent(investigator, victim, "cross_border", True)
    with joined.acting_as("AL"):
        assert sync().sent == 1  # the consent queued the person
    assert live.exists()
    consent.record_consent(investigator, victim, "cross_border", False)
    with joined.acting_as("AL"):
        assert sync().withdrawn == 1
    assert not live.exists()
    assert OutboxMessage.objects.filter(kind="encoding.withdraw").count() == 1


def test_the_hub_compares_across_jurisdictions_and_notifies_both_nodes(world, joined):
    investigator = world.user(Role.INVESTIGATOR, "RS")
    services.register_victim(investigator, person_input(given="Дрита", family="Краснићи"),
                             services.CaseInput(), exploitation_input())
    consent_to_cross_border(investigator)
    for code in ("AL", "RS"):
        with joined.acting_as(code):
            sync(full=True)
        assert set(to_hub(joined, code)) == {"done"}
    assert HubEncoding.objects.count() == SharedReference.objects.count()
    # Drita Krasniqi / Дрита Краснићи, and Vesa Gashi whom both test jurisdictions know.
    hits = HubMessage.objects.filter(kind="hit")
    assert sorted(h.recipient for h in hits) == ["AL", "AL", "RS", "RS"]
    bodies = {json.loads(h.envelope)["body"]["reference"]: h for h in hits.filter(recipient="AL")}
    al_reference = SharedReference.objects.get(person=world.persons["AL-victim"]).reference
    body = json.loads(bodies[al_reference].envelope)["body"]
    assert body["remote_node"] == "RS" and body["score"] >= 0.7
    assert set(body) == {"reference", "remote_reference", "remote_node", "remote_jurisdiction", "score"}
    # The node takes its hits from the mailbox; the focal point sees them.
    with joined.acting_as("AL"):
        for hit in hits.filter(recipient="AL"):
            transport.accept(json.loads(hit.envelope))
        transport.process()
    listed = world.api(Role.FOCAL_POINT, "AL").get("/api/v1/exchange/hits").json()["items"]
    assert {h["person_id"] for h in listed} == {world.persons["AL-victim"].pk,
                                                world.persons["AL-other-victim"].pk}
    # Sent again (a resend after a crash), nothing is compared or notified twice.
    OutboxMessage.objects.update(sent_at=None)
    assert set(to_hub(joined, "AL")) == {"duplicate"}
    assert HubMessage.objects.filter(kind="hit").count() == 4


def test_the_hub_refuses_foreign_jurisdictions_references_and_bad_encodings(joined):
    node = HubNode.objects.get(code="AL")
    identity = joined.identity("AL")
    from crossroads.exchange.envelope import build

    def put(body):
        with joined.acting_as("HUB"):
            return hub.receive(node, build(identity, recipient="HUB", kind="encoding.put", body=body))

    with pytest.raises(HubRefusal, match="jurisdiction"):
        put({"reference": "a" * 32, "jurisdiction": "RS", "encoding": {}})
    with pytest.raises(HubRefusal, match="encoding"):
        put({"reference": "a" * 32, "jurisdiction": "AL", "encoding": {"schema": "x"}})
    with pytest.raises(HubRefusal, match="reference"):
        put({"reference": "Arta Hoxha", "jurisdiction": "AL", "encoding": {}})


def test_the_hub_keeps_no_head_older_than_one_it_holds(joined):
    from crossroads.exchange.envelope import build

    node = HubNode.objects.get(code="AL")

    def head(last_id):
        envelope = build(joined.identity("AL"), recipient="HUB", kind="witness.head",
                         body={"count": last_id, "last_id": last_id, "last_hash": "a" * 64})
        with joined.acting_as("HUB"):
            return hub.receive(node, envelope)

    assert head(10) == "done"
    with pytest.raises(HubRefusal, match="older"):
        head(5)


def test_node_keys_from_the_command_line(joined):
    out = io.StringIO()
    with joined.acting_as("AL") as own:
        call_command("keys", "show", "--node", "--json", stdout=out)
        assert json.loads(out.getvalue())["signing_key"] == own.pair.signing_public
        with pytest.raises(CommandError, match="exists already"):
            call_command("keys", "init", "--node")
        call_command("keys", "rotate", "--node", stdout=io.StringIO())
        from crossroads.exchange import identity

        rotated = identity.load()
    assert len(rotated.pairs) == 2 and rotated.current != own.current
    out = io.StringIO()
    call_command("keys", "show", stdout=out)  # the keyring, as before
    assert "keyring:" in out.getvalue()


def test_the_registry_from_the_command_line(joined):
    peer = joined.peer("RS")
    with joined.acting_as("HUB"):
        with pytest.raises(CommandError, match="another node"):
            call_command("exchange", "register-node", "RS2", "--jurisdictions", "RS",
                         "--signing-key", peer.signing_key, "--encryption-key", peer.encryption_key)
        with pytest.raises(CommandError, match="32 bytes"):
            call_command("exchange", "register-node", "ME", "--jurisdictions", "ME",
                         "--signing-key", "short", "--encryption-key", peer.encryption_key)
        call_command("exchange", "deactivate-node", "RS", stdout=io.StringIO())
        out = io.StringIO()
        call_command("exchange", "nodes", stdout=out)
    assert "RS  (deactivated)" in out.getvalue()
    with joined.acting_as("AL"), pytest.raises(CommandError, match="hub command"):
        call_command("exchange", "nodes")
