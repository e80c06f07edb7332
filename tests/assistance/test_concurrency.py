"""Assistance edits built from an older read change nothing (issue 23, defect 3): the service
status (one of two updates at once) and the shelter's form and PUT."""

import pytest

from crossroads.access.choices import Role
from crossroads.assistance.models import Service, Shelter
from crossroads.assistance.services import care, identification
from crossroads.versions import StaleVersion


@pytest.fixture
def service(world):
    worker = world.user(Role.CASE_WORKER)
    file = identification.open_file(worker, world.cases["AL-police"], world.persons["AL-victim"])
    return care.plan_service(worker, file, "legal_aid")


def test_of_two_updates_of_a_planned_service_built_from_one_read_only_one_is_taken(world, service):
    worker = world.user(Role.CASE_WORKER)
    first, second = (Service.objects.get(pk=service.pk) for _ in range(2))
    care.update_service(worker, first, "delivered")
    with pytest.raises(StaleVersion):
        care.update_service(worker, second, "refused")
    assert Service.objects.get(pk=service.pk).status == "delivered"


def test_a_stale_service_form_and_if_match_change_nothing(world, service):
    page, api = world.client(Role.CASE_WORKER), world.api(Role.CASE_WORKER)
    url = f"/assistance/services/{service.pk}/"
    file_page = page.get(f"/assistance/files/{service.file_id}/").content.decode()
    assert f'name="version" value="{service.version}"' in file_page
    stale = api.post(f"/api/v1/services/{service.pk}", {"status": "refused"},
                     content_type="application/json", headers={"If-Match": '"7"'})
    assert stale.status_code == 409 and stale.json()["version"] == 1 and stale["ETag"] == '"1"'
    assert page.post(url, {"status": "delivered", "version": "1"}).status_code == 302
    again = page.post(url, {"status": "refused", "version": "1"})
    assert again.status_code == 409 and "Someone changed this record" in again.content.decode()
    assert Service.objects.get(pk=service.pk).status == "delivered"


def test_a_stale_shelter_form_shows_the_newer_values_and_saves_nothing(world):
    shelter = Shelter.objects.create(agency=world.agencies[("AL", "shelter")], name="Hope House",
                                     capacity=3)
    page, api = world.client(Role.CASE_WORKER), world.api(Role.CASE_WORKER)
    url = f"/shelters/{shelter.pk}/change/"
    assert 'name="version" value="1"' in page.get(url).content.decode()
    body = {"name": "Hope House", "capacity": 5, "accepts_children": False, "active": True}
    changed = api.put(f"/api/v1/shelters/{shelter.pk}", body, content_type="application/json",
                      headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = page.post(url, {"name": "Hope Home", "capacity": "4", "active": "on", "version": "1"})
    html = stale.content.decode()
    assert stale.status_code == 409 and "Someone changed this record" in html
    assert 'value="5"' in html and 'name="version" value="2"' in html  # the newer values
    shelter.refresh_from_db()
    assert (shelter.name, shelter.capacity, shelter.version) == ("Hope House", 5, 2)
    assert api.put(f"/api/v1/shelters/{shelter.pk}", body, content_type="application/json",
                   headers={"If-Match": '"1"'}).status_code == 409


def test_a_decision_form_opened_before_another_decision_changes_nothing(world):
    police = world.client(Role.INVESTIGATOR)
    file = identification.open_file(world.user(Role.INVESTIGATOR), world.cases["AL-police"],
                                    world.persons["AL-victim"])
    opened_on, decisions = file.status, file.decisions.count()
    form = police.get(f"/assistance/files/{file.pk}/").content.decode()
    assert f'name="from_status" value="{opened_on}"' in form
    url = f"/assistance/files/{file.pk}/decision/"
    first = police.post(url, {"status": "presumed", "reason": "Interview",
                              "from_status": opened_on})
    assert first.status_code == 302
    stale = police.post(url, {"status": "identified", "reason": "Same interview",
                              "from_status": opened_on})
    assert stale.status_code == 409 and "Someone changed this record" in stale.content.decode()
    file.refresh_from_db()
    assert file.status == "presumed" and file.decisions.count() == decisions + 1
