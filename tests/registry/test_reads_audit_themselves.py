"""A read that returns identities writes its own audit entry: calling the query function alone,
with no page or route around it, puts the read on record (actor, objects, `via`, break-glass
grants). The pages and the API only name the purpose."""

import pytest
from django.core.paginator import Paginator

from crossroads.access.choices import Role
from crossroads.assistance import queries as assistance_queries
from crossroads.assistance.services import identification
from crossroads.audit.models import Action, AuditEntry
from crossroads.linkage import node
from crossroads.linkage import queries as linkage_queries
from crossroads.pagination import page
from crossroads.registry import break_glass, queries, services
from tests.conftest import exploitation_input, person_input

PURPOSE = "Checking the handling of a complaint received by the ombudsman's office today."


def reads(actor):
    return AuditEntry.objects.filter(actor=actor.username, action=Action.READ_IDENTITY)


def last_read(actor) -> AuditEntry:
    return reads(actor).latest("id")


def test_person_detail_records_its_read(world):
    investigator = world.user(Role.INVESTIGATOR)
    victim = world.persons["AL-victim"]
    assert queries.person_detail(investigator, victim.pk, context="a test") == victim
    entry = last_read(investigator)
    assert (entry.object_type, entry.object_id, entry.details) == (
        "registry.person", str(victim.pk), {"via": "a test"})


def test_a_search_records_the_page_it_returns(world):
    investigator = world.user(Role.INVESTIGATOR)
    result = queries.persons_page(investigator, lambda qs: page(qs, 1, 0), context="a search",
                                  name="Krasniqi")
    assert [p.pk for p in result["items"]] == [world.persons["AL-victim"].pk]
    entry = last_read(investigator)
    assert entry.object_id == str(world.persons["AL-victim"].pk)
    assert entry.details["via"] == "a search"
    # A paginator's page (the web pages) is recorded the same way; nothing found, nothing read.
    before = reads(investigator).count()
    empty = queries.persons_page(investigator, lambda qs: Paginator(qs, 25).get_page(1),
                                 context="a search", name="Nobody Atall")
    assert list(empty) == [] and reads(investigator).count() == before


def test_the_case_page_records_its_persons_and_the_summary(world):
    investigator = world.user(Role.INVESTIGATOR)
    case = world.cases["AL-police"]
    shown = queries.case_page(investigator, case.pk, context="a case page")
    assert shown.case.named and shown.case.summary
    entry = last_read(investigator)
    assert entry.details["via"] == "a case page"
    assert set(entry.details["ids"]) == {world.persons["AL-victim"].pk,
                                         world.persons["AL-suspect"].pk}
    assert entry.details["cases"] == [case.pk]


def test_the_presenter_blanks_what_a_pseudonymous_reader_may_not_see(world):
    coordinator = world.user(Role.COORDINATOR)
    case = world.cases["AL-police"]
    for read in (queries.case_for_reader, queries.case_page):
        shown = read(coordinator, case.pk, context="pseudonymous")
        presented = getattr(shown, "case", shown)
        assert not presented.named and presented.summary is None
    assert not reads(coordinator).exists()


def test_a_read_under_break_glass_names_the_grant(world):
    coordinator = world.user(Role.COORDINATOR)
    case = world.cases["AL-police"]
    grant = break_glass.open_grant(coordinator, case.pk, PURPOSE, 2)
    shown = queries.case_for_reader(coordinator, case.pk, context="api case summary")
    assert shown.named and shown.summary
    entry = last_read(coordinator)
    assert (entry.object_type, entry.object_id) == ("registry.case", str(case.pk))
    assert entry.details == {"via": "api case summary", "break_glass": [grant.pk]}


def test_the_person_page_records_every_person_it_shows(world):
    investigator = world.user(Role.INVESTIGATOR)
    victim = world.persons["AL-victim"]
    shown = queries.person_page(investigator, victim.pk, context="a person page")
    assert shown.person == victim
    entry = last_read(investigator)
    assert entry.details["via"] == "a person page" and entry.object_id == str(victim.pk)


@pytest.fixture
def pair(world):
    investigator = world.user(Role.INVESTIGATOR, "RS")
    twin, _case, _ = services.register_victim(
        investigator, person_input(given="Jelena", family="Petrović"), services.CaseInput(),
        exploitation_input())
    node.candidates_for(investigator, twin)
    return investigator, twin


def test_the_review_queue_records_both_persons_of_each_pair(world, pair):
    investigator, twin = pair
    queue = linkage_queries.review_queue_page(investigator, lambda qs: page(qs, 10, 0),
                                              context="a queue")
    assert queue["count"] == 1
    entry = last_read(investigator)
    assert entry.details["via"] == "a queue"
    assert set(entry.details["ids"]) == {twin.pk, world.persons["RS-victim"].pk}
    queue, merges = linkage_queries.review_page(
        investigator, lambda qs: Paginator(qs, 20).get_page(1), context="a review page")
    assert len(queue) == 1 and merges == []
    assert last_read(investigator).details["via"] == "a review page"


def test_assistance_reads_record_the_victims(world):
    investigator = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    file = identification.open_file(investigator, case, victim)
    detail = assistance_queries.file_detail(investigator, file, context="a file")
    assert detail["person_id"] == victim.pk
    entry = last_read(investigator)
    assert (entry.object_id, entry.details) == (str(victim.pk), {"via": "a file"})

    details = assistance_queries.case_files(investigator, case, context="the files")
    assert [d["id"] for d in details] == [file.pk]
    assert last_read(investigator).details == {"via": "the files"}

    victims, files = assistance_queries.case_victims(investigator, case, context="the victims")
    assert victims == [victim] and files[victim.pk] == file
    assert last_read(investigator).details == {"via": "the victims"}
