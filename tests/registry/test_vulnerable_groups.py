"""Issue 21, point 15: vulnerable groups (Roma and Egyptian communities, children in street
situations, persons with disabilities, migrants) as special-category data: recorded only with
a legal basis, encrypted at rest, never in record-level releases, counted only in suppressed
aggregates (also for the coordinator entitled to every other count)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, User
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import VulnerabilityRecord
from crossroads.registry.services import record_vulnerability
from crossroads.statistics.releases import ReleaseSpec, validated
from tests.conftest import state_purpose
from tests.statistics.dashboard_data import add_victims

YEARS = "year_from=2022&year_to=2023"


def _token_client(user) -> Client:
    raw = ApiToken.issue(user, "test", scope="write")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(client, person, body):
    return client.post(f"/api/v1/persons/{person.pk}/vulnerable-groups", body,
                       content_type="application/json")


def test_a_group_is_recorded_only_with_its_legal_basis(world):
    victim = world.persons["AL-victim"]
    worker = world.api(Role.CASE_WORKER)
    refused = _post(worker, victim, {"group": "roma_egyptian"})
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["detail"]] == [["body", "legal_basis"]]
    assert "legal basis" in refused.json()["detail"][0]["msg"]
    both = _post(worker, victim, {"group": "roma", "legal_basis": "because"})
    assert {tuple(e["loc"]) for e in both.json()["detail"]} == {("body", "group"),
                                                                 ("body", "legal_basis")}
    assert not VulnerabilityRecord.objects.exists()
    made = _post(worker, victim, {"group": "roma_egyptian", "legal_basis": "social_protection",
                                  "legal_reference": "Law on social services, Art. 12"})
    assert made.status_code == 201 and made.json()["group"] == "roma_egyptian"
    assert _post(worker, victim, {"group": "roma_egyptian",
                                  "legal_basis": "social_protection"}).status_code == 422
    with connection.cursor() as cursor:  # encrypted at rest: the column never holds the code
        cursor.execute("SELECT \"group\" FROM registry_vulnerabilityrecord")
        stored = cursor.fetchone()[0]
    assert "roma" not in str(stored)
    entry = AuditEntry.objects.get(object_type="registry.vulnerabilityrecord", action="create")
    assert entry.details == {"person": victim.pk, "legal_basis": "social_protection"}
    listed = world.api(Role.INVESTIGATOR).get(f"/api/v1/persons/{victim.pk}/vulnerable-groups")
    assert listed.json()["count"] == 1


def test_who_may_record_or_read_a_group(world):
    victim = world.persons["AL-victim"]
    body = {"group": "disability", "legal_basis": "explicit_consent"}
    assert _post(world.api(Role.CASE_WORKER), victim, body).status_code == 201
    url = f"/api/v1/persons/{victim.pk}/vulnerable-groups"
    coordinator = world.api(Role.COORDINATOR)  # pseudonymous reader: counts only
    assert _post(coordinator, victim, body).status_code in {403, 404}
    assert coordinator.get(url).status_code == 404 or coordinator.get(url).json()["count"] == 0
    for client in (world.api(Role.INVESTIGATOR, "RS"), world.api(Role.CASE_WORKER, "RS"),
                   world.api(Role.ANALYST), world.api(Role.OVERSIGHT), world.api(Role.ADMINISTRATOR),
                   _token_client(world.users[("AL", "other_investigator")])):
        assert client.get(url).status_code == 404
        assert _post(client, victim, body).status_code == 404
    h3_victim = world.cases["AL-h3"].involvements.get(role="victim").person
    assert _post(world.api(Role.INVESTIGATOR), h3_victim, body).status_code == 404
    assert Client(headers={"Authorization": "Bearer nope"}).get(url).status_code == 401


def test_groups_are_counted_only_in_suppressed_tables(world):
    """Roma victims: 6 in 2022, 7 in 2023; persons with disabilities: 5 and 5; migrants: 2 in
    2022. The coordinator, entitled to every other count of AL, still sees the group table
    through disclosure control: the 2 is hidden, and a second cell of its column with it."""
    case = world.cases["AL-police"]
    worker = world.user(Role.CASE_WORKER)
    for group, year, n in [("roma_egyptian", 2022, 6), ("roma_egyptian", 2023, 7),
                           ("disability", 2022, 5), ("disability", 2023, 5), ("migrant", 2022, 2)]:
        for record in add_victims(case, n, year=year):  # crafted: no involvement, no service
            VulnerabilityRecord.objects.create(person=record.person, group=group,
                                               legal_basis="public_interest", recorded_by=worker)
    coordinator = world.api(Role.COORDINATOR)
    table = coordinator.get(f"/api/v1/statistics/tables/vulnerable_group?{YEARS}").json()
    assert table["disclosure_control"] is True
    rows = {r["code"]: r for r in table["rows"]}
    assert rows["roma_egyptian"]["cells"] == [6, 7]
    assert rows["migrant"]["cells"][0] is None and rows["migrant"]["total"] is None
    assert rows["disability"]["cells"][0] is None           # so that the 2 cannot be worked out
    assert 2 not in [c for r in table["rows"] for c in r["cells"]]
    sex = coordinator.get(f"/api/v1/statistics/tables/sex?{YEARS}").json()
    assert sex["disclosure_control"] is False  # the same coordinator's internal counts
    page = world.client(Role.COORDINATOR).get(f"/statistics/victims/?{YEARS}").content.decode()
    assert "Vulnerable group" in page and "Roma and Egyptian communities" in page


def test_groups_never_reach_a_record_level_release(world, tmp_path, settings):
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path)
    with pytest.raises(ValidationError) as refused:
        validated(ReleaseSpec("microdata", columns=["vulnerable_group"]))
    assert "columns" in refused.value.message_dict
    with pytest.raises(ValidationError):
        validated(ReleaseSpec("synthetic", columns=["vulnerable_group", "sex"], epsilon="1"))
    victim = world.persons["AL-victim"]
    record_vulnerability(world.user(Role.CASE_WORKER), victim, "street_children",
                         "social_protection")
    coordinator = User.objects.get(username="al_coordinator")
    User.objects.create_user("al_coordinator_2", password="x" * 16, role=Role.COORDINATOR,
                             agency=coordinator.agency)
    call_command("release", "microdata", "--user", "al_coordinator", "--k", "2",
                 stdout=io.StringIO())
    from crossroads.statistics.models import Release

    folder = Release.objects.latest("id").folder
    text = "".join(p.read_text() for p in __import__("pathlib").Path(folder).iterdir())
    assert "street" not in text and "vulnerab" not in text


def test_the_person_page_records_a_group_only_with_its_basis(world):
    victim = world.persons["AL-victim"]
    page = state_purpose(world.client(Role.CASE_WORKER), f"/persons/{victim.pk}/")
    shown = page.get(f"/persons/{victim.pk}/").content.decode()
    assert "Vulnerable groups" in shown and "None recorded." in shown
    refused = page.post(f"/persons/{victim.pk}/vulnerable-groups/", {"group": "migrant"})
    assert refused.status_code == 422
    assert "record it only with its legal basis" in refused.content.decode()
    assert page.post(f"/persons/{victim.pk}/vulnerable-groups/", {
        "group": "migrant", "legal_basis": "vital_interests"}).status_code == 302
    assert "Migrants and asylum seekers" in page.get(f"/persons/{victim.pk}/").content.decode()
    # On the team: reads the person and the group.
    prosecutor = state_purpose(world.client(Role.PROSECUTOR), f"/persons/{victim.pk}/")
    assert "Migrants and asylum seekers" in prosecutor.get(f"/persons/{victim.pk}/").content.decode()
    coordinator = world.client(Role.COORDINATOR)  # pseudonymous: no person page, no group
    assert coordinator.get(f"/persons/{victim.pk}/").status_code == 404
    assert coordinator.post(f"/persons/{victim.pk}/vulnerable-groups/", {
        "group": "migrant", "legal_basis": "vital_interests"}).status_code == 404
    assert world.client(Role.CASE_WORKER, "RS").post(f"/persons/{victim.pk}/vulnerable-groups/", {
        "group": "migrant", "legal_basis": "vital_interests"}).status_code == 404
