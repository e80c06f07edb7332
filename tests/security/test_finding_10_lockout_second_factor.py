"""Finding 10 (issue 13): the lock-out did not apply to the second-factor step: after the lock-out
the right code still opened the session."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access.choices import Role
from tests.access.test_mfa import current_code

PASSWORD = "x" * 16
LIMIT = 5


@pytest.fixture
def half_open(world):
    """The AL investigator after the password step; an enrolled authenticator and a recovery code."""
    user = world.user(Role.INVESTIGATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery")
    StaticToken.objects.create(device=recovery, token="recover1")
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client, device


def wrong_code(device) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def reset_throttles(device):
    """django-otp's own throttle would also refuse the right code for a moment: lift it, so that
    only the lock-out can be what refuses."""
    for each in (device, *StaticDevice.objects.filter(user=device.user)):
        each.refresh_from_db()
        each.throttle_reset()


def assert_not_verified(client):
    assert client.get("/cases/").status_code == 302
    assert client.get("/api/v1/cases").status_code == 401


def test_finding_10_wrong_codes_lock_out_and_then_the_right_code_is_refused(half_open):
    client, device = half_open
    answers = [client.post("/mfa/verify/", {"token": wrong_code(device)}).status_code
               for _ in range(LIMIT)]
    assert answers == [422] * (LIMIT - 1) + [429]
    reset_throttles(device)
    right = client.post("/mfa/verify/", {"token": current_code(device), "next": "/cases/"})
    assert right.status_code == 429
    assert "Too many attempts" in right.content.decode()
    assert_not_verified(client)


@pytest.mark.parametrize("kind", ["authenticator", "recovery code"])
def test_finding_10_lockout_by_wrong_passwords_refuses_the_right_code(half_open, kind):
    """Someone else at the same address guesses the password: the half-open session's right
    code (or recovery code) opens nothing while the lock-out lasts."""
    client, device = half_open
    for _ in range(LIMIT):
        Client().post("/login/", {"username": "al_investigator", "password": "wrong"})
    reset_throttles(device)
    token = current_code(device) if kind == "authenticator" else "recover1"
    response = client.post("/mfa/verify/", {"token": token})
    assert response.status_code == 429
    assert_not_verified(client)
    assert StaticToken.objects.filter(token="recover1").exists()   # not spent either
    # The half-open session is ended: after the cool-off, the password again.
    assert client.get("/mfa/verify/").status_code == 302
    assert client.get("/mfa/verify/").url.startswith("/login/")


def test_finding_10_enrolment_is_locked_out_too(world):
    user = world.user(Role.CASE_WORKER)   # not enrolled yet
    client = Client()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    page = client.get("/mfa/enrol/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.status_code == 200
    answers = [client.post("/mfa/enrol/", {"token": wrong_code(device)}).status_code
               for _ in range(LIMIT)]
    assert answers[-1] == 429
    response = client.post("/mfa/enrol/", {"token": current_code(device)})
    assert response.status_code == 429
    device.refresh_from_db()
    assert not device.confirmed


def test_finding_10_below_the_limit_the_right_code_still_opens(half_open):
    client, device = half_open
    for _ in range(LIMIT - 1):
        client.post("/mfa/verify/", {"token": wrong_code(device)})
    reset_throttles(device)
    right = client.post("/mfa/verify/", {"token": current_code(device), "next": "/cases/"})
    assert right.status_code == 302 and right.url == "/cases/"
    assert client.get("/api/v1/cases").status_code == 200
