"""Oversight through its public surface: the scan raises explained alerts from real work (and
raises nothing twice), the API contracts, triage, the access reports (page and PDF), the search
by name over hashed terms, and the attacker's side: every other role, another jurisdiction, a
password without its second factor, a bad token are refused; the account an alert is about is
never told."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.investigations.models import SuspectMarker
from crossroads.oversight import services
from crossroads.oversight.models import Alert
from crossroads.registry import queries
from tests.conftest import search

ALERTS = "/api/v1/oversight/alerts"
OTHER_ROLES = [r for r in Role if r != Role.OVERSIGHT]


def _official_suspect(world):
    """The AL suspect marked a public official of the investigator's own agency; the
    investigator then reads the suspect."""
    investigator = world.user(Role.INVESTIGATOR)
    suspect = world.persons["AL-suspect"]
    SuspectMarker.objects.create(
        involvement=world.cases["AL-police"].involvements.get(person=suspect),
        public_official=True, official_agency=investigator.agency, updated_by=investigator)
    response = world.api(Role.INVESTIGATOR).get(f"/api/v1/persons/{suspect.pk}")
    assert response.status_code == 200
    return suspect


def test_scan_raises_an_explained_alert_once(world):
    suspect = _official_suspect(world)
    read = AuditEntry.objects.filter(action="read_identity", actor="al_investigator",
                                     object_id=str(suspect.pk)).latest("id")
    out = io.StringIO()
    call_command("oversight", "scan", stdout=out)
    assert "1 alert(s) raised" in out.getvalue()
    alert = Alert.objects.get(kind="official_link")
    assert (alert.username, alert.severity, alert.jurisdiction, alert.person_id) == (
        "al_investigator", "high", "AL", suspect.pk)
    assert alert.entries == [read.pk]
    call_command("oversight", "scan", stdout=io.StringIO())
    assert Alert.objects.count() == 1                       # idempotent
    world.api(Role.INVESTIGATOR).get(f"/api/v1/persons/{suspect.pk}")
    services.scan()
    alert.refresh_from_db()
    assert Alert.objects.count() == 1 and len(alert.entries) == 2   # the new read joins it


def test_the_alerts_route_contract(world):
    _official_suspect(world)
    services.scan()
    answer = world.api(Role.OVERSIGHT).get(ALERTS, {"limit": 10})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"count", "limit", "offset", "items"} and body["count"] == 1
    item = body["items"][0]
    assert {"id", "kind", "username", "severity", "status", "entries"} <= set(item)
    assert (item["kind"], item["username"], item["status"]) == (
        "official_link", "al_investigator", "open")
    assert world.api(Role.OVERSIGHT).get(ALERTS, {"kind": "volume"}).json()["count"] == 0
    assert world.api(Role.OVERSIGHT).get(ALERTS, {"limit": 0}).status_code == 422


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused(world, role):
    _official_suspect(world)
    services.scan()
    alert = Alert.objects.get()
    person = world.persons["AL-victim"].pk
    api = world.api(role)
    assert api.get(ALERTS).status_code == 403
    assert api.get(f"/api/v1/oversight/persons/{person}/access").status_code == 403
    pages = world.client(role)
    for url in ("/oversight/", f"/oversight/alerts/{alert.pk}/", "/oversight/dashboard/",
                "/oversight/thresholds/", f"/oversight/persons/{person}/access/",
                f"/oversight/persons/{person}/access.pdf", "/oversight/searches/"):
        assert pages.get(url).status_code in {403, 404}, url


def test_other_jurisdiction_second_factor_and_tokens(world):
    _official_suspect(world)
    services.scan()
    alert = Alert.objects.get()
    rs = world.api(Role.OVERSIGHT, "RS")
    assert rs.get(ALERTS).json()["count"] == 0
    assert rs.get(f"/api/v1/oversight/alerts/{alert.pk}").status_code == 404
    person = world.persons["AL-suspect"].pk
    assert rs.get(f"/api/v1/oversight/persons/{person}/access").json()["count"] == 0
    assert world.client(Role.OVERSIGHT, "RS").get(
        f"/oversight/alerts/{alert.pk}/").status_code == 404
    password_only = Client()
    password_only.force_login(world.user(Role.OVERSIGHT))
    assert password_only.get(ALERTS).status_code == 401
    assert password_only.get("/oversight/").status_code in {302, 403}
    assert Client().get(ALERTS).status_code == 401
    assert Client(headers={"Authorization": "Bearer nope"}).get(ALERTS).status_code == 401
    assert Client().get("/oversight/").status_code == 302


def test_triage_is_audited_and_needs_a_reason(world):
    _official_suspect(world)
    services.scan()
    alert = Alert.objects.get()
    api = world.api(Role.OVERSIGHT)
    url = f"/api/v1/oversight/alerts/{alert.pk}/status"
    assert api.post(url, {"status": "under_review"}, content_type="application/json").json()[
        "status"] == "under_review"
    refused = api.post(url, {"status": "dismissed"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "reason"]
    done = api.post(url, {"status": "referred", "reason": "To the prosecutor."},
                    content_type="application/json")
    assert done.json()["status"] == "referred"
    assert api.post(url, {"status": "dismissed", "reason": "x"},
                    content_type="application/json").status_code == 422   # not from referred
    steps = AuditEntry.objects.filter(object_type="oversight.alert", object_id=str(alert.pk))
    assert [e.details["status"] for e in steps] == [["open", "under_review"],
                                                     ["under_review", "referred"]]
    page = world.client(Role.OVERSIGHT)
    assert page.post(f"/oversight/alerts/{alert.pk}/", {"step": "note", "text": "Asked the unit."}
                     ).status_code == 302
    assert page.post(f"/oversight/alerts/{alert.pk}/", {
        "step": "assign", "assignee": world.user(Role.OVERSIGHT).pk}).status_code == 302
    html = page.get(f"/oversight/alerts/{alert.pk}/").content.decode()
    assert "Asked the unit." in html and "To the prosecutor." in html
    assert AuditEntry.objects.filter(object_type="oversight.alertnote").count() == 1
    alert.refresh_from_db()
    assert alert.assigned_to == world.user(Role.OVERSIGHT)


def test_the_investigated_account_is_never_told(world):
    _official_suspect(world)
    services.scan()
    alert = Alert.objects.get()
    investigator = world.client(Role.INVESTIGATOR)
    for url in ("/", "/oversight/", "/audit/"):
        html = investigator.get(url).content.decode()
        assert "Access alerts" not in html and "official_link" not in html
        assert "to triage" not in html
    assert "1 access alert to triage" in world.client(Role.OVERSIGHT).get("/").content.decode()
    # An oversight account an alert is about does not see it either.
    Alert.objects.filter(pk=alert.pk).update(actor_id=world.user(Role.OVERSIGHT).pk)
    assert world.api(Role.OVERSIGHT).get(ALERTS).json()["count"] == 0


def test_who_saw_this_person_page_api_and_pdf(world):
    victim = world.persons["AL-victim"]
    queries.person_page(world.user(Role.INVESTIGATOR), victim.pk, context="person page")
    queries.case_page(world.user(Role.PROSECUTOR), world.cases["AL-police"].pk, context="case page")
    body = world.api(Role.OVERSIGHT).get(f"/api/v1/oversight/persons/{victim.pk}/access").json()
    seen = {(i["actor"], i["via"]) for i in body["items"]}
    assert {("al_investigator", "person page"), ("al_prosecutor", "case page")} <= seen
    assert ("al_investigator", "") in {(i["actor"], i["via"]) for i in body["items"]
                                       if i["action"] == "create"}   # the registration
    oversight = world.client(Role.OVERSIGHT)
    html = oversight.get(f"/oversight/persons/{victim.pk}/access/").content.decode()
    assert "al_prosecutor" in html and "Drita" not in html
    pdf = oversight.get(f"/oversight/persons/{victim.pk}/access.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "al_prosecutor" in text and "person page" in text
    assert AuditEntry.objects.latest("id").details == {"report": "person", "subject": victim.pk}
    case = world.cases["AL-police"].pk
    assert "al_prosecutor" in oversight.get(f"/oversight/cases/{case}/access/").content.decode()
    assert f"Who saw case #{case}" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        oversight.get(f"/oversight/cases/{case}/access.pdf").content)).pages)
    account = world.user(Role.PROSECUTOR).pk
    assert "case page" in oversight.get(f"/oversight/accounts/{account}/access/").content.decode()
    assert oversight.get(f"/oversight/accounts/{account}/access.pdf")["Content-Type"] == (
        "application/pdf")


def test_the_thresholds_command(settings):
    settings.CROSSROADS_OVERSIGHT_THRESHOLDS = {"export_rows": 50}
    out = io.StringIO()
    call_command("oversight", "thresholds", stdout=out)
    assert "export_rows = 50 (default 1000)" in out.getvalue()


def test_who_searched_for_a_name_without_names_in_the_chain(world):
    investigator = world.api(Role.INVESTIGATOR)
    assert search(investigator, "/api/v1/persons/search", {"name": "Krasniqi"}).status_code == 200
    entry = AuditEntry.objects.filter(action="search", actor="al_investigator").latest("id")
    assert "rasniq" not in json.dumps(entry.details).lower() and entry.details["terms"]["words"]
    page = world.client(Role.OVERSIGHT)
    # Another spelling of the same name (Cyrillic) finds the search; another name does not.
    found = page.post("/oversight/searches/", {"name": "Красниqи"})
    html = page.post("/oversight/searches/", {"name": "Krasniqi"}).content.decode()
    assert found.status_code == 200 and "al_investigator" in html
    assert "al_investigator" not in page.post("/oversight/searches/",
                                              {"name": "Gashi"}).content.decode()


def test_thresholds_and_dashboard_pages(world, settings):
    settings.CROSSROADS_OVERSIGHT_THRESHOLDS = {"volume_factor": 5}
    _official_suspect(world)
    services.scan()
    page = world.client(Role.OVERSIGHT)
    html = page.get("/oversight/thresholds/").content.decode()
    assert "volume_factor" in html and "5.0" in html and "3.0" in html
    board = page.get("/oversight/dashboard/").content.decode()
    assert world.user(Role.INVESTIGATOR).agency.name in board
    listing = page.get("/oversight/").content.decode()
    assert "al_investigator" in listing


def test_the_schedule(world, settings):
    from crossroads.jobs.models import Job
    from crossroads.oversight.tasks import scan_due

    assert scan_due() == 0                                  # off in the test settings
    settings.CROSSROADS_OVERSIGHT_SCAN_MINUTES = 60
    assert scan_due() == 1 and scan_due() == 0               # one queued at a time
    assert Job.objects.filter(kind="oversight_scan").count() == 1
    Job.objects.all().delete()
    services.scan()
    assert scan_due() == 0                                  # the last scan is recent
