"""Hotline operators enter calls through the same form, with channel, time and notes."""

import pytest

from crossroads.access.choices import Role
from crossroads.tips.models import Report

from .helpers import RECEIPT, REPORT, post_json

pytestmark = pytest.mark.django_db
CALL = {**REPORT, "channel": "phone", "call_at": "2026-01-05T10:30:00+01:00",
        "call_notes": "Caller sounded afraid; called from a shared phone."}


def test_an_operator_enters_a_call_and_sees_it(world):
    operator = world.user(Role.HOTLINE_OPERATOR)
    answer = post_json(world.api(Role.HOTLINE_OPERATOR), "/api/v1/hotline/calls", CALL)
    assert answer.status_code == 201, answer.content
    report = Report.objects.get()
    assert (report.channel, report.entered_by_id) == ("phone", operator.pk)
    assert report.call_notes == CALL["call_notes"]
    listed = world.api(Role.HOTLINE_OPERATOR).get("/api/v1/reports").json()
    assert [item["id"] for item in listed["items"]] == [report.pk]
    # Seeing is not triaging.
    assert post_json(world.api(Role.HOTLINE_OPERATOR), f"/api/v1/reports/{report.pk}/triage",
                     {"step": "review"}).status_code == 403


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.COORDINATOR, Role.ADMINISTRATOR])
def test_other_roles_may_not_enter_calls(world, role):
    assert post_json(world.api(role), "/api/v1/hotline/calls", CALL).status_code == 403
    assert world.client(role).get("/hotline/call/").status_code == 403


def test_an_operator_enters_only_their_jurisdictions_calls(world):
    answer = post_json(world.api(Role.HOTLINE_OPERATOR, "RS"), "/api/v1/hotline/calls", CALL)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "municipality"]


def test_a_call_needs_its_time_and_a_past_one(world):
    answer = post_json(world.api(Role.HOTLINE_OPERATOR), "/api/v1/hotline/calls",
                       {**CALL, "call_at": "2999-01-01T00:00:00Z"})
    assert answer.status_code == 422
    assert not Report.objects.exists()


def test_the_call_page(world):
    client = world.client(Role.HOTLINE_OPERATOR)
    assert client.get("/hotline/call/").status_code == 200
    saved = client.post("/hotline/call/", {
        "text": CALL["text"], "municipality": "AL:Tiranë", "occurred": "ongoing",
        "affected": "adults", "urgency": "soon", "contact": "", "place": "", "language": "sq",
        "channel": "chat", "call_at": "2026-01-05 10:30", "call_notes": "notes"})
    assert saved.status_code == 200
    assert RECEIPT.search(saved.content.decode())
    assert Report.objects.get().channel == "chat"
