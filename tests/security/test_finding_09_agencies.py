"""Finding 9: deactivating an agency did not cut off its users, and changing an agency's kind (a
shelter becoming police, which grants identification decisions) needed no second administrator.
Now deactivation refuses the agency's users at log-in, on every open session, for every token and
in the policy; a change of kind (and reactivation) waits for a second administrator."""

from django.test import Client

from crossroads.access import approvals
from crossroads.access.choices import Role
from crossroads.access.models import Agency, ApiToken, ApprovalRequest
from crossroads.access.policy import VIEW, restrict
from crossroads.registry.models import Case
from tests.access.test_four_eyes import admins, api_for, can_log_in  # noqa: F401
from tests.conftest import login_as


def agency_form(agency, **changes):
    """The agency form as filled from the agency as stored now (its version too)."""
    data = {"name": agency.name, "kind": agency.kind, "active": "on" if agency.active else "",
            "version": Agency.objects.get(pk=agency.pk).version}
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_finding_9_a_deactivated_agencys_users_are_cut_off(world, admins):  # noqa: F811
    a, _b = admins
    shelter = world.agencies[("AL", "shelter")]
    worker = world.user(Role.CASE_WORKER)
    session = world.client(Role.CASE_WORKER)
    case = world.cases["AL-police"]
    assert session.get(f"/cases/{case.pk}/").status_code == 200
    assert api_for(world, worker).get(f"/api/v1/cases/{case.pk}").status_code == 200

    response = login_as(a).post(f"/manage/agencies/{shelter.pk}/", agency_form(shelter, active=""))
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert not shelter.active  # narrowing: at once, no second administrator needed

    assert session.get(f"/cases/{case.pk}/").status_code == 302  # the open session is gone
    assert session.get("/api/v1/cases").status_code == 401
    assert api_for(world, worker).get(f"/api/v1/cases/{case.pk}").status_code == 401
    assert not can_log_in(worker.username, "x" * 16)
    assert ApiToken.objects.get(user=worker).revoked_at is not None
    # The policy refuses them too, however they got in (a user object kept by a task, say).
    worker.refresh_from_db()
    assert not restrict(Case.objects.all(), worker, VIEW).exists()


def test_finding_9_an_agency_kind_change_waits_for_a_second_administrator(world, admins):  # noqa: F811
    a, b = admins
    shelter = world.agencies[("AL", "shelter")]
    worker = world.user(Role.CASE_WORKER)
    token = world.tokens[worker.username]
    client = login_as(a)
    response = client.post(f"/manage/agencies/{shelter.pk}/", agency_form(shelter, kind="police",
                                                                          name="Hope House"))
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.kind == "shelter" and shelter.name == "Hope House"  # the name applies at once
    request = ApprovalRequest.objects.get(target_agency=shelter)
    assert request.kind == "change_agency" and request.changes == {"kind": "police"}
    assert request.previous == {"kind": "shelter"}

    # The requester approving their own agency-kind change: refused on the page and the API.
    assert client.get(f"/manage/approvals/{request.pk}/approve/").status_code == 403
    assert client.post(f"/manage/approvals/{request.pk}/approve/").status_code == 403
    assert api_for(world, a).post(f"/api/v1/approvals/{request.pk}/approve").status_code == 403
    # Nor can anyone else but an administrator of the jurisdiction.
    assert world.api(Role.COORDINATOR).post(f"/api/v1/approvals/{request.pk}/approve").status_code == 403
    assert world.api(Role.ADMINISTRATOR, "RS").post(
        f"/api/v1/approvals/{request.pk}/approve").status_code == 404
    shelter.refresh_from_db()
    assert shelter.kind == "shelter"

    page = login_as(b).get("/manage/approvals/").content.decode()
    assert "Agency change" in page and "Shelter" in page and "Police" in page
    assert login_as(b).post(f"/manage/approvals/{request.pk}/approve/").status_code == 302
    shelter.refresh_from_db()
    assert shelter.kind == "police"
    # Tokens stood for what the old kind allowed: they end.
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me").status_code == 401


def test_finding_9_reactivating_an_agency_waits_too(world, admins):  # noqa: F811
    a, b = admins
    ngo = world.agencies[("AL", "ngo")]
    login_as(a).post(f"/manage/agencies/{ngo.pk}/", agency_form(ngo, active=""))
    ngo.refresh_from_db()
    response = login_as(a).post(f"/manage/agencies/{ngo.pk}/", agency_form(ngo, active="on"))
    assert response.status_code == 302
    assert not Agency.objects.get(pk=ngo.pk).active
    request = ApprovalRequest.objects.get(target_agency=ngo)
    assert request.changes == {"active": True}
    approvals.approve(b, request.pk)
    assert Agency.objects.get(pk=ngo.pk).active
