"""The register of shelters, kept by the case workers of the agency that runs them: on the page
and through the API, validated, audited, and never changed under the persons staying there."""

from crossroads.access.choices import Role
from crossroads.assistance.models import Shelter
from crossroads.assistance.services import identification, shelters
from crossroads.audit.models import AuditEntry
from crossroads.registry import services
from tests.assistance.conftest import post
from tests.conftest import exploitation_input, person_input


def put(client, url, body):
    return client.put(url, body, content_type="application/json")


def test_a_case_worker_registers_a_shelter_of_their_agency_on_the_page(assist):
    worker = assist.world.user(Role.CASE_WORKER)
    page = assist.page(worker)
    listed = page.get("/shelters/ours/").content.decode()
    assert "Hope House" in listed and "Register a shelter" in listed
    added = page.post("/shelters/ours/", {"name": "Safe Harbour", "capacity": "6",
                                          "accepts_children": "on"})
    assert added.status_code == 302
    shelter = Shelter.objects.get(name="Safe Harbour")
    assert (shelter.agency_id, shelter.capacity, shelter.accepts_children, shelter.active) == (
        worker.agency_id, 6, True, True)
    assert AuditEntry.objects.filter(object_type="assistance.shelter", action="create",
                                     object_id=str(shelter.pk), actor=worker.username).exists()
    again = page.post("/shelters/ours/", {"name": "safe harbour", "capacity": "3"})
    assert again.status_code == 422 and "already has a shelter of this name" in again.content.decode()
    bad = page.post("/shelters/ours/", {"name": "Third", "capacity": "0"})
    assert bad.status_code == 422 and Shelter.objects.count() == 2
    # Coordinators see its places on the capacity page; who stays is nobody's business there.
    capacity = assist.page(assist.world.user(Role.COORDINATOR)).get("/shelters/").content.decode()
    assert "Safe Harbour" in capacity


def test_only_the_agencys_case_workers_keep_the_register(assist):
    world = assist.world
    for role in (Role.COORDINATOR, Role.INVESTIGATOR, Role.ADMINISTRATOR):
        assert assist.page(world.user(role)).get("/shelters/ours/").status_code == 403
        assert post(world.api(role), "/api/v1/shelters",
                    {"name": "Not mine", "capacity": 2}).status_code == 403
    url = f"/api/v1/shelters/{assist.shelter.pk}"
    body = {"name": "Hope House", "capacity": 4, "accepts_children": False, "active": True}
    # The NGO's case worker sees the shelter (same jurisdiction) but may not change it.
    assert put(assist.api(assist.ngo_worker), url, body).status_code == 403
    assert assist.page(assist.ngo_worker).post(
        f"/shelters/{assist.shelter.pk}/change/",
        {"name": "X", "capacity": "9", "version": "1"}).status_code == 403
    # Another jurisdiction's case worker may not know it exists.
    assert put(world.api(Role.CASE_WORKER, "RS"), url, body).status_code == 404
    assert Shelter.objects.get(pk=assist.shelter.pk).capacity == 1


def test_the_api_registers_and_changes_with_clear_errors(assist):
    api = assist.api(assist.world.user(Role.CASE_WORKER))
    created = post(api, "/api/v1/shelters", {"name": "Lighthouse", "capacity": 3})
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("capacity", "occupied", "free", "active")} == {
        "capacity": 3, "occupied": 0, "free": 3, "active": True}
    refused = post(api, "/api/v1/shelters", {"name": "Big", "capacity": 5000})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "capacity"
    blank = post(api, "/api/v1/shelters", {"name": "   ", "capacity": 2})
    assert blank.status_code == 422 and blank.json()["detail"][0]["loc"][-1] == "name"
    url = f"/api/v1/shelters/{created.json()['id']}"
    changed = put(api, url, {"name": "Lighthouse", "capacity": 5, "accepts_children": True,
                             "active": False})
    assert changed.status_code == 200 and changed.json()["active"] is False
    entry = AuditEntry.objects.filter(object_type="assistance.shelter", action="update").latest("id")
    assert entry.details == {"capacity": [3, 5], "accepts_children": [False, True],
                             "active": [True, False]}


def test_a_shelter_is_not_changed_under_the_persons_staying_there(assist):
    world = assist.world
    worker = world.user(Role.CASE_WORKER)
    child = identification.open_file(worker, world.cases["AL-police"], world.persons["AL-victim"],
                                     may_be_child=True)
    person, case, _ = services.register_victim(worker, person_input(given="Lule", family="Berisha"),
                                               services.CaseInput(), exploitation_input())
    adult = identification.open_file(worker, case, person)
    shelter = shelters.register(worker, "Little Steps", 2, accepts_children=True)
    shelters.admit(worker, shelter, child)
    shelters.admit(worker, shelter, adult)
    page = assist.page(worker)
    url = f"/shelters/{shelter.pk}/change/"
    form = page.get(url).content.decode()
    assert 'value="Little Steps"' in form and 'value="2"' in form
    for body, error in (
            ({"name": "Little Steps", "capacity": "2", "accepts_children": "on"}, "closing"),
            ({"name": "Little Steps", "capacity": "2", "active": "on"}, "A child stays"),
            ({"name": "Little Steps", "capacity": "1", "accepts_children": "on", "active": "on"},
             "2 persons stay there now"),
    ):
        refused = page.post(url, {**body, "version": "1"})
        assert refused.status_code == 422 and error in refused.content.decode(), error
    shelters.discharge(worker, adult.stays.get())
    saved = page.post(url, {"name": "Little Steps", "capacity": "1", "accepts_children": "on",
                            "active": "on", "version": "1"})
    assert saved.status_code == 302
    shelter.refresh_from_db()
    assert (shelter.capacity, shelter.active, shelter.accepts_children) == (1, True, True)
