"""Criminal-justice statistics (statistics.criminal_justice): per suspect, per stage and year,
sentence bands and the funnel from identified victim to final conviction; coordinators only,
H3 cases never counted, small cells suppressed, every read audited."""

import datetime

import pytest

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.investigations import services
from crossroads.registry import services as registry
from crossroads.registry.models import Case

from .helpers import suspect_with_proceeding

URL = "/api/v1/statistics/criminal-justice"
D = datetime.date


def convicted(world, case, person, offence, months, final=True):
    investigator = world.user(Role.INVESTIGATOR)
    proceeding = services.open_proceeding(investigator, case, services.ProceedingInput(
        person_id=person.pk, offence=offence, investigation_opened_on=D(2023, 3, 1)))
    for stage, on, outcome in [("indictment", D(2023, 6, 1), None),
                               ("verdict", D(2024, 2, 1), services.Outcome(verdict="convicted")),
                               ("sentence", D(2024, 2, 10), services.Outcome(custodial_months=months)),
                               *([("final", D(2024, 5, 1), None)] if final else [])]:
        proceeding = services.move_stage(investigator, proceeding, stage, on, outcome)
    return proceeding


def table(body, name):
    found = next(t for t in body["tables"] if t["name"] == name)
    return {r["code"]: dict(zip([c["code"] for c in found["columns"]], r["cells"], strict=True))
            for r in found["rows"]}


@pytest.fixture
def counted(world, settings):
    settings.CROSSROADS_SUPPRESSION_THRESHOLD = 1  # every count shown, to check the counting
    case, suspect = world.cases["AL-police"], world.persons["AL-suspect"]
    convicted(world, case, suspect, "thb", 96)
    convicted(world, case, suspect, "organised_crime", 30)  # same suspect: counted once
    second = registry.create_person(world.user(Role.INVESTIGATOR), registry.PersonInput(
        given_names="Dritan", family_name="Hysa", sex="M"))
    registry.add_involvement(world.user(Role.INVESTIGATOR), case, second, "suspect")
    convicted(world, case, second, "thb", 8, final=False)
    # An H3 case's proceeding is never counted.
    h3 = world.cases["AL-h3"]
    suspect_with_proceeding(h3.memberships.get().user, h3, "Ilir", "Pasha", D(2023, 3, 1))
    return world


def test_suspects_sentences_and_funnel(counted):
    body = counted.api(Role.COORDINATOR).get(URL, {"year_from": 2023, "year_to": 2024}).json()
    suspects = table(body, "justice_suspects")
    assert suspects["investigated"] == {"2023": 2, "2024": 0}
    assert suspects["prosecuted"] == {"2023": 2, "2024": 0}
    assert suspects["convicted"] == {"2023": 0, "2024": 2}
    assert suspects["final_conviction"] == {"2023": 0, "2024": 1}
    sentences = table(body, "justice_sentences")
    assert sentences["60_119"]["2024"] == 1 and sentences["36_59"]["2024"] == 0  # longest only
    assert sentences["under_12"]["2024"] == 1
    year = str(Case.objects.get(pk=counted.cases["AL-police"].pk).opened_on.year)
    body = counted.api(Role.COORDINATOR).get(URL, {"year_from": year, "year_to": year}).json()
    funnel = table(body, "justice_funnel")
    assert funnel["identified"][year] == 2  # the AL victims outside the H3 case
    assert funnel["investigation"][year] == funnel["final_conviction"][year] == 1
    assert AuditEntry.objects.filter(object_type="statistics.dashboard",
                                     object_id="criminal justice").exists()


def test_small_cells_are_suppressed(counted, settings):
    settings.CROSSROADS_SUPPRESSION_THRESHOLD = 5
    body = counted.api(Role.COORDINATOR).get(URL, {"year_from": 2023, "year_to": 2024}).json()
    assert table(body, "justice_suspects")["investigated"]["2023"] is None


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.PROSECUTOR, Role.CASE_WORKER,
                                  Role.ANALYST, Role.OVERSIGHT])
def test_only_coordinators_count(counted, role):
    assert counted.api(role).get(URL).status_code == 403


def test_another_jurisdiction_counts_its_own(counted):
    body = counted.api(Role.COORDINATOR, "RS").get(URL, {"year_from": 2023,
                                                        "year_to": 2024}).json()
    assert all(v in (0, None) for row in table(body, "justice_suspects").values()
               for v in row.values())


def test_bad_years_are_refused(counted):
    response = counted.api(Role.COORDINATOR).get(URL, {"year_from": 2024, "year_to": 2020})
    assert response.status_code == 422
