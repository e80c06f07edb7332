"""Criminal-justice figures in the regional tables (issue 15, part 7): a node releases suspects
by stage and by sentence and the victims' attrition funnel under its disclosure control, counted
as its coordinators' criminal-justice dashboard counts them; the hub validates and combines
them, and a suppressed cell stays suppressed."""

import copy
import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.investigations import services as investigations
from crossroads.regional.models import RegionalRelease
from crossroads.regional.receive import store_release
from crossroads.regional.tables import Refused, read_release, validate
from crossroads.statistics import release_workflow
from crossroads.statistics.releases import JUSTICE_TABLES, VICTIM_TABLES, ReleaseSpec
from tests.conftest import login_as, rolled_back
from tests.investigations.helpers import suspect_with_proceeding

# Every test here asks for the database, so that pytest-django runs them before the
# transactional tests of their worker: a flush before the module's fixture would leave it a
# database rebuilt from the serialized rows, on which the seeded demo releases other cells.
pytestmark = pytest.mark.django_db

THRESHOLD = 3
STAGES = ["investigated", "prosecuted", "convicted", "final_conviction"]
# the release's table -> the criminal-justice dashboard's table of the same counts
DASHBOARD = {"suspects_by_stage_and_year": "justice_suspects",
             "suspects_by_sentence_and_year": "justice_sentences",
             "victims_by_justice_stage_and_year": "justice_funnel"}


def api(token):
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(scope="module")
def released(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two demo jurisdictions' released tables, and their coordinators' dashboards counted
    without suppression (threshold 1) over the same years; the rows are rolled back."""
    out = tmp_path_factory.mktemp("justice")
    bodies, dashboards = {}, {}
    with rolled_back(django_db_blocker):
        for code in ("AL", "RS"):
            logins = out / f"{code}.json"
            call_command("demo", seed=5, jurisdiction=code, persons=120, logins=str(logins))
            coordinator = User.objects.get(username=f"{code.lower()}_coordinator")
            release = release_workflow.prepare(coordinator,
                                               ReleaseSpec(kind="tables", threshold=THRESHOLD))
            bodies[code] = read_release(release.folder, release.manifest)
            # A table left out is one the release says it withheld (a lone suppressed cell
            # would follow from its margins), never one silently dropped.
            missing = set(JUSTICE_TABLES) - set(bodies[code]["tables"])
            assert missing <= set(release.manifest.get("withheld", [])), (code, missing)
            token = next(u["api_token"] for u in json.loads(logins.read_text())
                         if u["username"] == coordinator.username)
            with override_settings(CROSSROADS_SUPPRESSION_THRESHOLD=1):
                answer = api(token).get("/api/v1/statistics/criminal-justice",
                                        {"year_from": 2000, "year_to": 2026})
            assert answer.status_code == 200, answer.content
            dashboards[code] = {t["name"]: t for t in answer.json()["tables"]}
    return bodies, dashboards


@pytest.fixture
def hub(world, released, tmp_path, settings):
    call_command("regional", "demo-accounts", logins=str(tmp_path / "hub.json"))
    settings.CROSSROADS_MODE = "hub"
    analyst = json.loads((tmp_path / "hub.json").read_text())[0]
    return copy.deepcopy(released[0]), analyst


def released_tables(body: dict) -> list[str]:
    """The criminal-justice tables the node released (which of them the seeded demo's small
    counts make it withhold depends on the cells: not asserted here)."""
    return [name for name in JUSTICE_TABLES if name in body["tables"]]


def releasing(bodies: dict, name: str) -> list[str]:
    return sorted(code for code, body in bodies.items() if name in body["tables"])


def cells(table: dict) -> dict:
    """(row value, column value) -> count (None: suppressed) of a released table."""
    return {(cell["value"], column): count for cell in table["cells"]
            for column, count in zip(table["column_values"], cell["counts"], strict=True)}


def dashboard_cells(table: dict) -> dict:
    columns = [c["code"] for c in table["columns"]]
    return {(row["code"], column): count for row in table["rows"]
            for column, count in zip(columns, row["cells"], strict=True)}


def test_a_release_counts_suspects_as_the_dashboard_does(released):
    bodies, dashboards = released
    compared = 0
    for code, body in bodies.items():
        for name, dashboard in DASHBOARD.items():
            if name not in body["tables"]:
                continue
            table = body["tables"][name]
            expected = dashboard_cells(dashboards[code][dashboard])
            for (value, year), count in cells(table).items():
                if count is not None:
                    assert count == expected.get((value, year), 0), (code, name, value, year)
                    compared += count > 0
        stages = [cell["value"] for cell in body["tables"]["suspects_by_stage_and_year"]["cells"]]
        assert stages == STAGES  # every stage, in the order of the proceedings
    assert compared > 10, "the demo should give visible criminal-justice counts"


def test_small_cells_are_suppressed_and_cannot_be_recovered(released):
    bodies, _dashboards = released
    hidden = 0
    for body in bodies.values():
        for name in released_tables(body):
            for count in cells(body["tables"][name]).values():
                assert count is None or count == 0 or count >= THRESHOLD
                hidden += count is None
        assert validate(copy.deepcopy(body), [body["jurisdiction"]])  # the hub's own checks
    assert hidden, "the demo should give suppressed criminal-justice cells"
    spoilt = copy.deepcopy(bodies["AL"])
    table = spoilt["tables"]["suspects_by_stage_and_year"]
    i, j = next((i, j) for i, cell in enumerate(table["cells"])
                for j, count in enumerate(cell["counts"]) if count and count >= THRESHOLD)
    gone = table["cells"][i]["counts"][j] - 1
    table["cells"][i]["counts"][j] = 1  # a small cell shown: the margins follow it
    table["cells"][i]["total"] -= gone
    table["column_totals"][j] -= gone
    table["total"] -= gone
    with pytest.raises(Refused, match="below the threshold"):
        validate(spoilt, ["AL"])


def test_the_hub_combines_them_and_keeps_suppression(hub):
    bodies, analyst = hub
    for code, body in bodies.items():
        store_release(code, [code], body, str(uuid.uuid4()))
    client = api(analyst["api_token"])
    overview = client.get("/api/v1/regional/tables").json()
    assert {n for n in JUSTICE_TABLES if releasing(bodies, n)} <= {
        t["name"] for t in overview["tables"]}
    lower_bounds = 0
    for name in JUSTICE_TABLES:
        answer = client.get(f"/api/v1/regional/tables/{name}")
        assert answer.status_code == 200
        combined = answer.json()
        codes = releasing(bodies, name)
        assert combined["jurisdictions"] == codes
        if not codes:
            continue
        assert combined["total"] == sum(bodies[c]["tables"][name]["total"] for c in codes)
        for row in combined["items"]:
            for code in codes:
                source = {c["value"]: c["total"] for c in bodies[code]["tables"][name]["cells"]}
                assert row["parts"][code] == source.get(row["value"], 0)  # margins, whole
        first = codes[0]
        year = bodies[first]["tables"][name]["column_values"][-1]
        by_year = client.get(f"/api/v1/regional/tables/{name}", {"column": year}).json()
        for row in by_year["items"]:
            source = cells(bodies[first]["tables"][name])
            assert row["parts"][first] == source.get((row["value"], year), 0)
            visible = [v for v in row["parts"].values() if v is not None]
            assert row["total"] == (sum(visible) if visible else None)
            assert row["lower_bound"] == (len(visible) < len(codes))
            lower_bounds += row["lower_bound"]
    stages = client.get("/api/v1/regional/tables/suspects_by_stage_and_year").json()
    assert [row["value"] for row in stages["items"]] == STAGES
    assert lower_bounds, "some regional cell should be a lower bound"

    user = User.objects.get(username=analyst["username"])
    page = login_as(user).get("/regional/", {"table": "suspects_by_stage_and_year"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Suspects investigated" in text and "Suspects finally convicted" in text
    assert "however many charges they face" in text  # how it counts
    assert text.index("Suspects investigated") < text.index("Suspects finally convicted")
    assert login_as(User.objects.get(username="al_investigator")).get(
        "/regional/", {"table": "suspects_by_stage_and_year"}).status_code == 403


def test_a_node_without_the_justice_tables_is_left_out_of_them(hub):
    bodies, analyst = hub
    older = copy.deepcopy(bodies["AL"])
    for name in JUSTICE_TABLES:
        older["tables"].pop(name, None)  # a node of an earlier version
    store_release("AL", ["AL"], older, str(uuid.uuid4()))
    client = api(analyst["api_token"])
    user = User.objects.get(username=analyst["username"])
    assert client.get("/api/v1/regional/tables/suspects_by_stage_and_year").json()[
        "jurisdictions"] == []
    page = login_as(user).get("/regional/", {"table": "suspects_by_sentence_and_year"})
    assert "No jurisdiction has released this table yet." in page.content.decode()
    store_release("RS", ["RS"], bodies["RS"], str(uuid.uuid4()))
    name = released_tables(bodies["RS"])[0]
    justice = client.get(f"/api/v1/regional/tables/{name}").json()
    assert justice["jurisdictions"] == ["RS"]  # not AL counted as 0
    victims = client.get("/api/v1/regional/tables/victims_by_year_and_sex").json()
    assert victims["jurisdictions"] == ["AL", "RS"]


@pytest.mark.parametrize("spoil, field", [
    (lambda b: b["tables"]["suspects_by_stage_and_year"].update({"rows": "person"}),
     "tables.suspects_by_stage_and_year"),
    (lambda b: b["tables"].update({"suspects_by_name": {}}), "tables"),
    (lambda b: b["tables"].pop(VICTIM_TABLES[0]), "tables"),
    (lambda b: b["tables"]["victims_by_justice_stage_and_year"]["cells"][0].update(
        {"suspect": "A. B."}), "tables.victims_by_justice_stage_and_year.cells[0]"),
], ids=["other variables", "unknown table", "victim table missing", "identity column"])
def test_anything_but_the_known_tables_is_refused(hub, spoil, field):
    bodies, _analyst = hub
    body = copy.deepcopy(bodies["AL"])
    spoil(body)
    with pytest.raises(Refused) as refused:
        store_release("AL", ["AL"], body, str(uuid.uuid4()))
    assert refused.value.field == field
    assert not RegionalRelease.objects.exists()


D = datetime.date


def test_proceedings_of_h3_cases_never_leave_the_node(world, tmp_path, settings):
    settings.CROSSROADS_RELEASE_DIR = str(tmp_path / "releases")
    investigator = world.user(Role.INVESTIGATOR)
    case = world.cases["AL-police"]
    investigations.open_proceeding(investigator, case, investigations.ProceedingInput(
        person_id=world.persons["AL-suspect"].pk, offence="thb",
        investigation_opened_on=D(2023, 3, 1)))
    for given in ("Dritan", "Genti"):
        suspect_with_proceeding(investigator, case, given, "Hysa", D(2023, 3, 1))
    h3 = world.cases["AL-h3"]  # its suspect's proceeding stays in the node
    suspect_with_proceeding(h3.memberships.get().user, h3, "Ilir", "Pasha", D(2023, 3, 1))

    release = release_workflow.prepare(world.user(Role.COORDINATOR),
                                       ReleaseSpec(kind="tables", threshold=2))
    body = read_release(release.folder, release.manifest)
    stages = body["tables"]["suspects_by_stage_and_year"]
    assert stages["column_values"] == ["2023"]
    assert cells(stages)[("investigated", "2023")] == 3  # the H3 case's suspect not counted
    assert stages["total"] == 3
    assert "justice_query" in release.manifest
    # The funnel has one year of registration here, so its one victim investigated (a cell
    # below the threshold) would follow from its row's total: that table is left out, the
    # others are released.
    assert "victims_by_justice_stage_and_year" in release.manifest["withheld"]
    assert "victims_by_justice_stage_and_year" not in body["tables"]
    assert not (Path(release.folder) / "victims_by_justice_stage_and_year.csv").exists()
    assert set(VICTIM_TABLES) <= set(body["tables"])


def test_noisy_tables_leave_the_criminal_justice_tables_out(world):
    client = world.api(Role.COORDINATOR)
    refused = client.post("/api/v1/releases", {"kind": "tables", "epsilon": "1",
                                               "columns": ["suspects_by_stage_and_year"]},
                          content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "columns"]
    assert "suppression only" in refused.json()["detail"][0]["msg"]
    noisy = client.post("/api/v1/releases", {"kind": "tables", "epsilon": "1"},
                        content_type="application/json")
    assert noisy.status_code == 202, noisy.content
    assert noisy.json()["parameters"]["columns"] == VICTIM_TABLES
