"""Training sessions and their yearly counts (page, service refusals, attackers, the report)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from crossroads.access.choices import Role
from crossroads.access.policy import PolicyDenied
from crossroads.monitor import queries, services
from crossroads.monitor.models import TrainingSession

SESSION = {"title": "Identifying victims at the border", "topic": "identification",
           "organiser": "OSCE", "starts_on": "2025-03-10", "ends_on": "2025-03-12",
           "agency_0": "police", "profession_0": "border", "women_0": "7", "men_0": "11",
           "agency_1": "prosecution", "profession_1": "prosecutor", "women_1": "4", "men_1": ""}


def test_a_coordinator_records_a_session_and_the_year_is_counted(world):
    client = world.client(Role.COORDINATOR)
    answer = client.post("/monitor/training/", SESSION)
    assert answer.status_code == 302 and answer.url.endswith("?year=2025")
    services.record_training(world.user(Role.COORDINATOR), services.TrainingInput(
        title="Child protection", topic="child_protection", organiser="UNODC",
        starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 9, 1),
        groups=[services.Group("social_services", "social_worker", "F", 9)]))
    page = client.get("/monitor/training/?year=2025").content.decode()
    assert "31 officials trained in 2 sessions, including 20 women." in page
    counts = queries.training_year("AL", 2025)
    assert (counts.participants, counts.women) == (31, 20)
    assert ("Border police officer", 18, 7) in counts.by_profession
    assert queries.training_year("AL", 2024).participants == 0
    assert queries.training_year("RS", 2025).participants == 0


def test_every_mistake_is_named_at_once(world):
    with pytest.raises(ValidationError) as error:
        services.record_training(world.user(Role.COORDINATOR), services.TrainingInput(
            title="", topic="dancing", organiser="", starts_on=datetime.date(2025, 3, 2),
            ends_on=datetime.date(2025, 3, 1), groups=[
                services.Group("police", "police", "F", 0),
                services.Group("police", "police", "F", 3),
                services.Group("bakery", "police", "M", 3)]))
    assert set(error.value.message_dict) == {"title", "topic", "organiser", "ends_on",
                                             "groups.0.count", "groups.1", "groups.2"}
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.CASE_WORKER, Role.ANALYST,
                                  Role.OVERSIGHT, Role.ADMINISTRATOR, Role.HOTLINE_OPERATOR])
def test_only_coordinators_record_training(world, role):
    assert world.client(role).post("/monitor/training/", SESSION).status_code == 403
    with pytest.raises(PolicyDenied):
        services.record_training(world.user(role), services.TrainingInput(
            title="x", topic="prosecution", organiser="y", starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 1, 1), groups=[services.Group("police", "police", "F", 1)]))
    assert not TrainingSession.objects.exists()


def test_other_jurisdictions_sessions_are_not_shown_and_the_report_counts_them(world, tmp_path):
    world.client(Role.COORDINATOR).post("/monitor/training/", SESSION)
    assert "0 officials trained" in world.client(Role.COORDINATOR, "RS").get(
        "/monitor/training/?year=2025").content.decode()
    assert "18 officials" not in world.client(Role.ANALYST, "RS").get(
        "/monitor/training/?year=2025").content.decode()
    out = tmp_path / "r.html"
    call_command("report", "annual", "--jurisdiction", "AL", "--year", "2025", "--language",
                 "en", "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "22 officials trained in 1 sessions, including 11 women." in html
    assert "OSCE 2025-03-10" in html
