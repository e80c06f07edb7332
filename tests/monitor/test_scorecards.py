"""Scorecards: the score on crafted assessments, the previous cycle's comparison, who may read
them (page and API), and the publication of a closed cycle's scorecard (four eyes, counts only)."""

import json

import pytest
from django.core.exceptions import ValidationError

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.access.policy import PolicyDenied
from crossroads.exchange.models import OutboxMessage
from crossroads.monitor import scoring, services
from crossroads.monitor.models import Assessment, ReviewCycle, ScorecardPublication
from crossroads.regional.scorecards import KIND

from .helpers import closed_cycle


def craft(cycle, pillar, statuses):
    """Give the first obligations of `pillar` in `cycle` these statuses (the rest unknown)."""
    items = list(Assessment.objects.filter(cycle=cycle, obligation__pillar=pillar)
                 .order_by("obligation_id"))
    for item, status in zip(items, statuses, strict=False):
        Assessment.objects.filter(pk=item.pk).update(status=status)
    return len(items)


def group(card, pillar):
    return next(g for g in card.pillars if g.key == pillar)


def second_coordinator(world, code="AL"):
    return User.objects.create_user(f"{code.lower()}_coordinator_2", password="x" * 16,
                                    role=Role.COORDINATOR,
                                    agency=world.agencies[(code, "coordinator")])


def test_the_score_is_plain_arithmetic_and_nothing_assessed_is_no_score():
    counts = {**scoring.empty_counts(), "aligned": 2, "partly": 1, "not_aligned": 1,
              "not_applicable": 3, "unknown": 2}
    crafted = scoring.Group("prevention", counts)
    assert crafted.score == 62.5          # (2 + 0.5) / 4
    assert crafted.unknown_share == 33.3  # 2 unknown of the 6 that apply
    unknown = scoring.Group("x", {**scoring.empty_counts(), "unknown": 5, "not_applicable": 1})
    assert unknown.score is None and unknown.unknown_share == 100.0
    assert scoring.Group("x", scoring.empty_counts()).unknown_share is None
    assert scoring.change(62.5, None) is None and scoring.change(70.0, 62.5) == 7.5
    assert [scoring.band(s) for s in (None, 10, 25, 60, 75)] == ["none", "poor", "low", "mid",
                                                                  "high"]


def test_scores_on_crafted_assessments_and_the_previous_cycle(world, catalogue):
    coordinator = world.user(Role.COORDINATOR)
    first = services.open_cycle(coordinator, year=2024, title="Review 2024")
    fresh = services.scorecard(coordinator, cycle_id=first.pk)
    assert all(g.score is None for g in fresh.pillars + fresh.instruments)  # all unknown: no 0
    assert fresh.overall.unknown_share == 100.0
    size = craft(first, "prevention", ["aligned", "aligned", "partly", "not_aligned",
                                       "not_applicable"])
    card = services.scorecard(coordinator, cycle_id=first.pk)
    prevention = group(card, "prevention")
    assert prevention.counts == {"aligned": 2, "partly": 1, "not_aligned": 1,
                                 "not_applicable": 1, "unknown": size - 5}
    assert prevention.score == 62.5
    assert prevention.unknown_share == round(100 * (size - 5) / (size - 1), 1)
    assert group(card, "protection").score is None
    assert sum(g.total for g in card.instruments) == 89 == card.overall.total
    services.close_cycle(coordinator, first)

    second = services.open_cycle(coordinator, year=2025, title="Review 2025")
    craft(second, "prevention", ["aligned"] * 4)
    craft(second, "protection", ["not_aligned"])
    card = services.scorecard(coordinator, cycle_id=second.pk)
    assert card.previous == first
    changes = {c.key: c for c in card.pillar_changes}
    assert (changes["prevention"].before, changes["prevention"].now) == (62.5, 100.0)
    assert changes["prevention"].change == 37.5
    assert changes["protection"].change is None  # no score before: no change, not a number
    latest = services.scorecard(coordinator)  # without a cycle: the latest of the jurisdiction
    assert latest.cycle == second

    page = world.client(Role.COORDINATOR).get(f"/monitor/cycles/{second.pk}/scorecard/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "+37.5" in text and "62.5" in text and "no score (nothing assessed)" in text
    assert "Tier 2" in text and 'href="https://www.ecoi.net/' in text  # TIP tiers, with sources
    assert f'href="/monitor/cycles/{second.pk}/scorecard/"' in world.client(
        Role.COORDINATOR).get(f"/monitor/cycles/{second.pk}/").content.decode()


def test_the_api_answers_one_scorecard_and_names_bad_fields(world, catalogue):
    cycle = closed_cycle(world, 2024)
    api = world.api(Role.COORDINATOR)
    answer = api.get(f"/api/v1/legal/scorecards?jurisdiction=AL&cycle={cycle.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["jurisdiction"], body["cycle"], body["year"], body["status"]) == (
        "AL", cycle.pk, 2024, "closed")
    assert [p["key"] for p in body["pillars"]] == list(scoring.PILLARS)
    assert [i["key"] for i in body["instruments"]] == ["palermo", "cets197", "eu_directive"]
    assert body["overall"]["counts"]["aligned"] == 1 and body["overall"]["score"] == 100.0
    assert body["tip_tiers"] and all(t["source"].startswith("http") for t in body["tip_tiers"])
    assert all(f["source"].startswith("http") for f in body["figures"])
    assert api.get("/api/v1/legal/scorecards").json()["cycle"] == cycle.pk
    bad = api.get("/api/v1/legal/scorecards?jurisdiction=ZZ")
    assert bad.status_code == 422 and "jurisdiction" in json.dumps(bad.json())
    other = api.get(f"/api/v1/legal/scorecards?jurisdiction=RS&cycle={cycle.pk}")
    assert other.status_code == 422 and "cycle" in json.dumps(other.json())
    assert api.get("/api/v1/legal/scorecards?cycle=x").status_code == 422
    # an analyst of another jurisdiction reads closed cycles (the monitor's read rule)
    assert world.api(Role.ANALYST, "RS").get(
        f"/api/v1/legal/scorecards?cycle={cycle.pk}").status_code == 200


def test_wrong_roles_and_other_jurisdictions_are_refused(world, catalogue):
    coordinator = world.user(Role.COORDINATOR)
    draft = services.open_cycle(coordinator, year=2024, title="Draft")
    url = f"/monitor/cycles/{draft.pk}/scorecard/"
    assert world.client(Role.COORDINATOR, "RS").get(url).status_code == 404
    assert world.client(Role.ANALYST).get(url).status_code == 404          # not closed yet
    assert world.client(Role.CASE_WORKER).get(url).status_code == 404      # a draft
    for role in (Role.OVERSIGHT, Role.ADMINISTRATOR):
        assert world.client(role).get(url).status_code == 403
        assert world.api(role).get(f"/api/v1/legal/scorecards?cycle={draft.pk}").status_code == 403
    assert world.api(Role.COORDINATOR, "RS").get(
        f"/api/v1/legal/scorecards?cycle={draft.pk}").status_code == 404
    assert world.client(Role.ANALYST).post(url, {"step": "publish"}).status_code in (403, 404)
    services.close_cycle(coordinator, draft)
    assert world.client(Role.ANALYST).post(url, {"step": "publish"}).status_code == 403
    with pytest.raises(PolicyDenied):
        services.request_publication(world.user(Role.ANALYST), draft)
    with pytest.raises((PolicyDenied, ReviewCycle.DoesNotExist)):
        services.request_publication(world.user(Role.COORDINATOR, "RS"), draft)
    assert not ScorecardPublication.objects.exists()


def test_an_open_cycle_cannot_be_published(world, catalogue):
    coordinator = world.user(Role.COORDINATOR)
    cycle = services.open_cycle(coordinator, year=2024, title="Open")
    with pytest.raises(ValidationError) as refused:
        services.request_publication(coordinator, cycle)
    assert "cycle" in refused.value.message_dict
    page = world.client(Role.COORDINATOR).post(f"/monitor/cycles/{cycle.pk}/scorecard/",
                                               {"step": "publish"})
    assert page.status_code == 200 and "close the cycle first" in page.content.decode()
    assert not ScorecardPublication.objects.exists()


def test_a_second_coordinator_publishes_counts_only(world, catalogue, settings, tmp_path):
    settings.CROSSROADS_NODE_ID = "AL"
    settings.CROSSROADS_NODE_KEY_FILE = str(tmp_path / "al-node.json")
    cycle = closed_cycle(world, 2024)  # with a comment, an answer, a law and an assessor
    coordinator, second = world.user(Role.COORDINATOR), second_coordinator(world)
    url = f"/monitor/cycles/{cycle.pk}/scorecard/"
    assert world.client(Role.COORDINATOR).post(url, {"step": "publish"}).status_code == 302
    publication = ScorecardPublication.objects.get()
    assert publication.status == "pending" and not OutboxMessage.objects.filter(kind=KIND).exists()
    with pytest.raises(PolicyDenied):   # not the one who asked
        services.approve_publication(coordinator, publication.pk)
    with pytest.raises(ValidationError):  # one at a time
        services.request_publication(second, cycle)
    from tests.conftest import login_as

    page = login_as(second).get(url).content.decode()
    assert 'id="approve-publication"' in page
    done = login_as(second).post(url, {"step": "approve", "publication": publication.pk})
    assert done.status_code == 302
    publication.refresh_from_db()
    assert publication.status == "approved" and publication.decided_by == second
    message = OutboxMessage.objects.get(kind=KIND)
    body = json.loads(message.envelope)["body"]
    assert set(body) == {"jurisdiction", "year", "version", "closed_on", "pillars", "instruments"}
    assert body["jurisdiction"] == "AL" and body["year"] == 2024
    assert all(set(counts) == set(scoring.STATUSES) and all(type(n) is int for n in counts.values())
               for part in ("pillars", "instruments") for counts in body[part].values())
    text = message.envelope
    for secret in ("Courts still ask", "Added to the recommendation", "Criminal Code",
                   "Art. 110 text", coordinator.username, "Train judges"):
        assert secret not in text
    with pytest.raises(ValidationError):  # already published
        services.request_publication(coordinator, cycle)


def test_a_rejection_needs_a_reason_and_frees_the_cycle(world, catalogue):
    cycle = closed_cycle(world, 2024)
    coordinator, second = world.user(Role.COORDINATOR), second_coordinator(world)
    publication = services.request_publication(coordinator, cycle)
    with pytest.raises(ValidationError) as refused:
        services.reject_publication(second, publication.pk, "")
    assert "reason" in refused.value.message_dict
    services.reject_publication(second, publication.pk, "Wait for the amended law.")
    assert ScorecardPublication.objects.get().status == "rejected"
    assert services.request_publication(coordinator, cycle).status == "pending"
