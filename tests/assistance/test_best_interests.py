"""Issue 21, point 15: a child victim's best-interests assessment beyond the consent override
(CETS 197 Art. 10(4), 16(7)): date, assessor, guardian, the child's views, the return-risk
assessment and the measures recommended; seen by the case's child-protection workers and its
team, recorded by case workers, audited (never the child's words)."""

import datetime

from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.assistance.models import ProtectionTimer
from crossroads.assistance.services import identification
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from tests.assistance.conftest import error_fields, post

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
GOOD = {"assessed_on": TODAY.isoformat(), "assessor": "Elira Dervishi, social worker",
        "guardian_appointed": True, "guardian_appointed_on": (TODAY - DAY).isoformat(),
        "child_heard": True, "child_views": "Wants to finish school here.",
        "return_risk": "high", "measures": ["guardianship", "stay", "education"],
        "outcome": "Stay with a foster family; no return while the risk is high."}


def _child_file(world):
    police = world.user(Role.INVESTIGATOR)
    file = identification.open_file(police, world.cases["AL-police"], world.persons["AL-victim"],
                                    may_be_child=True, unaccompanied=True)
    identification.decide(police, file, "presumed", "Indicators")
    return file


def test_a_case_worker_records_an_assessment_and_every_error_is_named(assist):
    world = assist.world
    file = _child_file(world)
    worker = world.api(Role.CASE_WORKER)
    url = f"/api/v1/victim-files/{file.pk}/best-interests"
    wrong = post(worker, url, {**GOOD, "guardian_appointed_on": None, "child_views": "",
                               "return_risk": "not_assessed", "measures": ["return"],
                               "assessor": " "})
    assert wrong.status_code == 422
    assert error_fields(wrong) == {("guardian_appointed_on",), ("child_views",), ("measures",),
                              ("assessor",)}
    assert "Art. 16(7)" in str(wrong.json())
    made = post(worker, url, GOOD)
    assert made.status_code == 201 and made["ETag"] == '"1"'
    assessment = made.json()
    assert assessment["measures"] == ["guardianship", "stay", "education"]
    guardian = ProtectionTimer.objects.get(file=file, kind="guardian")
    assert guardian.completed_on == TODAY - DAY  # the assessment recorded the guardian
    entry = AuditEntry.objects.get(object_type="assistance.bestinterestsassessment",
                                   action="create")
    assert entry.details["return_risk"] == "high" and "finish school" not in str(entry.details)
    listed = worker.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["child_views"] == GOOD["child_views"]
    changed = worker.put(f"/api/v1/best-interests/{assessment['id']}",
                         {**GOOD, "return_risk": "low", "measures": ["return"]},
                         content_type="application/json", HTTP_IF_MATCH='"1"')
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    stale = worker.put(f"/api/v1/best-interests/{assessment['id']}", GOOD,
                       content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409


def test_an_adult_has_no_best_interests_assessment(assist):
    world = assist.world
    file = identification.open_file(world.user(Role.INVESTIGATOR), world.cases["AL-police"],
                                    world.persons["AL-victim"])
    refused = post(world.api(Role.CASE_WORKER), f"/api/v1/victim-files/{file.pk}/best-interests",
                   GOOD)
    assert refused.status_code == 422 and ("file",) in error_fields(refused)


def test_the_case_team_reads_it_others_do_not(assist):
    world = assist.world
    file = _child_file(world)
    made = post(world.api(Role.CASE_WORKER), f"/api/v1/victim-files/{file.pk}/best-interests",
                GOOD).json()
    url, one = f"/api/v1/victim-files/{file.pk}/best-interests", f"/api/v1/best-interests/{made['id']}"
    team = world.api(Role.PROSECUTOR)  # on the case's team: reads, never records
    assert team.get(one).status_code == 200 and team.get(url).json()["count"] == 1
    assert post(team, url, GOOD).status_code == 403
    assert team.put(one, GOOD, content_type="application/json").status_code == 403
    assert world.api(Role.INVESTIGATOR).get(one).status_code == 200  # registered it: the team
    # A colleague of the owner agency sees the case and its file, but is not on its team.
    investigator = assist.api(User.objects.get(username="al_colleague"))
    assert investigator.get(f"/api/v1/victim-files/{file.pk}").status_code == 200
    assert investigator.get(url).json()["count"] == 0
    assert investigator.get(one).status_code == 404
    assert post(investigator, url, GOOD).status_code == 403
    for client in (world.api(Role.CASE_WORKER, "RS"), world.api(Role.INVESTIGATOR, "RS"),
                   assist.api(assist.ngo_worker), world.api(Role.COORDINATOR),
                   world.api(Role.OVERSIGHT), world.api(Role.FOCAL_POINT),
                   world.api(Role.ADMINISTRATOR)):
        assert client.get(one).status_code == 404
        assert client.get(url).status_code == 404
        assert post(client, url, GOOD).status_code == 404
    assert Client(headers={"Authorization": "Bearer nope"}).get(one).status_code == 401


def test_an_h3_childs_assessment_stays_with_the_team(assist):
    world = assist.world
    h3 = world.cases["AL-h3"]
    colleague = User.objects.get(username="al_colleague")
    h3.team.add(colleague)
    victim = h3.involvements.get(role="victim").person
    file = identification.open_file(colleague, h3, victim, may_be_child=True)
    worker = world.user(Role.CASE_WORKER)
    h3.assigned_agencies.add(worker.agency)  # the agency, but the worker is not on the team
    assert post(world.api(Role.CASE_WORKER), f"/api/v1/victim-files/{file.pk}/best-interests",
                GOOD).status_code == 404
    h3.team.add(worker)
    assert post(world.api(Role.CASE_WORKER), f"/api/v1/victim-files/{file.pk}/best-interests",
                GOOD).status_code == 201
    assert world.api(Role.INVESTIGATOR).get(
        f"/api/v1/victim-files/{file.pk}/best-interests").status_code == 404


def test_the_page_lists_and_records_assessments(assist):
    world = assist.world
    file = _child_file(world)
    page = world.client(Role.CASE_WORKER)
    shown = page.get(f"/assistance/files/{file.pk}/").content.decode()
    assert "Best interests of the child" in shown and "Record a best-interests assessment" in shown
    form = {**GOOD, "measures": ["return"], "return_risk": "not_assessed", "child_views": ""}
    wrong = page.post(f"/assistance/files/{file.pk}/best-interests/", form)
    assert wrong.status_code == 422
    text = wrong.content.decode()
    assert "Record the views the child gave." in text and "Art. 16(7)" in text
    assert page.post(f"/assistance/files/{file.pk}/best-interests/", GOOD).status_code == 302
    shown = page.get(f"/assistance/files/{file.pk}/best-interests/").content.decode()
    assert "Wants to finish school here." in shown and "Guardianship or legal representation" in shown
    read = AuditEntry.objects.filter(action=Action.READ_IDENTITY,
                                     details__via="assistance best interests page")
    assert read.exists()
    investigator = assist.page(User.objects.get(username="al_colleague")).get(
        f"/assistance/files/{file.pk}/best-interests/").content.decode()
    assert "Wants to finish school" not in investigator
    assert "Record the assessment" not in investigator
    assert world.client(Role.PROSECUTOR).post(f"/assistance/files/{file.pk}/best-interests/",
                                              GOOD).status_code == 403
    assert world.client(Role.CASE_WORKER, "RS").get(
        f"/assistance/files/{file.pk}/best-interests/").status_code == 404
    assert world.client(Role.COORDINATOR).get(
        f"/assistance/files/{file.pk}/best-interests/").status_code == 403
