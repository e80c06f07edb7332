"""Finding 8: tokens outlived what should end them (a token minted tokens; revoking the parent
left the child; a password reset left every token valid). Tokens are now created only from a
session that passed the second factor, and a password change or reset, a role or agency change
or deactivation revokes every token of the account."""

from django.test import Client

from crossroads.access import approvals
from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, ApprovalRequest
from tests.access.test_four_eyes import admins, api_for, edit  # noqa: F401
from tests.conftest import login_as

NEW = "my-Own-secret-passphrase-7"


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def works(raw: str) -> bool:
    return bearer(raw).get("/api/v1/me").status_code == 200


def test_finding_8_a_token_cannot_mint_tokens(world):
    user = world.user(Role.INVESTIGATOR)
    before = ApiToken.objects.filter(user=user).count()
    write_token = world.api(Role.INVESTIGATOR)
    assert write_token.post("/api/v1/tokens", {"name": "child", "scope": "write", "days": 365},
                            content_type="application/json").status_code == 401
    # Neither with a verified session beside it, nor with a session of the password alone.
    verified = world.client(Role.INVESTIGATOR)
    both = verified.post("/api/v1/tokens", {"name": "child"}, content_type="application/json",
                         headers={"Authorization": f"Bearer {world.tokens[user.username]}"})
    assert both.status_code == 401
    password_only = Client()
    password_only.force_login(user)
    for header in ("x", "Basic eDp4", "Bearer wrong"):
        assert password_only.post("/api/v1/tokens", {"name": "child"}, content_type="application/json",
                                  headers={"Authorization": header}).status_code == 401
    assert password_only.post("/api/v1/tokens", {"name": "child"},
                              content_type="application/json").status_code == 401
    assert ApiToken.objects.filter(user=user).count() == before
    # The verified browser session still can (the account page and the API alike).
    assert verified.post("/api/v1/tokens", {"name": "mine"},
                         content_type="application/json").status_code == 201
    assert verified.post("/account/tokens/", {"name": "page", "days": 5, "scope": "read"}).status_code == 200


def test_finding_8_no_child_token_survives_its_parent(world):
    """The attack: mint a child with a token, revoke the parent, keep the child. No child exists."""
    session = world.client(Role.INVESTIGATOR)
    parent = session.post("/api/v1/tokens", {"name": "parent", "scope": "write"},
                          content_type="application/json").json()
    child = bearer(parent["token"]).post("/api/v1/tokens", {"name": "child", "scope": "write"},
                                         content_type="application/json")
    assert child.status_code == 401 and "token" not in child.json()
    assert session.delete(f"/api/v1/tokens/{parent['id']}").status_code == 204
    assert not works(parent["token"])
    assert not ApiToken.objects.filter(name="child").exists()


def test_finding_8_a_password_change_revokes_every_token(world):
    user = world.user(Role.CASE_WORKER)
    old = world.tokens[user.username]
    client = world.client(Role.CASE_WORKER)
    second = client.post("/api/v1/tokens", {"name": "second"}, content_type="application/json").json()
    assert works(old) and works(second["token"])
    assert client.post("/account/password/", {"old_password": "x" * 16, "new_password1": NEW,
                                              "new_password2": NEW}).status_code == 302
    assert not works(old) and not works(second["token"])
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_finding_8_a_password_reset_revokes_every_token(world, admins):  # noqa: F811
    a, b = admins
    investigator = world.user(Role.INVESTIGATOR)
    old = world.tokens[investigator.username]
    session = world.client(Role.INVESTIGATOR)
    edit(login_as(a), investigator, reset_password="on")
    assert works(old)  # nothing before the second administrator
    approvals.approve(b, ApprovalRequest.objects.get(target=investigator).pk)
    assert not works(old)
    assert session.get("/").status_code == 302  # the open session ended with the password


def test_finding_8_a_role_or_agency_change_revokes_tokens_and_ends_sessions(world, admins):  # noqa: F811
    a, b = admins
    for role, change in ((Role.ANALYST, {"role": "coordinator"}),
                         (Role.INVESTIGATOR, {"agency": world.agencies[("AL", "police2")].pk})):
        user = world.user(role)
        token, session = world.tokens[user.username], world.client(role)
        edit(login_as(a), user, **change)
        response = api_for(world, b).post(
            f"/api/v1/approvals/{ApprovalRequest.objects.get(target=user, status='pending').pk}/approve")
        assert response.status_code == 200
        assert not works(token), role
        assert session.get("/").status_code == 302, role


def test_finding_8_deactivation_revokes_tokens_for_good(world, admins):  # noqa: F811
    a, b = admins
    prosecutor = world.user(Role.PROSECUTOR)
    token = world.tokens[prosecutor.username]
    edit(login_as(a), prosecutor, is_active="")
    assert not works(token)
    assert ApiToken.objects.get(user=prosecutor).revoked_at is not None
    # Reactivation (four-eyes) does not bring the old token back.
    edit(login_as(a), prosecutor, is_active="on")
    approvals.approve(b, ApprovalRequest.objects.get(target=prosecutor).pk)
    assert not works(token)
