"""The campaign register through its API and pages, and each campaign's report: who may,
what is refused, what the report finds, and that small cells stay suppressed."""

import pytest
from django.test import Client

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.campaigns.models import Campaign
from crossroads.campaigns.queries import add_months

from ..conftest import login_as
from ..tips.helpers import post_json
from .helpers import CAMPAIGN, campaign_body, months_ago, tips

pytestmark = pytest.mark.django_db


def _register(world, **changes):
    response = post_json(world.api(Role.COORDINATOR), "/api/v1/campaigns", campaign_body(**changes))
    assert response.status_code == 201, response.content
    return response.json()


def test_a_coordinator_registers_lists_reads_and_changes_a_campaign(world):
    created = _register(world)
    assert created["jurisdiction"] == "AL" and created["areas"] == CAMPAIGN["areas"]
    api = world.api(Role.COORDINATOR)
    listed = api.get("/api/v1/campaigns").json()
    assert set(listed) == {"count", "limit", "offset", "items"} and listed["count"] == 1
    body = {**campaign_body(), "title": "Know your rights (second wave)"}
    changed = api.put(f"/api/v1/campaigns/{created['id']}", body, content_type="application/json",
                      headers={"If-Match": f'"{created["version"]}"'})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Know your rights (second wave)"
    stale = api.put(f"/api/v1/campaigns/{created['id']}", body, content_type="application/json",
                    headers={"If-Match": f'"{created["version"]}"'})
    assert stale.status_code == 409
    actions = set(AuditEntry.objects.filter(object_type="campaigns.campaign")
                  .values_list("action", flat=True))
    assert {"create", "update"} <= actions


def test_every_mistake_is_named_at_once_and_nothing_is_stored(world):
    body = {**campaign_body(), "title": " ", "areas": ["Atlantis"], "channel": "pigeon",
            "audience": "", "languages": ["fr"], "cost": "-5", "funding_line": "",
            "ends_on": "2001-01-01"}
    response = post_json(world.api(Role.COORDINATOR), "/api/v1/campaigns", body)
    assert response.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in response.json()["detail"]}
    assert {"title", "areas", "channel", "audience", "languages", "cost", "funding_line",
            "ends_on"} <= fields
    assert not Campaign.objects.exists()


def test_a_jurisdiction_without_a_municipality_list_is_told_why(world):
    response = post_json(world.api(Role.COORDINATOR, "RS"), "/api/v1/campaigns",
                         campaign_body(areas=["Beograd"]))
    assert response.status_code == 422
    assert "no list of municipalities" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COORDINATOR])
def test_every_other_role_is_refused_the_register_and_the_reports(world, role):
    campaign = _register(world)
    api = world.api(role)
    assert api.get("/api/v1/campaigns").status_code == 403
    assert post_json(api, "/api/v1/campaigns", campaign_body()).status_code == 403
    assert api.get(f"/api/v1/campaigns/{campaign['id']}").status_code in (403, 404)
    assert api.get(f"/api/v1/campaigns/{campaign['id']}/report").status_code in (403, 404)
    page = world.client(role)
    assert page.get("/campaigns/").status_code == 403
    assert page.get(f"/campaigns/{campaign['id']}/").status_code in (403, 404)
    assert Campaign.objects.count() == 1


def test_another_jurisdiction_s_coordinator_sees_nothing_of_it(world):
    campaign = _register(world)
    api = world.api(Role.COORDINATOR, "RS")
    assert api.get("/api/v1/campaigns").json()["count"] == 0
    assert api.get(f"/api/v1/campaigns/{campaign['id']}").status_code == 404
    assert api.get(f"/api/v1/campaigns/{campaign['id']}/report").status_code == 404
    put = api.put(f"/api/v1/campaigns/{campaign['id']}", campaign_body(),
                  content_type="application/json")
    assert put.status_code == 404
    assert world.client(Role.COORDINATOR, "RS").get(f"/campaigns/{campaign['id']}/").status_code == 404


def test_unauthenticated_and_password_only_are_refused(world):
    campaign = _register(world)
    assert Client().get("/api/v1/campaigns").status_code == 401
    assert Client().get("/campaigns/").status_code == 302
    password_only = Client()
    password_only.force_login(world.user(Role.COORDINATOR))
    for path in ("/campaigns/", f"/campaigns/{campaign['id']}/", "/campaigns/new/"):
        response = password_only.get(path)
        assert response.status_code == 302 and "/campaigns" not in response["Location"].split("?")[0]


def _report(world, campaign_id):
    response = world.api(Role.COORDINATOR).get(f"/api/v1/campaigns/{campaign_id}/report")
    assert response.status_code == 200, response.content
    return {m["name"]: m for m in response.json()["measures"]}, response.json()


def _history(start_months_ago, treated_jump):
    """Reports per month: 8 in each campaign area and 6 in each of three other areas, the
    campaign areas `treated_jump` more per month from the campaign's start on."""
    for ago in range(start_months_ago + 12, 0, -1):
        month = months_ago(ago)
        jump = treated_jump if ago <= start_months_ago else 0
        for area in CAMPAIGN["areas"]:
            tips(area, month, 8 + jump)
        for area in ("Tiranë", "Vlorë", "Korçë"):
            tips(area, month, 6)


def test_the_report_finds_a_campaign_s_effect_against_areas_without_one(world):
    _history(12, treated_jump=6)
    measures, whole = _report(world, _register(world)["id"])
    analysis = measures["tips"]["analysis"]
    difference = analysis["difference"]["level_change"]
    assert difference["low"] < 6 < difference["high"] and difference["low"] > 0
    assert analysis["controls"]["level_change"]["low"] < 0 < analysis["controls"]["level_change"]["high"]
    phases = measures["tips"]["phases"]
    assert [c["code"] for c in phases["columns"]] == ["before", "during", "after"]
    durres = next(r for r in phases["rows"] if r["code"] == "Durrës")
    assert durres["cells"][0] == 8 * 12 and durres["cells"][1] == 14 * 3
    assert "Tiranë" in whole["control_areas"] and "Durrës" not in whole["control_areas"]
    assert AuditEntry.objects.filter(action="view_statistics",
                                     object_type="campaigns.campaign").exists()


def test_without_an_effect_the_report_shows_none(world):
    _history(12, treated_jump=0)
    measures, _whole = _report(world, _register(world)["id"])
    difference = measures["tips"]["analysis"]["difference"]
    for key in ("level_change", "slope_change"):
        assert difference[key]["low"] <= 0 <= difference[key]["high"]
    page = world.client(Role.COORDINATOR).get(f"/campaigns/{_whole['campaign']['id']}/")
    assert "No evidence that the campaign areas changed differently" in page.content.decode()


def test_small_counts_are_suppressed_in_tables_charts_and_api(world):
    campaign = _register(world)
    start = months_ago(12)
    tips("Durrës", start, 2)           # a small cell in the campaign's first month
    tips("Tiranë", start, 30)
    tips("Tiranë", add_months(start, -3), 30)
    measures, _whole = _report(world, campaign["id"])
    months = measures["tips"]["months"]
    row = next(r for r in months["rows"] if r["code"] == "campaign")
    index = [c["code"] for c in months["columns"]].index(start.isoformat())
    assert row["cells"][index] is None and row["total"] is None  # 2 hidden, and its total too
    assert measures["tips"]["analysis"]["reason"]  # too few events: no estimate published
    durres = next(r for r in measures["tips"]["phases"]["rows"] if r["code"] == "Durrës")
    assert durres["cells"][1] is None
    page = world.client(Role.COORDINATOR).get(f"/campaigns/{campaign['id']}/").content.decode()
    assert "suppressed" in page and '"cells": [' in page
    assert '"total": 2' not in page


def test_identified_victims_are_counted_by_municipality_and_month(world):
    campaign = _register(world)
    start = months_ago(12)
    case = world.cases["AL-police"]
    case.opened_on = start.replace(day=10)
    case.save(update_fields=["opened_on"])
    case.exploitation_records.update(municipality_of_exploitation="Durrës")
    measures, _whole = _report(world, campaign["id"])
    phases = measures["identifications"]["phases"]
    durres = next(r for r in phases["rows"] if r["code"] == "Durrës")
    assert durres["cells"][1] is None  # one victim: suppressed, never shown as 1
    assert phases["threshold"] == 5


def test_the_pages_register_and_show_a_campaign(world):
    client = world.client(Role.COORDINATOR)
    assert client.get("/campaigns/new/").status_code == 200
    form = {"title": "School talks", "starts_on": months_ago(8).isoformat(),
            "ends_on": add_months(months_ago(8), 2).isoformat(), "areas": ["Berat", "Fier"],
            "channel": "schools", "audience": "young", "languages": ["sq"], "cost": "900",
            "funding_line": "Donor grant 7"}
    response = client.post("/campaigns/new/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "School talks" in page and "data-chart" in page
    assert "School talks" in client.get("/campaigns/").content.decode()
    bad = client.post("/campaigns/new/", {**form, "ends_on": "2000-01-01"})
    assert bad.status_code == 422 and Campaign.objects.count() == 1
    edit = client.post(f"/campaigns/{campaign.pk}/change/",
                       {**form, "title": "School talks, spring", "version": campaign.version})
    assert edit.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "School talks, spring"


@pytest.mark.parametrize(("code", "heading"), [("sq", "Çfarë ndryshoi"), ("mk", "Што се промени"),
                                               ("sr-cyrl", "Шта се променило")])
def test_the_pages_answer_in_the_reader_s_language(world, settings, code, heading):
    campaign = _register(world)
    client = login_as(world.user(Role.COORDINATOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    page = client.get(f"/campaigns/{campaign['id']}/").content.decode()
    assert heading in page
    assert f'<html lang="{code}"' in page
