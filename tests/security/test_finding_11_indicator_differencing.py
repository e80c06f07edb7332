"""Finding 11 (issue 13, indicators): suppressed-cell differencing across overlapping year
ranges of the risk indicators. The attacker asks the indicator counts for every year range
and subtracts every pair of nested ranges whose difference is one year: if that year's cell is
suppressed when asked alone, the subtraction recovers it. The ranges are now fixed five-year
periods (any two are the same or disjoint), so no pair of answers differs by one year."""

import itertools

import pytest

from crossroads.access.choices import Role
from crossroads.registry import services
from tests.conftest import exploitation_input, person_input

# Victims per (jurisdiction, sex, year): AL women in 2021 are 2, below the threshold of 5.
VICTIMS = {("AL", "F", 2020): 9, ("AL", "M", 2020): 9, ("AL", "F", 2021): 2,
           ("AL", "M", 2021): 9, ("RS", "F", 2020): 9, ("RS", "M", 2020): 9,
           ("RS", "F", 2021): 9, ("RS", "M", 2021): 9}
YEARS = range(2018, 2024)


@pytest.fixture
def victims(world):
    for (code, sex, year), n in VICTIMS.items():
        for i in range(n):
            services.register_victim(
                world.user(Role.INVESTIGATOR, code),
                person_input(given="Test" + "abcdefghij"[i] + "klmnopqrst"[year % 10],
                             family=f"Victim{code}", sex=sex),
                services.CaseInput(), exploitation_input(year_of_registration=year))
    return world


def cells(api, first, last) -> tuple[tuple[int, int], dict]:
    """The years the answer covers, and its published cells and row totals by key."""
    answer = api.get("/api/v1/statistics/dashboards/indicators",
                     {"year_from": first, "year_to": last})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    table, published = body["tables"][0], {}
    for row in table["rows"]:
        for column, value in zip(table["columns"], row["cells"], strict=True):
            published[(row["code"], column["code"])] = value
        published[(row["code"], "total")] = row["total"]
    return (body["year_from"], body["year_to"]), published


def test_finding_11_differencing_year_ranges_recovers_no_suppressed_indicator_cell(victims):
    api = victims.api(Role.COORDINATOR)
    answers = {}
    for first, last in itertools.combinations_with_replacement(YEARS, 2):
        covered, published = cells(api, first, last)
        answers[covered] = published
    recovered = []
    for (wide, big), (narrow, small) in itertools.permutations(answers.items(), 2):
        extra = set(range(wide[0], wide[1] + 1)) - set(range(narrow[0], narrow[1] + 1))
        nested = set(range(narrow[0], narrow[1] + 1)) <= set(range(wide[0], wide[1] + 1))
        if not nested or len(extra) != 1:
            continue
        year = extra.pop()
        alone = answers.get((year, year)) or cells(api, year, year)[1]
        for key, value in alone.items():
            if value is None and big.get(key) is not None and small.get(key) is not None:
                recovered.append((key, year, big[key] - small[key]))
    assert recovered == []
    # Every answer covers one whole fixed period: two answers are the same period or disjoint.
    from crossroads.statistics.indicators import PERIOD_YEARS, period_of

    for first, last in answers:
        assert (first, last) == (period_of(last).first, period_of(last).last)
        assert last - first + 1 == PERIOD_YEARS


def test_finding_11_the_cell_is_suppressed_and_the_period_is_named(victims):
    api = victims.api(Role.COORDINATOR)
    covered, _published = cells(api, 2021, 2021)
    assert covered == (2020, 2024)
    page = victims.client(Role.COORDINATOR).get("/statistics/indicators/?year_from=2021&year_to=2021")
    assert page.status_code == 200 and "2020–2024" in page.content.decode()
