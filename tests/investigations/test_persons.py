"""Persons put into a case (`POST /cases/{id}/persons`): the registration's validation,
encryption, duplicate detection and audit; suspects only by the roles that may add them, and
never shown to case workers; the policy decides per involvement."""

import pytest
from django.db import connection
from django.db.models import Q

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.linkage.models import MatchCandidate
from crossroads.registry.models import Involvement, Person

from .helpers import api_as, denied_entries, post

PERSON = {"given_names": "Ilir", "family_name": "Berisha", "sex": "M",
          "birth_date": "1979-03-02", "citizenships": ["AL"],
          "documents": [{"doc_type": "passport", "number": "BA1234567", "issuing_country": "AL"}]}


def persons_url(case):
    return f"/api/v1/cases/{case.pk}/persons"


def test_an_investigator_adds_a_suspect_and_a_second_victim(world):
    case = world.cases["AL-police"]
    investigator = world.api(Role.INVESTIGATOR)
    response = post(investigator, persons_url(case), {"person": PERSON, "role": "suspect"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"person_id", "involvement_id"}
    involvement = Involvement.objects.get(pk=body["involvement_id"])
    assert (involvement.person_id, involvement.case_id, involvement.role) == (
        body["person_id"], case.pk, "suspect")
    victim = post(investigator, persons_url(case), {
        "person": {"given_names": "Elira", "family_name": "Dervishi", "sex": "F"},
        "role": "victim"})
    assert victim.status_code == 201
    detail = investigator.get(f"/api/v1/cases/{case.pk}").json()
    assert sorted(i["role"] for i in detail["involvements"]) == [
        "suspect", "suspect", "victim", "victim"]
    # Encrypted at rest, like every registered person.
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM registry_person WHERE id = %s", [body["person_id"]])
        stored = cursor.fetchone()[0]
    assert "Berisha" not in stored
    created = AuditEntry.objects.filter(action="create", object_type="registry.person",
                                        object_id=str(body["person_id"]))
    assert created.count() == 1
    assert AuditEntry.objects.filter(action="create", object_type="registry.involvement",
                                     object_id=str(body["involvement_id"])).exists()


def test_the_registration_validation_applies_and_nothing_is_written(world):
    case = world.cases["AL-police"]
    before = Person.objects.count(), Involvement.objects.count()
    bad = {**PERSON, "documents": [{"doc_type": "jmbg", "number": "123", "issuing_country": "RS"}]}
    response = post(world.api(Role.INVESTIGATOR), persons_url(case), {"person": bad,
                                                                      "role": "witness"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "documents", "0"]
    assert post(world.api(Role.INVESTIGATOR), persons_url(case), {
        "person": {**PERSON, "birth_date": "2999-01-01"}, "role": "witness"}).status_code == 422
    assert post(world.api(Role.INVESTIGATOR), persons_url(case), {
        "person": PERSON, "role": "accomplice"}).status_code == 422
    assert (Person.objects.count(), Involvement.objects.count()) == before


def test_duplicate_detection_hears_of_the_new_person(world):
    existing = world.persons["AL-victim"]  # Drita Krasniqi, 2001-05-04
    response = post(world.api(Role.INVESTIGATOR), persons_url(world.cases["AL-police"]), {
        "person": {"given_names": "Drita", "family_name": "Krasniqi", "sex": "F",
                   "birth_date": "2001-05-04"}, "role": "witness"})
    assert response.status_code == 201
    new = response.json()["person_id"]
    assert MatchCandidate.objects.filter(
        Q(person_a_id=new, person_b_id=existing.pk) | Q(person_a_id=existing.pk, person_b_id=new)
    ).exists()


@pytest.mark.parametrize("role, status", [
    (Role.CASE_WORKER, 403),     # changes the case, but may not add suspects
    (Role.FOCAL_POINT, 403),
    (Role.COORDINATOR, 403),
    (Role.ANALYST, 404),
    (Role.OVERSIGHT, 404),
])
def test_who_may_not_add_a_suspect_writes_nothing(world, role, status):
    before = Person.objects.count()
    response = post(world.api(role), persons_url(world.cases["AL-police"]),
                    {"person": PERSON, "role": "suspect"})
    assert response.status_code == status
    assert Person.objects.count() == before
    assert denied_entries(world.user(role)).exists()


def test_other_agency_jurisdiction_and_h3_outside_the_team_are_not_found(world):
    before = Person.objects.count()
    for role, jurisdiction, case in [
        (Role.INVESTIGATOR, "RS", "AL-police"), ("other_investigator", "AL", "AL-police"),
        (Role.INVESTIGATOR, "AL", "AL-h3"), (Role.CASE_WORKER, "AL", "AL-other"),
    ]:
        response = post(api_as(world.user(role, jurisdiction)),
                        persons_url(world.cases[case]), {"person": PERSON, "role": "witness"})
        assert response.status_code == 404, (role, jurisdiction, case)
    assert Person.objects.count() == before


def test_a_case_worker_adds_a_guardian_and_never_sees_the_suspect(world):
    case = world.cases["AL-police"]
    case_worker = world.api(Role.CASE_WORKER)
    response = post(case_worker, persons_url(case), {
        "person": {"given_names": "Liri", "family_name": "Hoxha", "sex": "F"}, "role": "guardian"})
    assert response.status_code == 201
    post(world.api(Role.INVESTIGATOR), persons_url(case), {"person": PERSON, "role": "suspect"})
    roles = [i["role"] for i in case_worker.get(f"/api/v1/cases/{case.pk}").json()["involvements"]]
    assert sorted(roles) == ["guardian", "victim"]
    listed = case_worker.get("/api/v1/involvements", {"case": case.pk}).json()["items"]
    assert "suspect" not in {i["role"] for i in listed}


def test_a_victim_in_one_case_and_a_suspect_in_another_is_decided_per_involvement(world):
    """The case worker knows the person as a victim of a case assigned to the shelter, and never
    learns that the same person is a suspect in another case."""
    victim = world.persons["AL-victim"]
    other_case = world.cases["AL-other"]
    other = world.user("other_investigator")
    from crossroads.registry import services as registry

    registry.add_involvement(other, other_case, victim, "suspect")
    other_case.assigned_agencies.add(world.agencies[("AL", "shelter")])
    case_worker = world.api(Role.CASE_WORKER)
    person = case_worker.get(f"/api/v1/persons/{victim.pk}").json()
    assert {(i["case_id"], i["role"]) for i in person["involvements"]} == {
        (world.cases["AL-police"].pk, "victim")}
    detail = case_worker.get(f"/api/v1/cases/{other_case.pk}").json()
    assert victim.pk not in {i["person_id"] for i in detail["involvements"]}
    # The investigator of that case sees both involvements of the person it can see.
    investigator_view = api_as(other).get(f"/api/v1/cases/{other_case.pk}").json()
    assert (victim.pk, "suspect") in {(i["person_id"], i["role"])
                                      for i in investigator_view["involvements"]}
