"""The regional heat map: two jurisdictions' scorecards, each published by two coordinators of
its node as a signed message, received by the hub and shown per pillar and instrument; what
is not a scorecard of counts is refused."""

import copy
import json
import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.exchange import hub, identity, services
from crossroads.exchange.models import OutboxMessage
from crossroads.monitor import services as monitor
from crossroads.monitor.models import Assessment
from crossroads.regional.models import RegionalScorecard
from crossroads.regional.scorecards import KIND, store_scorecard, validate
from crossroads.regional.tables import Refused
from tests.conftest import login_as
from tests.monitor.test_scorecards import craft, second_coordinator

pytestmark = pytest.mark.django_db

CRAFTED = {"AL": ["aligned", "aligned", "partly", "not_aligned"],  # prevention 62.5
           "RS": ["aligned", "not_aligned"]}                        # prevention 50.0


def publish(world, code, year, settings, tmp_path):
    """A closed cycle of `code` with crafted prevention assessments, asked by its coordinator,
    approved by a second one: the signed envelope its node queued for the hub."""
    settings.CROSSROADS_MODE, settings.CROSSROADS_NODE_ID = "node", code
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / f"{code}-node.json")
    own = identity.create()
    coordinator = world.user(Role.COORDINATOR, code)
    cycle = monitor.open_cycle(coordinator, year=year, title=f"Review {year}")
    craft(cycle, "prevention", CRAFTED[code])
    Assessment.objects.filter(cycle=cycle, obligation__pillar="protection").update(
        status="not_applicable")
    monitor.close_cycle(coordinator, cycle)
    publication = monitor.request_publication(coordinator, cycle)
    monitor.approve_publication(second_coordinator(world, code), publication.pk)
    envelope = json.loads(OutboxMessage.objects.filter(kind=KIND).latest("id").envelope)
    assert envelope["body"]["jurisdiction"] == code
    return own, envelope


def row_of(text: str, code: str, table: int = 0) -> str:
    """The heat map's row of `code` in its first (pillars) or second (instruments) table."""
    return [r for r in text.split('<tr><th scope="row">') if r.startswith(f"{code}<")][table]


@pytest.fixture
def catalogue(db):
    return monitor.load_catalogue()


def test_two_jurisdictions_published_scorecards_in_the_heat_map(world, catalogue, settings,
                                                                  tmp_path):
    sent = {"AL": publish(world, "AL", 2024, settings, tmp_path),
            "RS": publish(world, "RS", 2025, settings, tmp_path)}
    settings.CROSSROADS_MODE = "hub"
    for code, (own, envelope) in sent.items():
        public = own.public()
        node = services.register_node(code, jurisdictions=[code],
                                      signing_key=public["signing_key"],
                                      encryption_key=public["encryption_key"],
                                      key_id=public["key_id"])
        assert hub.receive(node, envelope) == "done"
    assert set(RegionalScorecard.objects.values_list("jurisdiction", flat=True)) == {"AL", "RS"}

    call_command("regional", "demo-accounts", logins=str(tmp_path / "hub.json"))
    account = json.loads((tmp_path / "hub.json").read_text())[0]
    analyst = User.objects.get(username=account["username"])
    regional = login_as(analyst).get("/regional/").content.decode()
    assert 'href="/regional/scorecards/"' in regional  # beside the other regional figures
    page = login_as(analyst).get("/regional/scorecards/")
    assert page.status_code == 200
    text = page.content.decode()
    al_pillars, rs_pillars = row_of(text, "AL"), row_of(text, "RS")
    assert 'class="heat heat-mid"><strong>62.5</strong><br><small>2024' in al_pillars
    assert 'class="heat heat-mid"><strong>50.0</strong><br><small>2025' in rs_pillars
    assert "no score (nothing assessed)" in al_pillars  # protection: all not applicable
    assert "<small>2024" in row_of(text, "AL", 1)       # and by instrument
    assert "not published" in row_of(text, "ME") and "not published" in row_of(text, "XK", 1)
    assert login_as(world.user(Role.INVESTIGATOR)).get("/regional/scorecards/").status_code == 403
    api = Client(headers={"Authorization": f"Bearer {account['api_token']}"})
    items = {row["jurisdiction"]: row for row in api.get("/api/v1/regional/scorecards").json()[
        "items"]}
    assert items["AL"]["year"] == 2024 and items["AL"]["pillars"][0]["score"] == 62.5
    assert items["AL"]["pillars"][1] == {"key": "protection", "published": True, "score": None,
                                         "unknown_share": None, "counts": {
                                             **dict.fromkeys(items["AL"]["pillars"][1]["counts"], 0),
                                             "not_applicable": sum(
                                                 items["AL"]["pillars"][1]["counts"].values())}}
    assert items["ME"]["pillars"][0] == {"key": "prevention", "published": False,
                                         "counts": None, "score": None, "unknown_share": None}


@pytest.mark.parametrize("spoil, field", [
    (lambda b: b.update({"comments": ["Courts still ask about consent."]}), "body"),
    (lambda b: b["pillars"]["prevention"].update({"assessor": 1}), "pillars.prevention"),
    (lambda b: b["pillars"]["prevention"].update({"aligned": -1}), "pillars.prevention.aligned"),
    (lambda b: b["instruments"].pop("palermo"), "instruments"),
    (lambda b: b.update({"jurisdiction": "RS"}), "jurisdiction"),
], ids=["comments", "a name in the counts", "negative", "missing instrument", "another"])
def test_anything_but_counts_is_refused(spoil, field):
    counts = {"aligned": 1, "partly": 0, "not_aligned": 0, "not_applicable": 0, "unknown": 2}
    body = {"jurisdiction": "AL", "year": 2024, "version": "scorecard-AL-2024-1",
            "closed_on": "2024-12-01",
            "pillars": {p: dict(counts) for p in ("prevention", "protection", "prosecution",
                                                  "partnership")},
            "instruments": {i: dict(counts) for i in ("palermo", "cets197", "eu_directive")}}
    assert validate(copy.deepcopy(body), ["AL"])
    spoil(body)
    with pytest.raises(Refused) as refused:
        store_scorecard("AL", ["AL"], body, str(uuid.uuid4()))
    assert refused.value.field == field
    assert not RegionalScorecard.objects.exists()
