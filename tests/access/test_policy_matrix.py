"""Who sees and changes what: every role against cases and persons of its own agency, another
agency, a restricted case and another jurisdiction, through the API and the pages alike."""

import pytest

from crossroads.access.choices import Role

CASES = ["AL-police", "AL-other", "AL-h3", "RS-police"]
PERSONS = ["AL-victim", "AL-suspect", "AL-other-victim", "RS-victim"]

# role -> cases it may view, cases it may change, persons it may view
RIGHTS = {
    Role.CASE_WORKER: ({"AL-police"}, {"AL-police"}, {"AL-victim"}),
    Role.INVESTIGATOR: ({"AL-police"}, {"AL-police"}, {"AL-victim", "AL-suspect"}),
    Role.PROSECUTOR: ({"AL-police"}, {"AL-police"}, {"AL-victim", "AL-suspect"}),
    Role.FOCAL_POINT: ({"AL-police"}, set(), {"AL-victim", "AL-suspect"}),
    Role.COORDINATOR: ({"AL-police", "AL-other"}, set(), set()),
    Role.ANALYST: (set(), set(), set()),
    Role.OVERSIGHT: (set(), set(), set()),
    Role.ADMINISTRATOR: (set(), set(), set()),
    Role.HOTLINE_OPERATOR: (set(), set(), set()),  # reports only, never cases or persons
}
MATRIX = [(role, name) for role in Role for name in CASES]
PERSON_MATRIX = [(role, name) for role in Role for name in PERSONS]
# The case worker changes AL-police as an agency assigned to it (a shelter), not its owner: it
# assists the victims but does not move the case along the criminal-justice statuses.
MOVES_STATUS = {role: rights[1] for role, rights in RIGHTS.items()} | {Role.CASE_WORKER: set()}


@pytest.mark.parametrize(("role", "name"), MATRIX)
def test_case_visibility_api_and_pages(world, role, name):
    case = world.cases[name]
    visible = name in RIGHTS[role][0]
    api = world.api(role).get(f"/api/v1/cases/{case.pk}")
    page = world.client(role).get(f"/cases/{case.pk}/")
    assert api.status_code == (200 if visible else 404)
    assert page.status_code == (200 if visible else 404)
    listed = {c["id"] for c in world.api(role).get("/api/v1/cases?limit=200").json()["items"]}
    assert (case.pk in listed) is visible


@pytest.mark.parametrize(("role", "name"), MATRIX)
def test_case_status_change_rights(world, role, name):
    case = world.cases[name]
    visible, changeable = name in RIGHTS[role][0], name in MOVES_STATUS[role]
    response = world.api(role).post(f"/api/v1/cases/{case.pk}/status",
                                    {"status": "investigation"}, content_type="application/json")
    assert response.status_code == (200 if changeable else 403 if visible else 404)
    case.refresh_from_db()
    assert (case.status == "investigation") is changeable


@pytest.mark.parametrize(("role", "name"), PERSON_MATRIX)
def test_person_visibility_api_and_pages(world, role, name):
    person = world.persons[name]
    visible = name in RIGHTS[role][2]
    assert world.api(role).get(f"/api/v1/persons/{person.pk}").status_code == (
        200 if visible else 404)
    assert world.client(role).get(f"/persons/{person.pk}/").status_code == (
        200 if visible else 404)
    listing = world.api(role).get("/api/v1/persons?limit=200")
    ids = {p["id"] for p in listing.json()["items"]}
    assert (person.pk in ids) is visible


@pytest.mark.parametrize("role", list(Role))
def test_case_detail_hides_names_and_suspects_by_role(world, role):
    case = world.cases["AL-police"]
    response = world.api(role).get(f"/api/v1/cases/{case.pk}")
    visible = "AL-police" in RIGHTS[role][0]
    assert response.status_code == (200 if visible else 404)
    if not visible:
        return
    body = response.json()
    roles = {i["role"] for i in body["involvements"]}
    assert ("suspect" in roles) is (role != Role.CASE_WORKER)
    assert (body["summary"] is not None) is (role != Role.COORDINATOR)
    assert "Krasniqi" not in response.content.decode()


def test_case_worker_page_never_shows_suspect(world):
    page = world.client(Role.CASE_WORKER).get(f"/cases/{world.cases['AL-police'].pk}/")
    assert "Krasniqi" in page.content.decode()
    assert "Leka" not in page.content.decode()
    assert "Leka" in world.client(Role.INVESTIGATOR).get(
        f"/cases/{world.cases['AL-police'].pk}/").content.decode()


def test_case_worker_cannot_add_a_suspect(world):
    case, suspect = world.cases["AL-police"], world.persons["AL-victim"]
    response = world.api(Role.CASE_WORKER).post(
        f"/api/v1/cases/{case.pk}/involvements", {"person_id": suspect.pk, "role": "suspect"},
        content_type="application/json")
    assert response.status_code == 403
    assert not case.involvements.filter(person=suspect, role="suspect").exists()


@pytest.mark.parametrize("role", list(Role))
def test_registration_rights(world, role):
    from tests.registry.test_api import REGISTRATION

    response = world.api(role).post("/api/v1/registrations", REGISTRATION,
                                    content_type="application/json")
    allowed = role in {Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR}
    assert response.status_code == (201 if allowed else 403)
    page = world.client(role).get("/register/")
    assert page.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", list(Role))
def test_audit_and_accounts_pages_by_role(world, role):
    client = world.client(role)
    assert client.get("/audit/").status_code == (200 if role == Role.OVERSIGHT else 403)
    assert world.api(role).get("/api/v1/audit").status_code == (
        200 if role == Role.OVERSIGHT else 403)
    assert client.get("/manage/accounts/").status_code == (
        200 if role == Role.ADMINISTRATOR else 403)


def test_administrator_manages_only_own_jurisdiction(world):
    admin = world.client(Role.ADMINISTRATOR)
    al_user = world.user(Role.ANALYST, "AL")
    rs_user = world.user(Role.ANALYST, "RS")
    assert admin.get(f"/manage/accounts/{al_user.pk}/").status_code == 200
    assert admin.get(f"/manage/accounts/{rs_user.pk}/").status_code == 404
    listing = admin.get("/manage/accounts/").content.decode()
    assert al_user.username in listing and rs_user.username not in listing


def test_other_jurisdiction_is_invisible_even_to_coordinators(world):
    coordinator = world.api(Role.COORDINATOR, "RS")
    ids = {c["id"] for c in coordinator.get("/api/v1/cases?limit=200").json()["items"]}
    assert world.cases["RS-police"].pk in ids
    assert not ids & {world.cases[n].pk for n in ("AL-police", "AL-other", "AL-h3")}


def test_anonymous_gets_nothing(world, client):
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get(f"/cases/{world.cases['AL-police'].pk}/").status_code == 302
    bad = client.get("/api/v1/cases", headers={"Authorization": "Bearer cr_not-a-token"})
    assert bad.status_code == 401


def test_denied_attempts_are_audited(world):
    from crossroads.audit.models import AuditEntry

    case = world.cases["RS-police"]
    world.api(Role.INVESTIGATOR).get(f"/api/v1/cases/{case.pk}")
    entry = AuditEntry.objects.filter(action="denied").latest("id")
    assert entry.actor == "al_investigator" and entry.object_id == str(case.pk)
    assert entry.outcome == "denied"


def test_narrowed_and_set_forms_of_the_person_rule_agree(world):
    """Searches check visibility row by row (`restrict_narrowed`), lists by set (`restrict`):
    for every user and action both must give the same persons."""
    from crossroads.access.policy import CHANGE, VIEW, restrict, restrict_narrowed
    from crossroads.registry.models import Person

    everyone = Person.objects.all()
    for user in world.users.values():
        for action in (VIEW, CHANGE):
            by_set = set(restrict(everyone, user, action).values_list("pk", flat=True))
            by_row = set(restrict_narrowed(everyone, user, action).values_list("pk", flat=True))
            assert by_set == by_row, (user.username, action)
