"""Second factor and lock-out: a password alone opens nothing, guessing gets locked out."""

import base64

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access.choices import Role

PASSWORD = "x" * 16


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled(world):
    user = world.user(Role.INVESTIGATOR)
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_password_alone_opens_nothing(enrolled):
    client = Client()
    response = client.post("/login/", {"username": "al_investigator", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home.url.startswith("/mfa/verify/")
    assert client.get("/cases/").url.startswith("/mfa/verify/")
    assert client.get("/api/v1/cases").status_code == 401


def test_wrong_code_refused_right_code_opens(enrolled):
    _user, device = enrolled
    client = Client()
    client.post("/login/", {"username": "al_investigator", "password": PASSWORD})
    wrong = client.post("/mfa/verify/", {"token": "000000" if current_code(device) != "000000"
                                          else "111111", "next": "/cases/"})
    assert wrong.status_code == 422
    # The right code straight after a typo opens (issue 21, point 14): guessing is bounded by
    # the lock-out (tests/security/test_finding_10_lockout_second_factor.py), not by a pause.
    right = client.post("/mfa/verify/", {"token": current_code(device), "next": "/cases/"})
    assert right.status_code == 302 and right.url == "/cases/"
    assert client.get("/cases/").status_code == 200
    assert client.get("/api/v1/cases").status_code == 200


def test_enrolment_with_qr_code_and_recovery_codes(world):
    client = Client()
    client.post("/login/", {"username": "al_case_worker", "password": PASSWORD})
    assert client.get("/").url.startswith("/mfa/verify/")
    page = client.get("/mfa/enrol/")
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    device = TOTPDevice.objects.get(user=world.user(Role.CASE_WORKER), confirmed=False)
    secret = page.context["secret"]
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    done = client.post("/mfa/enrol/", {"token": current_code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and client.get("/").status_code == 200
    # A recovery code opens a new session once.
    other = Client()
    other.post("/login/", {"username": "al_case_worker", "password": PASSWORD})
    assert other.post("/mfa/verify/", {"token": codes[0]}).status_code == 302
    again = Client()
    again.post("/login/", {"username": "al_case_worker", "password": PASSWORD})
    assert again.post("/mfa/verify/", {"token": codes[0]}).status_code == 422


def test_repeated_wrong_passwords_lock_the_account(enrolled):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "al_investigator", "password": "wrong"})
    locked = client.post("/login/", {"username": "al_investigator", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()


def test_guessing_api_tokens_locks_the_address(world):
    statuses = [Client().get("/api/v1/cases", headers={"Authorization": f"Bearer cr_guess{n}"})
                .status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    valid = world.api(Role.INVESTIGATOR).get("/api/v1/cases")
    assert valid.status_code == 429


def test_demo_logins_carry_a_working_totp_secret(db, tmp_path):
    import json

    from django.core.management import call_command

    call_command("demo", seed=2, cases=4, jurisdictions="AL", logins=str(tmp_path / "l.json"))
    login = json.loads((tmp_path / "l.json").read_text())[0]
    device = TOTPDevice.objects.get(user__username=login["username"])
    secret = login["totp_secret"]
    assert base64.b32decode(secret) == device.bin_key
    assert device.verify_token(current_code(device))
