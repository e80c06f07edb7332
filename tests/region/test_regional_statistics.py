"""Regional statistics: nodes' released tables reach the hub only as aggregates, and the hub's
dashboard combines them without un-suppressing anything."""

import copy
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from crossroads.access.models import ApiToken, User
from crossroads.exchange import hub, identity, services
from crossroads.exchange.envelope import build
from crossroads.exchange.models import OutboxMessage
from crossroads.regional.models import RegionalRelease
from crossroads.regional.receive import KIND, store_release
from crossroads.regional.services import prepare_publication
from crossroads.regional.tables import Refused, read_release, validate
from crossroads.statistics import release_workflow
from crossroads.statistics.releases import TABLES, ReleaseSpec
from tests.conftest import login_as, rolled_back

# Every test here asks for the database, so that pytest-django runs them before the
# transactional tests of their worker: a flush before the module's fixture would leave it a
# database rebuilt from the serialized rows, on which the seeded demo releases other cells.
pytestmark = pytest.mark.django_db

THRESHOLD = 10  # high enough that the small demo nodes have suppressed cells


@pytest.fixture(scope="module")
def bodies(django_db_setup, django_db_blocker, tmp_path_factory):
    """One release each of two jurisdictions seeded as region nodes; the rows are rolled back,
    the released bodies (plain data) kept for every test of the module."""
    out = tmp_path_factory.mktemp("releases")
    made = {}
    with rolled_back(django_db_blocker):
        for code in ("AL", "RS"):
            call_command("demo", seed=3, jurisdiction=code, persons=90,
                         logins=str(out / f"{code}.json"))
            coordinator = User.objects.get(username=f"{code.lower()}_coordinator")
            release = release_workflow.prepare(coordinator,
                                               ReleaseSpec(kind="tables", threshold=THRESHOLD))
            made[code] = read_release(release.folder, release.manifest)
    return made


@pytest.fixture
def region(world, bodies, tmp_path, settings):
    """The hub's analyst (and, from `world`, node users), the hub in hub mode."""
    call_command("regional", "demo-accounts", logins=str(tmp_path / "hub.json"))
    settings.CROSSROADS_MODE = "hub"
    analyst = json.loads((tmp_path / "hub.json").read_text())[0]
    return copy.deepcopy(bodies), analyst


def store(bodies):
    for code, body in bodies.items():
        store_release(code, [code], body, str(uuid.uuid4()))


def api(token):
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_the_hub_combines_jurisdictions_and_keeps_suppression(region):
    bodies, analyst = region
    store(bodies)
    client = api(analyst["api_token"])
    overview = client.get("/api/v1/regional/tables").json()
    assert {r["jurisdiction"] for r in overview["releases"]} == {"AL", "RS"}
    assert {t["name"] for t in overview["tables"]} == set(TABLES)

    suppressed_seen = False
    for form in ("sexual", "forced_begging", "forced_labour"):
        answer = client.get(f"/api/v1/regional/tables/victims_by_year_and_form?column={form}")
        assert answer.status_code == 200
        table = answer.json()
        assert table["jurisdictions"] == ["AL", "RS"]
        for row in table["items"]:
            for code in ("AL", "RS"):
                source = bodies[code]["tables"]["victims_by_year_and_form"]
                cells = {c["value"]: c for c in source["cells"]}
                expected = (cells[row["value"]]["counts"][source["column_values"].index(form)]
                            if row["value"] in cells and form in source["column_values"] else 0)
                assert row["parts"][code] == expected
            visible = [v for v in row["parts"].values() if v is not None]
            assert row["total"] == (sum(visible) if visible else None)
            assert row["lower_bound"] == (len(visible) < 2)
            suppressed_seen |= row["lower_bound"]
    assert suppressed_seen, "the fixture should produce suppressed cells"

    margins = client.get("/api/v1/regional/tables/victims_by_year_and_sex").json()
    assert margins["total"] == sum(b["tables"]["victims_by_year_and_sex"]["total"]
                                   for b in bodies.values())
    assert not any(row["lower_bound"] for row in margins["items"])  # margins are whole


def test_the_dashboard_page_explains_and_marks_lower_bounds(region):
    bodies, analyst = region
    store(bodies)
    user = User.objects.get(username=analyst["username"])
    page = login_as(user).get("/regional/?table=victims_by_year_and_form&column=sexual")
    assert page.status_code == 200
    text = page.content.decode()
    assert "stays suppressed" in text and "<th scope=\"col\">AL</th>" in text
    assert "Regional statistics" in text
    lower_bounds = [row for row in text.split("<tr>") if "at least" in row]
    hidden = text.count(">suppressed<")
    assert bool(lower_bounds) == bool(hidden)
    assert login_as(user).get("/").content.decode().count('href="/regional/"') == 1  # menu


def test_only_analysts_of_the_hub_see_it(region):
    bodies, _analyst = region
    store(bodies)
    investigator = User.objects.get(username="al_investigator")  # from `world`
    assert login_as(investigator).get("/regional/").status_code == 403
    node_analyst = User.objects.get(username="al_analyst")
    assert login_as(node_analyst).get("/regional/").status_code == 200
    _token, raw = ApiToken.issue(investigator, "t", days=1)
    assert api(raw).get("/api/v1/regional/tables").status_code == 403


def test_on_a_node_the_page_points_to_the_hub(region, settings):
    bodies, _analyst = region
    store(bodies)
    settings.CROSSROADS_MODE = "node"
    settings.CROSSROADS_HUB_URL = "http://127.0.0.1:9/"
    text = login_as(User.objects.get(username="al_analyst")).get("/regional/").content.decode()
    assert 'href="http://127.0.0.1:9/regional/"' in text and "<tbody>" not in text


def test_bad_queries_name_the_field(region):
    bodies, analyst = region
    store(bodies)
    client = api(analyst["api_token"])
    bad = client.get("/api/v1/regional/tables/victims_by_year_and_form?column=nonsense")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "column"]
    assert client.get("/api/v1/regional/tables/no_such_table").status_code == 404


@pytest.mark.parametrize("spoil, field", [
    (lambda b: [{"year": "2020", "sex": "F", "age_band": "18--20", "citizenship": "AL",
                 "form": "sexual"}] * 20, "body"),
    (lambda b: b["tables"]["victims_by_year_and_form"]["cells"][0].update(
        {"given_name": "X"}), "tables.victims_by_year_and_form.cells[0]"),
    (lambda b: b.update({"rows": [{"person": 1}]}), "body"),
    (lambda b: b["tables"].update({"microdata": {}}), "tables"),
    (lambda b: b.update({"threshold": 1}), "threshold"),
    (lambda b: b.update({"jurisdiction": "RS"}), "jurisdiction"),
], ids=["record rows", "identity column", "extra rows", "extra table", "no threshold",
        "another jurisdiction"])
def test_anything_but_aggregate_cells_is_refused(region, spoil, field):
    bodies, _analyst = region
    body = copy.deepcopy(bodies["AL"])
    spoilt = spoil(body)
    with pytest.raises(Refused) as refused:
        store_release("AL", ["AL"], spoilt if spoilt is not None else body, str(uuid.uuid4()))
    assert refused.value.field == field
    assert not RegionalRelease.objects.exists()


def _first_visible_cell(table):
    for i, cell in enumerate(table["cells"]):
        for j, count in enumerate(cell["counts"]):
            if count is not None and count >= THRESHOLD:
                return i, j
    raise AssertionError("no visible cell")


def test_unsuppressed_or_recoverable_cells_are_refused(region):
    bodies, _analyst = region
    body = copy.deepcopy(bodies["AL"])
    table = body["tables"]["victims_by_year_and_form"]
    i, j = _first_visible_cell(table)
    small = copy.deepcopy(body)
    cell = small["tables"]["victims_by_year_and_form"]["cells"][i]
    cell["total"] -= cell["counts"][j] - 2
    small["tables"]["victims_by_year_and_form"]["column_totals"][j] -= cell["counts"][j] - 2
    small["tables"]["victims_by_year_and_form"]["total"] -= cell["counts"][j] - 2
    cell["counts"][j] = 2
    with pytest.raises(Refused, match="below the threshold"):
        validate(small, ["AL"])
    lone = copy.deepcopy(body)
    row = lone["tables"]["victims_by_year_and_form"]["cells"][i]
    if row["counts"].count(None) == 0:
        row["counts"][j] = None
        with pytest.raises(Refused, match="single suppressed cell"):
            validate(lone, ["AL"])
    assert validate(copy.deepcopy(body), ["AL"])  # the node's own release passes


def test_a_version_is_held_once(region):
    bodies, _analyst = region
    store_release("AL", ["AL"], bodies["AL"], str(uuid.uuid4()))
    with pytest.raises(Refused) as refused:
        store_release("AL", ["AL"], bodies["AL"], str(uuid.uuid4()))
    assert refused.value.field == "version"


def test_through_the_exchange_a_signed_release_is_applied_or_refused(region, settings, tmp_path):
    bodies, _analyst = region
    settings.CROSSROADS_MODE, settings.CROSSROADS_NODE_ID = "node", "AL"
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / "al-node.json")
    own = identity.create()
    settings.CROSSROADS_MODE = "hub"
    public = own.public()
    node = services.register_node("AL", jurisdictions=["AL"], signing_key=public["signing_key"],
                             encryption_key=public["encryption_key"], key_id=public["key_id"])
    good = build(own, recipient=identity.HUB_ID, kind=KIND, body=bodies["AL"])
    assert hub.receive(node, good) == "done"
    assert RegionalRelease.objects.get().node == "AL"
    spoilt = copy.deepcopy(bodies["AL"])
    spoilt["version"] = "tables-2"
    spoilt["tables"]["victims_by_year_and_sex"]["cells"] = [{"name": "A", "birth": "2001"}]
    with pytest.raises(hub.HubRefusal, match="statistics release refused"):
        hub.receive(node, build(own, recipient=identity.HUB_ID, kind=KIND, body=spoilt))
    assert RegionalRelease.objects.count() == 1


def test_a_node_publishes_its_release_as_a_signed_message(db, tmp_path, settings):
    call_command("demo", seed=4, jurisdiction="ME", persons=60, logins=str(tmp_path / "me.json"))
    settings.CROSSROADS_NODE_ID = "ME"
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / "me-node.json")
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path / "releases")
    prepared = prepare_publication(User.objects.get(username="me_coordinator"), threshold=5)
    assert not OutboxMessage.objects.filter(kind=KIND).exists()  # not before the second person
    release_workflow.approve(User.objects.get(username="me_coordinator_2"), prepared.pk)
    message = OutboxMessage.objects.get(kind=KIND)
    assert message.recipient == identity.HUB_ID
    body = json.loads(message.envelope)["body"]
    assert validate(body, ["ME"])["version"] == Path(prepared.folder).name
    assert set(body["tables"]) == set(TABLES)  # the criminal-justice tables with the others
    assert (tmp_path / "releases" / body["version"] / "manifest.json").exists()


def test_the_commands_name_what_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="--jurisdiction"):
        call_command("regional", "publish", user="x")
    with pytest.raises(CommandError, match="--approved-by no longer approves"):
        call_command("regional", "publish", jurisdiction="AL", approved_by="x")
    with pytest.raises(CommandError, match="--user USERNAME is required"):
        call_command("regional", "publish", jurisdiction="AL")
    with pytest.raises(CommandError, match="--threshold"):
        call_command("regional", "publish", jurisdiction="AL", user="x", threshold=1)
    call_command("regional", "demo-accounts", logins=str(tmp_path / "hub.json"))
    with pytest.raises(CommandError, match="exist already"):
        call_command("regional", "demo-accounts", logins=str(tmp_path / "again.json"))
