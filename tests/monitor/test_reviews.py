"""Review cycles, assessments, the consultation and recommendations, through the pages and
the services' refusals; attackers of every page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.access.policy import PolicyDenied
from crossroads.monitor import queries, services
from crossroads.monitor.models import Assessment, Comment, FollowUp, ReviewCycle

from .helpers import LAW, closed_cycle


def test_a_cycle_starts_from_the_previous_one_and_shows_the_differences(world, catalogue):
    first = closed_cycle(world, 2024)
    coordinator = world.client(Role.COORDINATOR)
    answer = coordinator.post("/monitor/cycles/", {"year": 2025, "title": "Review 2025",
                                                    "start_from_previous": "on"})
    assert answer.status_code == 302
    second = ReviewCycle.objects.get(year=2025)
    assert second.previous == first and second.assessments.count() == 89
    carried = second.assessments.get(obligation__key="palermo-3-b")
    assert (carried.status, carried.law, carried.in_force_on) == (
        "aligned", "Criminal Code", datetime.date(2013, 6, 1))
    assert FollowUp.objects.filter(cycle=second).count() == 1   # the open recommendation
    assert queries.differences(second) == []
    page = coordinator.post(f"/monitor/assessments/{carried.pk}/", {
        "step": "assess", "status": "partly", "law": "Criminal Code", "law_article": "110a",
        "in_force_on": "2025-01-01", "evidence": "Amended.", "confidence": "medium"})
    assert page.status_code == 302
    differences = queries.differences(second)
    assert [d.obligation.key for d in differences] == ["palermo-3-b"]
    assert differences[0].changed == ["status", "law_article", "in_force_on", "confidence"]
    shown = coordinator.get(f"/monitor/cycles/{second.pk}/").content.decode()
    assert "Changes since the previous cycle" in shown and "Partly aligned" in shown


def test_assessing_names_every_mistake_at_once_and_a_closed_cycle_does_not_change(world, catalogue):
    coordinator = world.user(Role.COORDINATOR)
    cycle = services.open_cycle(coordinator, year=2024, title="R")
    item = cycle.assessments.first()
    with pytest.raises(ValidationError) as error:
        services.assess(coordinator, item, services.AssessmentInput(
            status="maybe", confidence="total", law="x" * 301))
    assert set(error.value.message_dict) == {"status", "confidence", "law"}
    services.close_cycle(coordinator, cycle)
    with pytest.raises(ValidationError, match="closed"):
        services.assess(coordinator, item, LAW)
    with pytest.raises(ValidationError) as again:
        services.open_cycle(coordinator, year=2024, title="")
    assert set(again.value.message_dict) == {"title", "year"}


def test_the_consultation_takes_comments_only_while_open_and_counts_them(world, catalogue):
    coordinator, ngo = world.user(Role.COORDINATOR), world.client(Role.HOTLINE_OPERATOR)
    cycle = services.open_cycle(coordinator, year=2024, title="R")
    item = cycle.assessments.get(obligation__key="palermo-3-b")
    url = f"/monitor/assessments/{item.pk}/"
    assert ngo.get(url).status_code == 404                       # a draft is not shown
    services.open_consultation(coordinator, cycle, timezone.localdate() + datetime.timedelta(days=7))
    assert ngo.post(url, {"step": "comment", "text": "The NGO view."}).status_code == 302
    world.client(Role.CASE_WORKER).post(url, {"step": "comment", "text": "The shelter view."})
    assert Comment.objects.count() == 2
    # the other jurisdiction's staff cannot see or comment
    assert world.client(Role.CASE_WORKER, "RS").post(url, {"step": "comment", "text": "x"}
                                                     ).status_code == 404
    # an author sees their own comment only
    assert "The shelter view." not in ngo.get(url).content.decode()
    with pytest.raises(ValidationError, match="wait for an answer"):
        services.close_cycle(coordinator, cycle)
    coordinator_page = world.client(Role.COORDINATOR)
    for comment, uptake in zip(Comment.objects.order_by("id"), ["taken_up", "not_taken_up"],
                               strict=True):
        assert coordinator_page.post(url, {"step": "answer", "comment": comment.pk,
                                           "answer": "Thanks.", "uptake": uptake}
                                     ).status_code == 302
    counts = queries.consultation_counts(queries.comments(coordinator, cycle))
    assert (counts.comments, counts.agencies, counts.answered) == (2, 2, 2)
    assert counts.uptake["taken_up"] == 1 and counts.taken_up_share == 0.5
    assert coordinator_page.post(f"/monitor/cycles/{cycle.pk}/", {"step": "close"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "closed"
    assert ngo.post(url, {"step": "comment", "text": "Late."}).status_code == 200
    assert Comment.objects.count() == 2


def test_recommendations_are_followed_across_cycles(world, catalogue):
    closed_cycle(world, 2024)
    coordinator = world.user(Role.COORDINATOR)
    second = services.open_cycle(coordinator, year=2025, title="R2")
    follow = FollowUp.objects.get(cycle=second)
    client = world.client(Role.COORDINATOR)
    assert client.post(f"/monitor/cycles/{second.pk}/", {
        "step": "follow_up", "recommendation": follow.recommendation_id, "status": "implemented",
        "note": "Curriculum adopted."}).status_code == 302
    history = [(f.cycle.year, f.status) for f in follow.recommendation.follow_ups.order_by("cycle__year")]
    assert history == [(2024, "not_started"), (2025, "implemented")]
    third = services.open_cycle(coordinator, year=2026, title="R3")
    assert not FollowUp.objects.filter(cycle=third).exists()   # implemented: not carried
    with pytest.raises(ValidationError) as error:
        services.recommend(coordinator, third, services.RecommendationInput(
            text="", addressee="", obligation="no-such"))
    assert set(error.value.message_dict) == {"text", "addressee", "obligation"}


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.CASE_WORKER, Role.ANALYST,
                                  Role.OVERSIGHT, Role.ADMINISTRATOR])
def test_who_is_not_a_coordinator_cannot_run_the_review(world, catalogue, role):
    coordinator = world.user(Role.COORDINATOR)
    cycle = services.open_cycle(coordinator, year=2024, title="R")
    services.open_consultation(coordinator, cycle, timezone.localdate())
    item = cycle.assessments.first()
    client = world.client(role)
    assert client.post("/monitor/cycles/", {"year": 2030, "title": "x"}).status_code in (403, 404)
    assert client.post(f"/monitor/cycles/{cycle.pk}/", {"step": "close"}).status_code in (403, 404)
    assert client.post(f"/monitor/assessments/{item.pk}/", {
        "step": "assess", "status": "aligned", "law": "x", "confidence": "high"}
    ).status_code in (403, 404)
    assert client.get(f"/monitor/cycles/{cycle.pk}/report/?language=en&format=html"
                      ).status_code in (403, 404)
    with pytest.raises(PolicyDenied):
        services.close_cycle(world.user(role), cycle)
    assert ReviewCycle.objects.get(pk=cycle.pk).status == "consultation"


def test_a_coordinator_of_another_jurisdiction_sees_nothing_of_the_cycle(world, catalogue):
    cycle = services.open_cycle(world.user(Role.COORDINATOR), year=2024, title="R")
    other = world.client(Role.COORDINATOR, "RS")
    assert other.get(f"/monitor/cycles/{cycle.pk}/").status_code == 404
    assert other.get(f"/monitor/assessments/{cycle.assessments.first().pk}/").status_code == 404
    assert other.get(f"/monitor/cycles/{cycle.pk}/report/?language=en&format=html").status_code == 404
    with pytest.raises(PolicyDenied):
        services.close_cycle(world.user(Role.COORDINATOR, "RS"), cycle)


def test_unauthenticated_visitors_are_sent_to_log_in(world, catalogue):
    from django.test import Client

    cycle = services.open_cycle(world.user(Role.COORDINATOR), year=2024, title="R")
    for url in ("/monitor/cycles/", f"/monitor/cycles/{cycle.pk}/", "/monitor/obligations/",
                f"/monitor/assessments/{cycle.assessments.first().pk}/"):
        answer = Client().get(url)
        assert answer.status_code == 302 and "/login/" in answer.url
    assert Assessment.objects.filter(cycle=cycle).count() == 89
