"""The public surface: the form at /report/, the three public API routes, and what they keep."""

import pytest
from django.test import Client

from crossroads.audit.models import AuditEntry
from crossroads.tips.models import Message, Report

from .helpers import RECEIPT, REPORT, file_report, form_post, post_json

pytestmark = pytest.mark.django_db

FORM = {"text": REPORT["text"], "municipality": "AL:Tiranë", "place": "", "occurred": "days",
        "affected": "children", "urgency": "danger", "contact": "", "language": "sq"}


def test_the_form_answers_in_the_language_asked_without_log_in_or_cookie():
    response = Client().get("/report/?lang=sq")
    assert response.status_code == 200
    assert '<html lang="sq">' in response.content.decode()
    assert "Çfarë ndodhi" in response.content.decode()
    assert not response.cookies  # no session, no CSRF cookie, no language cookie


@pytest.mark.parametrize("code", ["en", "sq", "sr-latn", "sr-cyrl", "mk", "bs"])
def test_every_language_code_chooses_the_language(code):
    assert f'<html lang="{code}">' in Client().get(f"/report/?lang={code}").content.decode()


def test_filing_by_form_shows_the_receipt_once_and_keeps_only_its_hash():
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9",
                    HTTP_USER_AGENT="Reporter-Agent/1.0")
    response = form_post(client, "/report/?lang=sq", FORM)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert not response.cookies
    code = RECEIPT.search(response.content.decode()).group(1)
    report = Report.objects.get()
    assert (report.urgency, report.affected, report.language) == ("danger", "children", "sq")
    assert report.what_happened == REPORT["text"]
    stored = " ".join(str(v) for v in Report.objects.values().get().values())
    assert code not in stored and code.replace("-", "") not in stored
    assert "203.0.113.9" not in stored and "Reporter-Agent" not in stored
    audit = " ".join(str(v) for v in AuditEntry.objects.values())
    assert "203.0.113.9" not in audit and "Reporter-Agent" not in audit


def test_the_text_is_encrypted_at_rest():
    file_report()
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT what_happened FROM tips_report")
        raw = cursor.fetchone()[0]
    assert "workshop" not in raw


def test_every_mistake_is_named_at_once_and_nothing_is_stored():
    response = form_post(Client(), "/report/", {**FORM, "text": "", "municipality": "XX:Nowhere",
                                                "urgency": "now"})
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count('class="error"') >= 3
    assert not Report.objects.exists()


def test_elsewhere_needs_the_place_written():
    response = form_post(Client(), "/report/", {**FORM, "municipality": "RS:"})
    assert response.status_code == 422
    assert not Report.objects.exists()
    assert form_post(Client(), "/report/", {**FORM, "municipality": "RS:",
                                            "place": "Novi Pazar"}).status_code == 200
    assert Report.objects.get().jurisdiction_id == "RS"


def test_a_post_without_the_form_token_is_refused_with_the_text_kept():
    response = Client().post("/report/", FORM)
    assert response.status_code == 400
    assert REPORT["text"][:20] in response.content.decode()
    assert not Report.objects.exists()


def test_api_contract_and_conversation():
    receipt = file_report()
    assert len(receipt.replace("-", "")) == 20
    looked = post_json(Client(), "/api/v1/public/reports/lookup", {"receipt": receipt})
    assert looked.status_code == 200
    assert looked.json() == {"status": "new", "messages": []}
    # Typed in lower case and with spaces, it is the same code.
    sloppy = receipt.lower().replace("-", " ")
    replied = post_json(Client(), "/api/v1/public/reports/reply", {"receipt": sloppy,
                                                                    "text": "He is 15."})
    assert replied.status_code == 201
    assert [m["text"] for m in replied.json()["messages"]] == ["He is 15."]
    assert Message.objects.get().author == "reporter"


def test_api_validation_names_the_fields():
    response = post_json(Client(), "/api/v1/public/reports",
                         {"text": "", "municipality": "nowhere", "language": "xx"})
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {
        ("body", "text"), ("body", "municipality"), ("body", "language")}


@pytest.mark.parametrize("receipt", ["", "0000-0000-0000-0000-0000", "x" * 64, "ABCD"])
def test_unknown_or_malformed_receipts_find_nothing(receipt):
    file_report()
    response = post_json(Client(), "/api/v1/public/reports/lookup", {"receipt": receipt})
    assert response.status_code == 404
    assert post_json(Client(), "/api/v1/public/reports/reply",
                     {"receipt": receipt, "text": "x"}).status_code == 404
    assert not Message.objects.exists()


def test_guessing_receipts_is_cut_off_by_the_budget(settings):
    settings.CROSSROADS_TIPS_LIMITS = {**settings.CROSSROADS_TIPS_LIMITS, "lookup": (3, 100)}
    client = Client(REMOTE_ADDR="198.51.100.7")
    answers = [post_json(client, "/api/v1/public/reports/lookup",
                         {"receipt": f"0000-0000-0000-0000-000{i}"}).status_code
               for i in range(5)]
    assert answers == [404, 404, 404, 429, 429]
    # Another address still has its budget.
    assert post_json(Client(REMOTE_ADDR="198.51.100.8"), "/api/v1/public/reports/lookup",
                     {"receipt": "0000-0000-0000-0000-0000"}).status_code == 404


def test_a_flood_of_reports_is_refused_by_the_node_budget(settings):
    settings.CROSSROADS_TIPS_LIMITS = {**settings.CROSSROADS_TIPS_LIMITS, "submit": (2, 3)}
    answers = [post_json(Client(REMOTE_ADDR=f"192.0.2.{i}"), "/api/v1/public/reports",
                         REPORT).status_code for i in range(5)]
    assert answers == [201, 201, 201, 429, 429]
    assert Report.objects.count() == 3


def test_return_page_shows_the_team_question_and_takes_the_answer(world):
    from crossroads.access.choices import Role
    from crossroads.tips import services

    receipt = file_report()
    services.write_to_reporter(world.user(Role.INVESTIGATOR), Report.objects.get(),
                               "Sa vjeç janë?")
    page = form_post(Client(), "/report/return/?lang=sq", {"receipt": receipt, "language": "sq"})
    assert page.status_code == 200
    assert "Sa vjeç janë?" in page.content.decode()
    answered = form_post(Client(), "/report/return/?lang=sq",
                         {"receipt": receipt, "language": "sq", "text": "Rreth 15."})
    assert "Rreth 15." in answered.content.decode()
    assert not answered.cookies
    wrong = form_post(Client(), "/report/return/", {"receipt": "0000-0000-0000-0000-0000",
                                                     "language": "en"})
    assert wrong.status_code == 404


def test_an_idempotency_key_is_refused_not_kept_and_nothing_is_written():
    response = post_json(Client(), "/api/v1/public/reports", REPORT,
                         **{"Idempotency-Key": "7d2c1e0a-1111-4222-8333-944445555666"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not Report.objects.exists()


def test_a_refused_reply_keeps_the_text_and_says_why():
    receipt = file_report()
    hidden = "Rreth 15\u202e vjeç"
    answer = form_post(Client(), "/report/return/", {"receipt": receipt, "language": "en",
                                                      "text": hidden})
    assert answer.status_code == 422
    assert "invisible character" in answer.content.decode()
    assert not Message.objects.exists()
