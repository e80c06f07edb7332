"""Entities and links of a case's network through the API: FtM checking and normalisation,
the shared phone that joins suspects of two cases, the neighbourhood contract, the audit, and
everyone who may not reach a network."""

import pytest
from django.db import connection

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.networks.models import Entity, Link, Selector

from ..investigations.helpers import api_as, post


def entities_url(case):
    return f"/api/v1/cases/{case.pk}/network/entities"


def add(client, case, schema, properties, **extra):
    return post(client, entities_url(case), {"schema": schema, "properties": properties,
                                             "source": "statement of 2026-03-01", **extra})


def link(client, case, schema, source, target, **properties):
    return post(client, f"/api/v1/cases/{case.pk}/network/links", {
        "schema": schema, "source_entity": source, "target_entity": target,
        "properties": properties, "source": "call records"})


def test_an_entity_is_checked_and_normalised_as_ftm(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    response = add(investigator, case, "Person", {"name": ["Besnik Leka"],
                                                  "phone": ["069 123 4567"]},
                   person_id=world.persons["AL-suspect"].pk, id="al-besnik")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["schema"] == "Person" and body["ftm_id"] == "al-besnik"
    assert body["properties"]["phone"] == ["+355691234567"]  # E.164, AL the default region
    assert body["caption"] == "Besnik Leka"
    assert Selector.objects.filter(entity_id=body["id"], kind="phone").count() == 1
    # Stored encrypted: the phone is nowhere in clear in the row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT properties_json FROM networks_entity WHERE id = %s", [body["id"]])
        stored = cursor.fetchone()[0]
    assert "355691234567" not in stored and "Besnik" not in stored
    # Every problem at once, by property.
    bad = add(investigator, case, "Company", {"name": ["Bar Riviera"], "phone": ["12"],
                                              "registrationNumber": ["K1234"],
                                              "jurisdiction": ["al"], "colour": ["red"]})
    assert bad.status_code == 422
    locs = {tuple(d["loc"]) for d in bad.json()["detail"]}
    assert locs == {("body", "properties", "phone"), ("body", "properties", "registrationNumber"),
                    ("body", "properties", "colour")}
    assert add(investigator, case, "Payment", {}).status_code == 422  # a link, not an entity
    # A valid NIPT is kept; the victim of another case is no person of this one.
    assert add(investigator, case, "Company", {"name": ["Bar Riviera"], "jurisdiction": ["al"],
                                               "registrationNumber": ["J91402501L"]}
               ).status_code == 201
    assert add(investigator, case, "Person", {"name": ["X"]},
               person_id=world.persons["AL-other-victim"].pk).status_code == 422


def test_a_shared_phone_joins_suspects_of_two_cases(world):
    investigator = world.api(Role.INVESTIGATOR)
    first, second = world.cases["AL-police"], world.cases["AL-other"]
    # The investigator's agency owns the first case; the second is put on their team.
    second.team.add(world.user(Role.INVESTIGATOR))
    one = add(investigator, first, "Person", {"name": ["Besnik Leka"],
                                              "phone": ["+355 69 123 4567"]}).json()
    car = add(investigator, first, "Vehicle", {"name": ["Golf"],
                                               "registrationNumber": ["TR 123 AB"]}).json()
    trip = link(investigator, first, "Trip", one["ftm_id"], car["ftm_id"],
                startDate=["2026-02-01"], endDate=["2026-02-03"])
    assert trip.status_code == 201, trip.content
    other = add(investigator, second, "Person", {"name": ["Dritan Hasa"],
                                                 "phone": ["0691234567"]}).json()
    response = investigator.get(f"/api/v1/network/entities/{one['id']}/neighbours")
    assert response.status_code == 200
    body = response.json()
    assert [n["id"] for n in body["neighbours"]] == [car["id"]]
    assert [(s["entity"]["id"], s["kind"]) for s in body["shared"]] == [(other["id"], "phone")]
    assert body["links"][0]["schema"] == "Trip" and not body["truncated"]
    read = AuditEntry.objects.filter(action="read_identity", object_type="networks.entity").last()
    assert set(read.details["ids"]) == {one["id"], car["id"], other["id"]}
    # Filters: another link type, or a period the trip does not overlap, leaves nothing.
    url = f"/api/v1/network/entities/{one['id']}/neighbours"
    assert investigator.get(url, {"schema": "Call"}).json()["links"] == []
    assert investigator.get(url, {"start": "2026-03-01"}).json()["links"] == []
    # The prosecutor on the first case's team, outside the second case, sees no join.
    seen = world.api(Role.PROSECUTOR).get(url).json()
    assert seen["entity"]["id"] == one["id"] and seen["shared"] == []


def test_a_link_needs_two_entities_of_the_case(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    one = add(investigator, case, "Person", {"name": ["A"]}).json()
    response = link(investigator, case, "Call", one["ftm_id"], "nobody")
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", "target_entity"]]
    assert link(investigator, case, "Person", one["ftm_id"], one["ftm_id"]).status_code == 422
    assert not Link.objects.exists()


@pytest.mark.parametrize("who, status", [
    (Role.CASE_WORKER, 404),      # NGO shelter: the case is theirs to assist, never its network
    (Role.FOCAL_POINT, 403),
    (Role.COORDINATOR, 403),
    (Role.ANALYST, 404),
    ("other_investigator", 404),  # another agency
    ("RS", 404),                  # another jurisdiction
])
def test_who_may_not_reach_a_network(world, who, status):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    entity = add(investigator, case, "Person", {"name": ["Besnik Leka"]}).json()
    user = world.user(Role.INVESTIGATOR, "RS") if who == "RS" else (
        world.users[("AL", who)] if isinstance(who, str) and ("AL", who) in world.users
        else world.user(who))
    client = api_as(user)
    assert client.get(f"/api/v1/network/entities/{entity['id']}/neighbours").status_code == 404
    assert client.get(f"/api/v1/network/entities/{entity['id']}").status_code == 404
    listed = client.get(entities_url(case))
    assert listed.status_code == 404 or listed.json()["items"] == []
    assert add(client, case, "Person", {"name": ["X"]}).status_code in {status, 404, 403}
    assert Entity.objects.count() == 1


def test_h3_networks_stay_with_the_team(world):
    h3 = world.cases["AL-h3"]
    colleague = api_as(User.objects.get(username="al_colleague"))
    made = add(colleague, h3, "Person", {"name": ["Secret"]})
    assert made.status_code == 201, made.content
    investigator = world.api(Role.INVESTIGATOR)  # same agency, not on the team
    assert investigator.get(f"/api/v1/network/entities/{made.json()['id']}").status_code == 404
    assert add(investigator, h3, "Person", {"name": ["X"]}).status_code == 404


def test_a_read_only_token_and_a_bad_token_write_nothing(world):
    case = world.cases["AL-police"]
    read_only = api_as(world.user(Role.INVESTIGATOR), scope="read")
    assert add(read_only, case, "Person", {"name": ["X"]}).status_code == 403
    from django.test import Client
    bad = Client(headers={"Authorization": "Bearer nope"})
    assert add(bad, case, "Person", {"name": ["X"]}).status_code == 401
    assert not Entity.objects.exists()


def test_a_replayed_write_is_answered_once(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    import json
    body = json.dumps({"schema": "Person", "properties": {"name": ["A"]}, "source": "s"})
    first = investigator.post(entities_url(case), body, content_type="application/json",
                              headers={"Idempotency-Key": "k-1"})
    again = investigator.post(entities_url(case), body, content_type="application/json",
                              headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and Entity.objects.count() == 1
