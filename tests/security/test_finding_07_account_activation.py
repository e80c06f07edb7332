"""Finding 7: four-eyes account creation handed the account to the requester (who chose the
password and could log in first). Now the user sets their own password through a single-use,
expiring link that only the approving administrator sees; self-service password change; the
client's address in log-in audit entries."""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access import approvals, services
from crossroads.access.choices import Role
from crossroads.access.models import ActivationLink, ApiToken, ApprovalRequest, User
from crossroads.access.policy import PolicyDenied
from crossroads.audit.models import AuditEntry
from tests.access.test_four_eyes import admins, api_for, can_log_in, edit, new_account  # noqa: F401
from tests.access.test_mfa import current_code
from tests.conftest import login_as

CHOSEN = "the-Requester-knows-this-42"
OWN = "my-Own-secret-passphrase-7"


def approve_on_page(client, request_id) -> str:
    """Approve through the page; returns the link shown once to the approver."""
    page = client.post(f"/manage/approvals/{request_id}/approve/", {"reason": ""})
    assert page.status_code == 200
    return re.search(r"<code>(https?://[^<]+/activate/[^<]+/)</code>", page.content.decode()).group(1)


def set_password_with(link: str, password: str = OWN) -> Client:
    client = Client()
    opened = client.get(link)
    assert opened.status_code == 302 and opened.url == "/activate/"  # the secret leaves the URL
    assert client.get("/activate/").status_code == 200
    done = client.post("/activate/", {"new_password1": password, "new_password2": password})
    assert done.status_code == 302, done.content.decode()[:2000]
    return client


def test_finding_7_the_requester_never_holds_a_usable_password(world, admins):  # noqa: F811
    a, b = admins
    agency = world.agencies[("AL", "police")]
    requester = login_as(a)
    # The old form with a chosen password is refused, saying what to do instead.
    old = requester.post("/manage/accounts/new/", {
        "username": "al_new", "agency": agency.pk, "role": "investigator", "is_active": "on",
        "password": CHOSEN})
    assert old.status_code == 422 and "no longer choose passwords" in old.content.decode()
    assert not ApprovalRequest.objects.exists()
    new_account(requester, agency)
    request = ApprovalRequest.objects.get(username="al_new")
    assert request.password_hash == "" and "password" not in request.changes
    link = approve_on_page(login_as(b), request.pk)

    account = User.objects.get(username="al_new")
    assert not account.has_usable_password()
    # The requester tries to log in to the new account: no password works.
    for guess in (CHOSEN, "", "x" * 16):
        assert not can_log_in("al_new", guess)
    # ... and never sees the link: not on the approvals pages, not in the API, not in the audit.
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert secret not in requester.get("/manage/approvals/").content.decode()
    assert secret not in str(api_for(world, a).get("/api/v1/approvals?status=").json())
    assert not any(secret in str(e.details) for e in AuditEntry.objects.all())
    assert not ActivationLink.objects.filter(key_hash__contains=secret).exists()


def test_finding_7_the_link_sets_the_users_own_password_once_then_enrolment(world, admins):  # noqa: F811
    a, b = admins
    new_account(login_as(a), world.agencies[("AL", "police")])
    link = approve_on_page(login_as(b), ApprovalRequest.objects.get().pk)
    account = User.objects.get(username="al_new")

    client = set_password_with(link)
    # The password step is passed; nothing opens before the second factor is enrolled.
    assert client.get("/").url.startswith("/mfa/")
    assert client.get("/api/v1/cases").status_code == 401
    client.get("/mfa/enrol/")
    device = TOTPDevice.objects.get(user=account, confirmed=False)
    assert client.post("/mfa/enrol/", {"token": current_code(device)}).status_code == 200
    assert client.get("/").status_code == 200
    assert can_log_in("al_new", OWN)

    # Single use: neither the link nor the page it led to work again.
    assert Client().get(link).status_code == 404
    assert client.get("/activate/").status_code == 404
    stolen = Client()
    assert stolen.get(link).status_code == 404
    assert stolen.post("/activate/", {"new_password1": CHOSEN, "new_password2": CHOSEN}).status_code == 404
    account.refresh_from_db()
    assert account.check_password(OWN)
    assert AuditEntry.objects.filter(object_type="access.user", object_id=str(account.pk),
                                     action="update", details__password="activate").exists()


def test_finding_7_a_link_expires_and_a_newer_one_replaces_it(world, admins):  # noqa: F811
    a, b = admins
    with override_settings(CROSSROADS_ACTIVATION_HOURS=2):
        new_account(login_as(a), world.agencies[("AL", "police")])
        approved = approvals.approve(b, ApprovalRequest.objects.get().pk)
    link = ActivationLink.objects.get()
    assert abs(link.expires_at - timezone.now() - timedelta(hours=2)) < timedelta(minutes=1)
    ActivationLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(f"/activate/{approved.link_secret}/").status_code == 404
    # A reset (through four-eyes again) issues a new link; the previous one ends.
    account = User.objects.get(username="al_new")
    edit(login_as(a), account, reset_password="on")
    second = approvals.approve(b, ApprovalRequest.objects.get(status="pending").pk)
    third_request = edit(login_as(a), account, reset_password="on")
    assert third_request.status_code == 302
    third = approvals.approve(b, ApprovalRequest.objects.get(status="pending").pk)
    assert Client().get(f"/activate/{second.link_secret}/").status_code == 404
    set_password_with(f"/activate/{third.link_secret}/")


def test_finding_7_the_api_gives_the_link_once_to_the_approver(world, admins):  # noqa: F811
    a, b = admins
    new_account(login_as(a), world.agencies[("AL", "ngo")], username="al_api", role="case_worker")
    request = ApprovalRequest.objects.get()
    answer = api_for(world, b).post(f"/api/v1/approvals/{request.pk}/approve")
    assert answer.status_code == 200
    link = answer.json()["activation_link"]
    assert "/activate/" in link
    later = api_for(world, b).get("/api/v1/approvals?status=").json()["items"]
    assert [item["activation_link"] for item in later] == [None]
    set_password_with(link.replace("http://testserver", ""))


def test_finding_7_a_password_reset_gives_a_link_and_keeps_the_second_factor(world, admins):  # noqa: F811
    a, b = admins
    investigator = world.user(Role.INVESTIGATOR)
    device = TOTPDevice.objects.create(user=investigator, name="phone", confirmed=True)
    old = edit(login_as(a), investigator, password=CHOSEN)  # the old form: refused, with a message
    assert old.status_code == 422 and "no longer choose passwords" in old.content.decode()
    edit(login_as(a), investigator, reset_password="on")
    link = approve_on_page(login_as(b), ApprovalRequest.objects.get(target=investigator).pk)
    assert not can_log_in(investigator.username, "x" * 16)  # the old password ended
    client = set_password_with(link)
    assert client.get("/").url.startswith("/mfa/verify/")  # whoever holds the link needs the code
    assert client.post("/mfa/verify/", {"token": current_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_finding_7_self_service_password_change(world):
    user = world.user(Role.CASE_WORKER)
    client = world.client(Role.CASE_WORKER)
    other_session = world.client(Role.CASE_WORKER)
    assert 'href="/account/password/"' in client.get("/").content.decode()  # in the user menu
    assert client.get("/account/password/").status_code == 200
    wrong = client.post("/account/password/", {"old_password": "not-mine-at-all",
                                                "new_password1": OWN, "new_password2": OWN},
                        REMOTE_ADDR="198.51.100.4")
    assert wrong.status_code == 422
    failed = AuditEntry.objects.filter(action="login_failed").last()
    assert failed.details == {"username": user.username, "address": "198.51.100.4"}
    done = client.post("/account/password/", {"old_password": "x" * 16,
                                               "new_password1": OWN, "new_password2": OWN})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(OWN)
    assert client.get("/").status_code == 200  # this session stays
    assert other_session.get("/").status_code == 302  # the others end
    # A session that passed only the password cannot change it.
    password_only = Client()
    password_only.force_login(user)
    assert password_only.get("/account/password/").status_code == 302
    with pytest.raises(PolicyDenied):
        services.change_own_password(User.objects.get(pk=user.pk), None)


def test_finding_7_log_in_entries_carry_the_client_address(world):
    user = world.user(Role.INVESTIGATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.post("/login/", {"username": user.username, "password": "x" * 16})
    client.post("/mfa/verify/", {"token": current_code(device)})
    entries = AuditEntry.objects.filter(action="login", actor=user.username).order_by("id")
    # One log-in, one entry (issue 21, point 11): made when the second factor is verified.
    assert [e.details.get("address") for e in entries] == ["203.0.113.9"]
    assert entries.last().details["second_factor"] == "authenticator"
    Client(REMOTE_ADDR="203.0.113.10").post("/login/", {"username": user.username, "password": "no"})
    failed = AuditEntry.objects.filter(action="login_failed").last()
    assert failed.details["address"] == "203.0.113.10"
    assert ApiToken.objects.filter(user=user).exists()  # untouched by logging in
