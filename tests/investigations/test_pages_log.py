"""The case log, proceedings and markers pages: law enforcement of the case writes, focal
points read, case workers and coordinators never reach them; evidence files are checked at
upload and at every (audited) download."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.investigations.models import (
    CaseEvent,
    CrimeGroup,
    EvidenceFile,
    Proceeding,
    SuspectMarker,
)

from .helpers import denied_entries
from .pages import csrf_checked, summary

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EVENT = {"kind": "arrest", "occurred_on": "03/02/2025", "participants": "Unit 4",
         "narrative": "Arrested at the border crossing."}


def url(case, tail):
    return f"/cases/{case.pk}/{tail}"


def logged_event(world, role=Role.INVESTIGATOR):
    case = world.cases["AL-police"]
    response = world.client(role).post(url(case, "log/add/"), EVENT)
    assert response.status_code == 302, summary(response)
    return CaseEvent.objects.filter(case=case).latest("pk")


def test_an_arrest_with_an_evidence_file_and_its_checked_download(world):
    case = world.cases["AL-police"]
    event = logged_event(world)
    client = world.client(Role.INVESTIGATOR)
    response = client.post(f"/events/{event.pk}/evidence/",
                           {f"e{event.pk}-file": SimpleUploadedFile("photo.png", PNG)})
    assert response.status_code == 302, summary(response)
    evidence = EvidenceFile.objects.get(event=event)
    page = client.get(url(case, "log/")).content.decode()
    assert "Arrested at the border crossing." in page and hashlib.sha256(PNG).hexdigest() in page
    assert AuditEntry.objects.filter(action="read_identity", details__via="case log page").exists()
    download = world.client(Role.FOCAL_POINT).get(f"/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.content == PNG
    assert download["X-Checksum-SHA256"] == hashlib.sha256(PNG).hexdigest()
    assert AuditEntry.objects.filter(action="export", object_id=str(evidence.pk),
                                     details__verified=True).exists()
    # A stored checksum that no longer matches: not handed out, recorded as such.
    EvidenceFile.objects.filter(pk=evidence.pk).update(sha256="0" * 64)
    tampered = client.get(f"/evidence/{evidence.pk}/")
    assert tampered.status_code == 409 and PNG not in tampered.content
    assert AuditEntry.objects.filter(action="export", object_id=str(evidence.pk),
                                     details__verified=False).exists()


def test_a_file_of_the_wrong_type_or_size_is_refused_at_its_field(world):
    event = logged_event(world)
    client = world.client(Role.INVESTIGATOR)
    response = client.post(f"/events/{event.pk}/evidence/",
                           {f"e{event.pk}-file": SimpleUploadedFile("photo.pdf", PNG)})
    assert response.status_code == 422 and "does not fit its content" in summary(response)
    with override_settings(CROSSROADS_EVIDENCE_MAX_BYTES=32):
        response = client.post(f"/events/{event.pk}/evidence/",
                               {f"e{event.pk}-file": SimpleUploadedFile("photo.png", PNG)})
    assert response.status_code == 422 and "larger than" in summary(response)
    response = client.post(f"/events/{event.pk}/evidence/", {})
    assert response.status_code == 422 and "Choose a file" in summary(response)
    assert not EvidenceFile.objects.exists()


def test_event_errors_come_all_at_once(world):
    case = world.cases["AL-police"]
    response = world.client(Role.INVESTIGATOR).post(url(case, "log/add/"), {
        **EVENT, "kind": "party", "narrative": "", "occurred_on": "01/01/2999"})
    assert response.status_code == 422
    errors = summary(response)
    assert "Kind of event" in errors and "What happened" in errors
    response = world.client(Role.INVESTIGATOR).post(url(case, "log/add/"), {
        **EVENT, "occurred_on": "01/01/2999"})
    assert response.status_code == 422 and "future" in summary(response)
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("who, case_name, status", [
    (Role.CASE_WORKER, "AL-police", 403),   # assigned to the shelter: never the log
    (Role.COORDINATOR, "AL-police", 403),
    ("other_investigator", "AL-police", 404),
    (Role.INVESTIGATOR, "AL-h3", 404),      # H3, not on its team
    (Role.INVESTIGATOR, "RS-police", 404),
    (Role.ANALYST, "AL-police", 404),
])
def test_who_never_reaches_the_log_proceedings_or_markers(world, who, case_name, status):
    case = world.cases[case_name]
    client = world.client(who)
    for tail in ("log/", "proceedings/", "markers/"):
        assert client.get(url(case, tail)).status_code == status, tail
    assert client.post(url(case, "log/add/"), EVENT).status_code == status
    assert not CaseEvent.objects.exists()
    if status == 403:
        assert denied_entries(world.user(who), "case log").exists()


def test_a_focal_point_reads_the_log_and_writes_nothing(world):
    case = world.cases["AL-police"]
    logged_event(world)
    client = world.client(Role.FOCAL_POINT)
    page = client.get(url(case, "log/")).content.decode()
    assert "Arrested at the border crossing." in page and "Add an entry" not in page
    assert client.post(url(case, "log/add/"), EVENT).status_code == 403
    assert CaseEvent.objects.count() == 1


def test_log_posts_need_the_csrf_token(world):
    case = world.cases["AL-police"]
    assert csrf_checked(world.user(Role.INVESTIGATOR)).post(url(case, "log/add/"),
                                                            EVENT).status_code == 403
    assert not CaseEvent.objects.exists()


def open_proceeding(world, client):
    case = world.cases["AL-police"]
    suspect = world.persons["AL-suspect"]
    response = client.post(url(case, "proceedings/open/"), {
        "open-person_id": suspect.pk, "open-offence": "thb",
        "open-investigation_opened_on": "01/02/2024"})
    assert response.status_code == 302, summary(response)
    return Proceeding.objects.get(case=case, person=suspect)


def move(client, proceeding, stage, on, **outcome):
    body = {f"p{proceeding.pk}-{k}": v for k, v in {"stage": stage, "on": on,
                                                      "from_stage": proceeding.stage,
                                                      **outcome}.items()}
    return client.post(f"/proceedings/{proceeding.pk}/stage/", body)


def test_the_prosecutor_records_indictment_verdict_and_sentence(world):
    case = world.cases["AL-police"]
    client = world.client(Role.PROSECUTOR)
    proceeding = open_proceeding(world, client)
    assert move(client, proceeding, "indictment", "01/03/2024").status_code == 302
    proceeding.refresh_from_db()
    assert move(client, proceeding, "verdict", "01/06/2024", verdict="convicted").status_code == 302
    proceeding.refresh_from_db()
    response = move(client, proceeding, "sentence", "02/06/2024", custodial_months="36",
                    fine_eur="5000", compensation_awarded_eur="12000")
    assert response.status_code == 302, summary(response)
    page = client.get(url(case, "proceedings/")).content.decode()
    assert "Besnik Leka" in page and "36 months" in page and "12000" in page
    assert "Convicted" in page and ">Sentence<" in page
    assert AuditEntry.objects.filter(action="read_identity", details__via="proceedings page").exists()


def test_stage_errors_an_older_page_and_a_wrong_move_are_refused(world):
    client = world.client(Role.PROSECUTOR)
    proceeding = open_proceeding(world, client)
    stale = Proceeding.objects.get(pk=proceeding.pk)
    assert move(client, proceeding, "indictment", "01/03/2024").status_code == 302
    # Built from the page as it was before the indictment: refused, nothing moves.
    response = move(client, stale, "final", "02/03/2024")
    assert response.status_code == 422 and "moved on" in summary(response)
    proceeding.refresh_from_db()
    assert proceeding.stage == "indictment"
    response = move(client, proceeding, "verdict", "01/01/2020")
    assert response.status_code == 422
    errors = summary(response)
    assert "court decided" in errors or "earlier stage" in errors
    response = move(client, proceeding, "sentence", "02/03/2024", custodial_months="12")
    assert response.status_code == 422 and "Next stage" in summary(response)


def test_who_may_not_change_the_case_records_no_stage(world):
    proceeding = open_proceeding(world, world.client(Role.PROSECUTOR))
    assert move(world.client(Role.FOCAL_POINT), proceeding, "indictment",
                "01/03/2024").status_code == 403
    assert move(world.client(Role.CASE_WORKER), proceeding, "indictment",
                "01/03/2024").status_code == 404
    assert move(world.client(Role.PROSECUTOR, "RS"), proceeding, "indictment",
                "01/03/2024").status_code == 404
    proceeding.refresh_from_db()
    assert proceeding.stage == "investigation"


def test_markers_a_public_official_in_a_named_group(world):
    case = world.cases["AL-police"]
    suspect = world.persons["AL-suspect"]
    client = world.client(Role.INVESTIGATOR)
    assert client.post(url(case, "crime-groups/"), {"group-name": "Blue Vipers"}).status_code == 302
    again = client.post(url(case, "crime-groups/"), {"group-name": "Blue Vipers"})
    assert again.status_code == 422 and "known already" in summary(again)
    page = client.get(url(case, "markers/")).content.decode()
    assert "Besnik Leka" in page and "Blue Vipers" in page
    group = CrimeGroup.objects.get(name="Blue Vipers")
    shown = int(re.search(rf'name="s{suspect.pk}-version" value="(\d+)"', page)[1])
    response = client.post(url(case, f"markers/{suspect.pk}/"), {
        f"s{suspect.pk}-public_official": "on", f"s{suspect.pk}-group_id": group.pk,
        f"s{suspect.pk}-version": shown})
    assert response.status_code == 302, summary(response)
    marker = SuspectMarker.objects.get(involvement__person=suspect)
    assert marker.public_official and marker.group_id == group.pk
    # The same page sent again (built before that change): nothing saved, the page as it is.
    stale = client.post(url(case, f"markers/{suspect.pk}/"), {
        f"s{suspect.pk}-group_id": "", f"s{suspect.pk}-version": shown})
    assert stale.status_code == 409 and "Nothing was saved" in stale.content.decode()
    assert SuspectMarker.objects.get(involvement__person=suspect).group_id == group.pk
    # A victim is no suspect: refused at the top of the form.
    victim = world.persons["AL-victim"]
    case.refresh_from_db()
    response = client.post(url(case, f"markers/{victim.pk}/"), {
        f"s{victim.pk}-group_id": "", f"s{victim.pk}-version": case.version})
    assert response.status_code == 422 and "not a suspect" in summary(response)
    assert world.client(Role.FOCAL_POINT).post(url(case, f"markers/{suspect.pk}/"), {
        f"s{suspect.pk}-group_id": "", f"s{suspect.pk}-version": case.version}).status_code == 403


def test_the_markers_page_records_the_names_it_shows(world):
    case = world.cases["AL-police"]
    world.client(Role.FOCAL_POINT).get(url(case, "markers/"))
    entry = AuditEntry.objects.filter(action="read_identity",
                                      details__via="case markers page").latest("pk")
    assert entry.actor == "al_focal_point"


def test_a_replayed_stage_move_is_refused(world):
    client = world.client(Role.PROSECUTOR)
    proceeding = open_proceeding(world, client)
    first = move(client, proceeding, "indictment", "01/03/2024")
    again = move(client, proceeding, "indictment", "01/03/2024")
    assert first.status_code == 302 and again.status_code == 422
    assert proceeding.stages.count() == 2  # opened, indicted: once


def test_appeal_and_final_and_a_victim_charged_under_non_punishment(world):
    case = world.cases["AL-police"]
    client = world.client(Role.PROSECUTOR)
    proceeding = open_proceeding(world, client)
    for stage, on, outcome in (("indictment", "01/03/2024", {}),
                               ("verdict", "01/06/2024", {"verdict": "convicted"}),
                               ("appeal", "20/06/2024", {}),
                               ("verdict", "10/10/2024", {"verdict": "acquitted"}),
                               ("final", "11/11/2024", {})):
        response = move(client, proceeding, stage, on, **outcome)
        assert response.status_code == 302, summary(response)
        proceeding.refresh_from_db()
    assert (proceeding.stage, proceeding.verdict) == ("final", "acquitted")
    # The victim, charged with an offence she was compelled to commit: non-punishment invoked.
    victim = world.persons["AL-victim"]
    response = client.post(url(case, "proceedings/open/"), {
        "open-person_id": victim.pk, "open-offence": "prostitution",
        "open-investigation_opened_on": "01/02/2024", "open-non_punishment_invoked": "on"})
    assert response.status_code == 302, summary(response)
    charged = Proceeding.objects.get(case=case, person=victim)
    assert charged.non_punishment_invoked
    assert move(client, charged, "final", "01/04/2024").status_code == 302
    page = client.get(url(case, "proceedings/")).content.decode()
    assert "Non-punishment" in page and "Acquitted" in page and "Dismissed" in page
    # Non-punishment is for victims: a suspect's proceeding refuses it at its field.
    response = client.post(url(case, "proceedings/open/"), {
        "open-person_id": world.persons["AL-suspect"].pk, "open-offence": "prostitution",
        "open-investigation_opened_on": "01/02/2024", "open-non_punishment_invoked": "on"})
    assert response.status_code == 422 and "Non-punishment concerns a victim" in summary(response)
