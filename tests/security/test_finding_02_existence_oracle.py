"""Finding 2 (issue 13): a registration must never be an existence oracle.

The attack: a case worker (or investigator) who cannot find a person registers a made-up victim
with that person's name and birth date, then reads what the node says about the new case: its
re-trafficking flags, possible duplicates, the registration's answer, the case, person, search
and duplicate pages. Nothing may name the earlier person or case (no year, agency, reference,
probability) unless the registrant may see them under the policy; the flag reaches the earlier
case's team instead (and the coordinator, unless the earlier case is restricted, H3)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from crossroads.access.choices import Role
from crossroads.access.models import ApiToken, User
from crossroads.assistance.choices import IdentificationStatus
from crossroads.assistance.models import RetraffickingFlag, VictimFile
from crossroads.jobs.worker import run_now
from crossroads.linkage.models import MatchCandidate
from crossroads.linkage.services import queue_dedupe
from crossroads.registry.choices import VICTIM_ROLES
from crossroads.registry.models import Case
from tests.conftest import login_as, search
from tests.web.test_pages import FORM as PAGE_FORM

pytestmark = pytest.mark.django_db

EARLIER_YEAR = 2019


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, 'f2', scope='write')[1]}"})


def _earlier(world, case_key):
    """The victim of an existing case, assisted (presumed victim) in a case opened in 2019."""
    case = world.cases[case_key]
    Case.objects.filter(pk=case.pk).update(opened_on=datetime.date(EARLIER_YEAR, 3, 1))
    case.refresh_from_db()
    person = case.involvements.get(role__in=VICTIM_ROLES).person
    VictimFile.objects.create(person=person, case=case, status=IdentificationStatus.PRESUMED)
    return case, person


def _register_copy(client, person) -> dict:
    """The attack through the API: a victim with the same name, sex and birth date."""
    response = client.post("/api/v1/registrations", {
        "person": {"given_names": person.given_names, "family_name": person.family_name,
                   "sex": person.sex, "birth_date": person.birth_date.isoformat()},
        "exploitation": {"forms": ["sexual"]}}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def _register_copy_by_page(client, person) -> Case:
    before = set(Case.objects.values_list("pk", flat=True))
    response = client.post(reverse("register-victim"), {
        **PAGE_FORM, "given_names": person.given_names, "family_name": person.family_name,
        "father_name": "", "sex": person.sex, "birth_date": person.birth_date.isoformat(),
        "place_of_birth": "", "citizenships": []})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.exclude(pk__in=before).get()


def _matched(new_case_id, fake_id, earlier_person) -> None:
    """The node did find the match (so that the checks below are not vacuous)."""
    a, b = sorted((fake_id, earlier_person.pk))
    assert MatchCandidate.objects.filter(person_a_id=a, person_b_id=b).exists()
    assert RetraffickingFlag.objects.filter(file_case_id=new_case_id, person_id=fake_id).exists()


def _tells_nothing(text: str, earlier_case, earlier_person) -> None:
    leaks = [earlier_case.reference, str(EARLIER_YEAR), "re-trafficking", "Possibly the same as",
             "probability", f"/persons/{earlier_person.pk}/", "merged", "registered again",
             f"owned by {earlier_case.owner_agency.name}", "assisted before"]
    found = [leak for leak in leaks if leak.lower() in text.lower()]
    assert not found, found


def _registrant_sees_nothing(user, body, earlier_case, earlier_person):
    api = _api(user)
    assert set(body) == {"person_id", "case_id", "case_reference", "exploitation_record_id"}
    new_case, fake = body["case_id"], body["person_id"]
    assert api.get(f"/api/v1/cases/{new_case}/retrafficking-flags").json()["items"] == []
    assert api.get("/api/v1/retrafficking-notices").json()["items"] == []
    queue = api.get("/api/v1/duplicates").json()
    assert queue["count"] == 0 and queue["items"] == []
    person = api.get(f"/api/v1/persons/{fake}")
    assert person.status_code == 200
    _tells_nothing(person.content.decode(), earlier_case, earlier_person)
    found = search(api, "/api/v1/persons/search", {"name": earlier_person.family_name}).json()
    assert [p["id"] for p in found["items"]] == [fake]
    assert api.get(f"/api/v1/persons/{earlier_person.pk}").status_code == 404
    client = login_as(user)
    for url in (reverse("case-page", args=[new_case]), reverse("assistance-case", args=[new_case]),
                reverse("person-page", args=[fake]), reverse("duplicates")):
        page = client.get(url)
        assert page.status_code == 200, url
        _tells_nothing(page.content.decode(), earlier_case, earlier_person)
    searched = client.post(reverse("person-search"), {"q": earlier_person.family_name})
    assert searched.status_code == 200
    _tells_nothing(searched.content.decode(), earlier_case, earlier_person)


def _notice(user, earlier_case, earlier_person):
    notices = _api(user).get("/api/v1/retrafficking-notices").json()["items"]
    return [n for n in notices if (n["case_id"], n["person_id"])
            == (earlier_case.pk, earlier_person.pk)]


def test_finding_2_h3_case_of_another_agency_is_not_revealed_to_the_registrant(world):
    earlier_case, earlier_person = _earlier(world, "AL-h3")
    worker = world.user(Role.CASE_WORKER)  # the shelter: another agency than the police's
    body = _register_copy(_api(worker), earlier_person)
    _matched(body["case_id"], body["person_id"], earlier_person)
    _registrant_sees_nothing(worker, body, earlier_case, earlier_person)
    # Routed to the H3 case's team, without the new case (which they may not see) ...
    colleague = User.objects.get(username="al_colleague")
    [notice] = _notice(colleague, earlier_case, earlier_person)
    assert notice["new_case_id"] is None and notice["new_case_reference"] is None
    page = login_as(colleague).get(reverse("case-page", args=[earlier_case.pk])).content.decode()
    assert "registered again" in page and body["case_reference"] not in page
    # ... and to nobody outside it: not the coordinator, not the registrant's side.
    assert _notice(world.user(Role.COORDINATOR), earlier_case, earlier_person) == []
    assert _api(world.user(Role.COORDINATOR)).get("/api/v1/retrafficking-notices").json()["items"] == []


def test_finding_2_h3_case_of_own_agency_outside_the_team_by_pages(world):
    earlier_case, earlier_person = _earlier(world, "AL-h3")
    investigator = world.user(Role.INVESTIGATOR)  # same police agency, not on the H3 team
    new_case = _register_copy_by_page(login_as(investigator), earlier_person)
    fake = new_case.involvements.get().person
    _matched(new_case.pk, fake.pk, earlier_person)
    body = {"person_id": fake.pk, "case_id": new_case.pk, "case_reference": new_case.reference,
            "exploitation_record_id": 0}
    _registrant_sees_nothing(investigator, body, earlier_case, earlier_person)
    # A whole-node deduplication run does not count the hidden pair for them either.
    run_now(queue_dedupe(investigator).job)
    page = login_as(investigator).get(reverse("duplicates")).content.decode()
    assert "0 possible duplicate pairs found" in page
    # An insider who may see both (the H3 team, of the same agency) sees the flag as before.
    colleague = User.objects.get(username="al_colleague")
    flags = _api(colleague).get(f"/api/v1/cases/{new_case.pk}/retrafficking-flags").json()["items"]
    assert [(f["person_id"], f["via"]) for f in flags] == [(fake.pk, "candidate")]
    page = login_as(colleague).get(reverse("assistance-case", args=[new_case.pk])).content.decode()
    assert "Possible re-trafficking" in page and str(EARLIER_YEAR) in page
    assert _notice(colleague, earlier_case, earlier_person) == []  # seen in full, not routed
    assert _notice(world.user(Role.COORDINATOR), earlier_case, earlier_person) == []
    # The insider merges the two records: the registrant still sees no trace of the other one.
    candidate = MatchCandidate.objects.get()
    merged = _api(colleague).post(f"/api/v1/duplicates/{candidate.pk}/confirm", {},
                                  content_type="application/json")
    assert merged.status_code == 200, merged.content
    _registrant_sees_nothing(investigator, body, earlier_case, earlier_person)
    listed = _api(investigator).get("/api/v1/persons").json()["items"]
    assert fake.pk in [p["id"] for p in listed]


def test_finding_2_other_agency_case_goes_to_its_team_and_the_coordinator(world):
    earlier_case, earlier_person = _earlier(world, "AL-other")  # police2, not H3
    worker = world.user(Role.CASE_WORKER)
    body = _register_copy(_api(worker), earlier_person)
    _matched(body["case_id"], body["person_id"], earlier_person)
    _registrant_sees_nothing(worker, body, earlier_case, earlier_person)
    # The earlier case's agency is told, without the new case ...
    other = world.users[("AL", "other_investigator")]
    [notice] = _notice(other, earlier_case, earlier_person)
    assert notice["new_case_reference"] is None
    page = login_as(other).get(reverse("assistance-case", args=[earlier_case.pk])).content.decode()
    assert "registered again" in page and body["case_reference"] not in page
    # ... and the coordinator, who may see both cases (pseudonymously), is told which one.
    coordinator = world.user(Role.COORDINATOR)
    [notice] = _notice(coordinator, earlier_case, earlier_person)
    assert notice["new_case_reference"] == body["case_reference"]
    page = login_as(coordinator).get(reverse("case-page", args=[earlier_case.pk])).content.decode()
    assert body["case_reference"] in page
    # Nobody of another jurisdiction.
    assert _api(world.user(Role.COORDINATOR, "RS")).get(
        "/api/v1/retrafficking-notices").json()["items"] == []


def test_finding_2_a_later_copy_is_never_routed_back_to_the_registrant(world):
    """The reverse probe: the registrant opens a file on the made-up victim, so the match also
    flags the earlier case for the registrant's file; that flag must reach no one who may not
    see it — in particular not the registrant (their case is the newer one)."""
    from crossroads.assistance.services import identification

    earlier_case, earlier_person = _earlier(world, "AL-other")
    worker = world.user(Role.CASE_WORKER)
    body = _register_copy(_api(worker), earlier_person)
    new_case = Case.objects.get(pk=body["case_id"])
    fake = new_case.involvements.get().person
    file = identification.open_file(worker, new_case, fake)
    VictimFile.objects.filter(pk=file.pk).update(status=IdentificationStatus.PRESUMED)
    # A later re-check (a new candidate, here the same pair scored again) flags the old case.
    from crossroads.assistance import retrafficking

    retrafficking.check(earlier_person.pk, earlier_case.pk)
    assert RetraffickingFlag.objects.filter(file_case=earlier_case, earlier_file=file).exists()
    assert _api(worker).get("/api/v1/retrafficking-notices").json()["items"] == []
    page = login_as(worker).get(reverse("case-page", args=[new_case.pk])).content.decode()
    assert "registered again" not in page and earlier_case.reference not in page
    other = world.users[("AL", "other_investigator")]
    assert _api(other).get(f"/api/v1/cases/{earlier_case.pk}/retrafficking-flags").json()["items"] == []
