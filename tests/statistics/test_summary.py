"""The dashboards' maintained summary: what a dashboard shows is the live count whatever the
summary's state (never built, current, or behind a write the database's triggers saw), unless
the operator lets recent stored counts stand in for a written year (CROSSROADS_SUMMARY_MAX_AGE),
in which case the tables say as of when; a recount makes it current again."""

import pytest
from django.core.management import call_command

from crossroads.access.choices import Role
from crossroads.access.policy import VIEW, restrict
from crossroads.registry.choices import CaseStatus
from crossroads.registry.models import Case, CaseStatusChange, ExploitationRecord, Person
from crossroads.registry.rules import unrestricted_cases_jurisdiction
from crossroads.statistics import summary
from crossroads.statistics.dashboards import PAGES, dashboard
from crossroads.statistics.models import SummaryCount
from tests.statistics.dashboard_data import add_victims, move

YEARS = {"year_from": "2021", "year_to": "2023"}


@pytest.fixture
def data(world):
    case = world.cases["AL-police"]
    add_victims(case, 14, year=2021, sex="F", form_forced_labour=True, age_band="18--20")
    add_victims(case, 25, year=2022, sex="F", means_of_control=["threats", "debt_bondage"])
    add_victims(case, 12, year=2022, sex="M", is_minor=True, age_band="9--17")
    add_victims(case, 17, year=2023, sex="M", citizenship="XK", municipality_of_exploitation="Vlorë")
    add_victims(world.cases["AL-h3"], 9, year=2022, sex="F")
    add_victims(world.cases["RS-police"], 30, year=2022, sex="F")
    move(case, CaseStatus.INVESTIGATION, CaseStatus.PROSECUTION, by=world.user(Role.PROSECUTOR))
    return world


def boards(user) -> dict:
    return {page: [t.as_dict() for t in dashboard(user, page, YEARS).tables] for page in PAGES}


def sex_cell(user, sex, year):
    table = next(t for t in dashboard(user, "victims", YEARS).tables if t.name == "sex")
    return table.cell(sex, year)


def test_the_summary_gives_every_table_exactly_the_live_counts(data):
    user = data.user(Role.COORDINATOR)
    live = boards(user)            # nothing counted yet: every year is counted live
    summary.recount_changed()
    assert summary.next_changed() is None
    assert boards(user) == live


def test_a_current_summary_is_what_the_dashboards_read(data):
    """Proof that the stored counts are read: a stored count altered behind the triggers' back
    shows."""
    user = data.user(Role.COORDINATOR)
    summary.recount_changed()
    SummaryCount.objects.filter(jurisdiction_id="AL", measure="sex", year=2022, code='"F"') \
        .update(victims=99)
    assert sex_cell(user, "F", 2022) == 99


@pytest.mark.parametrize("write", ["add", "delete", "move_year", "restrict_case", "merge",
                                   "sex", "status", "bulk_update"])
def test_every_write_behind_a_count_shows_at_once_and_after_the_recount(data, write, settings):
    settings.CROSSROADS_SUMMARY_MAX_AGE = 0
    user = data.user(Role.COORDINATOR)
    summary.recount_changed()
    case = data.cases["AL-police"]
    record = ExploitationRecord.objects.filter(case=case, year_of_registration=2022,
                                               person__sex="F").first()
    if write == "add":
        add_victims(case, 3, year=2022, sex="F")
    elif write == "delete":
        record.delete()
    elif write == "move_year":
        record.year_of_registration = 2023
        record.save()
    elif write == "restrict_case":
        Case.objects.filter(pk=case.pk).update(handling_code="H3")
    elif write == "merge":
        other = ExploitationRecord.objects.filter(case=case, year_of_registration=2022,
                                                  person__sex="F").exclude(pk=record.pk).first()
        Person.objects.filter(pk=other.person_id).update(merged_into_id=record.person_id)
    elif write == "sex":
        person = record.person
        person.sex = "X"
        person.save()
    elif write == "status":
        CaseStatusChange.objects.create(case=case, from_status=case.status,
                                        to_status=CaseStatus.TRIAL,
                                        changed_by=data.user(Role.PROSECUTOR))
    elif write == "bulk_update":
        ExploitationRecord.objects.filter(case=case, year_of_registration=2021).update(
            year_of_registration=2022)
    assert summary.next_changed() == "AL"
    expected = _live(user)
    assert boards(user) == expected, "a changed year is counted live"
    summary.recount_changed()
    assert boards(user) == expected, "and stored by the recount"


def _live(user):
    """The boards counted by a user whose view is not the summary's (a restricted team)."""
    from unittest import mock

    with mock.patch.object(summary, "unrestricted_cases_jurisdiction", return_value=None):
        return boards(user)


def test_recent_counts_stand_in_for_a_written_year_and_say_as_of_when(data, settings):
    from datetime import timedelta

    from django.utils import timezone

    from crossroads.statistics.models import SummaryBuild

    user = data.user(Role.COORDINATOR)
    summary.recount_changed()
    before = sex_cell(user, "F", 2022)
    add_victims(data.cases["AL-police"], 6, year=2022, sex="F")
    board = dashboard(user, "victims", YEARS)
    assert board.tables[0].cell("F", 2022) == before
    assert all(any("The counts of 2022 are as of" in note for note in t.notes)
               for t in board.tables)
    SummaryBuild.objects.filter(year=2022).update(built_at=timezone.now() - timedelta(
        seconds=settings.CROSSROADS_SUMMARY_MAX_AGE + 1))
    assert sex_cell(user, "F", 2022) == before + 6, "too old: counted live"
    summary.recount_changed()
    board = dashboard(user, "victims", YEARS)
    assert board.tables[0].cell("F", 2022) == before + 6
    assert not any("as of" in note for t in board.tables for note in t.notes)


def test_a_year_written_while_it_is_counted_stays_changed(data, settings):
    settings.CROSSROADS_SUMMARY_MAX_AGE = 0
    user = data.user(Role.COORDINATOR)
    counting = summary.MEASURES["sex"]

    def count_then_write(records):
        found = counting(records)
        add_victims(data.cases["AL-police"], 4, year=2022, sex="F")   # a write meanwhile
        return found

    summary.MEASURES["sex"] = count_then_write
    try:
        stored = summary.recount("AL")
    finally:
        summary.MEASURES["sex"] = counting
    assert 2022 not in stored and {2021, 2023} <= set(stored)
    assert summary.next_changed() == "AL"
    assert sex_cell(user, "F", 2022) == 29


def test_a_coordinator_on_a_restricted_team_is_counted_live_with_that_case(data):
    user = data.user(Role.COORDINATOR)
    summary.recount_changed()
    before = sex_cell(user, "F", 2022)
    assert unrestricted_cases_jurisdiction(user) == "AL"
    data.cases["AL-h3"].team.add(user)
    assert unrestricted_cases_jurisdiction(user) is None
    assert sex_cell(user, "F", 2022) == before + 9


@pytest.mark.parametrize("role", list(Role))
def test_the_summary_scope_is_exactly_what_the_policy_shows(data, role):
    from crossroads.registry import break_glass

    user = data.user(role)
    if role == Role.COORDINATOR:   # a grant opens nothing beyond the unrestricted cases
        break_glass.open_grant(user, data.cases["AL-police"].pk, "Checking a referral for "
                               "the annual report", 2)
    code = unrestricted_cases_jurisdiction(user)
    if code is None:
        return
    unrestricted = Case.objects.filter(jurisdiction_id=code).exclude(handling_code="H3")
    assert set(restrict(Case.objects.all(), user, VIEW)) == set(unrestricted)


def test_only_statistics_readers_count_the_summary(data):
    summary.recount_changed()
    for role in Role:
        counted = restrict(SummaryCount.objects.all(), data.user(role), "count").exists()
        assert counted == (role == Role.COORDINATOR), role
        assert not restrict(SummaryCount.objects.all(), data.user(role), VIEW).exists()


def test_the_task_runner_recounts_the_changed_years(data):
    assert summary.next_changed() is not None
    call_command("tasks", "work", "--once")
    assert summary.next_changed() is None


def test_recount_after_a_restore_that_bypassed_the_triggers(data, settings):
    """A stored count altered behind the triggers' back (as a data-only restore would leave
    it) is corrected once the operator has the summary recounted."""
    user = data.user(Role.COORDINATOR)
    summary.recount_changed()
    true = sex_cell(user, "F", 2022)
    SummaryCount.objects.filter(jurisdiction_id="AL", measure="sex", year=2022, code='"F"') \
        .update(victims=true + 40)
    call_command("tasks", "recount")
    assert sex_cell(user, "F", 2022) == true, "counted live until recounted"
    call_command("tasks", "work", "--once")
    assert summary.next_changed() is None and sex_cell(user, "F", 2022) == true
