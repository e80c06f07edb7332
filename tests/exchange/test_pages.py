"""The focal points' pages: hits, sending a request, deciding one, reading the answer."""

import datetime
import json

import pytest

from crossroads.access.choices import Role
from crossroads.exchange.envelope import open_sealed
from crossroads.exchange.models import ExchangeRequest, OutboxMessage

from .conftest import consent_to_cross_border
from .test_formal_requests import decision_from_al, hit_for, receive_request_on_al

pytestmark = pytest.mark.django_db


def test_a_focal_point_sends_a_request_from_a_hit(world, registered):
    hit = hit_for(world.persons["RS-victim"])
    client = world.client(Role.FOCAL_POINT, "RS")
    page = client.get("/exchange/hits/")
    assert page.status_code == 200 and f"/exchange/hits/{hit.pk}/request/" in page.content.decode()
    with registered.acting_as("RS"):
        bad = client.post(f"/exchange/hits/{hit.pk}/request/", {"purpose": "x", "fields": []})
        assert bad.status_code == 422 and not OutboxMessage.objects.exists()
        deadline = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
        sent = client.post(f"/exchange/hits/{hit.pk}/request/", {
            "purpose": "identify", "legal_basis": "MoU", "fields": ["family_name", "sex"],
            "handling_code": "H1", "deadline": deadline})
    created = ExchangeRequest.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/exchange/requests/{created.pk}/"
    assert created.fields_requested == ["family_name", "sex"] and created.handling_code == "H1"
    assert world.client(Role.INVESTIGATOR, "RS").get("/exchange/hits/").status_code == 403


def test_the_owner_partly_approves_on_the_request_page(world, registered):
    consent_to_cross_border(world.user(Role.INVESTIGATOR))
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    client = world.client(Role.FOCAL_POINT, "AL")
    page = client.get(f"/exchange/requests/{request.pk}/").content.decode()
    assert "identify" in page and 'name="approve"' in page and 'name="refuse"' in page
    assert world.client(Role.FOCAL_POINT, "RS").get(f"/exchange/requests/{request.pk}/").status_code == 404
    with registered.acting_as("AL"):
        response = client.post(f"/exchange/requests/{request.pk}/", {
            "approve": "", "fields": ["given_names"], "source_reliability": "A",
            "information_reliability": "2"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "partly" and request.fields_approved == ["given_names"]
    body = open_sealed(json.loads(OutboxMessage.objects.get().envelope), registered.identity("RS"))
    assert body["values"] == {"given_names": "Drita"}
    assert 'name="approve"' not in client.get(f"/exchange/requests/{request.pk}/").content.decode()


def test_the_owner_refuses_on_the_request_page(world, registered):
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    client = world.client(Role.FOCAL_POINT, "AL")
    with registered.acting_as("AL"):
        url = f"/exchange/requests/{request.pk}/"
        assert client.post(url, {"refuse": "", "reason": ""}).status_code == 422
        assert client.post(f"/exchange/requests/{request.pk}/",
                           {"refuse": "", "reason": "no basis"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "refused" and request.refusal_reason == "no basis"


def test_the_answer_page_shows_the_values_and_the_marking(world, registered):
    from .test_formal_requests import ask

    request, _ = ask(world, registered, handling="H2")
    decision_from_al(registered, request, {
        "status": "partly", "fields": ["given_names"], "values": {"given_names": "Drita"},
        "source_reliability": "B", "information_reliability": "2"}, handling="H2")
    client = world.client(Role.FOCAL_POINT, "RS")
    assert f"/exchange/requests/{request.pk}/answer/" in client.get(
        f"/exchange/requests/{request.pk}/").content.decode()
    page = client.get(f"/exchange/requests/{request.pk}/answer/").content.decode()
    assert "Drita" in page and "may not be passed on" in page
    assert client.get("/exchange/requests/").status_code == 200


def test_overdue_is_one_predicate_for_the_page_the_api_and_the_reminders(world, registered):
    """`ExchangeRequest.objects.overdue()` and `request.is_overdue` define overdue once: the
    list page marks it, the API flags and filters it, the reminder records it."""
    request = receive_request_on_al(world, registered, world.persons["AL-victim"])
    today = datetime.date.today()
    ExchangeRequest.objects.filter(pk=request.pk).update(deadline=today)
    request.refresh_from_db()
    assert not request.is_overdue and request.is_due_soon
    assert not ExchangeRequest.objects.overdue().exists()
    assert ExchangeRequest.objects.awaiting_decision().due_soon().get() == request
    client = world.client(Role.FOCAL_POINT, "AL")
    assert "<strong>overdue</strong>" not in client.get("/exchange/requests/").content.decode()
    ExchangeRequest.objects.filter(pk=request.pk).update(deadline=today - datetime.timedelta(days=1))
    request.refresh_from_db()
    assert request.is_overdue and ExchangeRequest.objects.overdue().get() == request
    assert "<strong>overdue</strong>" in client.get("/exchange/requests/").content.decode()
    item = world.api(Role.FOCAL_POINT, "AL").get(f"/api/v1/exchange/requests/{request.pk}").json()
    assert item["overdue"] is True and item["due_soon"] is True
    ExchangeRequest.objects.filter(pk=request.pk).update(status="refused")
    request.refresh_from_db()
    assert not request.is_overdue and not ExchangeRequest.objects.overdue().exists()
