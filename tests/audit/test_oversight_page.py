"""Issue 21, point 11: the oversight's audit page names objects, filters by choices, dates and
case ("who looked at case AL-…"), exports formula-safe CSV (itself audited); a log-in is one
entry; a dashboard view is not a "Search"."""

import csv
import datetime
import io

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access.choices import Role
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record
from crossroads.registry import queries
from tests.access.test_mfa import current_code


def test_objects_are_named_and_filters_are_choices(world):
    case = world.cases["AL-police"]
    queries.case_page(world.user(Role.INVESTIGATOR), case.pk, context="case page")
    page = world.client(Role.OVERSIGHT).get("/audit/").content.decode()
    assert f"Case {case.reference}" in page and "registry.case" not in page
    assert "Person #" in page and "Drita" not in page  # persons by number: no identity read
    assert '<select name="action"' in page and '<option value="read_identity">' in page
    assert '<select name="outcome"' in page and 'name="date_from"' in page


def test_who_looked_at_a_case(world):
    case, other = world.cases["AL-police"], world.cases["AL-other"]
    queries.case_page(world.user(Role.INVESTIGATOR), case.pk, context="case page")
    queries.case_page(world.user(Role.PROSECUTOR), case.pk, context="case page")
    queries.case_page(world.users[("AL", "other_investigator")], other.pk, context="case page")
    oversight = world.client(Role.OVERSIGHT)
    page = oversight.get("/audit/", {"about": case.reference.lower(), "action": "read_identity"})
    html = page.content.decode()
    assert "al_investigator" in html and "al_prosecutor" in html
    assert "al_other_investigator" not in html
    today = datetime.date.today()
    assert "al_investigator" not in oversight.get("/audit/", {
        "about": case.reference, "date_to": (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
    }).content.decode()
    assert oversight.get("/audit/", {"date_from": "02/01/2024", "date_to": "01/01/2024"}).status_code == 422


def test_the_export_is_formula_safe_and_audited(world):
    record(world.user(Role.INVESTIGATOR), Action.UPDATE, world.cases["AL-police"],
           purpose="=HYPERLINK(\"http://x\")")
    response = world.client(Role.OVERSIGHT).get("/audit/export.csv", {"actor": "al_investigator"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert any(row[7] == "'=HYPERLINK(\"http://x\")" for row in rows[1:]), rows
    export = AuditEntry.objects.latest("id")
    assert (export.action, export.actor, export.details["filters"]) == (
        "export", "al_oversight", {"actor": "al_investigator"})
    # Nobody else exports the trail, and another jurisdiction's oversight sees none of it.
    assert world.client(Role.COORDINATOR).get("/audit/export.csv").status_code == 403
    other = world.client(Role.OVERSIGHT, "RS").get("/audit/export.csv").content.decode()
    assert "al_investigator" not in other


def test_a_log_in_is_one_entry_and_a_dashboard_view_no_search(world):
    user = world.user(Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post("/login/", {"username": user.username, "password": "x" * 16})
    client.post("/mfa/verify/", {"token": current_code(device)})
    assert AuditEntry.objects.filter(actor=user.username, action="login").count() == 1
    assert client.get("/statistics/").status_code == 200
    view = AuditEntry.objects.filter(actor=user.username).latest("id")
    assert view.action == "view_statistics" and view.get_action_display() == "View of statistics"
