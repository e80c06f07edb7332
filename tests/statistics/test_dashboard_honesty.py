"""Issue 21, point 2: the dashboards do not mislead by default. An open year is marked partial
and never tested against a whole one; p-values read "p < 0.0001" in every language; the
coordinator entitled to every count sees internal dashboards whole (publications keep
disclosure control)."""

import re

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.registry.models import ExploitationRecord
from tests.statistics.dashboard_data import add_victims
from tests.statistics.test_dashboards import on_restricted_team, sex_table
from tests.web.test_i18n import client_in


@pytest.fixture
def last_year_full(world):
    """77 victims registered last year, 2 so far this year (AL)."""
    year = timezone.localdate().year
    add_victims(world.cases["AL-police"], 77, year=year - 1)
    add_victims(world.cases["AL-police"], 2, year=year)
    return world


def test_first_view_of_trends_raises_no_alert_caused_by_the_open_year(last_year_full):
    year = timezone.localdate().year
    board = last_year_full.api(Role.COORDINATOR).get("/api/v1/statistics/dashboards/trends").json()
    assert board["year_to"] == year and board["open_years"] == [year]
    assert not [a for a in board["alerts"] if a["year"] == year]
    trend = next(t for t in board["tables"] if t["name"] == "victims_per_year")
    assert trend["columns"][-1]["label"] == f"{year} (to date)"
    page = last_year_full.client(Role.COORDINATOR).get("/statistics/trends/").content.decode()
    assert "Significant fall" not in page
    assert f"{year} has not ended: its counts are partial" in page


def test_without_records_the_default_years_are_ended_ones(world):
    ExploitationRecord.objects.filter(case__jurisdiction_id="AL").delete()
    board = world.api(Role.COORDINATOR).get("/api/v1/statistics/dashboards/trends").json()
    assert board["year_to"] == timezone.localdate().year - 1 and board["open_years"] == []


@pytest.mark.parametrize("language", ["en", "sq", "sr-cyrl"])
def test_tiny_p_values_read_as_less_than(world, language):
    add_victims(world.cases["AL-police"], 5, year=2021)
    add_victims(world.cases["AL-police"], 60, year=2022)
    api = world.api(Role.COORDINATOR)
    [alert] = [a for a in api.get("/api/v1/statistics/dashboards/trends?year_from=2021&year_to=2022")
               .json()["alerts"] if a["table"] == "victims_per_year"]
    assert alert["p_value"] < 0.0001 and alert["p_text"] == "p < 0.0001"
    page = client_in(world, language, role=Role.COORDINATOR).get(
        "/statistics/trends/?year_from=2021&year_to=2022").content.decode()
    assert re.search(r"\(p &lt; 0[.,]0001\)", page), "the p-value is a symbol in every language"
    assert "0.0000" not in page and "0,0000" not in page


def test_entitled_coordinator_sees_internal_counts_whole(world):
    add_victims(world.cases["AL-police"], 20, year=2022, sex="F")
    add_victims(world.cases["AL-police"], 3, year=2022, sex="M")
    table = sex_table(world.api(Role.COORDINATOR))
    rows = {r["code"]: r for r in table["rows"]}
    assert rows["M"]["cells"][0] == 3 and table["disclosure_control"] is False
    page = world.client(Role.COORDINATOR).get("/statistics/victims/?year_from=2022&year_to=2023")
    assert "they are for internal use" in page.content.decode()
    # the regional indicators are a publication across jurisdictions: suppressed for everyone
    board = world.api(Role.COORDINATOR).get("/api/v1/statistics/dashboards/indicators").json()
    assert board["tables"][0]["disclosure_control"] is True


def test_a_coordinator_who_may_not_see_every_case_gets_suppressed_counts(world):
    on_restricted_team(world)
    add_victims(world.cases["AL-police"], 20, year=2022, sex="F")
    add_victims(world.cases["AL-police"], 3, year=2022, sex="M")
    table = sex_table(world.api(Role.COORDINATOR))
    assert table["disclosure_control"] is True
    assert 3 not in [c for r in table["rows"] for c in r["cells"]]

