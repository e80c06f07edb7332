"""Finding 12 (issue 13): settings failed open. Without CROSSROADS_ENV=production a node served
any address with the development keys published in the source, and the demo commands created
accounts with known passwords anywhere. Now a server on anything but loopback needs production
settings, and the demo commands refuse under production settings."""

import io
import json
import os
import random
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from crossroads.access.choices import Role
from crossroads.access.models import Agency, User
from crossroads.demo.accounts import create_login
from crossroads.region.cli import main as region_main
from crossroads.web.management.commands import serve as serve_command

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the address the refusal is about


@pytest.fixture
def served(monkeypatch):
    """`serve` with the server and the migrations replaced: the addresses it would serve on."""
    from crossroads.web import server

    calls = []
    monkeypatch.setattr(server, "run", lambda options, **kw: calls.append(
        options["bind"][0].rsplit(":", 1)[0].strip("[]")))
    monkeypatch.setattr(serve_command, "call_command", lambda *a, **kw: None)
    return calls


@pytest.mark.parametrize("host", [ALL_INTERFACES, "::", "192.168.1.10", "node.example.org"])
@pytest.mark.parametrize("hub", [False, True])
def test_finding_12_serve_refuses_a_public_address_without_production_settings(served, host, hub):
    with pytest.raises(CommandError, match="CROSSROADS_ENV=production") as refused:
        call_command("serve", "--host", host, *(["--hub"] if hub else []))
    assert f"Refusing to serve on {host}" in str(refused.value)
    assert served == []


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_finding_12_serve_on_loopback_still_works_for_the_demo(served, host):
    call_command("serve", "--host", host)
    assert served == [host]


@override_settings(CROSSROADS_PRODUCTION=True)
def test_finding_12_production_settings_serve_any_address(served):
    call_command("serve", "--host", ALL_INTERFACES)
    assert served == [ALL_INTERFACES]


def test_finding_12_the_entry_point_refuses_before_serving(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"CROSSROADS_ENV", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["CROSSROADS_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "crossroads.cli", "serve", "--host", ALL_INTERFACES,
                             "--port", "1"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Refusing to serve on 0.0.0.0" in result.stderr
    assert not (tmp_path / "crossroads.sqlite3").exists()  # refused before migrating


@override_settings(CROSSROADS_PRODUCTION=True)
def test_finding_12_demo_commands_refuse_under_production_settings(db, tmp_path):
    with pytest.raises(CommandError, match="unavailable under production settings"):
        call_command("demo", logins=str(tmp_path / "logins.json"))
    with pytest.raises(CommandError, match="regional demo-accounts.*unavailable under production"):
        call_command("regional", "demo-accounts", logins=str(tmp_path / "hub.json"))
    agency = Agency.objects.create(name="x", kind="coordinator", jurisdiction_id="AL")
    with pytest.raises(CommandError, match="createadmin"):
        create_login(random.Random(1), "known_password", Role.ANALYST, agency, "x")
    assert not User.objects.exists() and not Agency.objects.exclude(pk=agency.pk).exists()
    assert not (tmp_path / "logins.json").exists() and not (tmp_path / "hub.json").exists()


def test_finding_12_region_up_refuses_under_production_settings(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CROSSROADS_ENV", "production")
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    out = tmp_path / "region.json"
    assert region_main(["up", "--nodes", "AL", "--out", str(out)]) == 2
    assert "unavailable under production settings" in capsys.readouterr().err
    assert not out.exists()


def test_finding_12_the_demo_still_seeds_outside_production(db, tmp_path):
    call_command("demo", seed=5, cases=20, jurisdictions="AL", logins=str(tmp_path / "l.json"),
                 stdout=io.StringIO())
    assert json.loads((tmp_path / "l.json").read_text())
