"""The case log and its evidence files: entries by law enforcement of the case; files encrypted
at rest, type- and size-checked, their SHA-256 checked at every download (audited); case
workers, coordinators, other agencies and jurisdictions never reach them."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.investigations.models import CaseEvent, EvidenceFile
from crossroads.registry.models import Case

from .helpers import api_as, denied_entries, post

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ARREST = {"kind": "arrest", "occurred_on": "2024-03-02", "narrative": "Suspect arrested at the "
          "bus station after the controlled delivery.", "participants": "Unit 3; prosecutor"}


def events_url(case):
    return f"/api/v1/cases/{case.pk}/events"


def upload(client, event_id, name="report.pdf", content=PDF):
    return client.post(f"/api/v1/events/{event_id}/evidence",
                       {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


@pytest.fixture
def logged(world):
    """An arrest in the AL-police log, with a PDF attached by the investigator."""
    investigator = world.api(Role.INVESTIGATOR)
    response = post(investigator, events_url(world.cases["AL-police"]), ARREST)
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    evidence = upload(investigator, event_id)
    assert evidence.status_code == 201, evidence.content
    return event_id, evidence.json()


def test_an_arrest_with_an_evidence_file_round_trips_encrypted(world, logged):
    event_id, evidence = logged
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (evidence["content_type"], evidence["size"]) == ("application/pdf", len(PDF))
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative, participants FROM investigations_caseevent")
        narrative, participants = cursor.fetchone()
        cursor.execute("SELECT content, filename FROM investigations_evidencefile")
        content, filename = cursor.fetchone()
    assert "bus station" not in narrative and "Unit 3" not in participants
    assert "PDF" not in content and "report" not in filename
    prosecutor = world.api(Role.PROSECUTOR)  # on the team
    log = prosecutor.get(events_url(world.cases["AL-police"])).json()["items"]
    assert log[0]["narrative"] == ARREST["narrative"]
    assert [e["id"] for e in log[0]["evidence"]] == [evidence["id"]]
    download = prosecutor.get(f"/api/v1/evidence/{evidence['id']}")
    assert download.status_code == 200
    assert download.content == PDF and download["X-Checksum-SHA256"] == evidence["sha256"]
    assert "attachment" in download["Content-Disposition"]
    audited = AuditEntry.objects.filter(action="export", object_type="investigations.evidencefile",
                                        actor=world.user(Role.PROSECUTOR).username)
    assert audited.get().details["verified"] is True
    assert AuditEntry.objects.filter(action="read_identity", details__via="api case log").exists()


def test_a_tampered_file_is_refused_and_the_attempt_recorded(world, logged):
    _event_id, evidence = logged
    stored = EvidenceFile.objects.get(pk=evidence["id"])
    # Someone with database access swaps the content for another file's (sealed for the row,
    # so it decrypts): the checksum taken at upload no longer matches.
    field = EvidenceFile._meta.get_field("content")
    EvidenceFile.objects.filter(pk=stored.pk).update(content=field.seal(stored, PDF + b"x"))
    response = world.api(Role.INVESTIGATOR).get(f"/api/v1/evidence/{evidence['id']}")
    assert response.status_code == 409
    entry = AuditEntry.objects.filter(action="export", object_id=str(stored.pk)).latest("seq")
    assert entry.details["verified"] is False and entry.outcome == "denied"
    # A ciphertext from another row does not decrypt at all: refused the same way.
    other = EvidenceFile.objects.create(event=stored.event, filename="b.pdf", content=PDF,
                                        content_type="application/pdf", size=len(PDF),
                                        sha256=stored.sha256, uploaded_by=stored.uploaded_by)
    raw = EvidenceFile.objects.filter(pk=other.pk).values_list("content", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM investigations_evidencefile WHERE id = %s", [other.pk])
        foreign = cursor.fetchone()[0]
        cursor.execute("UPDATE investigations_evidencefile SET content = %s WHERE id = %s",
                       [foreign, stored.pk])
    assert raw.get() == PDF
    assert world.api(Role.INVESTIGATOR).get(f"/api/v1/evidence/{stored.pk}").status_code == 409


@pytest.mark.parametrize("name, content, message", [
    ("photo.png", PDF, "name does not fit"),
    ("tool.exe", b"MZ\x90\x00\x03", "not accepted"),
    ("notes.txt", b"\x00\x01binary", "not accepted"),
    ("empty.pdf", b"", "empty"),
])
def test_evidence_is_type_checked(world, logged, name, content, message):
    event_id, _evidence = logged
    response = upload(world.api(Role.INVESTIGATOR), event_id, name, content)
    assert response.status_code == 422
    assert message in response.json()["detail"][0]["msg"]
    assert EvidenceFile.objects.count() == 1


def test_evidence_is_size_checked(world, logged, settings):
    event_id, _evidence = logged
    settings.CROSSROADS_EVIDENCE_MAX_BYTES = 100
    response = upload(world.api(Role.INVESTIGATOR), event_id, content=PDF + b" " * 100)
    assert response.status_code == 422 and "larger" in response.json()["detail"][0]["msg"]
    assert upload(world.api(Role.INVESTIGATOR), event_id, "a.txt",
                  "Zeugenaussage – ok\n".encode()).status_code == 201


def test_entries_are_validated(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    for bad in ({**ARREST, "kind": "torture"}, {**ARREST, "occurred_on": "2999-01-01"},
                {**ARREST, "narrative": "   "}, {**ARREST, "occurred_on": "02.03.2024"}):
        assert post(investigator, events_url(case), bad).status_code == 422, bad
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("role, read, write", [
    (Role.CASE_WORKER, 404, 403),   # sees the case, never its log
    (Role.COORDINATOR, 404, 403),
    (Role.FOCAL_POINT, 200, 403),   # reads, never writes
    (Role.ANALYST, 404, 404),
    (Role.OVERSIGHT, 404, 404),
    ("other_investigator", 404, 404),
])
def test_who_never_reaches_the_log_or_its_evidence(world, logged, role, read, write):
    event_id, evidence = logged
    client = api_as(world.user(role))
    case = world.cases["AL-police"]
    listed = client.get(events_url(case))
    if read == 200:
        assert listed.status_code == 200 and len(listed.json()["items"]) == 1
        assert client.get(f"/api/v1/evidence/{evidence['id']}").status_code == 200
    else:
        assert listed.status_code in {200, 404}
        assert listed.status_code == 404 or listed.json()["items"] == []
        assert client.get(f"/api/v1/evidence/{evidence['id']}").status_code == 404
    assert post(client, events_url(case), ARREST).status_code == write
    assert upload(client, event_id).status_code == (403 if read == 200 else 404)
    assert denied_entries(world.user(role)).exists()
    assert EvidenceFile.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_other_jurisdiction_and_h3_outside_the_team(world, logged):
    event_id, evidence = logged
    rs = world.api(Role.INVESTIGATOR, "RS")
    assert rs.get(events_url(world.cases["AL-police"])).status_code == 404
    assert rs.get(f"/api/v1/evidence/{evidence['id']}").status_code == 404
    assert upload(rs, event_id).status_code == 404
    Case.objects.filter(pk=world.cases["AL-police"].pk).update(handling_code="H3")
    focal_point = world.api(Role.FOCAL_POINT)  # not on the team
    assert focal_point.get(f"/api/v1/evidence/{evidence['id']}").status_code == 404
    assert world.api(Role.PROSECUTOR).get(f"/api/v1/evidence/{evidence['id']}").status_code == 200
