"""Markers: a suspect who is a public official, an organised-crime group linking cases, and
internal versus cross-border trafficking derived from the exploitation record; case workers
never see the suspects' markers."""

import pytest

from crossroads.access.choices import Role
from crossroads.investigations.models import SuspectMarker
from crossroads.registry import services as registry

from .helpers import api_as, post


def markers_url(case, person=None):
    base = f"/api/v1/cases/{case.pk}"
    return f"{base}/suspects/{person.pk}/markers" if person else f"{base}/markers"


def put(client, url, body):
    import json

    return client.put(url, json.dumps(body), content_type="application/json")


def test_a_group_links_cases_and_a_public_official_is_marked(world):
    investigator = world.api(Role.INVESTIGATOR)
    group = post(investigator, "/api/v1/crime-groups", {"name": "Harbour network"})
    assert group.status_code == 201
    assert post(investigator, "/api/v1/crime-groups", {"name": "Harbour  network"}).status_code == 422
    case, suspect = world.cases["AL-police"], world.persons["AL-suspect"]
    response = put(investigator, markers_url(case, suspect),
                   {"public_official": True, "group_id": group.json()["id"]})
    assert response.status_code == 200, response.content
    assert response.json()["suspects"] == [{"person_id": suspect.pk, "public_official": True,
                                            "official_agency_id": None,
                                            "group_id": group.json()["id"],
                                            "group": "Harbour network"}]
    # The victim is no suspect; an RS group is unknown here.
    assert put(investigator, markers_url(case, world.persons["AL-victim"]),
               {"public_official": True}).status_code == 422
    rs_group = post(world.api(Role.INVESTIGATOR, "RS"), "/api/v1/crime-groups", {"name": "X"}).json()
    assert put(investigator, markers_url(case, suspect),
               {"group_id": rs_group["id"]}).status_code == 422
    assert world.api(Role.INVESTIGATOR, "RS").get("/api/v1/crime-groups").json()["items"] == [rs_group]


@pytest.mark.parametrize("role, status", [
    (Role.CASE_WORKER, 403), (Role.FOCAL_POINT, 403), (Role.COORDINATOR, 403),
    ("other_investigator", 404), (Role.ANALYST, 404)])
def test_who_may_not_mark_a_suspect(world, role, status):
    case, suspect = world.cases["AL-police"], world.persons["AL-suspect"]
    client = api_as(world.user(role))
    assert put(client, markers_url(case, suspect), {"public_official": True}).status_code == status
    assert not SuspectMarker.objects.exists()
    names_groups = role == "other_investigator"  # law enforcement of the jurisdiction
    assert post(client, "/api/v1/crime-groups", {"name": "G"}).status_code == (
        201 if names_groups else 403)


def test_case_workers_never_see_suspect_markers(world):
    case, suspect = world.cases["AL-police"], world.persons["AL-suspect"]
    put(world.api(Role.INVESTIGATOR), markers_url(case, suspect), {"public_official": True})
    shown = world.api(Role.CASE_WORKER).get(markers_url(case)).json()
    assert shown["suspects"] == []
    assert world.api(Role.PROSECUTOR).get(markers_url(case)).json()["suspects"]


@pytest.mark.parametrize("record, expected", [
    ({"citizenship": "AL", "country_of_recruitment": "AL", "country_of_exploitation": "AL"},
     "internal"),
    ({"citizenship": "AL", "country_of_recruitment": "AL", "country_of_exploitation": "IT"},
     "cross_border"),
    ({"citizenship": "AL", "country_of_exploitation": "AL", "countries_of_transit": ["MK"]},
     "cross_border"),
    ({"citizenship": "AL"}, "unknown"),
])
def test_internal_or_cross_border_is_derived_from_the_countries(world, record, expected):
    investigator = world.user(Role.INVESTIGATOR)
    _person, case, _record = registry.register_victim(
        investigator, registry.PersonInput(given_names="Mimoza", family_name="Rama", sex="F"),
        registry.CaseInput(), registry.ExploitationInput(forms=["forced_labour"], **record))
    shown = world.api(Role.INVESTIGATOR).get(markers_url(case)).json()
    assert [s["scope"] for s in shown["scope"]] == [expected]


def test_an_official_names_their_agency(world):
    """Oversight alerts when an account of that agency reads the suspect (tests/oversight)."""
    investigator = world.api(Role.INVESTIGATOR)
    case, suspect = world.cases["AL-police"], world.persons["AL-suspect"]
    police2 = world.agencies[("AL", "police2")].pk
    answer = put(investigator, markers_url(case, suspect),
                 {"public_official": True, "official_agency_id": police2})
    assert answer.status_code == 200
    assert answer.json()["suspects"][0]["official_agency_id"] == police2
    assert SuspectMarker.objects.get().official_agency_id == police2
    for body in ({"public_official": False, "official_agency_id": police2},
                 {"public_official": True,
                  "official_agency_id": world.agencies[("RS", "police")].pk}):
        refused = put(investigator, markers_url(case, suspect), body)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "official_agency_id"]
