"""The oversight report: the dashboard's counts (alerts per agency and month, inquiries opened
and closed, by status, recommendations per agency, overdue) for a period, on the page and as a
PDF, audited as an export, for oversight only."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.oversight.models import Recommendation
from tests.conftest import login
from tests.oversight.test_inquiries import OTHER_ROLES, _path_to_recommendation

REPORT = "/oversight/report.pdf"
BOARD = "/oversight/dashboard/"


def _text(answer) -> str:
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)


def _exports():
    return AuditEntry.objects.filter(action="export", object_type="oversight.report")


def test_the_pdf_carries_the_inquiry_and_alert_counts_and_is_audited(world):
    _inquiry, rec = _path_to_recommendation(world)
    Recommendation.objects.filter(pk=rec.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = world.client(Role.OVERSIGHT)
    board = page.get(BOARD).content.decode()
    assert f'href="{REPORT}"' in board
    text = _text(page.get(REPORT))
    police = world.agencies[("AL", "police")].name
    month = f"{timezone.now():%Y-%m}"
    for heading in ("Oversight report", "Alerts per agency and month", "Inquiries by status",
                    "Inquiries opened and closed per month", "Recommendations per agency"):
        assert heading in text, heading
    assert police in text and month in text
    assert "Findings issued 1" in text          # the inquiry, by status
    assert f"{month} 1 0" in text               # opened 1, closed 0 this month
    assert "al_investigator" not in text        # the report names no account
    entry = _exports().get()
    assert entry.actor_id == world.user(Role.OVERSIGHT).pk
    assert entry.details["report"] == "oversight"


def test_a_period_counts_only_what_it_holds(world):
    _path_to_recommendation(world)
    page = world.client(Role.OVERSIGHT)
    tomorrow = str(timezone.localdate() + datetime.timedelta(days=1))
    board = page.get(BOARD, {"since": tomorrow}).content.decode()
    assert "No alert yet." in board and "No inquiry yet." in board
    assert f"{REPORT}?since={tomorrow}" in board
    text = _text(page.get(REPORT, {"since": tomorrow}))
    assert "No inquiry yet." in text and "Findings issued 0" in text
    today = str(timezone.localdate())
    text = _text(page.get(REPORT, {"since": today, "until": today}))
    assert "Findings issued 1" in text
    assert _exports().count() == 2
    assert _exports().last().details["since"] == today


@pytest.mark.parametrize("query", [{"since": "2026-05-02", "until": "2026-05-01"},
                                   {"since": "yesterday"}, {"until": "2026-13-01"}])
def test_a_wrong_period_is_a_400_with_its_error_and_exports_nothing(world, query):
    _path_to_recommendation(world)
    page = world.client(Role.OVERSIGHT)
    for url in (BOARD, REPORT):
        answer = page.get(url, query)
        assert answer.status_code == 400 and answer["Content-Type"].startswith("text/html")
        html = answer.content.decode()
        assert "error" in html.lower() and "Findings issued" not in html
    assert not _exports().exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused(world, role):
    _path_to_recommendation(world)
    pages = world.client(role)
    for url in (BOARD, REPORT, f"{REPORT}?since=2026-13-40"):
        assert pages.get(url).status_code in {403, 404}, url
    assert not _exports().exists()


def test_another_jurisdiction_and_a_password_without_second_factor(world):
    _path_to_recommendation(world)
    text = _text(world.client(Role.OVERSIGHT, "RS").get(REPORT))
    assert "Findings issued 0" in text and world.agencies[("AL", "police")].name not in text
    password_only = Client()
    password_only.force_login(world.user(Role.OVERSIGHT))
    assert password_only.get(REPORT).status_code in {302, 403}
    assert Client().get(REPORT).status_code in {302, 403}
    assert login(Client(), world.user(Role.OVERSIGHT)).get(REPORT).status_code == 200
    assert _exports().count() == 2
