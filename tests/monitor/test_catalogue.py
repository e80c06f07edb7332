"""The obligation catalogue: the shipped copy, its loader, the API contract and its attackers,
coordinators' corrections (with history) and verification."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access.choices import Role
from crossroads.monitor import reference
from crossroads.monitor.models import Obligation

DATA = Path(reference.__file__).parent / "data"


def test_the_shipped_copy_names_its_sources_and_is_complete():
    entries, source = reference.obligations()
    assert len(entries) == 89
    assert source.startswith("obligations.yaml sha256:")
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert reference.digest(DATA / "obligations.yaml") in sources
    assert "| not-verified | 57 |" in sources
    header = (DATA / "obligations.yaml").read_text(encoding="utf-8")
    assert "https://eur-lex.europa.eu/eli/dir/2011/36" in header


def test_the_loader_creates_then_changes_nothing_then_keeps_corrections(world, capsys, tmp_path):
    call_command("monitor", "load-obligations")
    out = capsys.readouterr().out
    assert "created 89" in out and "not-verified   57" in out and "secondary      24" in out
    call_command("monitor", "load-obligations")
    assert "created 0, updated 0, unchanged 89" in capsys.readouterr().out
    coordinator = world.user(Role.COORDINATOR)
    from crossroads.monitor import services

    item = Obligation.objects.get(key="palermo-3-b")
    services.correct_obligation(coordinator, item, {"paragraph": "(b), first sentence"}, "narrower citation")
    changed = yaml.safe_load((DATA / "obligations.yaml").read_text(encoding="utf-8"))
    for entry in changed["obligations"]:
        if entry["id"] in ("palermo-3-b", "palermo-3-a-acts"):
            entry["obligation"] = "Changed in the file."
    other = tmp_path / "obligations.yaml"
    other.write_text(yaml.safe_dump(changed), encoding="utf-8")
    call_command("monitor", "load-obligations", "--file", str(other))
    out = capsys.readouterr().out
    assert "updated 1" in out and "kept palermo-3-b" in out
    assert Obligation.objects.get(key="palermo-3-a-acts").revisions.count() == 1
    assert Obligation.objects.get(key="palermo-3-b").obligation != "Changed in the file."


def test_a_bad_catalogue_file_is_refused_naming_the_entry(db, tmp_path):
    bad = tmp_path / "obligations.yaml"
    bad.write_text("obligations:\n  - {id: x, instrument: I, article: '1'}\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="entry 1 lacks pillar, obligation, check"):
        call_command("monitor", "load-obligations", "--file", str(bad))
    assert not Obligation.objects.exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ANALYST])
def test_the_api_lists_the_catalogue_for_coordinators_and_analysts(world, catalogue, role):
    answer = world.api(role).get("/api/v1/legal/obligations?limit=5&verification=text")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"count", "limit", "offset", "items"}
    assert body["count"] == 8 and body["limit"] == 5 and len(body["items"]) == 5
    assert {i["verification"] for i in body["items"]} == {"text"}
    first = world.api(role).get("/api/v1/legal/obligations?offset=88").json()
    assert first["count"] == 89 and len(first["items"]) == 1


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.COORDINATOR, Role.ANALYST)])
def test_other_roles_are_refused_the_catalogue(world, catalogue, role):
    assert world.api(role).get("/api/v1/legal/obligations").status_code == 403
    assert world.client(role).get("/monitor/obligations/").status_code == 403
    assert world.api(role).get("/api/v1/legal/obligations/palermo-3-b").status_code in (403, 404)


def test_no_token_a_bad_token_and_no_second_factor_are_refused(world, catalogue):
    assert Client().get("/api/v1/legal/obligations").status_code == 401
    bad = Client(headers={"Authorization": "Bearer cr_not-a-token"})
    assert bad.get("/api/v1/legal/obligations").status_code == 401
    user = world.user(Role.COORDINATOR)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    half = Client()
    assert half.post("/login/", {"username": user.username, "password": "x" * 16}).status_code == 302
    assert half.get("/api/v1/legal/obligations").status_code in (401, 403)
    page = half.get("/monitor/obligations/")
    assert page.status_code == 302 and "/mfa/" in page.url


def test_a_coordinator_corrects_an_entry_and_marks_it_verified_with_history(world, catalogue):
    coordinator = world.client(Role.COORDINATOR)
    url = "/monitor/obligations/cets197-13-1/"
    page = coordinator.get(url)
    assert page.status_code == 200 and "Confirmed by a secondary source" in page.content.decode()
    form = {"instrument": "Council of Europe Convention CETS No. 197 (2005)", "article": "13",
            "paragraph": "1", "pillar": "protection", "obligation": "Reflection period.",
            "question": "Is there a 30-day reflection period?", "note": "", "reason": ""}
    refused = coordinator.post(url, form)
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    assert coordinator.post(url, {**form, "reason": "paragraph 1 only"}).status_code == 302
    assert coordinator.post(url, {"verify": "1", "source": "https://rm.coe.int/168008371d"}
                            ).status_code == 302
    detail = world.api(Role.ANALYST).get("/api/v1/legal/obligations/cets197-13-1").json()
    assert detail["paragraph"] == "1" and detail["verification"] == "official"
    assert detail["verified_by"] == "al_coordinator"
    assert [r["reason"] for r in detail["revisions"]][-1] == "paragraph 1 only"
    assert detail["revisions"][-1]["before"]["paragraph"] == "1-2"
    assert len(detail["revisions"]) == 2
    # an analyst reads but does not correct
    analyst = world.client(Role.ANALYST)
    analyst.post(url, {**form, "paragraph": "9", "reason": "no"})
    assert Obligation.objects.get(key="cets197-13-1").paragraph == "1"


def test_an_entry_the_table_cannot_hold_is_refused_by_name(db, tmp_path):
    from django.core.management.base import CommandError

    entries = yaml.safe_load((DATA / "obligations.yaml").read_text(encoding="utf-8"))
    entries["obligations"][3]["paragraph"] = "x" * 81
    bad = tmp_path / "obligations.yaml"
    bad.write_text(yaml.safe_dump(entries), encoding="utf-8")
    with pytest.raises(CommandError, match="palermo-3-b: paragraph is longer than 80"):
        call_command("monitor", "load-obligations", "--file", str(bad))
    assert not Obligation.objects.exists()
