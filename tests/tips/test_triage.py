"""The triage queue and its steps, through the API and the pages, as the roles that may and
may not; every step audited."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import Case
from crossroads.tips import services
from crossroads.tips.models import Report
from tests.conftest import login_as

from .helpers import REPORT, file_report, post_json

pytestmark = pytest.mark.django_db
INV, FP, CW, PRO, CO, HL = (Role.INVESTIGATOR, Role.FOCAL_POINT, Role.CASE_WORKER,
                            Role.PROSECUTOR, Role.COORDINATOR, Role.HOTLINE_OPERATOR)


def _report(**changes) -> Report:
    file_report(**changes)
    return Report.objects.order_by("-id").first()


def _step(world, role, report, body, jurisdiction="AL", **headers):
    return post_json(world.api(role, jurisdiction), f"/api/v1/reports/{report.pk}/triage", body,
                     **headers)


def test_the_queue_lists_the_jurisdictions_reports_most_urgent_first(world):
    routine = _report(urgency="routine")
    danger = _report(urgency="danger")
    _report(municipality="ME:Bar")  # another jurisdiction
    answer = world.api(INV).get("/api/v1/reports").json()
    assert answer["count"] == 2
    assert [item["id"] for item in answer["items"]] == [danger.pk, routine.pk]
    assert answer["items"][0]["due_at"] < answer["items"][1]["due_at"]


@pytest.mark.parametrize("role, jurisdiction", [(PRO, "AL"), (CO, "AL"), (CW, "AL"),
                                                (Role.ANALYST, "AL"), (INV, "RS"), (HL, "AL")])
def test_who_does_not_take_reports_sees_none(world, role, jurisdiction):
    report = _report()
    api = world.api(role, jurisdiction)
    listed = api.get("/api/v1/reports")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    assert api.get(f"/api/v1/reports/{report.pk}").status_code == 404
    assert _step(world, role, report, {"step": "review"}, jurisdiction).status_code in {403, 404}
    assert post_json(api, f"/api/v1/reports/{report.pk}/messages",
                     {"text": "?"}).status_code in {403, 404}
    assert world.client(role, jurisdiction).get(f"/reports/{report.pk}/").status_code in {403, 404}


def test_an_ngo_case_worker_takes_reports(world):
    from crossroads.access.models import User
    ngo = User.objects.create_user("al_ngo_worker", password="x" * 16, role=CW,
                                   agency=world.agencies[("AL", "ngo")])
    report = _report()
    assert login_as(ngo).get(f"/reports/{report.pk}/").status_code == 200


def test_no_token_no_queue():
    assert Client().get("/api/v1/reports").status_code == 401
    assert Client().get("/reports/").status_code == 302


def test_review_assign_and_close_with_a_reason_each_audited(world):
    report = _report()
    reviewed = _step(world, INV, report, {"step": "review"})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "under_review"
    assert reviewed.json()["assignee"] == world.user(INV).username
    assigned = _step(world, INV, report, {"step": "assign",
                                          "assignee": world.user(FP).username})
    assert assigned.json()["assignee"] == world.user(FP).username
    refused = _step(world, INV, report, {"step": "assign", "assignee": world.user(PRO).username})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "assignee"]
    no_reason = _step(world, FP, report, {"step": "no_action"})
    assert no_reason.status_code == 422
    closed = _step(world, FP, report, {"step": "no_action", "reason": "insufficient"})
    assert closed.json()["status"] == "no_action"
    assert closed.json()["no_action_reason"] == "insufficient"
    steps = AuditEntry.objects.filter(object_type="tips.report", object_id=str(report.pk),
                                      action="update")
    assert steps.count() == 3


def test_a_stale_version_is_a_conflict(world):
    report = _report()
    assert _step(world, INV, report, {"step": "review"}, **{"If-Match": '"1"'}).status_code == 200
    stale = _step(world, FP, report, {"step": "no_action", "reason": "false"},
                  **{"If-Match": '"1"'})
    assert stale.status_code == 409


def test_referred_to_a_new_case_through_the_registry(world):
    report = _report()
    answer = _step(world, INV, report, {"step": "new_case", "handling_code": "H2"})
    assert answer.status_code == 200, answer.content
    case = Case.objects.get(reference=answer.json()["case"])
    assert (case.handling_code, case.owner_agency_id) == ("H2", world.user(INV).agency_id)
    assert case.summary == REPORT["text"]
    # A referred report takes no further step.
    assert _step(world, INV, report, {"step": "review"}).status_code == 422


def test_a_focal_point_may_not_open_a_case(world):
    report = _report()
    assert _step(world, FP, report, {"step": "new_case"}).status_code == 403
    assert not Report.objects.get(pk=report.pk).case_id


def test_attached_only_to_a_case_the_actor_may_change(world):
    report = _report()
    h3 = world.cases["AL-h3"]
    assert _step(world, INV, report, {"step": "attach", "case": h3.reference}).status_code == 422
    other = world.cases["RS-police"]
    assert _step(world, INV, report, {"step": "attach", "case": other.reference}).status_code == 422
    case = world.cases["AL-police"]
    attached = _step(world, INV, report, {"step": "attach", "case": case.reference})
    assert attached.status_code == 200 and attached.json()["case"] == case.reference


def test_the_team_asks_and_the_reporter_reads_it(world):
    receipt = file_report()
    report = Report.objects.get()
    asked = post_json(world.api(INV), f"/api/v1/reports/{report.pk}/messages",
                      {"text": "Where exactly?"})
    assert asked.status_code == 201
    conversation = post_json(Client(), "/api/v1/public/reports/lookup", {"receipt": receipt})
    assert [(m["author"], m["text"]) for m in conversation.json()["messages"]] == [
        ("team", "Where exactly?")]
    detail = world.api(INV).get(f"/api/v1/reports/{report.pk}").json()
    assert detail["text"] == REPORT["text"] and detail["messages"][0]["sent_by"] == "al_investigator"
    assert AuditEntry.objects.filter(action="read_identity", object_type="tips.report").exists()


def test_possible_duplicates_same_place_time_and_people(world):
    first = _report()
    again = _report(text="Arben and other young workers are locked in the workshop near the "
                         "bus station at night.")
    _report(text="Someone begs at the market every day.")
    _report(municipality="AL:Durrës")
    detail = world.api(INV).get(f"/api/v1/reports/{first.pk}").json()
    assert detail["possible_duplicates"] == [again.pk]


def test_pages_queue_report_and_steps(world):
    report = _report(urgency="danger")
    client = world.client(INV)
    queue = client.get("/reports/")
    assert queue.status_code == 200 and f"/reports/{report.pk}/" in queue.content.decode()
    page = client.get(f"/reports/{report.pk}/")
    assert REPORT["text"] in page.content.decode()
    sent = client.post(f"/reports/{report.pk}/", {"text": "Are you safe?"})
    assert sent.status_code == 302
    stepped = client.post(f"/reports/{report.pk}/", {"step": "review", "version": report.version})
    assert stepped.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "under_review"
    stale = client.post(f"/reports/{report.pk}/", {"step": "no_action", "reason": "false",
                                                   "version": report.version})
    assert stale.status_code == 200 and "changed" in stale.content.decode()
    assert Report.objects.get(pk=report.pk).status == "under_review"


def test_urgent_reports_past_their_deadline_are_reminded_once(world):
    report = _report(urgency="danger")
    _report(urgency="routine")
    later = timezone.now() + datetime.timedelta(hours=5)
    assert [r.pk for r in services.remind_overdue(later)] == [report.pk]
    assert services.remind_overdue(later) == []
    assert AuditEntry.objects.filter(object_type="tips.report", object_id=str(report.pk),
                                     details__reminder="triage overdue").count() == 1
