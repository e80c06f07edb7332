"""Separation of duties: account changes that give or widen access apply only when a second
administrator approves them; administrators never read case content; everything is audited."""

import pytest
from django.test import Client

from crossroads.access import approvals
from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, ApprovalRequest, User
from crossroads.access.policy import PolicyDenied
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import verify_chain
from tests.conftest import login_as

PASSWORD = "a-long-Enough-passphrase-42"


def can_log_in(username: str, password: str) -> bool:
    client = Client()
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def admins(world):
    """Administrator A (from the world) and a second administrator B of the same agency."""
    a = world.user(Role.ADMINISTRATOR)
    b = User.objects.create_user("al_administrator_2", password="x" * 16, role=Role.ADMINISTRATOR,
                                 agency=a.agency)
    world.users[("AL", "administrator_2")] = b
    world.tokens[b.username] = ApiToken.issue(b, "test", scope="write")[1]
    return a, b


def api_for(world, user) -> Client:
    return Client(headers={"Authorization": f"Bearer {world.tokens[user.username]}"})


def new_account(client, agency, username="al_new", role="investigator"):
    return client.post("/manage/accounts/new/", {
        "username": username, "agency": agency.pk, "role": role, "is_active": "on"}, follow=True)


def edit(client, account, **changes):
    """Post the account form as filled from the account as stored now (its version too)."""
    data = {"username": account.username, "first_name": account.first_name,
            "last_name": account.last_name, "email": account.email, "agency": account.agency_id,
            "role": account.role, "is_active": "on" if account.is_active else "",
            "version": User.objects.get(pk=account.pk).version}
    data.update(changes)
    return client.post(f"/manage/accounts/{account.pk}/", {k: v for k, v in data.items() if v != ""})


def test_a_new_account_is_unusable_until_a_second_administrator_approves(world, admins):
    a, b = admins
    agency = world.agencies[("AL", "police")]
    response = new_account(login_as(a), agency)
    assert response.status_code == 200
    assert "Sent for approval by a second administrator" in response.content.decode()
    assert not User.objects.filter(username="al_new").exists()
    request = ApprovalRequest.objects.get(username="al_new")
    assert request.status == "pending" and request.kind == "create_account"
    assert request.requested_by == a and request.target is None
    assert request.changes["role"] == "investigator" and request.changes["agency"] == agency.pk
    # The requester chose no password: there is none anywhere.
    assert "password" not in request.changes and request.password_hash == ""

    b_client = login_as(b)
    listing = b_client.get("/manage/approvals/").content.decode()
    assert "al_new" in listing and "Investigator" in listing
    confirm = b_client.get(f"/manage/approvals/{request.pk}/approve/")
    assert confirm.status_code == 200 and "Approve this change?" in confirm.content.decode()
    assert not User.objects.filter(username="al_new").exists()  # asking is not approving
    approved = b_client.post(f"/manage/approvals/{request.pk}/approve/", {"reason": ""})
    assert approved.status_code == 200 and "/activate/" in approved.content.decode()

    account = User.objects.get(username="al_new")
    assert account.role == Role.INVESTIGATOR and account.agency == agency and account.is_active
    assert not account.has_usable_password()  # until its user opens the link
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == b and request.target == account
    assert request.password_hash == ""  # the only copy is now the account's


def test_nobody_approves_their_own_request(world, admins):
    a, _b = admins
    new_account(login_as(a), world.agencies[("AL", "ngo")], role="case_worker")
    request = ApprovalRequest.objects.get()
    a_client = login_as(a)
    assert a_client.get(f"/manage/approvals/{request.pk}/approve/").status_code == 403
    assert a_client.post(f"/manage/approvals/{request.pk}/approve/").status_code == 403
    assert api_for(world, a).post(f"/api/v1/approvals/{request.pk}/approve").status_code == 403
    assert api_for(world, a).post(f"/api/v1/approvals/{request.pk}/reject", {"reason": "mine"},
                                  content_type="application/json").status_code == 403
    with pytest.raises(PolicyDenied):
        approvals.approve(a, request.pk)
    request.refresh_from_db()
    assert request.status == "pending" and not User.objects.filter(username="al_new").exists()
    denied = AuditEntry.objects.filter(actor=a.username, action="denied",
                                       object_type="access.approvalrequest")
    assert denied.count() == 5
    # The requester may withdraw it, though.
    assert a_client.post(f"/manage/approvals/{request.pk}/cancel/").status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"


def test_an_administrator_changing_their_own_role_needs_another(world, admins):
    a, b = admins
    response = edit(login_as(a), a, role="investigator", first_name="Anna")
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.role == Role.ADMINISTRATOR and a.first_name == ""  # nothing of it applied
    request = ApprovalRequest.objects.get(target=a)
    assert request.changes == {"role": "investigator", "first_name": "Anna"}
    assert request.previous == {"role": "administrator", "first_name": ""}
    assert api_for(world, a).post(f"/api/v1/approvals/{request.pk}/approve").status_code == 403
    response = api_for(world, b).post(f"/api/v1/approvals/{request.pk}/approve", {"reason": "agreed"},
                                      content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    a.refresh_from_db()
    assert a.role == Role.INVESTIGATOR and a.first_name == "Anna"


def test_the_account_concerned_cannot_approve_a_change_of_itself(world, admins):
    a, b = admins
    edit(login_as(a), b, agency=world.agencies[("AL", "police")].pk)
    request = ApprovalRequest.objects.get(target=b)
    assert api_for(world, b).post(f"/api/v1/approvals/{request.pk}/approve").status_code == 403
    b.refresh_from_db()
    assert b.agency == a.agency


def test_rejecting_leaves_everything_as_it_was(world, admins):
    a, b = admins
    analyst = world.user(Role.ANALYST)
    before = User.objects.filter(pk=analyst.pk).values().get()
    edit(login_as(a), analyst, role="investigator", agency=world.agencies[("AL", "police")].pk,
         reset_password="on")
    request = ApprovalRequest.objects.get(target=analyst)
    assert set(request.changes) == {"role", "agency", "password"}
    assert User.objects.filter(pk=analyst.pk).values().get() == before
    no_reason = api_for(world, b).post(f"/api/v1/approvals/{request.pk}/reject", {"reason": " "},
                                       content_type="application/json")
    assert no_reason.status_code == 422
    assert ["body", "reason"] in [e["loc"] for e in no_reason.json()["detail"]]
    b_client = login_as(b)
    assert b_client.get(f"/manage/approvals/{request.pk}/reject/").status_code == 200
    assert b_client.post(f"/manage/approvals/{request.pk}/reject/",
                         {"reason": "No request from the agency"}).status_code == 302
    assert User.objects.filter(pk=analyst.pk).values().get() == before
    request.refresh_from_db()
    assert request.status == "rejected" and request.reason == "No request from the agency"
    assert request.password_hash == ""
    # Decided is decided.
    again = api_for(world, b).post(f"/api/v1/approvals/{request.pk}/approve")
    assert again.status_code == 422
    assert User.objects.filter(pk=analyst.pk).values().get() == before


def test_a_password_reset_of_another_account_waits_too(world, admins):
    """Otherwise an administrator could take over an investigator's account and read cases."""
    a, b = admins
    investigator = world.user(Role.INVESTIGATOR)
    edit(login_as(a), investigator, reset_password="on")
    investigator.refresh_from_db()
    assert investigator.check_password("x" * 16)
    approved = approvals.approve(b, ApprovalRequest.objects.get(target=investigator).pk)
    investigator.refresh_from_db()
    assert not investigator.has_usable_password() and approved.link_secret


def test_deactivation_applies_at_once_and_reactivation_waits(world, admins):
    a, b = admins
    investigator = world.user(Role.INVESTIGATOR)
    session = world.client(Role.INVESTIGATOR)
    assert session.get("/").status_code == 200
    response = edit(login_as(a), investigator, is_active="")
    assert response.status_code == 302
    investigator.refresh_from_db()
    assert not investigator.is_active
    assert not ApprovalRequest.objects.exists()
    assert session.get("/").status_code == 302  # the open session is gone
    assert world.api(Role.INVESTIGATOR).get("/api/v1/cases").status_code == 401
    assert AuditEntry.objects.filter(actor=a.username, action="update", object_type="access.user",
                                     object_id=str(investigator.pk)).exists()

    edit(login_as(a), investigator, is_active="on")
    investigator.refresh_from_db()
    assert not investigator.is_active
    request = ApprovalRequest.objects.get(target=investigator)
    assert request.changes == {"is_active": True}
    approvals.approve(b, request.pk)
    investigator.refresh_from_db()
    assert investigator.is_active


def test_one_pending_change_per_account_and_per_new_name(world, admins):
    a, _b = admins
    analyst = world.user(Role.ANALYST)
    client = login_as(a)
    edit(client, analyst, role="investigator")
    second = edit(client, analyst, role="prosecutor")
    assert second.status_code == 422 and "awaiting approval" in second.content.decode()
    new_account(client, world.agencies[("AL", "ngo")])
    clash = new_account(client, world.agencies[("AL", "ngo")])
    assert clash.status_code == 422 and "awaits approval" in clash.content.decode()
    assert ApprovalRequest.objects.count() == 2


def test_approvals_api_lists_and_decides(world, admins):
    a, b = admins
    new_account(login_as(a), world.agencies[("AL", "ngo")], username="al_api", role="case_worker")
    listing = api_for(world, b).get("/api/v1/approvals")
    assert listing.status_code == 200
    (item,) = listing.json()["items"]
    assert item["username"] == "al_api" and item["requested_by"] == a.username
    assert item["status"] == "pending" and "password" not in item["changes"]
    assert api_for(world, b).post(f"/api/v1/approvals/{item['id']}/approve").json()["status"] == "approved"
    assert api_for(world, b).get("/api/v1/approvals").json()["items"] == []
    assert len(api_for(world, b).get("/api/v1/approvals?status=").json()["items"]) == 1
    assert User.objects.get(username="al_api").role == Role.CASE_WORKER


def test_only_administrators_of_the_jurisdiction_see_requests(world, admins):
    a, _b = admins
    new_account(login_as(a), world.agencies[("AL", "ngo")])
    request = ApprovalRequest.objects.get()
    for role in (Role.INVESTIGATOR, Role.OVERSIGHT, Role.COORDINATOR):
        assert world.client(role).get("/manage/approvals/").status_code == 403
        assert world.api(role).get("/api/v1/approvals").status_code == 403
        assert world.api(role).post(f"/api/v1/approvals/{request.pk}/approve").status_code == 403
    rs_admin = world.api(Role.ADMINISTRATOR, "RS")
    assert rs_admin.get("/api/v1/approvals").json()["items"] == []
    assert rs_admin.post(f"/api/v1/approvals/{request.pk}/approve").status_code == 404
    assert world.client(Role.ADMINISTRATOR, "RS").get(
        f"/manage/approvals/{request.pk}/approve/").status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_requests_decisions_and_applied_changes_are_audited(world, admins):
    a, b = admins
    new_account(login_as(a), world.agencies[("AL", "police")])
    created = ApprovalRequest.objects.get()
    approvals.approve(b, created.pk, "checked with the police unit")
    account = User.objects.get(username="al_new")
    edit(login_as(a), account, role="prosecutor")
    changed = ApprovalRequest.objects.get(target=account, status="pending")
    approvals.reject(b, changed.pk, "not agreed")

    def entries(**filters):
        return list(AuditEntry.objects.filter(**filters).order_by("id"))

    requested = entries(object_type="access.approvalrequest", action="create")
    assert [(e.actor, e.object_id) for e in requested] == [(a.username, str(created.pk)),
                                                           (a.username, str(changed.pk))]
    assert requested[0].details["kind"] == "create_account"
    decided = entries(object_type="access.approvalrequest", action="update")
    assert [(e.actor, e.details["decision"]) for e in decided] == [(b.username, "approved"),
                                                                   (b.username, "rejected")]
    (applied,) = entries(object_type="access.user", object_id=str(account.pk), action="create")
    assert applied.actor == b.username and applied.details["approval"] == created.pk
    assert applied.details["requested_by"] == a.pk
    assert not any("pbkdf2" in str(e.details) or "md5$" in str(e.details) or PASSWORD in str(e.details)
                   for e in AuditEntry.objects.all())
    assert verify_chain().ok


def test_administrators_still_get_404_on_every_case_and_person(world, admins):
    a, b = admins
    # Even after approving accounts, neither administrator has any case or person scope.
    new_account(login_as(a), world.agencies[("AL", "police")])
    approvals.approve(b, ApprovalRequest.objects.get().pk)
    for admin in (a, b):
        api, client = api_for(world, admin), login_as(admin)
        for case in world.cases.values():
            assert api.get(f"/api/v1/cases/{case.pk}").status_code == 404
            assert client.get(f"/cases/{case.pk}/").status_code == 404
        for person in world.persons.values():
            assert api.get(f"/api/v1/persons/{person.pk}").status_code == 404
            assert client.get(f"/persons/{person.pk}/").status_code == 404
        assert api.get("/api/v1/cases").json()["count"] == 0
        assert api.get("/api/v1/persons").json()["count"] == 0
        assert api.post("/api/v1/break-glass", {
            "case_reference": world.cases["AL-police"].reference, "hours": 2,
            "purpose": "I would like to see this case, please."},
            content_type="application/json").status_code == 403
