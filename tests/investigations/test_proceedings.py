"""Proceedings per suspect and per charge: the offence catalogue of the jurisdiction (shipped,
each entry saying whether it was checked), the stage machine with dates, sentence and
compensation; case workers never see them; of two moves at once one wins. And the story of the
issue through the API: a case built by an investigator and carried to sentence by a prosecutor."""

import datetime

import pytest
from django.test import Client

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.investigations import services
from crossroads.investigations.catalogue import shipped_entries
from crossroads.investigations.models import Offence, Proceeding
from tests.access.test_four_eyes_helper import _at_once, needs_postgres

from .helpers import api_as, denied_entries, post
from .test_case_log import ARREST, PDF, upload


def proceedings_url(case):
    return f"/api/v1/cases/{case.pk}/proceedings"


def opened(world, **extra):
    body = {"person_id": world.persons["AL-suspect"].pk, "offence": "thb",
            "investigation_opened_on": "2024-01-10", **extra}
    response = post(world.api(Role.INVESTIGATOR), proceedings_url(world.cases["AL-police"]), body)
    assert response.status_code == 201, response.content
    return response.json()


def move(client, proceeding_id, **body):
    return post(client, f"/api/v1/proceedings/{proceeding_id}/stage", body)


def test_the_catalogue_is_shipped_per_jurisdiction_with_its_sources(world):
    entries = shipped_entries()
    assert {e["jurisdiction"] for e in entries} == {"AL", "BA", "XK", "ME", "MK", "RS"}
    assert all(e["source"] for e in entries)
    listed = world.api(Role.PROSECUTOR).get("/api/v1/offences").json()["items"]
    assert {o["jurisdiction"] for o in listed} == {"AL"}
    assert {o["category"] for o in listed} >= {"trafficking_persons", "trafficking_children",
                                               "smuggling_migrants", "organised_crime"}
    assert Offence.objects.count() == len(entries)


def test_the_coordinator_maintains_the_catalogue(world):
    offence = Offence.objects.get(jurisdiction_id="AL", code="forced_labour")
    url = f"/api/v1/offences/{offence.pk}"
    body = {"article": "110/c", "title": "Forced labour", "source": "Official text", "checked": True}
    assert world.api(Role.INVESTIGATOR).put(url, body, content_type="application/json"
                                            ).status_code == 403
    assert world.api(Role.COORDINATOR, "RS").put(url, body, content_type="application/json"
                                                 ).status_code == 404
    unchecked = {**body, "article": ""}
    assert world.api(Role.COORDINATOR).put(url, unchecked, content_type="application/json"
                                           ).status_code == 422
    response = world.api(Role.COORDINATOR).put(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["checked"] is True
    assert AuditEntry.objects.filter(object_type="investigations.offence",
                                     object_id=str(offence.pk)).exists()


def test_the_stage_machine_with_dates_verdict_and_sentence(world):
    proceeding = opened(world)
    prosecutor = world.api(Role.PROSECUTOR)
    pid = proceeding["id"]
    assert move(prosecutor, pid, stage="verdict", on="2024-05-01",
                verdict="convicted").status_code == 422  # no indictment yet
    assert move(prosecutor, pid, stage="indictment", on="2023-12-01").status_code == 422  # before
    assert move(prosecutor, pid, stage="indictment", on="2024-02-01").status_code == 200
    assert move(prosecutor, pid, stage="verdict", on="2024-05-01").status_code == 422  # no verdict
    assert move(prosecutor, pid, stage="verdict", on="2024-05-01", verdict="convicted",
                custodial_months=30).status_code == 422  # sentence is its own stage
    assert move(prosecutor, pid, stage="verdict", on="2024-05-01",
                verdict="convicted").status_code == 200
    response = move(prosecutor, pid, stage="sentence", on="2024-05-20", custodial_months=96,
                    confiscation=True, compensation_claimed_eur="20000",
                    compensation_awarded_eur="8000")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage"], body["verdict"], body["custodial_months"], body["confiscation"]) == (
        "sentence", "convicted", 96, True)
    assert float(body["compensation_awarded_eur"]) == 8000
    # Acquitted on appeal: the sentence falls.
    assert move(prosecutor, pid, stage="appeal", on="2024-06-01").status_code == 200
    after = move(prosecutor, pid, stage="verdict", on="2024-09-01", verdict="acquitted").json()
    assert (after["verdict"], after["custodial_months"], after["confiscation"]) == (
        "acquitted", None, False)
    final = move(prosecutor, pid, stage="final", on="2024-10-01").json()
    assert final["stage"] == "final" and final["verdict"] == "acquitted"
    assert move(prosecutor, pid, stage="appeal", on="2024-11-01").status_code == 422
    assert [s["to_stage"] for s in final["stages"]] == [
        "investigation", "indictment", "verdict", "sentence", "appeal", "verdict", "final"]
    changes = AuditEntry.objects.filter(object_type="investigations.proceeding",
                                        object_id=str(pid), action="update")
    assert changes.count() == 6


def test_a_proceeding_is_validated(world):
    suspect, victim = world.persons["AL-suspect"], world.persons["AL-victim"]
    case, client = world.cases["AL-police"], world.api(Role.INVESTIGATOR)
    base = {"person_id": suspect.pk, "offence": "thb", "investigation_opened_on": "2024-01-10"}
    for bad in ({**base, "offence": "jaywalking"}, {**base, "investigation_opened_on": "2999-01-01"},
                {**base, "stage": "verdict"},  # no verdict date, no verdict
                {**base, "stage": "indictment", "indicted_on": "2023-01-01"},
                {**base, "person_id": world.persons["AL-other-victim"].pk},
                {**base, "non_punishment_invoked": True},  # the suspect is no victim
                {**base, "verdict": "convicted"}):
        assert post(client, proceedings_url(case), bad).status_code == 422, bad
    # A victim charged, with non-punishment invoked (CETS 197 Art. 26), discontinued.
    response = post(client, proceedings_url(case), {
        **base, "person_id": victim.pk, "offence": "prostitution", "stage": "final",
        "final_on": "2024-02-01", "non_punishment_invoked": True})
    assert response.status_code == 201, response.content
    assert response.json()["verdict"] == "dismissed"
    assert post(client, proceedings_url(case), {**base, "person_id": victim.pk,
                                                "offence": "prostitution"}).status_code == 422
    # Migrated at a later stage with the dates passed.
    later = post(client, proceedings_url(case), {
        **base, "offence": "organised_crime", "stage": "sentence", "indicted_on": "2024-02-01",
        "verdict_on": "2024-03-01", "sentenced_on": "2024-03-05", "verdict": "convicted",
        "custodial_months": 40, "suspended": True})
    assert later.status_code == 201, later.content


@pytest.mark.parametrize("role, read, write", [
    (Role.CASE_WORKER, 404, 403), (Role.COORDINATOR, 404, 403), (Role.FOCAL_POINT, 200, 403),
    (Role.ANALYST, 404, 404), ("other_investigator", 404, 404),
])
def test_who_never_reaches_proceedings(world, role, read, write):
    proceeding = opened(world)
    client = api_as(world.user(role))
    listed = client.get(proceedings_url(world.cases["AL-police"]))
    assert (listed.status_code == 200 and len(listed.json()["items"]) == (1 if read == 200 else 0)) or (
        read == 404 and listed.status_code == 404)
    assert move(client, proceeding["id"], stage="indictment", on="2024-02-01").status_code == (
        403 if read == 200 else 404)
    body = {"person_id": world.persons["AL-suspect"].pk, "offence": "smuggling",
            "investigation_opened_on": "2024-01-10"}
    assert post(client, proceedings_url(world.cases["AL-police"]), body).status_code == write
    assert denied_entries(world.user(role)).exists()
    assert Proceeding.objects.get().stage == "investigation"
    assert world.api(Role.INVESTIGATOR, "RS").get(
        proceedings_url(world.cases["AL-police"])).status_code == 404


def test_the_story_an_investigator_builds_the_case_and_the_prosecutor_carries_it(world):
    """Two victims and two suspects, a prosecutor on the team, an arrest logged with an
    evidence file; the prosecutor records indictment, verdict and sentence."""
    investigator = world.api(Role.INVESTIGATOR)
    registration = post(investigator, "/api/v1/registrations", {
        "person": {"given_names": "Afërdita", "family_name": "Lika", "sex": "F"},
        "exploitation": {"forms": ["sexual"]}}).json()
    case_id = registration["case_id"]
    persons = f"/api/v1/cases/{case_id}/persons"
    second = post(investigator, persons, {"person": {"given_names": "Teuta", "family_name": "Gjoni",
                                                     "sex": "F"}, "role": "victim"})
    suspects = [post(investigator, persons, {"person": {"given_names": given, "family_name": family,
                                                        "sex": "M"}, "role": "suspect"}).json()
                for given, family in (("Arben", "Meta"), ("Gent", "Kola"))]
    assert second.status_code == 201 and all("person_id" in s for s in suspects)
    assert post(investigator, f"/api/v1/cases/{case_id}/team",
                {"username": "al_prosecutor", "team_role": "prosecutor"}).status_code == 201
    event = post(investigator, f"/api/v1/cases/{case_id}/events", ARREST).json()
    assert upload(investigator, event["id"], "arrest-report.pdf", PDF).status_code == 201
    prosecutor: Client = world.api(Role.PROSECUTOR)
    for suspect in suspects:
        proceeding = post(prosecutor, f"/api/v1/cases/{case_id}/proceedings", {
            "person_id": suspect["person_id"], "offence": "thb",
            "investigation_opened_on": "2024-03-02"}).json()
        for stage in ({"stage": "indictment", "on": "2024-04-15"},
                      {"stage": "verdict", "on": "2024-09-30", "verdict": "convicted"},
                      {"stage": "sentence", "on": "2024-10-10", "custodial_months": 84}):
            assert move(prosecutor, proceeding["id"], **stage).status_code == 200, stage
    listed = prosecutor.get(f"/api/v1/cases/{case_id}/proceedings").json()["items"]
    assert [(p["stage"], p["verdict"], p["custodial_months"]) for p in listed] == [
        ("sentence", "convicted", 84)] * 2
    detail = prosecutor.get(f"/api/v1/cases/{case_id}").json()
    assert sorted(i["role"] for i in detail["involvements"]) == ["suspect", "suspect", "victim",
                                                                 "victim"]
    assert prosecutor.get(f"/api/v1/cases/{case_id}/events").json()["items"][0]["evidence"]


@needs_postgres
def test_two_moves_at_once_only_one_wins(committing_db):  # noqa: F811
    from tests.conftest import build_world

    world = build_world()
    investigator = world.user(Role.INVESTIGATOR)
    proceeding = services.open_proceeding(investigator, world.cases["AL-police"], services.ProceedingInput(
        person_id=world.persons["AL-suspect"].pk, offence="thb",
        investigation_opened_on=datetime.date(2024, 1, 10)))

    def one(stage):
        return lambda: services.move_stage(investigator, proceeding, stage, datetime.date(2024, 2, 1))

    decided, refused = sorted(_at_once(one("indictment"), one("final")), key=len)
    assert decided == "decided" and "moved on since" in refused
    assert Proceeding.objects.get().stages.count() == 2
