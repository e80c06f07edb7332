"""Break-glass: oversight and coordinators open one case of their jurisdiction by stating a
purpose, for a limited time, audited, VIEW only, and shown to the case's owner agency."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, BreakGlassGrant
from crossroads.access.policy import PolicyDenied
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import verify_chain
from crossroads.registry import break_glass
from tests.conftest import login_as

PURPOSE = "Ombudsman complaint 2024/17: checking how the victim was referred."


def open_via_api(world, role, case, purpose=PURPOSE, hours=2, jurisdiction="AL"):
    return world.api(role, jurisdiction).post(
        "/api/v1/break-glass", {"case_reference": case.reference, "purpose": purpose, "hours": hours},
        content_type="application/json")


def sees_names(client, case) -> bool:
    page = client.get(f"/cases/{case.pk}/")
    return page.status_code == 200 and "Krasniqi" in page.content.decode()


def test_coordinator_opens_a_case_of_another_agency_and_sees_names_for_the_grant_only(world):
    case, victim, suspect = world.cases["AL-police"], world.persons["AL-victim"], world.persons["AL-suspect"]
    assert case.handling_code == "H0"
    coordinator, api = world.client(Role.COORDINATOR), world.api(Role.COORDINATOR)
    # Before: the case is visible pseudonymously, its persons are not.
    before = coordinator.get(f"/cases/{case.pk}/").content.decode()
    assert "Krasniqi" not in before and "Leka" not in before
    assert api.get(f"/api/v1/persons/{victim.pk}").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}").json()["summary"] is None

    response = open_via_api(world, Role.COORDINATOR, case, hours=3)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_id"] == case.pk and body["id"] and body["purpose"] == PURPOSE
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - timezone.now() - datetime.timedelta(hours=3)) < datetime.timedelta(minutes=1)

    page = coordinator.get(f"/cases/{case.pk}/").content.decode()
    assert "Krasniqi" in page and "Leka" in page  # victim and suspect by name
    assert "under break-glass until" in page and PURPOSE in page
    for person in (victim, suspect):
        assert api.get(f"/api/v1/persons/{person.pk}").status_code == 200
        assert coordinator.get(f"/persons/{person.pk}/").status_code == 200
    assert api.get(f"/api/v1/cases/{case.pk}").json()["summary"] == "Met at the border crossing."
    # VIEW only: no status change, no edit of a person.
    assert api.post(f"/api/v1/cases/{case.pk}/status", {"status": "investigation"},
                    content_type="application/json").status_code == 403
    assert api.put(f"/api/v1/persons/{victim.pk}", {"given_names": "X", "family_name": "Y"},
                   content_type="application/json").status_code == 403
    victim.refresh_from_db()
    assert victim.family_name == "Krasniqi"
    # Other cases stay as they were.
    other_victim = world.persons["AL-other-victim"]
    assert api.get(f"/api/v1/persons/{other_victim.pk}").status_code == 404

    # When the grant runs out, the names go with it.
    BreakGlassGrant.objects.filter(pk=body["id"]).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not sees_names(coordinator, case)
    assert api.get(f"/api/v1/persons/{suspect.pk}").status_code == 404
    assert coordinator.get(f"/persons/{victim.pk}/").status_code == 404


def test_an_expired_grant_gives_404_again(world):
    oversight = world.user(Role.OVERSIGHT)
    case, victim = world.cases["AL-other"], world.persons["AL-other-victim"]
    past = timezone.now() - datetime.timedelta(hours=5)
    BreakGlassGrant.objects.create(user=oversight, role=oversight.role, agency=oversight.agency,
                                   case=case, purpose=PURPOSE, granted_at=past,
                                   expires_at=past + datetime.timedelta(hours=4))
    client, api = world.client(Role.OVERSIGHT), world.api(Role.OVERSIGHT)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert api.get(f"/api/v1/persons/{victim.pk}").status_code == 404
    assert case.pk not in {c["id"] for c in api.get("/api/v1/cases?limit=200").json()["items"]}


def test_oversight_opens_a_case_through_the_page_and_ends_it(world):
    case = world.cases["AL-other"]
    client = world.client(Role.OVERSIGHT)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    form = client.get("/break-glass/")
    assert form.status_code == 200 and 'name="purpose"' in form.content.decode()
    response = client.post("/break-glass/", {"case_reference": case.reference.lower(),
                                             "purpose": PURPOSE, "hours": 4})
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    page = client.get(response.url).content.decode()
    assert "Gashi" in page and "under break-glass until" in page and PURPOSE in page
    grant = BreakGlassGrant.objects.get(user__username="al_oversight")
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=4)
    # Ending asks first; only the POST ends it.
    assert client.get(f"/break-glass/{grant.pk}/end/").status_code == 200
    assert client.post(f"/break-glass/{grant.pk}/end/").status_code == 302
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by.username == "al_oversight"


def test_api_grants_list_and_early_end(world):
    case = world.cases["AL-other"]
    api = world.api(Role.COORDINATOR)
    grant_id = open_via_api(world, Role.COORDINATOR, case).json()["id"]
    mine = api.get("/api/v1/break-glass").json()
    assert [g["id"] for g in mine["items"]] == [grant_id] and mine["items"][0]["active"] is True
    # Nobody else ends it; its holder does.
    assert world.api(Role.OVERSIGHT).delete(f"/api/v1/break-glass/{grant_id}").status_code == 404
    assert api.delete(f"/api/v1/break-glass/{grant_id}").status_code == 204
    assert api.get(f"/api/v1/persons/{world.persons['AL-other-victim'].pk}").status_code == 404
    assert api.get("/api/v1/break-glass?active=true").json()["items"] == []


@pytest.mark.parametrize(("payload", "field"), [
    ({"purpose": ""}, "purpose"),
    ({"purpose": "to check"}, "purpose"),            # shorter than 20 characters
    ({"hours": 25}, "hours"),                        # longer than 24 hours
    ({"hours": 0}, "hours"),
    ({"case_reference": ""}, "case_reference"),
])
def test_a_grant_without_purpose_or_too_long_is_refused_with_the_field_named(world, payload, field):
    case = world.cases["AL-police"]
    data = {"case_reference": case.reference, "purpose": PURPOSE, "hours": 4, **payload}
    response = world.api(Role.COORDINATOR).post("/api/v1/break-glass", data,
                                                content_type="application/json")
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]
    assert not BreakGlassGrant.objects.exists()


def test_the_page_names_the_field_too(world):
    client = world.client(Role.COORDINATOR)
    case = world.cases["AL-police"]
    response = client.post("/break-glass/", {"case_reference": case.reference, "purpose": "",
                                             "hours": 48})
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"purpose", "hours"}
    assert not BreakGlassGrant.objects.exists()
    with pytest.raises(ValidationError) as error:
        break_glass.open_grant(world.user(Role.COORDINATOR), case.pk, PURPOSE, hours=30)
    assert set(error.value.message_dict) == {"hours"}


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR,
                                  Role.FOCAL_POINT, Role.ANALYST, Role.ADMINISTRATOR])
def test_other_roles_cannot_open_a_grant(world, role):
    case = world.cases["AL-other"]
    assert open_via_api(world, role, case).status_code == 403
    assert world.client(role).get("/break-glass/").status_code == 403
    assert world.client(role).post("/break-glass/", {"case_reference": case.reference,
                                                     "purpose": PURPOSE, "hours": 2}).status_code == 403
    with pytest.raises(PolicyDenied):
        break_glass.open_grant(world.user(role), case.pk, PURPOSE, 2)
    assert not BreakGlassGrant.objects.exists()
    assert AuditEntry.objects.filter(actor=world.user(role).username, action="denied").exists()


def test_a_foreign_or_restricted_reference_gets_the_same_error_as_a_nonexistent_one(world):
    answers = set()
    for reference in ("AL-0000-NOPE", world.cases["RS-police"].reference, world.cases["AL-h3"].reference):
        response = world.api(Role.OVERSIGHT).post(
            "/api/v1/break-glass", {"case_reference": reference, "purpose": PURPOSE, "hours": 2},
            content_type="application/json")
        assert response.status_code == 422
        answers.add(response.content)
        page = world.client(Role.OVERSIGHT).post("/break-glass/", {
            "case_reference": reference, "purpose": PURPOSE, "hours": 2})
        assert page.status_code == 422
        assert "There is no such case in your jurisdiction." in page.content.decode()
    assert len(answers) == 1
    assert not BreakGlassGrant.objects.exists()
    # By id, as everywhere: a case of another jurisdiction is 404.
    with pytest.raises(Http404):
        break_glass.open_grant(world.user(Role.COORDINATOR), world.cases["RS-police"].pk, PURPOSE, 2)
    # Each probe is on record as a refused attempt.
    assert AuditEntry.objects.filter(actor="al_oversight", action="denied",
                                     object_type="access.breakglassgrant").count() == 6


def test_a_grant_stops_working_when_the_holder_changes_role(world):
    coordinator = world.user(Role.COORDINATOR)
    grant = break_glass.open_grant(coordinator, world.cases["AL-police"].pk, PURPOSE, 2)
    assert grant.is_active
    coordinator.role = Role.ANALYST
    coordinator.save()
    assert world.api(Role.COORDINATOR).get(
        f"/api/v1/persons/{world.persons['AL-victim'].pk}").status_code == 404


def test_the_owner_agency_sees_the_grant_on_the_case_page_and_at_home(world):
    case = world.cases["AL-police"]
    open_via_api(world, Role.COORDINATOR, case)
    investigator = world.client(Role.INVESTIGATOR)  # police AL owns the case
    page = investigator.get(f"/cases/{case.pk}/").content.decode()
    assert "Break-glass access to this case" in page
    assert "al_coordinator" in page and PURPOSE in page and "National coordinator" in page
    home = investigator.get("/").content.decode()
    assert "Break-glass openings of your agency" in home and PURPOSE in home and case.reference in home
    listed = world.api(Role.INVESTIGATOR).get(f"/api/v1/break-glass?case={case.pk}").json()["items"]
    assert [g["user"] for g in listed] == ["al_coordinator"]
    # The shelter the case is assigned to is not its owner: no list there.
    shelter = world.client(Role.CASE_WORKER).get(f"/cases/{case.pk}/").content.decode()
    assert "Break-glass access to this case" not in shelter
    assert PURPOSE not in world.client(Role.CASE_WORKER).get("/").content.decode()
    # Oversight sees every opening of the jurisdiction at home.
    oversight_home = world.client(Role.OVERSIGHT).get("/").content.decode()
    assert "Break-glass openings in your jurisdiction" in oversight_home and PURPOSE in oversight_home
    # Another police agency, or another jurisdiction, sees nothing of it.
    other = login_as(world.users[("AL", "other_investigator")])
    assert PURPOSE not in other.get("/").content.decode()
    assert world.api(Role.INVESTIGATOR, "RS").get("/api/v1/break-glass").json()["items"] == []


def test_old_openings_leave_the_home_page(world):
    coordinator = world.user(Role.COORDINATOR)
    grant = break_glass.open_grant(coordinator, world.cases["AL-police"].pk, PURPOSE, 2)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - datetime.timedelta(days=31),
        expires_at=timezone.now() - datetime.timedelta(days=31) + datetime.timedelta(hours=2))
    assert PURPOSE not in world.client(Role.INVESTIGATOR).get("/").content.decode()
    page = world.client(Role.INVESTIGATOR).get(f"/cases/{world.cases['AL-police'].pk}/")
    assert PURPOSE in page.content.decode()  # the case page keeps the whole history


def test_the_audit_chain_records_the_grant_and_every_read_under_it(world):
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    grant_id = open_via_api(world, Role.COORDINATOR, case, hours=2).json()["id"]
    world.client(Role.COORDINATOR).get(f"/cases/{case.pk}/")
    world.client(Role.COORDINATOR).get(f"/persons/{victim.pk}/")
    world.api(Role.COORDINATOR).get(f"/api/v1/persons/{victim.pk}")

    opened = AuditEntry.objects.get(object_type="access.breakglassgrant", action="create")
    assert opened.actor == "al_coordinator" and opened.object_id == str(grant_id)
    assert opened.details["case"] == case.pk and opened.details["hours"] == 2
    assert "purpose" not in opened.details and PURPOSE not in str(opened.details)
    reads = AuditEntry.objects.filter(actor="al_coordinator", action="read_identity")
    assert reads.count() == 3
    assert all(entry.details["break_glass"] == [grant_id] for entry in reads)
    # Nothing of the case content goes into the chain, and the chain holds.
    assert not any("Krasniqi" in str(e.details) for e in AuditEntry.objects.all())
    assert verify_chain().ok
    # Oversight filters on break-glass: the opening and the reads, nothing else.
    filtered = world.api(Role.OVERSIGHT).get("/api/v1/audit?break_glass=true&limit=200").json()
    assert {e["id"] for e in filtered["items"]} == {opened.pk, *reads.values_list("pk", flat=True)}
    page = world.client(Role.OVERSIGHT).get("/audit/?break_glass=1").content.decode()
    assert "under break-glass" in page
    # Normal reads by a normal reader carry no break-glass mark.
    world.client(Role.INVESTIGATOR).get(f"/cases/{case.pk}/")
    normal = AuditEntry.objects.filter(actor="al_investigator", action="read_identity").latest("id")
    assert "break_glass" not in normal.details


def test_the_grant_never_opens_another_jurisdiction_even_if_stored(world):
    coordinator = world.user(Role.COORDINATOR)
    foreign = world.cases["RS-police"]
    BreakGlassGrant.objects.create(user=coordinator, role=coordinator.role, agency=coordinator.agency,
                                   case=foreign, purpose=PURPOSE,
                                   expires_at=timezone.now() + datetime.timedelta(hours=2))
    assert world.api(Role.COORDINATOR).get(f"/api/v1/cases/{foreign.pk}").status_code == 404
    assert world.api(Role.COORDINATOR).get(
        f"/api/v1/persons/{world.persons['RS-victim'].pk}").status_code == 404


def test_demo_token_scope_still_applies(world):
    """A read-only token cannot open a grant (it is a write)."""
    user = world.user(Role.COORDINATOR)
    _token, raw = ApiToken.issue(user, "read only")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        "/api/v1/break-glass", {"case_reference": world.cases["AL-police"].reference,
                                "purpose": PURPOSE, "hours": 2}, content_type="application/json")
    assert response.status_code == 403
