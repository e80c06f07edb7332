"""The offence catalogue: its entries carry a version (API: ETag and If-Match; page: a hidden
field), so a correction built from an older read is refused with what the entry holds now;
only the jurisdiction's coordinators correct it, others of the jurisdiction are refused (403),
another jurisdiction's coordinator may not know it exists (404). The suspect markers carry the
case's version the same way."""

import json

import pytest

from crossroads.access.choices import Role
from crossroads.investigations import services
from crossroads.investigations.models import Offence, SuspectMarker
from tests.conftest import login_as

from .pages import version

BODY = {"article": "110/c", "title": "Forced labour", "source": "Official Journal 2023",
        "checked": True}


@pytest.fixture
def entry(world):
    return Offence.objects.get(jurisdiction_id="AL", code="forced_labour")


def url(offence):
    return f"/api/v1/offences/{offence.pk}"


def put(client, path, body, tag=None):
    headers = {"If-Match": tag} if tag else {}
    return client.put(path, json.dumps(body), content_type="application/json", headers=headers)


def stored(offence) -> Offence:
    return Offence.objects.get(pk=offence.pk)


def test_an_entry_carries_its_version_and_a_stale_correction_is_409(world, entry):
    coordinator = world.api(Role.COORDINATOR)
    read = coordinator.get(url(entry))
    assert read.status_code == 200 and read["ETag"] == '"1"' and read.json()["version"] == 1
    listed = coordinator.get("/api/v1/offences").json()["items"]
    assert {o["version"] for o in listed} == {1}
    # Another coordinator's correction comes first.
    services.update_offence(world.user(Role.COORDINATOR), entry, services.OffenceInput(
        article="110/c", title="Forced labour", source="Gazette", checked=False), version=1)
    stale = put(coordinator, url(entry), BODY, read["ETag"])
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == 2 and stale["ETag"] == '"2"'
    assert body["current"]["source"] == "Gazette" and body["current"]["checked"] is False
    assert stored(entry).source == "Gazette" and stored(entry).version == 2  # nothing written
    fresh = put(coordinator, url(entry), BODY, stale["ETag"])
    assert fresh.status_code == 200, fresh.content
    assert fresh["ETag"] == '"3"' and fresh.json()["version"] == 3
    assert stored(entry).checked and stored(entry).source == "Official Journal 2023"


def test_without_if_match_an_old_client_still_writes(world, entry):
    response = put(world.api(Role.COORDINATOR), url(entry), BODY)
    assert response.status_code == 200 and response["ETag"] == '"2"'
    assert stored(entry).checked


def test_a_malformed_if_match_is_refused_naming_the_header(world, entry):
    bad = put(world.api(Role.COORDINATOR), url(entry), BODY, "three")
    # As every If-Match of the API: a 422 whose error names the header and says what to send.
    assert bad.status_code == 422
    error = bad.json()["detail"][0]
    assert error["loc"] == ["body", "If-Match"] and "ETag" in error["msg"]
    assert not stored(entry).checked and stored(entry).version == 1


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR])
def test_who_is_not_a_coordinator_may_not_correct(world, entry, role):
    client = world.api(role)
    assert client.get(url(entry)).status_code == 200  # the catalogue is the jurisdiction's
    assert put(client, url(entry), BODY, '"1"').status_code == 403
    page = login_as(world.user(role))
    assert page.get("/offences/").status_code == 403
    assert page.get(f"/offences/{entry.pk}/").status_code == 403
    assert page.post(f"/offences/{entry.pk}/", {**BODY, "version": 1}).status_code == 403
    assert not stored(entry).checked and stored(entry).version == 1


def test_another_jurisdictions_coordinator_does_not_see_the_entry(world, entry):
    client = world.api(Role.COORDINATOR, "RS")
    assert client.get(url(entry)).status_code == 404
    assert put(client, url(entry), BODY, '"1"').status_code == 404
    assert entry.pk not in {o["id"] for o in client.get("/api/v1/offences").json()["items"]}
    page = login_as(world.user(Role.COORDINATOR, "RS"))
    listed = page.get("/offences/")
    assert listed.status_code == 200 and f"/offences/{entry.pk}/" not in listed.content.decode()
    assert page.get(f"/offences/{entry.pk}/").status_code == 404
    assert page.post(f"/offences/{entry.pk}/", {**BODY, "version": 1}).status_code == 404
    assert not stored(entry).checked


def test_the_catalogue_page_lists_and_filters_the_entries(world, entry):
    page = login_as(world.user(Role.COORDINATOR))
    home = page.get("/").content.decode()
    assert 'href="/offences/"' in home  # the navigation entry, for who maintains it
    assert 'href="/offences/"' not in login_as(world.user(Role.INVESTIGATOR)).get(
        "/").content.decode()
    Offence.objects.filter(pk=entry.pk).update(checked=True, article="110/c")
    everything = page.get("/offences/")
    assert everything.status_code == 200
    html = everything.content.decode()
    assert f"/offences/{entry.pk}/" in html and "110/c" in html and "Forced labour" in html
    thb = Offence.objects.get(jurisdiction_id="AL", code="thb")
    unchecked = page.get("/offences/?unchecked=1").content.decode()
    assert f"/offences/{thb.pk}/" in unchecked and f"/offences/{entry.pk}/" not in unchecked
    assert 'name="unchecked" value="1" checked' in unchecked


def test_the_entry_page_corrects_and_confirms(world, entry):
    page = login_as(world.user(Role.COORDINATOR))
    form = page.get(f"/offences/{entry.pk}/")
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    saved = page.post(f"/offences/{entry.pk}/", {**BODY, "version": 1})
    assert saved.status_code == 302 and saved["Location"] == "/offences/"
    assert stored(entry).checked and stored(entry).article == "110/c"
    assert stored(entry).version == 2
    # The service's rule is shown at its field: a checked entry names its article.
    refused = page.post(f"/offences/{entry.pk}/", {**BODY, "article": "", "version": 2})
    assert refused.status_code == 422
    assert "A checked entry names its article and source." in refused.content.decode()


def test_a_stale_form_shows_the_current_values_and_saves_nothing(world, entry):
    page = login_as(world.user(Role.COORDINATOR))
    page.get(f"/offences/{entry.pk}/")  # the form is filled from version 1
    services.update_offence(world.user(Role.COORDINATOR), entry, services.OffenceInput(
        article="110/d", title="Forced labour", source="Gazette", checked=False))
    stale = page.post(f"/offences/{entry.pk}/", {**BODY, "version": 1})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone changed this record after you opened the form." in html
    assert 'value="110/d"' in html and 'name="version" value="2"' in html
    assert stored(entry).article == "110/d" and not stored(entry).checked  # not overwritten
    missing = page.post(f"/offences/{entry.pk}/", BODY)  # a form without its version
    assert missing.status_code == 422 and "This form is out of date" in missing.content.decode()


def markers_url(case, person=None):
    base = f"/api/v1/cases/{case.pk}"
    return f"{base}/suspects/{person.pk}/markers" if person else f"{base}/markers"


def test_the_markers_carry_the_case_version_and_a_stale_change_is_409(world):
    case, suspect = world.cases["AL-police"], world.persons["AL-suspect"]
    investigator = world.api(Role.INVESTIGATOR)
    read = investigator.get(markers_url(case))
    assert read["ETag"] == f'"{version(case)}"'
    services.mark_suspect(world.user(Role.PROSECUTOR), case, suspect.pk, public_official=True,
                          group_id=None)
    stale = put(investigator, markers_url(case, suspect), {"public_official": False},
                read["ETag"])
    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == version(case) and stale["ETag"] == f'"{body["version"]}"'
    assert body["current"]["suspects"][0]["public_official"] is True
    assert SuspectMarker.objects.get().public_official  # nothing written
    fresh = put(investigator, markers_url(case, suspect), {"public_official": False},
                stale["ETag"])
    assert fresh.status_code == 200, fresh.content
    assert fresh["ETag"] == f'"{version(case)}"' != stale["ETag"]
    assert fresh.json()["suspects"][0]["public_official"] is False
    # Without If-Match the write goes through; a malformed one names the header.
    assert put(investigator, markers_url(case, suspect), {"public_official": True}
               ).status_code == 200
    bad = put(investigator, markers_url(case, suspect), {"public_official": True}, "W")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "If-Match"]
