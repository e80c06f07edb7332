"""Inquiries through their public surface: the whole path (alert → inquiry → findings →
recommendation → the agency's answer → closed) through the API and through the pages, the
state machine's refusals, the counts of the dashboard, and the attacker's side: every other
role, the investigated account itself, another jurisdiction, a password without its second
factor, a stale version."""

import datetime
import os
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, User
from crossroads.audit.models import AuditEntry
from crossroads.oversight import services
from crossroads.oversight.models import Alert, Inquiry, Recommendation
from tests.conftest import build_world, login
from tests.oversight.test_oversight import _official_suspect

INQUIRIES = "/api/v1/oversight/inquiries"
JSON = {"content_type": "application/json"}
OTHER_ROLES = [r for r in Role if r != Role.OVERSIGHT]


def _alert(world) -> Alert:
    _official_suspect(world)
    services.scan()
    return Alert.objects.get()


def _later(days=30) -> str:
    return str(timezone.localdate() + datetime.timedelta(days=days))


def _complaint(world, **extra) -> dict:
    return {"subject": "Records shown to a journalist", "complainant": "Arben K., by letter",
            "received_on": str(timezone.localdate()),
            "agency_id": world.agencies[("AL", "police")].pk, **extra}


def _step(api, inquiry_id, status, version=None, **extra):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version else {}
    return api.post(f"{INQUIRIES}/{inquiry_id}/status", {"status": status, **extra}, **JSON,
                    **headers)


def test_the_whole_path_through_the_api(world):
    alert = _alert(world)
    api = world.api(Role.OVERSIGHT)
    opened = api.post(INQUIRIES, {"alerts": [alert.pk]}, **JSON)
    assert opened.status_code == 201, opened.content
    body = opened.json()
    inquiry_id = body["id"]
    assert (body["status"], body["source"], body["alerts"], body["account"]) == (
        "open", "alert", [alert.pk], "al_investigator")
    assert body["agency_id"] == world.user(Role.INVESTIGATOR).agency_id
    assert opened["ETag"] == '"1"'
    assert _step(api, inquiry_id, "investigating", version=1).json()["status"] == "investigating"
    written = api.put(f"{INQUIRIES}/{inquiry_id}/findings",
                      {"findings": "The read had no purpose in any case."}, **JSON)
    assert written.status_code == 200 and written.json()["findings"].startswith("The read")
    issued = _step(api, inquiry_id, "findings_issued")
    assert issued.json()["status"] == "findings_issued" and issued.json()["findings_at"]
    police = world.agencies[("AL", "police")].pk
    made = api.post(f"{INQUIRIES}/{inquiry_id}/recommendations", {
        "agency_id": police, "text": "Train the unit on need-to-know.", "deadline": _later()},
        **JSON)
    assert made.status_code == 201, made.content
    rec = made.json()
    assert (rec["status"], rec["overdue"], rec["agency_id"]) == ("pending", False, police)
    answered = api.post(f"/api/v1/oversight/recommendations/{rec['id']}/answer", {
        "status": "accepted", "answer": "Training planned for March.",
        "answered_on": str(timezone.localdate())}, HTTP_IF_MATCH=f'"{rec["version"]}"', **JSON)
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "accepted"
    closed = _step(api, inquiry_id, "closed")
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    detail = api.get(f"{INQUIRIES}/{inquiry_id}").json()
    assert [r["answer"] for r in detail["recommendations"]] == ["Training planned for March."]
    listing = api.get(INQUIRIES, {"status": "closed"}).json()
    assert set(listing) == {"count", "limit", "offset", "items"} and listing["count"] == 1
    assert api.get(INQUIRIES, {"status": "open"}).json()["count"] == 0
    steps = AuditEntry.objects.filter(object_type="oversight.inquiry", object_id=str(inquiry_id))
    assert [e.details.get("status") for e in steps if "status" in e.details] == [
        ["open", "investigating"], ["investigating", "findings_issued"],
        ["findings_issued", "closed"]]
    assert AuditEntry.objects.filter(object_type="oversight.recommendation").count() == 2
    assert steps.first().details == {"source": "alert", "alerts": [alert.pk],
                                     "agency": world.user(Role.INVESTIGATOR).agency_id}
    # Narratives stay out of the chain and are encrypted at rest.
    chain = " ".join(str(e.details) for e in AuditEntry.objects.filter(
        object_type__startswith="oversight."))
    assert "need-to-know" not in chain and "March" not in chain
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM oversight_inquiry WHERE id = %s", [inquiry_id])
        assert "no purpose" not in cursor.fetchone()[0]


def test_a_complaint_every_error_at_once_and_the_state_machine(world):
    api = world.api(Role.OVERSIGHT)
    refused = api.post(INQUIRIES, {"subject": "", "complainant": "",
                                   "received_on": _later(), "account": "nobody"}, **JSON)
    assert refused.status_code == 422
    assert {tuple(d["loc"]) for d in refused.json()["detail"]} == {
        ("body", "subject"), ("body", "complainant"), ("body", "received_on"),
        ("body", "account")}
    # A malformed date (the schema's error) comes with the domain's errors in one 422.
    mixed = api.post(INQUIRIES, {"subject": "", "complainant": "x", "received_on": "nope"},
                     **JSON)
    assert mixed.status_code == 422
    assert {tuple(d["loc"]) for d in mixed.json()["detail"]} == {
        ("body", "received_on"), ("body", "subject"), ("body", "agency_id")}
    made = api.post(INQUIRIES, _complaint(world, account="al_case_worker"), **JSON)
    assert made.status_code == 201 and made.json()["complainant"] == "Arben K., by letter"
    inquiry_id = made.json()["id"]
    illegal = _step(api, inquiry_id, "closed")
    assert illegal.status_code == 422
    assert illegal.json()["detail"][0]["msg"] == (
        "An inquiry that is Open cannot become Closed (it can become: Investigating, Withdrawn).")
    assert _step(api, inquiry_id, "bogus").status_code == 422
    _step(api, inquiry_id, "investigating")
    no_findings = _step(api, inquiry_id, "findings_issued")
    assert no_findings.json()["detail"][0]["msg"] == "Write the findings before issuing them."
    early = api.post(f"{INQUIRIES}/{inquiry_id}/recommendations", {"text": ""}, **JSON)
    assert {tuple(d["loc"])[1] for d in early.json()["detail"]} == {
        "text", "agency_id", "deadline", "status"}
    assert _step(api, inquiry_id, "withdrawn").json()["detail"][0]["loc"] == ["body", "reason"]
    done = _step(api, inquiry_id, "withdrawn", reason="The complainant withdrew.")
    assert done.json()["status"] == "withdrawn" and done.json()["reason"]
    assert _step(api, inquiry_id, "investigating").status_code == 422     # withdrawn is final


def test_a_stale_version_is_a_409(world):
    api = world.api(Role.OVERSIGHT)
    inquiry_id = api.post(INQUIRIES, _complaint(world), **JSON).json()["id"]
    assert _step(api, inquiry_id, "investigating", version=1).status_code == 200
    stale = _step(api, inquiry_id, "withdrawn", version=1, reason="x")
    assert stale.status_code == 409 and stale["ETag"] == '"2"'
    assert Inquiry.objects.get(pk=inquiry_id).status == "investigating"


def _path_to_recommendation(world) -> tuple[Inquiry, Recommendation]:
    actor = world.user(Role.OVERSIGHT)
    inquiry = services.open_from_alerts(actor, [_alert(world).pk])
    services.move_inquiry(actor, inquiry.pk, "investigating")
    services.write_findings(actor, inquiry.pk, "Findings.")
    services.move_inquiry(actor, inquiry.pk, "findings_issued")
    rec = services.recommend(actor, inquiry.pk, services.RecommendationInput(
        world.agencies[("AL", "police")].pk, "Do better.",
        timezone.localdate() + datetime.timedelta(days=1)))
    return inquiry, rec


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused(world, role):
    inquiry, rec = _path_to_recommendation(world)
    api, pages = world.api(role), world.client(role)
    assert api.get(INQUIRIES).status_code == 403
    assert api.get(f"{INQUIRIES}/{inquiry.pk}").status_code == 403
    assert _step(api, inquiry.pk, "closed").status_code == 403
    assert api.post(INQUIRIES, _complaint(world), **JSON).status_code == 403
    assert api.post(f"/api/v1/oversight/recommendations/{rec.pk}/answer", {
        "status": "implemented", "answer": "x", "answered_on": str(timezone.localdate())},
        **JSON).status_code == 403
    for url in ("/oversight/inquiries/", f"/oversight/inquiries/{inquiry.pk}/",
                "/oversight/inquiries/complaint/"):
        assert pages.get(url).status_code in {403, 404}, url
    assert pages.post(f"/oversight/inquiries/{inquiry.pk}/", {
        "step": "status", "status": "closed", "version": inquiry.version}).status_code in {
        403, 404}
    assert Inquiry.objects.get(pk=inquiry.pk).status == "findings_issued"


def test_the_investigated_account_another_jurisdiction_and_the_second_factor(world):
    inquiry, rec = _path_to_recommendation(world)
    investigator = world.client(Role.INVESTIGATOR)
    for url in ("/", "/oversight/inquiries/", f"/oversight/inquiries/{inquiry.pk}/"):
        html = investigator.get(url).content.decode()
        assert "Findings." not in html and "inquir" not in html.lower(), url
    # An oversight account the inquiry is about (through an alert) does not see it either.
    oversight = world.user(Role.OVERSIGHT)
    other = Client()
    Alert.objects.filter(pk__in=inquiry.alerts.all()).update(actor_id=oversight.pk)
    assert world.api(Role.OVERSIGHT).get(INQUIRIES).json()["count"] == 0
    assert world.api(Role.OVERSIGHT).get(f"{INQUIRIES}/{inquiry.pk}").status_code == 404
    assert login(other, oversight).get(f"/oversight/inquiries/{inquiry.pk}/").status_code == 404
    Alert.objects.filter(pk__in=inquiry.alerts.all()).update(actor_id=None)
    Inquiry.objects.filter(pk=inquiry.pk).update(account=oversight)
    assert world.api(Role.OVERSIGHT).get(f"{INQUIRIES}/{inquiry.pk}").status_code == 404
    Inquiry.objects.filter(pk=inquiry.pk).update(account=None)
    rs = world.api(Role.OVERSIGHT, "RS")
    assert rs.get(INQUIRIES).json()["count"] == 0
    assert rs.get(f"{INQUIRIES}/{inquiry.pk}").status_code == 404
    assert _step(rs, inquiry.pk, "closed").status_code == 404
    assert rs.post(f"/api/v1/oversight/recommendations/{rec.pk}/answer", {
        "status": "implemented", "answer": "x", "answered_on": str(timezone.localdate())},
        **JSON).status_code == 404
    assert world.client(Role.OVERSIGHT, "RS").get(
        f"/oversight/inquiries/{inquiry.pk}/").status_code == 404
    # An RS oversight cannot address an AL agency either.
    assert rs.post(INQUIRIES, _complaint(world), **JSON).json()["detail"][0]["loc"] == [
        "body", "agency_id"]
    password_only = Client()
    password_only.force_login(oversight)
    assert password_only.get(INQUIRIES).status_code == 401
    assert password_only.get("/oversight/inquiries/").status_code in {302, 403}
    assert password_only.post(f"/oversight/inquiries/{inquiry.pk}/", {
        "step": "status", "status": "closed"}).status_code in {302, 403}
    assert Client().get(INQUIRIES).status_code == 401
    assert Inquiry.objects.get(pk=inquiry.pk).status == "findings_issued"


def test_overdue_is_derived_from_the_deadline(world):
    inquiry, rec = _path_to_recommendation(world)
    api = world.api(Role.OVERSIGHT)
    assert api.get(INQUIRIES, {"overdue": True}).json()["count"] == 0
    Recommendation.objects.filter(pk=rec.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert api.get(INQUIRIES, {"overdue": True}).json()["count"] == 1
    assert api.get(f"/api/v1/oversight/recommendations/{rec.pk}").json()["overdue"] is True
    page = world.client(Role.OVERSIGHT)
    assert "Overdue" in page.get("/oversight/inquiries/").content.decode()
    home = page.get("/").content.decode()
    assert "1 inquiry running" in home and "1 recommendation overdue" in home
    board = page.get("/oversight/dashboard/").content.decode()
    assert "Recommendations per agency" in board and world.agencies[("AL", "police")].name in board
    title = board[board.index("<title>"):board.index("</title>")]
    assert "<table" not in title and board.count("Recommendations per agency") == 1
    services.answer(world.user(Role.OVERSIGHT), rec.pk, services.AnswerInput(
        "implemented", "Done.", timezone.localdate()))
    assert api.get(INQUIRIES, {"overdue": True}).json()["count"] == 0


def test_the_whole_path_through_the_pages(world):
    alert = _alert(world)
    page = world.client(Role.OVERSIGHT)
    html = page.get(f"/oversight/alerts/{alert.pk}/").content.decode()
    assert "Open an inquiry" in html
    opened = page.post("/oversight/inquiries/new/", {"alerts": [alert.pk]})
    assert opened.status_code == 302
    inquiry = Inquiry.objects.get()
    url = f"/oversight/inquiries/{inquiry.pk}/"
    assert opened["Location"] == url

    def post(**data):
        return page.post(url, {"version": Inquiry.objects.get(pk=inquiry.pk).version, **data})

    assert post(step="status", status="closed").status_code == 422          # illegal
    assert post(step="status", status="investigating").status_code == 302
    assert post(step="findings", findings="No purpose was shown.").status_code == 302
    assert post(step="status", status="findings_issued").status_code == 302
    police = world.agencies[("AL", "police")].pk
    assert post(step="recommend", agency=police, text="Review the unit's access.",
                deadline=_later()).status_code == 302
    rec = Recommendation.objects.get()
    assert page.post(url, {"step": "answer", "recommendation": rec.pk, "version": rec.version,
                           "status": "implemented", "answer": "Access reviewed.",
                           "answered_on": str(timezone.localdate())}).status_code == 302
    assert post(step="status", status="closed").status_code == 302
    html = page.get(url).content.decode()
    for text in ("No purpose was shown.", "Review the unit&#x27;s access.", "Access reviewed.",
                 "Implemented", "Closed", f"#{alert.pk}"):
        assert text in html, text
    # A stale form is refused with the record shown as it is now.
    stale = page.post(url, {"step": "status", "status": "withdrawn", "reason": "x",
                            "version": 1})
    assert stale.status_code == 409 and "Nothing was saved" in stale.content.decode()
    listing = page.get("/oversight/inquiries/?status=closed").content.decode()
    assert url in listing
    # A complaint through its form, and a second alert linked from the alert's page.
    made = page.post("/oversight/inquiries/complaint/", {
        "subject": "Rude treatment at the station", "complainant": "A victim's lawyer",
        "received_on": str(timezone.localdate()), "agency": police})
    assert made.status_code == 302
    complaint = Inquiry.objects.get(source="complaint")
    assert page.post(f"/oversight/alerts/{alert.pk}/", {
        "step": "link", "inquiry": complaint.pk}).status_code == 302
    assert list(complaint.alerts.values_list("pk", flat=True)) == [alert.pk]
    assert page.post("/oversight/inquiries/complaint/", {"subject": ""}).status_code == 422


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL (SQLite's test database is one in-memory connection)")
def test_two_steps_at_once_on_two_connections_one_wins(committing_db, monkeypatch):
    """Two oversight users take a step of the same open inquiry, each on its own connection,
    both past their read before either writes (a barrier in the policy check holds them)."""
    from crossroads.oversight.services import inquiries as inquiry_services

    world = build_world()
    second = User.objects.create_user("al_oversight_2", password="x" * 16, role=Role.OVERSIGHT,
                                      agency=world.agencies[("AL", "ombudsman")])
    tokens = [world.tokens["al_oversight"], ApiToken.issue(second, "test", scope="write")[1]]
    inquiry = services.open_from_complaint(world.user(Role.OVERSIGHT), services.ComplaintInput(
        "Subject", "Complainant", timezone.localdate(), world.agencies[("AL", "police")].pk))
    barrier, require = threading.Barrier(2, timeout=10), inquiry_services.require

    def require_together(actor, action, obj):
        require(actor, action, obj)
        if isinstance(obj, Inquiry):
            barrier.wait()

    monkeypatch.setattr(inquiry_services, "require", require_together)
    answers = []

    def step(token, status):
        try:
            client = Client(headers={"Authorization": f"Bearer {token}"})
            answers.append(_step(client, inquiry.pk, status, reason="Withdrawn by letter."))
        finally:
            connection.close()

    threads = [threading.Thread(target=step, args=args)
               for args in zip(tokens, ("investigating", "withdrawn"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409]
    inquiry.refresh_from_db()
    steps = AuditEntry.objects.filter(object_type="oversight.inquiry", object_id=str(inquiry.pk),
                                      details__has_key="status")
    assert inquiry.version == 2 and [e.details["status"][1] for e in steps] == [inquiry.status]
