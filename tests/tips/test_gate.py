"""The early gate of the public routes (crossroads.tips.gate): a flood is refused before it
reaches the database, the form still says why to a reporter who hits the budget, a public
request never takes the process's last slots, and nothing about the sender is stored."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from crossroads.tips import formtoken
from crossroads.tips.gate import FRIENDLY_REFUSALS, PublicGate
from crossroads.tips.models import Report

from .helpers import REPORT, post_json

pytestmark = pytest.mark.django_db

FLOODER = "203.0.113.66"
AGENT = "Flooder/6.6"


def _every_stored_value() -> str:
    """Every value of every table of the database, as text."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from introspection)
            values.extend(str(v) for row in cursor.fetchall() for v in row)
    return " ".join(values)


def test_a_flood_is_refused_early_and_leaves_no_trace_of_the_sender(settings):
    settings.CROSSROADS_TIPS_LIMITS = {**settings.CROSSROADS_TIPS_LIMITS, "submit": (3, 100)}
    client = Client(REMOTE_ADDR=FLOODER, HTTP_USER_AGENT=AGENT)
    answers = [post_json(client, "/api/v1/public/reports", REPORT).status_code for _ in range(40)]
    assert answers[:3] == [201] * 3 and set(answers[3:]) == {429}
    assert Report.objects.count() == 3
    with CaptureQueriesContext(connection) as queries:
        refused = post_json(client, "/api/v1/public/reports", REPORT)
    assert refused.status_code == 429 and refused.json()["detail"].startswith("Too many")
    assert len(queries) == 0  # refused before a session, a log-in or the ORM is touched
    assert not refused.cookies
    stored = _every_stored_value()
    assert FLOODER not in stored and AGENT not in stored


def test_the_node_budget_holds_against_many_addresses(settings):
    settings.CROSSROADS_TIPS_LIMITS = {**settings.CROSSROADS_TIPS_LIMITS, "lookup": (50, 4)}
    answers = [post_json(Client(REMOTE_ADDR=f"198.51.100.{i}"), "/api/v1/public/reports/lookup",
                         {"receipt": "0000-0000-0000-0000-0000"}).status_code for i in range(8)]
    assert answers == [404] * 4 + [429] * 4


def test_the_form_says_why_before_the_gate_answers_shortly(settings):
    settings.CROSSROADS_TIPS_LIMITS = {**settings.CROSSROADS_TIPS_LIMITS, "submit": (1, 100)}
    client = Client(REMOTE_ADDR=FLOODER)
    form = {"form_token": formtoken.issue(), "text": REPORT["text"], "municipality": "AL:Tiranë",
            "place": "", "occurred": "days", "affected": "adults", "urgency": "soon",
            "contact": "", "language": "sq"}
    assert client.post("/report/?lang=sq", form).status_code == 200
    friendly = [client.post("/report/?lang=sq", form) for _ in range(FRIENDLY_REFUSALS)]
    for page in friendly:
        assert page.status_code == 429
        assert REPORT["text"].split(";")[0] in page.content.decode()  # the text is kept
    short = client.post("/report/?lang=sq", form)
    assert short.status_code == 429 and short["Content-Type"].startswith("text/plain")
    assert short.content.decode() != "" and not short.cookies
    assert Report.objects.count() == 1


def test_a_public_request_finding_every_slot_taken_is_answered_busy_at_once(settings):
    settings.CROSSROADS_TIPS_CONCURRENCY = 1
    factory = RequestFactory()
    inner_answers = []

    def view(request):
        from django.http import HttpResponse
        if request.method == "GET" or inner_answers:
            return HttpResponse(status=200)
        # While this public request holds the only slot, another arrives.
        inner = gate(factory.post("/api/v1/public/reports", data=b"{}",
                                  content_type="application/json"))
        inner_answers.append((inner.status_code, inner.get("Retry-After")))
        return HttpResponse(status=201)

    gate = PublicGate(view)
    outer = gate(factory.post("/api/v1/public/reports", data=b"{}",
                              content_type="application/json"))
    assert outer.status_code == 201
    assert inner_answers == [(503, "2")]
    # The slot is free again afterwards; staff paths never take one.
    assert gate(factory.get("/api/v1/reports")).status_code == 200
    assert gate(factory.post("/api/v1/public/reports/lookup", data=b"{}",
                             content_type="application/json")).status_code == 200
