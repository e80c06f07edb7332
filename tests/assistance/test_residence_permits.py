"""Issue 21, point 15: a residence permit is a decision with its dates (CETS 197 Art. 14), not
only a deadline: applied on, decided on, granted / refused / pending, its ground, its validity
and renewals; through the API and the file page, audited, versioned, every error at once."""

import datetime

from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.assistance.models import ProtectionTimer
from crossroads.assistance.services import identification
from crossroads.audit.models import AuditEntry
from tests.assistance.conftest import error_fields, post

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def _foreign_file(world):
    police = world.user(Role.INVESTIGATOR)
    victim = world.persons["AL-victim"]
    victim.citizenships = ["XK"]
    victim.save()
    file = identification.open_file(police, world.cases["AL-police"], victim)
    identification.decide(police, file, "presumed", "Indicators", on=TODAY - 20 * DAY)
    identification.decide(police, file, "identified", "Interview", on=TODAY - 20 * DAY)
    return file


def _put(client, url, body, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version else {}
    return client.put(url, body, content_type="application/json", **headers)


def test_a_permit_is_applied_for_then_decided_with_its_dates(assist):
    world = assist.world
    file = _foreign_file(world)
    worker = world.api(Role.CASE_WORKER)
    url = f"/api/v1/victim-files/{file.pk}/residence-permits"
    wrong = post(worker, url, {"ground": "cooperation", "applied_on": (TODAY + DAY).isoformat(),
                               "decision": "granted", "valid_from": TODAY.isoformat(),
                               "valid_until": (TODAY - DAY).isoformat()})
    assert wrong.status_code == 422
    assert error_fields(wrong) == {("applied_on",), ("decided_on",), ("valid_until",)}  # all at once
    applied = post(worker, url, {"ground": "cooperation",
                                 "applied_on": (TODAY - 10 * DAY).isoformat()})
    assert applied.status_code == 201 and applied["ETag"] == '"1"'
    permit = applied.json()
    assert (permit["decision"], permit["decided_on"], permit["version"]) == ("pending", None, 1)
    timer = ProtectionTimer.objects.get(file=file, kind="residence_permit")
    assert timer.completed_on is None  # still waiting for the decision
    granted = {"ground": "cooperation", "applied_on": (TODAY - 10 * DAY).isoformat(),
               "decision": "granted", "decided_on": (TODAY - 2 * DAY).isoformat(),
               "valid_from": (TODAY - 2 * DAY).isoformat(),
               "valid_until": (TODAY + 180 * DAY).isoformat()}
    changed = _put(worker, f"/api/v1/residence-permits/{permit['id']}", granted, version=1)
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    assert changed.json()["valid_until"] == (TODAY + 180 * DAY).isoformat()
    timer.refresh_from_db()
    assert timer.completed_on == TODAY - 2 * DAY and timer.state == "completed"
    # A change built from the first version is refused and writes nothing.
    stale = _put(worker, f"/api/v1/residence-permits/{permit['id']}",
                 {**granted, "decision": "refused", "valid_from": None, "valid_until": None},
                 version=1)
    assert stale.status_code == 409
    assert worker.get(f"/api/v1/residence-permits/{permit['id']}").json()["decision"] == "granted"
    renewal = post(worker, url, {"ground": "cooperation", "applied_on": TODAY.isoformat(),
                                 "renewal_of": permit["id"]})
    assert renewal.status_code == 201 and renewal.json()["renewal_of"] == permit["id"]
    listed = worker.get(url).json()
    assert listed["count"] == 2 and [p["decision"] for p in listed["items"]] == ["granted",
                                                                               "pending"]
    assert worker.get(f"/api/v1/victim-files/{file.pk}").json()["permits"][0]["id"] == permit["id"]
    audited = AuditEntry.objects.filter(object_type="assistance.residencepermit")
    assert {(e.action, e.details["decision"]) for e in audited} >= {
        ("create", "pending"), ("update", "granted")}


def test_refusals_and_renewals_are_checked(assist):
    world = assist.world
    file = _foreign_file(world)
    worker = world.api(Role.CASE_WORKER)
    url = f"/api/v1/victim-files/{file.pk}/residence-permits"
    pending = post(worker, url, {"ground": "personal_situation",
                                 "applied_on": TODAY.isoformat()}).json()
    refused = post(worker, url, {"ground": "personal_situation", "applied_on": TODAY.isoformat(),
                                 "decision": "refused", "decided_on": (TODAY - DAY).isoformat(),
                                 "valid_from": TODAY.isoformat(), "renewal_of": pending["id"]})
    assert error_fields(refused) == {("decided_on",), ("valid_from",), ("renewal_of",)}
    assert error_fields(post(worker, url, {"ground": "other", "applied_on": "2026-13-01"})) == {
        ("ground",), ("applied_on",)}
    assert worker.get(url).json()["count"] == 1  # nothing of the refused ones was kept


def test_a_national_has_no_residence_permit(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    file = identification.open_file(police, world.cases["AL-police"], world.persons["AL-victim"])
    refused = post(world.api(Role.CASE_WORKER), f"/api/v1/victim-files/{file.pk}/residence-permits",
                   {"ground": "cooperation", "applied_on": TODAY.isoformat()})
    assert refused.status_code == 422 and error_fields(refused) == {("file",)}


def test_only_those_who_see_the_file_see_or_change_its_permits(assist):
    world = assist.world
    file = _foreign_file(world)
    permit = post(world.api(Role.CASE_WORKER), f"/api/v1/victim-files/{file.pk}/residence-permits",
                  {"ground": "cooperation", "applied_on": TODAY.isoformat()}).json()
    body = {"ground": "cooperation", "applied_on": TODAY.isoformat()}
    prosecutor = world.api(Role.PROSECUTOR)  # on the team: reads, never changes
    assert prosecutor.get(f"/api/v1/residence-permits/{permit['id']}").status_code == 200
    assert _put(prosecutor, f"/api/v1/residence-permits/{permit['id']}", body).status_code == 403
    outsiders = [world.api(Role.INVESTIGATOR, "RS"), world.api(Role.CASE_WORKER, "RS"),
                 assist.api(assist.ngo_worker), assist.api(world.users[("AL", "other_investigator")]),
                 world.api(Role.COORDINATOR), world.api(Role.FOCAL_POINT), world.api(Role.OVERSIGHT),
                 world.api(Role.ADMINISTRATOR)]
    for client in outsiders:
        assert client.get(f"/api/v1/residence-permits/{permit['id']}").status_code == 404
        assert _put(client, f"/api/v1/residence-permits/{permit['id']}", body).status_code == 404
        assert post(client, f"/api/v1/victim-files/{file.pk}/residence-permits",
                    body).status_code == 404
    bad = Client(headers={"Authorization": "Bearer not-a-token"})
    assert bad.get(f"/api/v1/residence-permits/{permit['id']}").status_code == 401


def test_an_h3_case_keeps_its_permits_with_its_team(assist):
    world = assist.world
    colleague = User.objects.get(username="al_colleague")
    h3 = world.cases["AL-h3"]
    victim = h3.involvements.get(role="victim").person
    victim.citizenships = ["XK"]
    victim.save()
    h3.team.add(colleague)
    file = identification.open_file(colleague, h3, victim)
    identification.decide(colleague, file, "presumed", "Indicators")
    team = assist.api(colleague)
    made = post(team, f"/api/v1/victim-files/{file.pk}/residence-permits",
                {"ground": "cooperation", "applied_on": TODAY.isoformat()})
    assert made.status_code == 201
    same_agency = world.api(Role.INVESTIGATOR)  # the colleague's agency, not on the team
    assert same_agency.get(f"/api/v1/residence-permits/{made.json()['id']}").status_code == 404


def test_the_file_page_records_and_decides_a_permit(assist):
    world = assist.world
    file = _foreign_file(world)
    page = world.client(Role.CASE_WORKER)
    shown = page.get(f"/assistance/files/{file.pk}/").content.decode()
    assert "Residence permit" in shown and "No application recorded yet." in shown
    wrong = page.post(f"/assistance/files/{file.pk}/residence-permits/", {
        "permit-ground": "cooperation", "permit-applied_on": TODAY.isoformat(),
        "permit-decision": "granted", "permit-valid_from": TODAY.isoformat(),
        "permit-valid_until": (TODAY - DAY).isoformat()})
    assert wrong.status_code == 422
    text = wrong.content.decode()
    assert "Give the date of the decision." in text and "The permit must end after it starts." in text
    made = page.post(f"/assistance/files/{file.pk}/residence-permits/", {
        "permit-ground": "cooperation", "permit-applied_on": TODAY.isoformat(),
        "permit-decision": "pending"})
    assert made.status_code == 302
    permit = file.permits.get()
    form = page.get(f"/assistance/residence-permits/{permit.pk}/").content.decode()
    assert 'name="version" value="1"' in form
    decided = {"ground": "cooperation", "applied_on": TODAY.isoformat(), "decision": "granted",
               "decided_on": TODAY.isoformat(), "valid_from": TODAY.isoformat(),
               "valid_until": (TODAY + 90 * DAY).isoformat(), "version": 1}
    assert page.post(f"/assistance/residence-permits/{permit.pk}/", decided).status_code == 302
    assert page.post(f"/assistance/residence-permits/{permit.pk}/", decided).status_code == 409
    shown = page.get(f"/assistance/files/{file.pk}/").content.decode()
    assert "Granted" in shown and "Cooperation with the authorities" in shown
    assert world.client(Role.CASE_WORKER, "RS").get(
        f"/assistance/residence-permits/{permit.pk}/").status_code == 404
    assert world.client(Role.PROSECUTOR).post(
        f"/assistance/residence-permits/{permit.pk}/", {**decided, "version": 2}).status_code == 403
    unverified = Client()
    unverified.force_login(world.user(Role.CASE_WORKER))  # no second factor
    assert unverified.get(f"/assistance/residence-permits/{permit.pk}/").status_code in {302, 403}
