"""Formal requests on each side, in one process: the requesting node (RS) and the owning node
(AL) each talk to envelopes made as the other would make them."""

import datetime
import json
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.exchange import services, transport
from crossroads.exchange.eligibility import shareable_persons
from crossroads.exchange.envelope import build, open_sealed
from crossroads.exchange.models import ExchangeRequest, Hit, InboxMessage, OutboxMessage, SharedReference

from .conftest import consent_to_cross_border

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date.today() + datetime.timedelta(days=7)


def shared(person):
    return SharedReference.objects.get_or_create(person=person,
                                                 defaults={"jurisdiction_id": person.jurisdiction_id})[0]


def hit_for(person, remote_node="AL"):
    return Hit.objects.create(reference=shared(person), remote_reference=uuid.uuid4().hex,
                              remote_node=remote_node, remote_jurisdiction=remote_node, score=0.9)


def deliver_as(parties, recipient, message: OutboxMessage):
    with parties.acting_as(recipient):
        transport.accept(json.loads(message.envelope))
        transport.process()


def ask(world, parties, handling="H0", fields=("given_names", "birth_date")):
    hit = hit_for(world.persons["RS-victim"])
    with parties.acting_as("RS"):
        request = services.create_request(
            world.user(Role.FOCAL_POINT, "RS"), hit, purpose="identify", legal_basis="MoU",
            fields=list(fields), handling_code=handling, deadline=DEADLINE)
    return request, OutboxMessage.objects.get(kind="request")


def decision_from_al(parties, request, body, handling="H0"):
    """The owner's answer, as AL's node would seal and sign it."""
    envelope = build(parties.identity("AL"), recipient="RS", kind="decision",
                     body={"request_id": str(request.public_id), "decided_by": "al focal", **body},
                     conversation=str(request.conversation_id), seq=1, handling=handling,
                     recipient_peer=parties.peer("RS"))
    with parties.acting_as("RS"):
        transport.accept(envelope)
        transport.process()
    request.refresh_from_db()
    return request


def test_only_focal_points_see_hits_and_send_requests(world, registered):
    hit = hit_for(world.persons["RS-victim"])
    for role in (Role.INVESTIGATOR, Role.COORDINATOR, Role.ADMINISTRATOR):
        assert world.api(role, "RS").get("/api/v1/exchange/hits").status_code == 403
    assert world.api(Role.FOCAL_POINT, "AL").get("/api/v1/exchange/hits").json()["count"] == 0
    listed = world.api(Role.FOCAL_POINT, "RS").get("/api/v1/exchange/hits").json()
    assert [h["id"] for h in listed["items"]] == [hit.pk]


def test_a_request_names_each_bad_field(world, registered):
    hit = hit_for(world.persons["RS-victim"])
    with registered.acting_as("RS"):
        response = world.api(Role.FOCAL_POINT, "RS").post("/api/v1/exchange/requests", {
            "hit_id": hit.pk, "purpose": " ", "legal_basis": "MoU", "fields": ["given_names"],
            "handling_code": "H0", "deadline": "2000-01-01"}, content_type="application/json")
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"purpose", "deadline"}
    assert not OutboxMessage.objects.exists() and not ExchangeRequest.objects.exists()
    with registered.acting_as("RS"):
        response = world.api(Role.FOCAL_POINT, "RS").post("/api/v1/exchange/requests", {
            "hit_id": hit.pk, "purpose": "x", "legal_basis": "MoU", "fields": ["given_names"],
            "handling_code": "H3", "deadline": DEADLINE.isoformat()}, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "handling_code"


def test_the_request_travels_sealed_and_is_audited(world, registered):
    request, message = ask(world, registered)
    envelope = json.loads(message.envelope)
    assert "identify" not in message.envelope and envelope["header"]["recipient"] == "AL"
    body = open_sealed(envelope, registered.identity("AL"))
    assert body["fields"] == ["given_names", "birth_date"] and body["purpose"] == "identify"
    entry = AuditEntry.objects.get(object_type="exchange.exchangerequest", action="create")
    assert entry.details["exchange"] == "request_sent"
    assert entry.details["message"] == str(message.message_id)


def test_the_answer_holds_exactly_the_approved_fields_and_every_read_is_audited(world, registered):
    request, _ = ask(world, registered)
    request = decision_from_al(registered, request, {
        "status": "partly", "fields": ["birth_date"],
        "values": {"birth_date": {"date": "2001-05-04", "precision": "exact"}},
        "source_reliability": "B", "information_reliability": "3"})
    assert request.status == "partly" and request.fields_approved == ["birth_date"]
    client = world.api(Role.FOCAL_POINT, "RS")
    answer = client.get(f"/api/v1/exchange/requests/{request.pk}/answer").json()
    assert answer["values"] == {"birth_date": {"date": "2001-05-04", "precision": "exact"}}
    assert (answer["source_reliability"], answer["information_reliability"]) == ("B", "3")
    client.get(f"/api/v1/exchange/requests/{request.pk}/answer")
    reads = AuditEntry.objects.filter(action="read_identity", object_id=str(request.pk))
    assert reads.count() == 2 and reads.first().details["fields"] == ["birth_date"]
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT answer FROM exchange_exchangerequest")
        assert "2001-05-04" not in cursor.fetchone()[0]


@pytest.mark.parametrize("spoil", [
    {"fields": ["given_names", "aliases"]},     # a field that was not asked
    {"values": {"given_names": "x", "birth_date": "y"}},  # values beyond the fields
    {"source_reliability": "Z"},
])
def test_an_answer_beyond_the_request_is_set_aside(world, registered, spoil):
    request, _ = ask(world, registered)
    body = {"status": "partly", "fields": ["given_names"], "values": {"given_names": "x"},
            "source_reliability": "B", "information_reliability": "2"} | spoil
    request = decision_from_al(registered, request, body)
    assert request.status == "pending" and request.answer == ""
    assert InboxMessage.objects.get(kind="decision").error == "malformed answer"


def test_a_decision_without_a_request_id_is_set_aside_and_the_inbox_goes_on(world, registered):
    request, _ = ask(world, registered)
    request = decision_from_al(registered, request, {"request_id": "not-a-uuid", "status": "refused"})
    assert request.status == "pending"
    message = InboxMessage.objects.get(kind="decision")
    assert message.processed_at and message.error == "malformed decision: no request id"


def test_h2_answers_cannot_be_shared_onward_h1_are_marked_not_for_court(world, registered):
    answers = {}
    for handling in ("H2", "H1"):
        request, _ = ask(world, registered, handling=handling)
        OutboxMessage.objects.all().delete()
        answers[handling] = decision_from_al(registered, request, {
            "status": "approved", "fields": ["given_names", "birth_date"],
            "values": {"given_names": "Drita", "birth_date": {"date": "", "precision": "exact"}},
            "source_reliability": "A", "information_reliability": "1"}, handling=handling)
    client = world.api(Role.FOCAL_POINT, "RS")
    refused = client.get(f"/api/v1/exchange/requests/{answers['H2'].pk}/answer/export")
    assert refused.status_code == 403
    assert AuditEntry.objects.filter(action="denied", details__exchange="export_refused").exists()
    read = client.get(f"/api/v1/exchange/requests/{answers['H2'].pk}/answer").json()
    assert read["onward_sharing"] is False and read["court_use"] is True
    exported = client.get(f"/api/v1/exchange/requests/{answers['H1'].pk}/answer/export").json()
    assert exported["marking"] == "H1" and exported["court_use"] is False


def test_a_stricter_handling_code_from_the_owner_wins(world, registered):
    request, _ = ask(world, registered, handling="H0")
    request = decision_from_al(registered, request, {
        "status": "approved", "fields": ["given_names", "birth_date"],
        "values": {"given_names": "x", "birth_date": "y"}, "source_reliability": "A",
        "information_reliability": "1"}, handling="H2")
    assert request.handling_code == "H2"


def request_envelope(parties, hit, *, sender="RS", requester_jurisdiction="RS",
                     fields=("given_names", "family_name"), request_id=None):
    """A request for AL's side of `hit`, as `sender` would sign (and seal) it."""
    return build(parties.identity(sender), recipient="AL", kind="request", body={
        "request_id": request_id or str(uuid.uuid4()), "reference": hit.reference.reference,
        "requester_reference": hit.remote_reference, "requester": "rs focal",
        "requester_jurisdiction": requester_jurisdiction, "purpose": "identify",
        "legal_basis": "MoU", "fields": list(fields), "deadline": DEADLINE.isoformat()},
        conversation=str(uuid.uuid4()), seq=1,
        recipient_peer=None if sender == "HUB" else parties.peer("AL"))


def receive_request_on_al(world, parties, person, fields=("given_names", "family_name")):
    """A request from RS about a hit AL holds (the hub told AL that RS knows the person)."""
    envelope = request_envelope(parties, hit_for(person, remote_node="RS"), fields=fields)
    with parties.acting_as("AL"):
        transport.accept(envelope)
        transport.process()
    return ExchangeRequest.objects.get(direction="in")


def test_the_owner_approves_part_of_a_request(world, registered):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    client = world.api(Role.FOCAL_POINT, "AL")
    with registered.acting_as("AL"):
        response = client.post(f"/api/v1/exchange/requests/{request.pk}/approve", {
            "fields": ["family_name"], "source_reliability": "B", "information_reliability": "2"},
            content_type="application/json")
        assert response.status_code == 200 and response.json()["status"] == "partly"
        again = client.post(f"/api/v1/exchange/requests/{request.pk}/refuse", {"reason": "late"},
                            content_type="application/json")
    assert again.status_code == 422  # decided already
    message = OutboxMessage.objects.get(kind="decision")
    body = open_sealed(json.loads(message.envelope), registered.identity("RS"))
    assert body["values"] == {"family_name": "Krasniqi"} and body["status"] == "partly"
    assert AuditEntry.objects.filter(action="export", object_type="registry.person",
                                     details__fields=["family_name"]).exists()


def test_the_owner_refuses_with_a_reason(world, registered):
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    with registered.acting_as("AL"):
        response = world.api(Role.FOCAL_POINT, "AL").post(
            f"/api/v1/exchange/requests/{request.pk}/refuse", {"reason": ""},
            content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "reason"
        services.refuse(world.user(Role.FOCAL_POINT, "AL"), request, reason="no legal basis")
    body = open_sealed(json.loads(OutboxMessage.objects.get().envelope), registered.identity("RS"))
    assert body == {"request_id": str(request.public_id), "status": "refused",
                    "reason": "no legal basis", "decided_by": body["decided_by"]}


def test_nothing_leaves_for_a_person_now_in_an_h3_case(world, registered):
    person = world.persons["AL-victim"]
    request = receive_request_on_al(world, registered, person)
    case = world.cases["AL-police"]
    case.handling_code = "H3"
    case.save()
    with registered.acting_as("AL"), pytest.raises(Exception, match="H3"):
        services.approve(world.user(Role.FOCAL_POINT, "AL"), request, fields=["family_name"],
                                source_reliability="A", information_reliability="1")
    sent = OutboxMessage.objects.get()  # only the refusal, which names no restricted case
    body = open_sealed(json.loads(sent.envelope), registered.identity("RS"))
    assert body["status"] == "refused" and "values" not in body and "H3" not in body["reason"]


def test_h3_persons_are_never_encoded(world):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))  # consent does not open H3
    eligible = set(shareable_persons(["AL"]))
    assert world.persons["AL-victim"] in eligible
    assert not any(p.family_name == "Shala" for p in eligible)  # the H3 case's victim
    assert not any(p.jurisdiction_id == "RS" for p in eligible)


def test_deadlines_are_reminded_once_a_day(world, registered):
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    ExchangeRequest.objects.filter(pk=request.pk).update(deadline=timezone.localdate())
    assert services.remind_deadlines() == 1
    assert services.remind_deadlines() == 0
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert services.remind_deadlines(tomorrow) == 1
    overdue = world.api(Role.FOCAL_POINT, "AL").get("/api/v1/exchange/requests?overdue=true").json()
    assert overdue["count"] == 0  # due today is not overdue yet
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ExchangeRequest.objects.filter(pk=request.pk).update(deadline=yesterday)
    overdue = world.api(Role.FOCAL_POINT, "AL").get("/api/v1/exchange/requests?overdue=true").json()
    assert overdue["count"] == 1 and overdue["items"][0]["overdue"] is True
