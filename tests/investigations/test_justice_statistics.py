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


def test_markers_count_officials_groups_and_the_victims_trafficking(counted):
    """Point 5: investigated suspects who are public officials or in a named group, and the
    case's trafficking, cross-border or internal, from its victims' records."""
    from crossroads.registry.models import ExploitationRecord

    investigator = counted.user(Role.INVESTIGATOR)
    case = counted.cases["AL-police"]
    group = services.name_group(investigator, "Synthetic group of the test")
    services.mark_suspect(investigator, case, counted.persons["AL-suspect"].pk,
                          public_official=True, group_id=group.pk)
    records = ExploitationRecord.objects.filter(case=case)
    assert records.exists()
    records.update(citizenship="AL", country_of_recruitment="AL", country_of_exploitation="IT",
                   countries_of_transit=[])
    body = counted.api(Role.COORDINATOR).get(URL, {"year_from": 2023, "year_to": 2024}).json()
    markers = table(body, "justice_markers")
    assert markers["public_official"] == {"2023": 1, "2024": 0}  # one suspect, two charges
    assert markers["crime_group"] == {"2023": 1, "2024": 0}
    assert markers["cross_border"] == {"2023": 2, "2024": 0}  # both suspects of the case
    assert markers["internal"] == {"2023": 0, "2024": 0}
    records.update(country_of_exploitation="AL")
    body = counted.api(Role.COORDINATOR).get(URL, {"year_from": 2023, "year_to": 2024}).json()
    assert table(body, "justice_markers")["internal"]["2023"] == 2


def test_the_criminal_justice_page_shows_the_tables_to_coordinators_only(counted):
    page = counted.client(Role.COORDINATOR).get("/statistics/justice/",
                                                {"year_from": 2023, "year_to": 2024})
    text = page.content.decode()
    assert page.status_code == 200
    for title in ("Suspects by stage of the proceedings", "Convicted suspects by sentence",
                  "From identified victim to final conviction", "Investigated suspects by marker"):
        assert title in text
    assert 'aria-current="page"' in text and "Criminal justice" in text
    csv = counted.client(Role.COORDINATOR).get("/statistics/tables/justice_markers.csv",
                                               {"year_from": 2023, "year_to": 2024})
    assert csv.status_code == 200 and b"Public official" in csv.content
    assert AuditEntry.objects.filter(object_id="criminal justice", action="export").exists()
    for role in (Role.INVESTIGATOR, Role.CASE_WORKER):
        assert counted.client(role).get("/statistics/justice/").status_code in (403, 404)
