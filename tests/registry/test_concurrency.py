"""No lost updates and no double status changes (issue 23, defects 2 and 3).

A GET of a person or a case sends its version as the ETag; a write built from an older read
(`If-Match`, or the hidden version of a page's form) is a 409 that shows the record as it is
now and changes nothing; of two status changes at once exactly one is taken."""

import os
import threading

import pytest
from django.db import connection
from django.test import Client

from crossroads.access.choices import Role
from crossroads.registry import services
from crossroads.registry.models import Case, CaseStatusChange, Person
from crossroads.versions import StaleVersion
from tests.conftest import build_world

from .test_api import post

PERSON = {"given_names": "Drita", "family_name": "Krasniqi", "sex": "F",
          "birth_date": "2001-05-04"}


def put(client, url, body, version=None):
    headers = {"If-Match": version} if version else {}
    return client.put(url, body, content_type="application/json", headers=headers)


def test_a_put_from_a_stale_read_is_a_409_showing_the_newer_record(world):
    api, person = world.api(Role.INVESTIGATOR), world.persons["AL-victim"]
    url = f"/api/v1/persons/{person.pk}"
    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == f'"{read.json()["version"]}"'
    first = put(api, url, {**PERSON, "father_name": "Ilir"}, read["ETag"])
    assert first.status_code == 200 and first["ETag"] != read["ETag"]
    stale = put(api, url, {**PERSON, "place_of_birth": "Durrës"}, read["ETag"])
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["father_name"] == "Ilir" and body["current"]["place_of_birth"] == ""
    assert stale["ETag"] == first["ETag"] == f'"{body["version"]}"'
    person.refresh_from_db()
    assert (person.father_name, person.place_of_birth) == ("Ilir", "")
    # Built from the record now, it is taken; without If-Match the last write wins as before.
    assert put(api, url, {**PERSON, "place_of_birth": "Durrës"}, stale["ETag"]).status_code == 200
    assert put(api, url, PERSON).status_code == 200
    assert put(api, url, PERSON, '"3"').status_code == 409  # current is 4
    assert put(api, url, PERSON, 'W/"4"').status_code == 409  # weak tags never match
    assert put(api, url, PERSON, '"9", "4"').status_code == 200  # one of the list is current
    malformed = put(api, url, PERSON, "four")
    assert malformed.status_code == 422 and "If-Match" in str(malformed.json())


def test_a_status_change_from_a_stale_read_is_a_409_and_writes_nothing(world):
    api, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    read = api.get(f"/api/v1/cases/{case.pk}")
    assert read["ETag"] == f'"{case.version}"'
    url = f"/api/v1/cases/{case.pk}/status"
    ok = api.post(url, {"status": "investigation"}, content_type="application/json",
                  headers={"If-Match": read["ETag"]})
    assert ok.status_code == 200 and ok["ETag"] == f'"{case.version + 1}"'
    stale = api.post(url, {"status": "closed"}, content_type="application/json",
                     headers={"If-Match": read["ETag"]})
    assert stale.status_code == 409 and stale.json()["current"]["status"] == "investigation"
    assert CaseStatusChange.objects.filter(case=case).count() == 2  # opened, investigation
    case.refresh_from_db()
    assert case.status == "investigation"


def test_of_two_status_changes_built_from_one_read_only_the_first_is_taken(world):
    """The interleaving of two requests, in order: both read the open case, both change it."""
    actor = world.user(Role.INVESTIGATOR)
    first, second = (Case.objects.get(pk=world.cases["AL-police"].pk) for _ in range(2))
    services.change_status(actor, first, "investigation")
    with pytest.raises(StaleVersion):
        services.change_status(actor, second, "closed")
    assert [c.to_status for c in CaseStatusChange.objects.filter(case=first)] == [
        "open", "investigation"]
    second.refresh_from_db()
    assert second.status == "investigation"


def test_of_two_edits_built_from_one_read_only_the_first_is_taken(world):
    actor = world.user(Role.INVESTIGATOR)
    first, second = (Person.objects.get(pk=world.persons["AL-victim"].pk) for _ in range(2))
    services.update_person(actor, first, services.PersonInput("Drita", "Krasniqi",
                                                              father_name="Ilir"),
                           version=first.version)
    with pytest.raises(StaleVersion):
        services.update_person(actor, second, services.PersonInput("Drita", "Berisha"),
                               version=second.version)
    assert Person.objects.get(pk=first.pk).family_name == "Krasniqi"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL (SQLite's test database is one in-memory connection)")
def test_two_status_changes_at_once_on_two_connections_one_wins(committing_db, monkeypatch):
    """Two requests, each on its own connection, both past their read of the open case before
    either writes (a barrier in the service's policy check holds them there)."""
    world = build_world()
    case, token = world.cases["AL-police"], world.tokens["al_investigator"]
    barrier, require = threading.Barrier(2, timeout=10), services.require

    def require_together(actor, action, obj):
        require(actor, action, obj)
        if isinstance(obj, Case):
            barrier.wait()

    monkeypatch.setattr(services, "require", require_together)
    answers = []

    def change(status):
        try:
            client = Client(headers={"Authorization": f"Bearer {token}"})
            answers.append(post(client, f"/api/v1/cases/{case.pk}/status", {"status": status}))
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(s,)) for s in ("investigation", "closed")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409]
    history = list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    case.refresh_from_db()
    assert len(history) == 2 and history[-1] == case.status


def test_a_stale_status_form_says_so_shows_the_case_now_and_changes_nothing(world):
    case, page = world.cases["AL-police"], world.client(Role.INVESTIGATOR)
    read, next_ = str(case.version), str(case.version + 1)
    form = page.get(f"/cases/{case.pk}/").content.decode()
    assert f'name="version" value="{read}"' in form
    url = f"/cases/{case.pk}/status/"
    assert page.post(url, {"status": "investigation", "version": read}).status_code == 302
    stale = page.post(url, {"status": "closed", "confirmed": "1", "version": read})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone changed this record" in html and f'name="version" value="{next_}"' in html
    case.refresh_from_db()
    assert case.status == "investigation"
    assert page.post(url, {"status": "prosecution"}).status_code == 422  # no version: refused


@pytest.mark.parametrize("change", ["exploitation record", "team member"])
def test_what_the_case_shows_moves_its_etag(world, change):
    """A record or a team member added to the case changes what its GET shows, so its ETag
    moves on, and a status change built from the older read is a 409."""
    api, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    before = api.get(f"/api/v1/cases/{case.pk}")["ETag"]
    if change == "exploitation record":
        added = post(api, f"/api/v1/cases/{case.pk}/exploitation-records",
                     {"person_id": world.persons["AL-victim"].pk, "forms": ["other"]})
    else:
        added = post(api, f"/api/v1/cases/{case.pk}/team",
                     {"username": "al_focal_point", "team_role": "investigator"})
    assert added.status_code == 201, added.content
    after = api.get(f"/api/v1/cases/{case.pk}")["ETag"]
    assert after != before
    stale = api.post(f"/api/v1/cases/{case.pk}/status", {"status": "investigation"},
                     content_type="application/json", headers={"If-Match": before})
    assert stale.status_code == 409
    assert api.post(f"/api/v1/cases/{case.pk}/status", {"status": "investigation"},
                    content_type="application/json",
                    headers={"If-Match": after}).status_code == 200
