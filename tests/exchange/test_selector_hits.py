"""Cross-border selector hit / no-hit, in one process (node and hub tables are distinct): suspects'
phones, e-mails, IBANs, plates and document numbers go to the hub as keyed hashes, equal hashes of
one kind from two nodes are a hit for both nodes' focal points, and a formal request cites it.
Nothing in clear at the hub; H3 never; withdrawn when the selector goes or the case turns H3."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.exchange import hub, services, transport
from crossroads.exchange.encoding_keys import derive_key
from crossroads.exchange.envelope import EnvelopeError, build, canonical, open_sealed
from crossroads.exchange.hub import HubRefusal
from crossroads.exchange.identity import exchange_secret
from crossroads.exchange.models import (
    ExchangeRequest,
    Hit,
    HubEncoding,
    HubHit,
    HubMessage,
    HubNode,
    HubSelector,
    HubSelectorHit,
    InboxMessage,
    OutboxMessage,
    SelectorQueue,
    SharedSelector,
)
from crossroads.exchange.selectors import keyed_hash
from crossroads.networks import services as networks
from crossroads.networks.models import Entity
from crossroads.registry import services as registry

from .conftest import consent_to_cross_border, to_hub

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date.today() + datetime.timedelta(days=7)
PHONE = "+355691234567"
VALUES = {  # what two suspects of AL and RS have in common, as each side writes it
    "AL": {"phone": ["069 123 4567"], "email": ["Besa.Trans@example.org"]},
    "RS": {"phone": ["+355 69 123 4567"], "email": ["besa.trans@EXAMPLE.org"]},
}
CLEAR = ["355691234567", "691234567", "besa.trans", "example.org", "AL35202111090000000001234567",
         "AA123BB", "BZ4417362", "Besnik", "Leka", "Марко", "al-police"]


def add_entity(world, capture, code, schema="Person", case="police", **properties):
    """An entity of a case of `code` ("police", or "other": another police agency's), written by
    its investigator (the selectors are announced once the write has committed: run here by
    `capture`)."""
    actor = world.users[(code, Role.INVESTIGATOR if case == "police" else "other_investigator")]
    with capture(execute=True):
        return networks.add_entity(actor, world.cases[f"{code}-{case}"], networks.EntityInput(
            schema=schema, source="statement", properties=properties))


def sync_and_send(parties, *codes, full=False):
    """Each node syncs and delivers to the hub. Both nodes share one database here, and so one
    queue, which the first node's sync empties (a node's own queue holds its entries only): the
    nodes after the first sync in full."""
    results = {}
    for number, code in enumerate(codes):
        with parties.acting_as(code):
            results[code] = services.sync(full=full or number > 0)
        to_hub(parties, code)
    return results


def deliver_hits(parties):
    """Each node takes the hub's messages for it from the mailbox, and processes them."""
    for code in ("AL", "RS"):
        with parties.acting_as(code):
            for message in HubMessage.objects.filter(recipient=code, delivered_at__isnull=True):
                transport.accept(json.loads(message.envelope))
                message.delivered_at = message.stored_at
                message.save()
            transport.process()


def hits_api(world, code, role=Role.FOCAL_POINT):
    return world.api(role, code).get("/api/v1/exchange/hits")


@pytest.fixture
def shared_phone(world, joined, django_capture_on_commit_callbacks):
    """Besnik Leka (AL) and Марко Јовић (RS), suspects of each node, share a phone and an e-mail."""
    al = add_entity(world, django_capture_on_commit_callbacks, "AL", name=["Besnik Leka"],
                    **VALUES["AL"])
    rs = add_entity(world, django_capture_on_commit_callbacks, "RS", name=["Марко Јовић"],
                    **VALUES["RS"])
    assert SelectorQueue.objects.count() == 2  # (phone, e-mail): one queue entry each, both nodes
    sync_and_send(joined, "AL", "RS")
    deliver_hits(joined)
    return al, rs


def test_a_phone_shared_by_suspects_of_two_nodes_is_a_hit_for_both_focal_points(
        world, shared_phone, joined):
    puts = [json.loads(m.envelope)["body"] for m in OutboxMessage.objects.filter(kind="selector.put")]
    assert len(puts) == 4 and all(set(body) == {"reference", "kind", "hash"} for body in puts)
    assert {b["kind"] for b in puts} == {"phone", "email"}
    # The same value on both sides, however it was written, hashes alike; the kinds differ.
    by_kind = {kind: {b["hash"] for b in puts if b["kind"] == kind} for kind in ("phone", "email")}
    assert all(len(hashes) == 1 for hashes in by_kind.values())
    assert by_kind["phone"] != by_kind["email"]
    assert HubSelector.objects.count() == 4 and HubSelectorHit.objects.count() == 2
    posted = [json.loads(m.envelope)["body"] for m in HubMessage.objects.filter(kind="hit")]
    assert sorted(b["selector"] for b in posted) == ["email", "email", "phone", "phone"]
    assert all(set(b) == {"reference", "remote_reference", "remote_node", "remote_jurisdiction",
                          "score", "selector"} and b["score"] == 1.0 for b in posted)
    for code, other in (("AL", "RS"), ("RS", "AL")):
        listed = hits_api(world, code).json()["items"]
        assert sorted(h["kind"] for h in listed) == ["email", "phone"]
        assert all(h["person_id"] is None and h["remote_node"] == other
                   and h["remote_jurisdiction"] == other for h in listed)
    al_hits = {h["reference"]: h for h in hits_api(world, "AL").json()["items"]}
    for rs_hit in hits_api(world, "RS").json()["items"]:
        assert al_hits[rs_hit["remote_reference"]]["remote_reference"] == rs_hit["reference"]
    # The page labels it a selector hit with its kind, and shows no value.
    page = world.client(Role.FOCAL_POINT, "AL").get("/exchange/hits/").content.decode()
    assert "Selector hit: Phone" in page and "Selector hit: E-mail" in page
    assert not any(value in page for value in CLEAR)
    entry = AuditEntry.objects.filter(object_type="exchange.hit", details__selector="phone")
    assert entry.count() == 2  # one on each node
    # Sent again (a resend after a crash): nothing compared or notified twice.
    OutboxMessage.objects.filter(kind="selector.put").update(sent_at=None)
    assert set(to_hub(joined, "AL")) == {"duplicate"}
    assert HubMessage.objects.filter(kind="hit").count() == 4


def test_different_phones_are_no_hit(world, joined, django_capture_on_commit_callbacks):
    add_entity(world, django_capture_on_commit_callbacks, "AL", name=["Besnik Leka"],
               phone=["069 123 4567"])
    add_entity(world, django_capture_on_commit_callbacks, "RS", name=["Марко Јовић"],
               phone=["+355 69 123 4568"])
    add_entity(world, django_capture_on_commit_callbacks, "RS", schema="BankAccount",
               iban=["AL35202111090000000001234567"])
    sync_and_send(joined, "AL", "RS")
    assert HubSelector.objects.count() == 3
    assert not HubSelectorHit.objects.exists() and not HubMessage.objects.filter(kind="hit").exists()


def test_the_same_number_within_one_node_is_no_hit_and_is_sent_once(
        world, joined, django_capture_on_commit_callbacks):
    for name in ("Besnik Leka", "Arben Leka"):
        add_entity(world, django_capture_on_commit_callbacks, "AL", name=[name], phone=[PHONE])
    add_entity(world, django_capture_on_commit_callbacks, "AL", case="other", schema="LegalEntity",
               name=["unknown subscriber"], phone=[PHONE])
    sync_and_send(joined, "AL")
    # One reference for the number in the jurisdiction: the hub cannot count its holders.
    assert HubSelector.objects.count() == 1 and SharedSelector.objects.count() == 1
    assert not HubSelectorHit.objects.exists()


def test_an_h3_cases_selectors_never_reach_the_hub(world, joined, django_capture_on_commit_callbacks):
    from crossroads.networks import proxies
    from crossroads.networks.services.entities import entity_row, selector_rows

    h3 = world.cases["AL-h3"]
    checked = proxies.check_node({"schema": "Vehicle", "properties": {
        "registrationNumber": ["AA 123 BB"], "name": ["white van"]}}, "AL")
    entity = entity_row(world.user(Role.INVESTIGATOR), h3, checked, "surveillance")
    entity.save()
    for selector in selector_rows(entity, checked):
        selector.save()
    add_entity(world, django_capture_on_commit_callbacks, "RS", schema="Vehicle",
               name=["van"], registrationNumber=["AA123BB"])
    results = sync_and_send(joined, "AL", "RS", full=True)
    assert results["AL"].selectors_sent == 0 and results["RS"].selectors_sent == 1
    assert not SharedSelector.objects.filter(jurisdiction_id="AL").exists()
    assert list(HubSelector.objects.values_list("node", flat=True)) == ["RS"]
    assert not HubMessage.objects.filter(kind="hit").exists()


def test_a_case_raised_to_h3_withdraws_its_selectors_and_refuses_pending_requests(
        world, shared_phone, joined, django_capture_on_commit_callbacks):
    incoming = _request_on_al(joined)
    assert incoming.status == "pending"
    with joined.acting_as("AL"), django_capture_on_commit_callbacks(execute=True):
        registry.change_handling_code(world.user(Role.INVESTIGATOR), world.cases["AL-police"], "H3")
    incoming.refresh_from_db()
    assert incoming.status == "refused" and incoming.decided_by == "Crossroads (automatic)"
    assert "no longer shared" in incoming.refusal_reason  # the H3 case is not named
    assert SelectorQueue.objects.count() == 2
    results = sync_and_send(joined, "AL")
    assert results["AL"].selectors_withdrawn == 2
    assert set(HubSelector.objects.values_list("node", flat=True)) == {"RS"}
    assert not HubSelectorHit.objects.exists()  # gone with the withdrawn side
    refusal = open_sealed(json.loads(OutboxMessage.objects.get(kind="decision").envelope),
                          joined.identity("RS"))
    assert refusal["status"] == "refused" and "values" not in refusal


def test_withdrawal_when_the_last_holder_goes(world, joined, django_capture_on_commit_callbacks):
    first = add_entity(world, django_capture_on_commit_callbacks, "AL", name=["Besnik Leka"],
                       phone=[PHONE])
    second = add_entity(world, django_capture_on_commit_callbacks, "AL", schema="LegalEntity",
                        name=["subscriber"], phone=[PHONE])
    add_entity(world, django_capture_on_commit_callbacks, "RS", name=["Марко Јовић"],
               phone=[PHONE])
    sync_and_send(joined, "AL", "RS")
    assert HubSelectorHit.objects.count() == 1
    Entity.objects.filter(pk=first.pk).delete()  # its selector with it
    assert sync_and_send(joined, "AL")["AL"].selectors_withdrawn == 0  # the other holds it still
    assert HubSelector.objects.filter(node="AL").exists()
    Entity.objects.filter(pk=second.pk).delete()
    assert sync_and_send(joined, "AL")["AL"].selectors_withdrawn == 1
    assert not HubSelector.objects.filter(node="AL").exists() and not HubSelectorHit.objects.exists()
    shared = SharedSelector.objects.get(jurisdiction_id="AL")
    assert shared.withdrawn_at is not None and shared.hashed == ""


def test_a_victims_entity_is_shared_only_with_consent(world, joined, django_capture_on_commit_callbacks):
    from crossroads.assistance.services import consent

    victim = world.persons["AL-victim"]
    with django_capture_on_commit_callbacks(execute=True):
        networks.add_entity(world.user(Role.INVESTIGATOR), world.cases["AL-police"],
                            networks.EntityInput(schema="Person", source="statement",
                                                 person_id=victim.pk,
                                                 properties={"name": ["Drita"], "phone": [PHONE]}))
    assert sync_and_send(joined, "AL")["AL"].selectors_sent == 0
    consent.record_consent(world.user(Role.INVESTIGATOR), victim, "cross_border", True)
    assert sync_and_send(joined, "AL")["AL"].selectors_sent == 1  # the consent queued it
    consent.record_consent(world.user(Role.INVESTIGATOR), victim, "cross_border", False)
    assert sync_and_send(joined, "AL")["AL"].selectors_withdrawn == 1


def test_the_hub_holds_no_clear_value(world, joined, django_capture_on_commit_callbacks):
    for code in ("AL", "RS"):
        add_entity(world, django_capture_on_commit_callbacks, code, name=["Besnik Leka"],
                   phone=[PHONE], email=["besa.trans@example.org"], idNumber=["BZ4417362"])
        add_entity(world, django_capture_on_commit_callbacks, code, schema="BankAccount",
                   iban=["AL35202111090000000001234567"])
        add_entity(world, django_capture_on_commit_callbacks, code, schema="Vehicle",
                   registrationNumber=["AA 123 BB"])
    sync_and_send(joined, "AL", "RS")
    deliver_hits(joined)
    assert HubSelectorHit.objects.count() == 5  # phone, e-mail, document, IBAN, plate
    tables = [t for t in connection.introspection.table_names() if t.startswith("exchange_hub")]
    assert {"exchange_hubselector", "exchange_hubselectorhit", "exchange_hubmessage"} <= set(tables)
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                found += [(table, value) for value in CLEAR if value.lower() in text.lower()]
    assert found == []
    # Nor in what the nodes sent it (bodies for the hub are signed, not sealed).
    for message in OutboxMessage.objects.filter(recipient="HUB"):
        assert not any(value.lower() in message.envelope.lower() for value in CLEAR)
    # Without the secret, the hub cannot hash a guess: an unkeyed hash is not what it holds.
    import hashlib

    held = set(HubSelector.objects.values_list("digest", flat=True))
    assert hashlib.sha256(PHONE.encode()).hexdigest() not in held
    with joined.acting_as("AL"):
        assert keyed_hash(exchange_secret(), "phone", PHONE) in held


def test_a_person_encoding_and_a_selector_of_the_same_text_do_not_hit(
        world, joined, django_capture_on_commit_callbacks):
    # AL knows Drita Krasniqi (a person); RS a suspect's document numbered KRASNIQI.
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    add_entity(world, django_capture_on_commit_callbacks, "RS", name=["Марко Јовић"],
               idNumber=["Krasniqi"], email=["drita@krasniqi.example"])
    sync_and_send(joined, "AL", "RS", full=True)
    assert HubEncoding.objects.filter(node="AL").exists() and HubSelector.objects.filter(node="RS").exists()
    assert not HubSelectorHit.objects.exists()
    hit_pairs = {(h.left.node, h.right.node) for h in HubHit.objects.all()}
    assert all("RS" not in pair or HubEncoding.objects.filter(node="RS").exists() for pair in hit_pairs)
    assert not HubMessage.objects.filter(kind="hit", envelope__contains='"selector"').exists()
    # Different labels, different keys: the selector hash is no person encoding's key at work.
    with joined.acting_as("RS"):
        secret = exchange_secret()
    assert derive_key(secret, "selector/1/document") not in {
        derive_key(secret, f"clk/1/{label}") for label in ("name", "father", "diffusion")}
    # And the two forms cannot stand in for each other at the hub.
    node, identity = HubNode.objects.get(code="RS"), joined.identity("RS")
    selector = HubSelector.objects.filter(node="RS").first()

    def to_hub_as_rs(kind, body):
        with joined.acting_as("HUB"):
            return hub.receive(node, build(identity, recipient="HUB", kind=kind, body=body))

    with pytest.raises(HubRefusal, match="encoding"):
        to_hub_as_rs("encoding.put", {"reference": "b" * 32, "jurisdiction": "RS",
                                      "encoding": {"hash": selector.digest}})
    with pytest.raises(HubRefusal, match="exactly reference, kind and hash"):
        to_hub_as_rs("selector.put", {"reference": "c" * 32, "kind": "phone",
                                      "hash": selector.digest, "encoding": {}})


def test_the_hub_refuses_bad_selectors(joined):
    node, identity = HubNode.objects.get(code="AL"), joined.identity("AL")

    def put(body):
        with joined.acting_as("HUB"):
            return hub.receive(node, build(identity, recipient="HUB", kind="selector.put", body=body))

    with pytest.raises(HubRefusal, match="reference"):
        put({"reference": "Besnik Leka", "kind": "phone", "hash": "a" * 64})
    with pytest.raises(HubRefusal, match="kind"):
        put({"reference": "a" * 32, "kind": "company_number", "hash": "a" * 64})
    with pytest.raises(HubRefusal, match="hash"):
        put({"reference": "a" * 32, "kind": "phone", "hash": PHONE})  # a value in clear
    with pytest.raises(HubRefusal, match="exactly"):
        put({"reference": "a" * 32, "kind": "phone", "hash": "a" * 64, "case": "AL-2024-1"})
    assert put({"reference": "a" * 32, "kind": "phone", "hash": "a" * 64}) == "done"
    rs_node = HubNode.objects.get(code="RS")
    with joined.acting_as("HUB"), pytest.raises(HubRefusal, match="another node"):
        hub.receive(rs_node, build(joined.identity("RS"), recipient="HUB", kind="selector.withdraw",
                                   body={"reference": "a" * 32}))
    assert HubSelector.objects.count() == 1


def test_a_non_focal_point_cannot_see_selector_hits(world, shared_phone):
    for role in (Role.INVESTIGATOR, Role.PROSECUTOR, Role.COORDINATOR, Role.ADMINISTRATOR,
                 Role.OVERSIGHT):
        assert hits_api(world, "AL", role).status_code == 403
        assert world.client(role, "AL").get("/exchange/hits/").status_code in (403, 404)
    al_hit = Hit.objects.filter(selector__jurisdiction_id="AL").first()
    # RS's focal point sees RS's hits only, and cannot open a request on AL's.
    assert {h["id"] for h in hits_api(world, "RS").json()["items"]}.isdisjoint({al_hit.pk})
    assert world.client(Role.FOCAL_POINT, "RS").get(
        f"/exchange/hits/{al_hit.pk}/request/").status_code == 404


def test_a_forged_or_replayed_hub_message_is_refused(world, shared_phone, joined):
    shared = SharedSelector.objects.get(jurisdiction_id="AL", kind="phone")
    body = {"reference": shared.reference, "remote_reference": "d" * 32, "remote_node": "RS",
            "remote_jurisdiction": "RS", "score": 1.0, "selector": "phone"}
    before = Hit.objects.count()
    with joined.acting_as("AL"):
        # Signed by a node, not the hub: taken in (a peer may send to AL), then set aside.
        forged = build(joined.identity("RS"), recipient="AL", kind="hit", body=body,
                       recipient_peer=joined.peer("AL"))
        transport.accept(forged)
        transport.process()
        assert InboxMessage.objects.get(message_id=forged["header"]["id"]).error == \
            "hits come from the hub only"
        # Claiming to be the hub, with another key: refused on arrival.
        impostor = build(joined.identity("RS"), recipient="AL", kind="hit", body=body,
                         recipient_peer=joined.peer("AL"))
        impostor["header"]["sender"] = "HUB"
        impostor["sig"] = joined.identity("RS").sign(canonical({"header": impostor["header"],
                                                                 "body": impostor["body"]}))
        with pytest.raises(EnvelopeError):
            transport.accept(impostor)
        # The hub's own message, altered on the way: refused.
        with joined.acting_as("HUB") as own_hub:
            genuine = build(own_hub, recipient="AL", kind="hit", body=body)
        altered = json.loads(json.dumps(genuine))
        altered["body"]["selector"] = "email"
        with pytest.raises(EnvelopeError):
            transport.accept(altered)
        # Replayed: the same message is taken once; another id with its nonce is refused.
        assert transport.accept(genuine) is not None and transport.accept(genuine) is None
        with joined.acting_as("HUB") as own_hub:
            replay = build(own_hub, recipient="AL", kind="hit", body=body)
            replay["header"]["nonce"] = genuine["header"]["nonce"]
            replay["sig"] = own_hub.sign(canonical({"header": replay["header"], "body": replay["body"]}))
        with pytest.raises(EnvelopeError, match="replayed"):
            transport.accept(replay)
        transport.process()
        # A hub hit on a selector AL never shared, or of the wrong kind, is set aside.
        with joined.acting_as("HUB") as own_hub:
            unknown = build(own_hub, recipient="AL", kind="hit", body=body | {"reference": "e" * 32})
            wrong_kind = build(own_hub, recipient="AL", kind="hit", body=body | {"selector": "iban"})
        for envelope in (unknown, wrong_kind):
            transport.accept(envelope)
        transport.process()
        for envelope in (unknown, wrong_kind):
            assert "never shared" in InboxMessage.objects.get(message_id=envelope["header"]["id"]).error
    assert Hit.objects.count() == before + 1  # the genuine one only


def _ask(world, parties, fields=("entity_name", "entity_schema")):
    hit = Hit.objects.get(selector__jurisdiction_id="RS", selector__kind="phone")
    with parties.acting_as("RS"):
        return services.create_request(
            world.user(Role.FOCAL_POINT, "RS"), hit, purpose="who uses this phone",
            legal_basis="Police cooperation convention for South-East Europe, article 5",
            fields=list(fields), handling_code="H1", deadline=DEADLINE)


def _request_on_al(parties, fields=("entity_name", "entity_schema")) -> ExchangeRequest:
    """RS's request as it arrives on AL's node, citing the phone hit. (One database holds both
    nodes here, and so one conversation table: the request comes in a conversation of its own.)"""
    al_hit = Hit.objects.get(selector__jurisdiction_id="AL", selector__kind="phone")
    request_id = str(uuid.uuid4())
    envelope = build(parties.identity("RS"), recipient="AL", kind="request", body={
        "request_id": request_id, "reference": al_hit.selector.reference,
        "requester_reference": al_hit.remote_reference, "requester": "rs_focal_point (police RS, RS)",
        "requester_jurisdiction": "RS", "purpose": "who uses this phone", "legal_basis": "MoU",
        "fields": list(fields), "deadline": DEADLINE.isoformat()},
        conversation=str(uuid.uuid4()), seq=1, handling="H1", recipient_peer=parties.peer("AL"))
    with parties.acting_as("AL"):
        accepted = transport.accept(envelope)
        transport.process()
    accepted.refresh_from_db()
    assert not accepted.error, accepted.error
    return ExchangeRequest.objects.get(public_id=request_id, direction="in")


def test_a_formal_request_cites_the_selector_hit(world, shared_phone, joined):
    api = world.api(Role.FOCAL_POINT, "RS")
    hit = Hit.objects.get(selector__jurisdiction_id="RS", selector__kind="phone")
    with joined.acting_as("RS"):
        response = api.post("/api/v1/exchange/requests", {
            "hit_id": hit.pk, "purpose": "x", "legal_basis": "MoU", "fields": ["given_names"],
            "handling_code": "H1", "deadline": DEADLINE.isoformat()}, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "fields"
    page = world.client(Role.FOCAL_POINT, "RS").get(f"/exchange/hits/{hit.pk}/request/")
    assert page.status_code == 200 and b"entity_properties" in page.content
    assert b"given_names" not in page.content
    request = _ask(world, joined, fields=("entity_name", "entity_properties"))
    assert request.hit == hit and request.local_reference == hit.selector.reference
    message = OutboxMessage.objects.get(kind="request")
    body = open_sealed(json.loads(message.envelope), joined.identity("AL"))
    al_hit = Hit.objects.get(selector__jurisdiction_id="AL", selector__kind="phone")
    assert body["reference"] == al_hit.selector.reference == hit.remote_reference
    assert body["requester_reference"] == hit.selector.reference
    assert body["fields"] == ["entity_name", "entity_properties"]


def test_the_owner_answers_with_the_holders_it_may_share(world, shared_phone, joined):
    al_entity, _rs_entity = shared_phone
    incoming = _request_on_al(joined, fields=("entity_name", "entity_schema", "entity_properties"))
    assert incoming.hit.selector.kind == "phone" and incoming.status == "pending"
    page = world.client(Role.FOCAL_POINT, "AL").get(f"/exchange/requests/{incoming.pk}/")
    assert "Name of the entity" in page.content.decode()
    # A person's fields are no answer to a selector's request.
    with joined.acting_as("AL"), pytest.raises(ValidationError):
        services.approve(world.user(Role.FOCAL_POINT, "AL"), incoming, fields=["given_names"],
                         source_reliability="B", information_reliability="2")
    with joined.acting_as("AL"):
        services.approve(world.user(Role.FOCAL_POINT, "AL"), incoming,
                         fields=["entity_name", "entity_schema"], source_reliability="B",
                         information_reliability="2")
    incoming.refresh_from_db()
    assert incoming.status == "partly" and incoming.handling_code == "H1"
    exported = AuditEntry.objects.get(object_type="networks.entity", action="export")
    assert exported.details["ids"] == [al_entity.pk] and exported.details["to"] == "RS"
    decision = OutboxMessage.objects.get(kind="decision")
    answer = open_sealed(json.loads(decision.envelope), joined.identity("RS"))
    assert answer["values"] == {"entity_name": ["Besnik Leka"], "entity_schema": ["Person"]}
    assert json.loads(decision.envelope)["header"]["handling"] == "H1"


def test_a_request_on_a_selector_hit_that_is_not_ours_is_set_aside(world, shared_phone, joined):
    """A request naming AL's selector reference, from a node AL holds no hit with on it."""
    shared = SharedSelector.objects.get(jurisdiction_id="AL", kind="phone")
    envelope = build(joined.identity("RS"), recipient="AL", kind="request", body={
        "request_id": "6f1d3c1e-8f2a-4f55-9a11-2b6c1f0e7a10", "reference": shared.reference,
        "requester_reference": "f" * 32, "requester": "rs", "requester_jurisdiction": "RS",
        "purpose": "x", "legal_basis": "y", "fields": ["entity_name"],
        "deadline": DEADLINE.isoformat()}, conversation="6f1d3c1e-8f2a-4f55-9a11-2b6c1f0e7a11",
        seq=1, handling="H1", recipient_peer=joined.peer("AL"))
    with joined.acting_as("AL"):
        transport.accept(envelope)
        transport.process()
    assert InboxMessage.objects.get(message_id=envelope["header"]["id"]).error == \
        "request refers to no hit this node holds"
    assert not ExchangeRequest.objects.exists()
