"""The coordinators' dashboards: for a coordinator who may not see every case behind them,
every table that leaves (page, CSV, API) is suppressed so that no small count can be read or
worked out from the totals; a coordinator entitled to every count sees them whole; access goes
through the policy; every read is audited."""

import csv
import io
import json
import re

import pytest

from crossroads.access.choices import Role
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.registry.choices import CaseStatus
from tests.statistics.dashboard_data import add_victims, move

YEARS = "year_from=2022&year_to=2023"


@pytest.fixture
def data(world):
    """AL: 2022: 20 women, 3 men (the small cell), 8 of unknown sex; 2023: 30 women, 12 men,
    9 unknown. RS: 40 women. (The world's own victims are registered this year.)"""
    case = world.cases["AL-police"]
    add_victims(case, 20, year=2022, sex="F")
    add_victims(case, 3, year=2022, sex="M")
    add_victims(case, 8, year=2022, sex="U")
    add_victims(case, 30, year=2023, sex="F")
    add_victims(case, 12, year=2023, sex="M")
    add_victims(case, 9, year=2023, sex="U")
    add_victims(world.cases["RS-police"], 40, year=2023, sex="F")
    return world


def on_restricted_team(world):
    """The AL coordinator on the team of a restricted case: their view is no longer exactly the
    unrestricted cases of AL, so their dashboards are suppressed like a publication."""
    world.cases["AL-h3"].team.add(world.user(Role.COORDINATOR))
    return world


@pytest.fixture
def unentitled(data):
    return on_restricted_team(data)


def solve(table):
    """Everything an attacker can work out from a published table (dict from the API):
    repeatedly solve a row or column, with its published total, that has one unknown."""
    cells = [list(r["cells"]) + [r["total"]] for r in table["rows"]]
    if table["column_totals"] is not None:
        cells.append(list(table["column_totals"]) + [table["total"]])
    n_rows, n_cols = len(cells), len(cells[0])
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    if table["column_totals"] is not None:
        lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    learnt, changed = {}, True
    while changed:
        changed = False
        for line in lines:
            hidden = [(i, j) for i, j in line if cells[i][j] is None]
            if len(hidden) == 1:
                *parts, (ti, tj) = line
                total_known = cells[ti][tj] is not None
                i, j = hidden[0]
                if (i, j) == (ti, tj):
                    cells[i][j] = sum(cells[a][b] for a, b in parts)
                elif total_known:
                    cells[i][j] = cells[ti][tj] - sum(cells[a][b] for a, b in parts
                                                      if (a, b) != (i, j))
                learnt[(i, j)] = cells[i][j]
                changed = True
    return learnt


def sex_table(client, route="api"):
    return client.get(f"/api/v1/statistics/tables/sex?{YEARS}").json()


def test_small_cell_is_hidden_and_not_recoverable_in_the_api(unentitled):
    table = sex_table(unentitled.api(Role.COORDINATOR))
    assert table["disclosure_control"] is True
    rows = {r["code"]: r for r in table["rows"]}
    assert rows["F"]["cells"] == [20, 30]
    assert rows["M"]["cells"] == [None, None]      # 3 men in 2022, and 12 to protect it
    assert rows["U"]["cells"] == [None, None]      # ... and the smallest cells of its columns
    assert rows["M"]["total"] == 15 and table["column_totals"] == [31, 51]
    assert 3 not in [c for r in table["rows"] for c in r["cells"]]
    assert not solve(table)                        # no hidden count follows from the totals


def test_small_total_is_hidden_too(world):
    on_restricted_team(world)
    add_victims(world.cases["AL-police"], 2, year=2022, sex="M",
                recruiter_relation="intimate_partner")
    table = world.api(Role.COORDINATOR).get(
        f"/api/v1/statistics/tables/recruiter_relation?{YEARS}").json()
    row = next(r for r in table["rows"] if r["code"] == "intimate_partner")
    assert row["total"] is None and row["cells"][0] is None
    assert not solve(table)


def test_page_and_csv_show_the_same_suppressed_table(unentitled):
    data = unentitled
    client = data.client(Role.COORDINATOR)
    page = client.get(f"/statistics/victims/?{YEARS}")
    assert page.status_code == 200
    html = page.content.decode()
    blocks = dict(re.findall(r'<script id="(chart-[a-z_]+)" type="application/json">(.*?)</script>',
                             html, re.S))
    chart = json.loads(blocks["chart-sex"])
    assert chart == {**sex_table(data.api(Role.COORDINATOR)), "kind": "bar"}
    assert "×" in html
    response = client.get(f"/statistics/tables/sex.csv?{YEARS}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sex-2022-2023.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    men = next(r for r in rows if r[0] == "Male")
    assert men[1] == "" and "3" not in men


@pytest.mark.parametrize("page", ["victims", "exploitation", "places", "trends", "funnel",
                                  "indicators"])
def test_every_page_and_its_tables_are_suppressed(unentitled, page):
    data = unentitled
    client = data.api(Role.COORDINATOR)
    board = client.get(f"/api/v1/statistics/dashboards/{page}?{YEARS}").json()
    assert board["tables"]
    for table in board["tables"]:
        values = [c for r in table["rows"] for c in r["cells"] + [r["total"]]]
        values += (table["column_totals"] or []) + [table["total"]]
        assert not [v for v in values if v is not None and 0 < v < 5], table["name"]
        assert not solve(table), table["name"]
        csv_response = data.client(Role.COORDINATOR).get(
            f"/statistics/tables/{table['name']}.csv?{YEARS}")
        body = list(csv.reader(io.StringIO(csv_response.content.decode())))
        assert not [v for row in body[1:] for v in row[1:] if v.isdigit() and 0 < int(v) < 5]
    assert data.client(Role.COORDINATOR).get(f"/statistics/{page}/?{YEARS}").status_code == 200


def test_reads_are_audited_once_and_downloads_as_exports(data):
    client = data.client(Role.COORDINATOR)
    before = AuditEntry.objects.count()
    client.get(f"/statistics/victims/?{YEARS}")
    entries = list(AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[:AuditEntry.objects.count() - before])
    assert len(entries) == 1
    view = entries[0]
    assert view.action == Action.VIEW_STATISTICS and view.object_type == "statistics.dashboard"
    assert view.details["tables"] == ["sex", "age_band", "minor", "citizenship",
                                      "vulnerable_group"]
    assert view.details["filters"] == {"year_from": 2022, "year_to": 2023}
    assert view.purpose and view.actor == "al_coordinator"
    client.get(f"/statistics/tables/sex.csv?{YEARS}")
    export = AuditEntry.objects.latest("pk")
    assert export.action == Action.EXPORT and export.details["tables"] == ["sex"]
    data.api(Role.COORDINATOR).get(f"/api/v1/statistics/tables/sex?{YEARS}",
                                   headers={"X-Purpose": "annual report"})
    assert AuditEntry.objects.latest("pk").purpose == "annual report"


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.INVESTIGATOR, Role.PROSECUTOR,
                                  Role.FOCAL_POINT, Role.ANALYST, Role.OVERSIGHT,
                                  Role.ADMINISTRATOR])
def test_other_roles_get_nothing(data, role):
    assert data.client(role).get("/statistics/victims/").status_code == 403
    assert data.client(role).get("/statistics/tables/sex.csv").status_code == 403
    assert data.api(role).get("/api/v1/statistics/tables/sex").status_code == 403
    assert data.api(role).get("/api/v1/statistics/dashboards/indicators").status_code == 403
    denied = AuditEntry.objects.latest("pk")
    assert denied.action == Action.DENIED and denied.details["capability"] == "view_statistics"


def test_other_jurisdiction_sees_only_its_own_records(data):
    table = data.api(Role.COORDINATOR, "RS").get(f"/api/v1/statistics/tables/sex?{YEARS}").json()
    rows = {r["code"]: r for r in table["rows"]}
    assert rows["F"]["cells"] == [0, 40] and "M" not in rows


def test_restricted_case_is_left_out(world):
    add_victims(world.cases["AL-h3"], 9, year=2022, sex="X")
    table = world.api(Role.COORDINATOR).get(f"/api/v1/statistics/tables/sex?{YEARS}").json()
    assert "X" not in {r["code"] for r in table["rows"]}


def test_bad_filters_name_the_field(data):
    api = data.api(Role.COORDINATOR)
    response = api.get("/api/v1/statistics/tables/sex?year_from=2023&year_to=2020")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "year_to"]
    assert api.get("/api/v1/statistics/tables/sex?year_from=abc").json()["detail"][0]["loc"][-1] \
        == "year_from"
    assert api.get("/api/v1/statistics/tables/nonsense").status_code == 422
    page = data.client(Role.COORDINATOR).get("/statistics/victims/?year_from=1800")
    assert page.status_code == 400 and 'id="e-year-from"' in page.content.decode()
    assert data.client(Role.COORDINATOR).get("/statistics/nonsense/").status_code == 404
    csv_response = data.client(Role.COORDINATOR).get("/statistics/tables/sex.csv?year_to=x")
    assert csv_response.status_code == 400 and b"year_to" in csv_response.content


def test_funnel_follows_the_status_history(data):
    case = data.cases["AL-police"]
    move(case, CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION, by=data.user(Role.INVESTIGATOR))
    add_victims(data.cases["AL-other"], 6, year=2023)    # a case that stays open
    funnel = data.api(Role.COORDINATOR).get(f"/api/v1/statistics/tables/funnel?{YEARS}").json()
    rows = {r["code"]: r["cells"] for r in funnel["rows"]}
    assert rows["identified"] == [31, 57]
    assert rows["investigation"] == rows["prosecution"] == [31, 51] and rows["trial"] == [0, 0]
    assert rows["conviction"] == [0, 0]
    assert funnel["column_totals"] is None


def test_funnel_counts_the_victims_of_a_case_closed_with_a_conviction(data):
    from crossroads.registry import services

    prosecutor = data.user(Role.PROSECUTOR)
    case = data.cases["AL-police"]
    for status in (CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION, CaseStatus.TRIAL):
        services.change_status(prosecutor, case, status)
    services.change_status(prosecutor, case, CaseStatus.CLOSED, outcome="acquittal")
    api = data.api(Role.COORDINATOR)
    rows = {r["code"]: r["cells"] for r in
            api.get(f"/api/v1/statistics/tables/funnel?{YEARS}").json()["rows"]}
    assert rows["trial"] == [31, 51] and rows["conviction"] == [0, 0]
    services.change_status(prosecutor, case, CaseStatus.OPEN, "Appeal: retrial ordered")
    for status in (CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION, CaseStatus.TRIAL):
        services.change_status(prosecutor, case, status)
    services.change_status(prosecutor, case, CaseStatus.CLOSED, outcome="conviction")
    funnel = api.get(f"/api/v1/statistics/tables/funnel?{YEARS}").json()
    rows = {r["code"]: r["cells"] for r in funnel["rows"]}
    assert rows["conviction"] == [31, 51]
    assert any("conviction" in note for note in funnel["notes"])


def test_trend_alert_on_a_crafted_rise(world):
    case = world.cases["AL-police"]
    add_victims(case, 10, year=2022, sex="F")
    add_victims(case, 30, year=2023, sex="F")
    board = world.api(Role.COORDINATOR).get(f"/api/v1/statistics/dashboards/trends?{YEARS}").json()
    alert = next(a for a in board["alerts"] if a["table"] == "victims_per_year")
    assert (alert["year"], alert["previous"], alert["current"]) == (2023, 10, 30)
    assert alert["p_value"] == pytest.approx(0.0022214, abs=1e-6)  # R: binom.test(30, 40)
    page = world.client(Role.COORDINATOR).get(f"/statistics/trends/?{YEARS}").content.decode()
    assert "Significant rise" in page and "exact conditional test" in page


def test_no_alert_without_a_significant_change(world):
    case = world.cases["AL-police"]
    add_victims(case, 20, year=2022, sex="F")
    add_victims(case, 23, year=2023, sex="F")
    board = world.api(Role.COORDINATOR).get(f"/api/v1/statistics/dashboards/trends?{YEARS}").json()
    assert not [a for a in board["alerts"] if a["table"] == "victims_per_year"]


def test_choropleth_draws_the_six_jurisdictions(data):
    page = data.client(Role.COORDINATOR).get(f"/statistics/places/?{YEARS}").content.decode()
    svg = re.search(r"<svg class=\"choropleth\".*?</svg>", page, re.S).group(0)
    assert svg.count("<path ") == 6
    titles = re.findall(r"<title>(.*?)</title>", svg)
    assert "Albania: 82" in titles and "Serbia: 0" in titles
    assert "map-c" in svg and "Legend" in page


def test_navigation_offers_statistics_to_coordinators_only(data):
    assert 'href="/statistics/"' in data.client(Role.COORDINATOR).get("/").content.decode()
    assert 'href="/statistics/"' not in data.client(Role.ANALYST).get("/").content.decode()


def test_indicators_rate_interval_and_flag(data):
    board = data.api(Role.COORDINATOR).get(
        f"/api/v1/statistics/dashboards/indicators?{YEARS}").json()
    found = {(i["jurisdiction"], i["group"]): i for i in board["indicators"]}
    al, rs = found[("AL", "total")], found[("RS", "total")]
    # 82 AL victim-years and 40 RS (all in 2022-2023), counted over the fixed five-year period
    # that holds the years asked for (2020-2024; finding 11), per 100,000 of the 2023 and 2022
    # censuses
    assert (board["year_from"], board["year_to"]) == (2020, 2024)
    assert al["count"] == 82 and al["population"] == 2_402_113
    assert al["rate"] == pytest.approx(82 / (5 * 2_402_113) * 1e5)
    assert al["low"] == pytest.approx(65.2179 / (5 * 2_402_113) * 1e5, rel=1e-4)
    assert al["high"] == pytest.approx(101.7838 / (5 * 2_402_113) * 1e5, rel=1e-4)
    assert al["regional"] == pytest.approx(122 / (5 * (2_402_113 + 6_647_003)) * 1e5)
    assert al["flagged"] and not rs["flagged"]
    # No population by sex is shipped for AL: no rate rather than a guess.
    assert found[("AL", "female")]["population"] is None and found[("AL", "female")]["rate"] is None
    page = data.client(Role.COORDINATOR).get(f"/statistics/indicators/?{YEARS}").content.decode()
    assert "above the regional rate" in page and "Garwood" in page and "INSTAT" in page


@pytest.mark.parametrize("jurisdiction", ["AL", "RS"])
def test_dashboards_read_exactly_the_records_the_policy_shows(world, jurisdiction):
    from crossroads.access.policy import VIEW, restrict
    from crossroads.registry.models import ExploitationRecord
    from crossroads.statistics.aggregates import records_for

    user = world.user(Role.COORDINATOR, jurisdiction)
    add_victims(world.cases[f"{jurisdiction}-h3"], 2, year=2022)
    expected = set(restrict(ExploitationRecord.objects.all(), user, VIEW).values_list("pk", flat=True))
    assert set(records_for(user).values_list("pk", flat=True)) == expected
    assert expected and not expected & set(world.cases[f"{jurisdiction}-h3"].exploitation_records
                                           .values_list("pk", flat=True))


def test_a_merged_duplicate_counts_once(data):
    from crossroads.registry.models import Person

    first, second = add_victims(data.cases["AL-police"], 2, year=2022, sex="X")
    Person.objects.filter(pk=second.person_id).update(merged_into_id=first.person_id)
    add_victims(data.cases["AL-police"], 10, year=2022, sex="X")
    table = data.api(Role.COORDINATOR).get(f"/api/v1/statistics/tables/sex?{YEARS}").json()
    assert next(r for r in table["rows"] if r["code"] == "X")["cells"][0] == 11


def test_default_years_span_the_visible_records(data):
    from django.utils import timezone

    add_victims(data.cases["AL-h3"], 6, year=2015)   # restricted: not visible, not the start
    board = data.api(Role.COORDINATOR).get("/api/v1/statistics/dashboards/trends").json()
    assert (board["year_from"], board["year_to"]) == (2022, timezone.localdate().year)
