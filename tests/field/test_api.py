"""The sync route as a device uses it, and as an attacker would: idempotency, a replayed
content id under a new key, a wrong role, another jurisdiction, a bad ciphertext, a conflict."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.assistance.models import Screening
from crossroads.field.models import Submission
from crossroads.keys import field_keys
from crossroads.registry import services as registry
from crossroads.registry.models import Case, Person
from tests.conftest import state_purpose

URL = "/api/v1/field/submissions"


def body(kind: str, data: dict, *, content_id=None, captured=None) -> dict:
    content_id = str(content_id or uuid.uuid4())
    captured = captured or timezone.now()
    plain = json.dumps({"content_id": content_id, "kind": kind, "captured_at": captured.isoformat(),
                        "data": data}).encode()
    return {"content_id": content_id, "kind": kind,
            "sealed": field_keys.seal(plain, field_keys.aad(content_id, kind))}


REGISTRATION = {"person": {"given_names": "Ermira", "family_name": "Dervishi", "sex": "F",
                           "birth_date": "1999-03-02"},
                "case": {"summary": "Met at the bus station."},
                "exploitation": {"forms": ["forced_labour"]}}


def post(client, payload, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


def test_the_same_key_twice_makes_one_record_and_the_first_answer(world):
    client = world.api(Role.CASE_WORKER)
    payload = body("registration", REGISTRATION)
    persons = Person.objects.count()
    first = post(client, payload, "k-1")
    again = post(client, payload, "k-1")
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.count() == persons + 1
    assert first.json()["status"] == "applied"
    submission = Submission.objects.get(content_id=payload["content_id"])
    assert submission.sealed is None  # once recorded, the node keeps only the receipt
    assert submission.person.given_names == "Ermira"


def test_a_replay_under_a_new_key_makes_no_second_record(world):
    client = world.api(Role.CASE_WORKER)
    payload = body("registration", REGISTRATION)
    first = post(client, payload, "k-a")
    persons = Person.objects.count()
    replay = post(client, payload, "k-b")
    assert replay.status_code == 200
    assert replay.json()["receipt"] == first.json()["receipt"]
    assert Person.objects.count() == persons
    # The same content id with another body is refused, whoever sends it.
    other = body("registration", REGISTRATION, content_id=payload["content_id"])
    refused = post(client, other, "k-c")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "content_id"]
    stranger = post(world.api(Role.INVESTIGATOR), payload, "k-d")
    assert stranger.status_code == 422


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.FOCAL_POINT, Role.COORDINATOR,
                                  Role.ANALYST, Role.OVERSIGHT, Role.ADMINISTRATOR,
                                  Role.HOTLINE_OPERATOR])
def test_other_roles_are_refused(world, role):
    persons = Person.objects.count()
    assert post(world.api(role), body("registration", REGISTRATION)).status_code == 403
    assert world.api(role).get("/api/v1/field/device").status_code == 403
    assert world.client(role).get("/field/").status_code == 403
    assert Person.objects.count() == persons


def test_unauthenticated_and_password_only_are_refused(world, client):
    assert post(client, body("registration", REGISTRATION)).status_code == 401
    assert client.get("/field/").status_code == 302
    client.force_login(world.user(Role.CASE_WORKER))  # no second factor
    assert client.get("/api/v1/field/device").status_code == 401


def test_bad_ciphertext_is_a_clear_422(world):
    client = world.api(Role.CASE_WORKER)
    payload = body("registration", REGISTRATION)
    ct = bytearray(payload["sealed"]["ct"].encode())
    ct[5] = ord("A") if ct[5] != ord("A") else ord("B")
    payload["sealed"]["ct"] = ct.decode()
    answer = post(client, payload, "k-bad")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "sealed"]
    assert "does not open" in answer.json()["detail"][0]["msg"]
    # A sealed body moved under another content id does not open either (bound by its AAD).
    moved = body("registration", REGISTRATION)
    moved["content_id"] = str(uuid.uuid4())
    assert post(client, moved).status_code == 422
    unknown = body("registration", REGISTRATION)
    unknown["sealed"]["kid"] = "f-unknown"
    assert "does not hold" in post(client, unknown).json()["detail"][0]["msg"]
    assert not Submission.objects.exists()


def test_screening_of_a_case_and_of_a_registration(world):
    client = world.api(Role.CASE_WORKER)
    case = world.cases["AL-police"]
    captured = timezone.now()
    answer = post(client, body("screening", {"case_reference": case.reference,
                                             "indicators": ["debt_bondage", "violence"],
                                             "notes": "Seen at the farm."}, captured=captured))
    assert answer.status_code == 201 and answer.json()["status"] == "applied", answer.content
    screening = Submission.objects.get(content_id=answer.json()["content_id"]).screening
    assert screening.indicators == ["debt_bondage", "violence"]
    registration = body("registration", REGISTRATION)
    post(client, registration)
    linked = post(client, body("screening", {"registration": registration["content_id"],
                                             "indicators": ["documents_withheld"]}))
    assert linked.json()["status"] == "applied", linked.content
    assert Screening.objects.count() == 2


def test_other_jurisdiction_case_is_held_for_correction_and_writes_nothing(world):
    client = world.api(Role.CASE_WORKER, "RS")
    answer = post(client, body("screening", {"case_reference": world.cases["AL-police"].reference,
                                             "indicators": ["violence"]}))
    assert answer.status_code == 201
    assert answer.json()["status"] == "needs_correction"
    assert answer.json()["problems"][0]["loc"] == ["data", "case_reference"]
    assert not Screening.objects.exists()
    # The AL worker cannot see the RS worker's submission.
    found = Submission.objects.get()
    assert world.client(Role.CASE_WORKER).get(f"/field/submissions/{found.pk}/").status_code == 404


def test_a_case_changed_since_the_capture_is_a_conflict_kept_for_a_person(world):
    client = world.api(Role.CASE_WORKER)
    case = world.cases["AL-police"]
    captured = timezone.now() - datetime.timedelta(hours=2)
    registry.change_handling_code(world.user(Role.INVESTIGATOR), case, "H1")
    answer = post(client, body("screening", {"case_reference": case.reference,
                                             "indicators": ["violence"]}, captured=captured))
    assert answer.json()["status"] == "conflict"
    assert not Screening.objects.exists()
    assert Case.objects.get(pk=case.pk).handling_code == "H1"  # nothing overwritten
    found = Submission.objects.get()
    page = world.client(Role.CASE_WORKER)
    shown = page.get(f"/field/submissions/{found.pk}/")
    assert "The case changed on the node after the capture" in shown.content.decode()
    assert "violence" in shown.content.decode()
    page.post(f"/field/submissions/{found.pk}/", {"decision": "apply"})
    found.refresh_from_db()
    assert found.status == "applied" and found.sealed is None
    assert Screening.objects.count() == 1


def test_invalid_content_is_kept_with_the_online_forms_errors(world):
    client = world.api(Role.CASE_WORKER)
    bad = {**REGISTRATION, "person": {**REGISTRATION["person"], "birth_date": "2999-01-01"},
           "exploitation": {"forms": []}}
    answer = post(client, body("registration", bad))
    assert answer.json()["status"] == "needs_correction"
    locs = [p["loc"] for p in answer.json()["problems"]]
    assert ["data", "exploitation", "forms"] in locs


CONTACT = {"contacted_on": "2026-01-10", "mode": "outreach",
           "narrative": "Met her at the bus station; she has a place to sleep tonight."}
FIELD_REPORT = {"text": "Six workers sleep in the greenhouse; their papers are with the boss.",
                "municipality": "AL:Durrës", "place": "Greenhouses behind the bypass",
                "seen_at": "2026-01-10T09:30:00+01:00", "occurred": "ongoing",
                "affected": "both", "urgency": "soon", "language": "sq"}


def test_a_contact_note_is_added_to_the_persons_file_and_a_changed_case_is_no_conflict(world):
    from crossroads.assistance.models import ContactNote

    client = world.api(Role.CASE_WORKER)
    case = world.cases["AL-police"]
    captured = timezone.now() - datetime.timedelta(hours=2)
    registry.change_handling_code(world.user(Role.INVESTIGATOR), case, "H1")  # after the capture
    payload = body("contact_note", {"case_reference": case.reference, **CONTACT},
                   captured=captured)
    first = post(client, payload, "c-1")
    assert first.status_code == 201 and first.json()["status"] == "applied", first.content
    assert post(client, payload, "c-1").json() == first.json()  # the same key: the first answer
    assert post(client, payload, "c-2").status_code == 200  # another key: the first receipt
    note = ContactNote.objects.get()
    assert (note.mode, note.contacted_on.isoformat()) == ("outreach", "2026-01-10")
    assert note.file.person == world.persons["AL-victim"]
    assert Submission.objects.get(content_id=payload["content_id"]).contact_note == note
    # The narrative is encrypted at rest, and shown on the file's page.
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM assistance_contactnote")
        assert "bus station" not in str(cursor.fetchone()[0])
    page = world.client(Role.CASE_WORKER).get(f"/assistance/files/{note.file_id}/")
    assert "bus station" in page.content.decode()
    # Of a registration captured on the same device.
    registration = body("registration", REGISTRATION)
    post(client, registration)
    linked = post(client, body("contact_note", {"registration": registration["content_id"],
                                                **CONTACT}))
    assert linked.json()["status"] == "applied", linked.content
    assert ContactNote.objects.count() == 2


def test_a_bad_contact_note_names_every_problem_and_writes_nothing(world):
    from crossroads.assistance.models import ContactNote

    client = world.api(Role.CASE_WORKER)
    bad = {"case_reference": "AL-NO-SUCH", "contacted_on": "2999-01-01", "mode": "telepathy",
           "narrative": "  "}
    answer = post(client, body("contact_note", bad))
    assert answer.status_code == 201 and answer.json()["status"] == "needs_correction"
    locs = sorted(p["loc"] for p in answer.json()["problems"])
    assert locs == [["data", "case_reference"], ["data", "contacted_on"], ["data", "mode"],
                    ["data", "narrative"]]
    assert not ContactNote.objects.exists()
    # Another jurisdiction's case finds nothing.
    other = post(world.api(Role.CASE_WORKER, "RS"), body(
        "contact_note", {"case_reference": world.cases["AL-police"].reference, **CONTACT}))
    assert other.json()["status"] == "needs_correction"
    assert other.json()["problems"][0]["loc"] == ["data", "case_reference"]
    assert not ContactNote.objects.exists()


def test_a_field_report_enters_the_triage_queue_as_a_named_workers_report(world):
    from crossroads.tips.models import Report

    worker = world.user(Role.INVESTIGATOR)
    payload = body("field_report", FIELD_REPORT)
    first = post(world.api(Role.INVESTIGATOR), payload, "r-1")
    assert first.status_code == 201 and first.json()["status"] == "applied", first.content
    assert post(world.api(Role.INVESTIGATOR), payload, "r-1").json() == first.json()
    assert post(world.api(Role.INVESTIGATOR), payload, "r-2").status_code == 200
    report = Report.objects.get()
    assert (report.channel, report.entered_by, report.jurisdiction_id) == ("field", worker, "AL")
    assert (report.municipality, report.affected, report.urgency) == ("Durrës", "both", "soon")
    assert report.call_at.isoformat() == "2026-01-10T08:30:00+00:00"
    assert Submission.objects.get(content_id=payload["content_id"]).report == report
    # Triaged in the one queue, by the jurisdiction's police and NGOs.
    queue = world.api(Role.FOCAL_POINT).get("/api/v1/reports")
    assert queue.status_code == 200, queue.content
    assert [item["id"] for item in queue.json()["items"]] == [report.pk]


def test_a_bad_field_report_names_every_problem_and_another_jurisdiction_is_refused(world):
    from crossroads.tips.models import Report

    client = world.api(Role.CASE_WORKER)
    bad = {**FIELD_REPORT, "text": "", "municipality": "AL:Atlantis", "seen_at": "2999-01-01T00:00:00Z",
           "urgency": "whenever", "affected": "cats"}
    answer = post(client, body("field_report", bad))
    assert answer.json()["status"] == "needs_correction"
    locs = sorted(p["loc"] for p in answer.json()["problems"])
    assert locs == [["data", "affected"], ["data", "municipality"], ["data", "seen_at"],
                    ["data", "text"], ["data", "urgency"]]
    other = post(world.api(Role.CASE_WORKER, "RS"), body("field_report", FIELD_REPORT))
    assert other.json()["status"] == "needs_correction"
    assert other.json()["problems"][0]["loc"] == ["data", "municipality"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("kind,data", [("contact_note", {"case_reference": "X", **CONTACT}),
                                       ("field_report", FIELD_REPORT)])
def test_the_new_kinds_refuse_other_roles_and_a_password_only_session(world, client, kind, data):
    for role in (Role.PROSECUTOR, Role.FOCAL_POINT, Role.HOTLINE_OPERATOR, Role.ANALYST):
        assert post(world.api(role), body(kind, data)).status_code == 403
    client.force_login(world.user(Role.CASE_WORKER))  # no second factor
    assert post(client, body(kind, data)).status_code == 401
    assert not Submission.objects.exists()


def test_a_field_registration_of_a_person_already_on_the_node_shows_the_possible_duplicate(world):
    """Duplicate detection runs on arrival (registry.signals.person_saved → linkage)."""
    from crossroads.linkage import node
    from crossroads.linkage.models import MatchCandidate

    twin = {**REGISTRATION, "person": {"given_names": "Drita", "family_name": "Krasniqi",
                                       "sex": "F", "birth_date": "2001-05-04"}}
    answer = post(world.api(Role.CASE_WORKER), body("registration", twin))
    assert answer.json()["status"] == "applied", answer.content
    person = Submission.objects.get().person
    known = world.persons["AL-victim"]
    pair = MatchCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {known.pk, person.pk}
    case_worker = world.user(Role.CASE_WORKER)
    assert [c["candidate"].pk for c in node.candidates_for(case_worker, person)] == [pair.pk]
    path = f"/persons/{person.pk}/"
    page = state_purpose(world.client(Role.CASE_WORKER), path).get(path)
    assert page.status_code == 200 and "Possibly the same as" in page.content.decode()
    assert f"/persons/{known.pk}/" in page.content.decode()


def test_a_kept_contact_note_is_shown_and_applied_on_the_submission_page(world):
    """A note of a registration that reached the node after it: kept, then "Try again"."""
    from crossroads.assistance.models import ContactNote

    client = world.api(Role.CASE_WORKER)
    registration = body("registration", REGISTRATION)
    note = post(client, body("contact_note", {"registration": registration["content_id"],
                                              **CONTACT}))
    assert note.json()["status"] == "needs_correction"
    assert note.json()["problems"][0]["loc"] == ["data", "registration"]
    post(client, registration)
    found = Submission.objects.get(content_id=note.json()["content_id"])
    page = world.client(Role.CASE_WORKER)
    shown = page.get(f"/field/submissions/{found.pk}/").content.decode()
    assert "Contact note" in shown and "bus station" in shown
    page.post(f"/field/submissions/{found.pk}/", {"decision": "apply"})
    found.refresh_from_db()
    assert found.status == "applied" and found.sealed is None
    assert ContactNote.objects.get() == found.contact_note
    report = post(client, body("field_report", FIELD_REPORT))
    listed = page.get("/field/submissions/").content.decode()
    entered = Submission.objects.get(content_id=report.json()["content_id"]).report_id
    assert "Report from the field" in listed and f"/reports/{entered}/" in listed
