"""Production settings (CROSSROADS_ENV=production): required variables, deploy checks, cookies.

`crossroads check --deploy --fail-level WARNING` runs in a subprocess as an operator would run
it; the same settings module is also loaded in-process to apply its cookie and HTTPS settings
to requests of the test client.
"""

import importlib
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client, override_settings

REQUIRED = ("CROSSROADS_SECRET_KEY", "CROSSROADS_ALLOWED_HOSTS", "CROSSROADS_BLIND_INDEX_KEY",
            "CROSSROADS_KEY_FILE")


def production_environment(tmp_path) -> dict:
    return {
        "CROSSROADS_ENV": "production",
        "CROSSROADS_SECRET_KEY": secrets.token_urlsafe(50),
        "CROSSROADS_ALLOWED_HOSTS": "node.example.org",
        "CROSSROADS_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "CROSSROADS_KEY_FILE": str(tmp_path / "keys" / "keyring.json"),
        "CROSSROADS_DATA_DIR": str(tmp_path / "data"),
    }


def crossroads(tmp_path, environment, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "CROSSROADS_DEBUG", *REQUIRED}}
    env.update(environment)
    return subprocess.run([sys.executable, "-m", "crossroads.cli", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def production_settings(tmp_path, monkeypatch):
    """The module crossroads.settings.production, imported under a complete environment."""
    for name, value in production_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("crossroads.settings.production", None)
    try:
        yield importlib.import_module("crossroads.settings.production")
    finally:
        sys.modules.pop("crossroads.settings.production", None)


def test_check_deploy_reports_nothing_under_production_settings(tmp_path):
    result = crossroads(tmp_path, production_environment(tmp_path),
                        "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_a_required_variable(tmp_path, missing):
    environment = production_environment(tmp_path)
    del environment[missing]
    result = crossroads(tmp_path, environment, "check", "--deploy")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The environment variable {missing} must be set" in result.stderr


def test_production_settings_values(production_settings):
    s = production_settings
    assert s.DEBUG is False
    assert s.SESSION_COOKIE_SECURE and s.SESSION_COOKIE_HTTPONLY
    assert s.CSRF_COOKIE_SECURE and s.CSRF_COOKIE_HTTPONLY
    assert s.SESSION_COOKIE_NAME.startswith("__Host-") and s.CSRF_COOKIE_NAME.startswith("__Host-")
    assert s.X_FRAME_OPTIONS == "DENY" and s.SECURE_REFERRER_POLICY == "same-origin"
    assert s.SECURE_CROSS_ORIGIN_OPENER_POLICY == "same-origin"
    assert s.SECURE_HSTS_SECONDS >= 31536000 and s.SECURE_SSL_REDIRECT
    assert s.ALLOWED_HOSTS == ["node.example.org"]
    assert s.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("RedactingExceptionReporterFilter")


def test_debug_is_off_unless_asked_for(tmp_path):
    result = crossroads(tmp_path, {"CROSSROADS_DATA_DIR": str(tmp_path / "data")}, "shell", "-c",
                        "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_session_and_csrf_cookies_under_the_production_names(world, production_settings):
    cookies = {name: getattr(production_settings, name) for name in (
        "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY")}
    with override_settings(**cookies):
        client = Client()
        page = client.get("/login/", secure=True)
        response = client.post("/login/", {"username": "al_investigator", "password": "x" * 16},
                               secure=True)
        assert response.status_code == 302
        for name, response_ in (("__Host-csrftoken", page), ("__Host-sessionid", response)):
            cookie = response_.cookies[name]
            # __Host-: Secure, Path=/ and no Domain, or browsers refuse the cookie.
            assert cookie["secure"] and cookie["httponly"], name
            assert cookie["path"] == "/" and not cookie["domain"], name
            assert cookie["samesite"] == "Lax", name


def test_production_sends_hsts_and_redirects_to_https(world, production_settings):
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER")
    with override_settings(**{name: getattr(production_settings, name) for name in names}):
        client = Client()
        plain = client.get("/login/")
        assert plain.status_code == 301 and plain.url.startswith("https://")
        secure = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
        assert secure.status_code == 200
        assert secure.headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload")
