"""Who sees assistance records: the receiving agency only after accepting, and no longer after
revocation; other jurisdictions nothing (404); care records for case workers only; referral
rows to the sending and receiving agencies (coordinators pseudonymously)."""

from crossroads.access.choices import Role
from crossroads.assistance.models import Referral, VictimFile
from crossroads.assistance.services import consent, identification, referrals
from tests.assistance.conftest import post


def _referred(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    file = identification.open_file(police, case, victim)
    consent.record_consent(police, victim, "referral", True)
    referral = referrals.create(police, case, to_agency=world.agencies[("AL", "ngo")].pk,
                                purpose="shelter")
    return case, file, referral


def test_receiving_case_worker_sees_nothing_before_accept_and_loses_it_on_revoke(assist):
    case, file, referral = _referred(assist)
    ngo = assist.api(assist.ngo_worker)
    urls = [f"/api/v1/cases/{case.pk}", f"/api/v1/victim-files/{file.pk}",
            f"/api/v1/persons/{file.person_id}", f"/api/v1/cases/{case.pk}/victim-files"]
    assert [ngo.get(u).status_code for u in urls] == [404] * 4
    assert ngo.get(f"/api/v1/referrals/{referral.pk}").status_code == 200
    assert post(ngo, f"/api/v1/referrals/{referral.pk}/accept").status_code == 200
    assert [ngo.get(u).status_code for u in urls] == [200] * 4
    police = assist.api(assist.world.user(Role.INVESTIGATOR))
    # Only the sender revokes, and only with a reason.
    assert post(ngo, f"/api/v1/referrals/{referral.pk}/revoke", {"reason": "x"}).status_code == 403
    no_reason = post(police, f"/api/v1/referrals/{referral.pk}/revoke", {"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == [
        "body", "reason"]
    assert post(police, f"/api/v1/referrals/{referral.pk}/revoke",
                {"reason": "Victim moved away"}).json()["status"] == "revoked"
    assert [ngo.get(u).status_code for u in urls] == [404] * 4
    # Revoked is final.
    assert post(ngo, f"/api/v1/referrals/{referral.pk}/accept").status_code == 422


def test_access_that_predates_a_referral_survives_its_end(assist):
    """The shelter was assigned before; a referral to it neither adds nor removes access."""
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    consent.record_consent(police, victim, "referral", True)
    referral = referrals.create(police, case, to_agency=world.agencies[("AL", "shelter")].pk,
                                purpose="medical")
    worker = world.user(Role.CASE_WORKER)
    referrals.accept(worker, referral)
    referrals.revoke(police, Referral.objects.get(pk=referral.pk), "Not needed")
    assert assist.api(worker).get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_transfer_hands_ownership_over(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    consent.record_consent(police, victim, "referral", True)
    ngo = assist.api(assist.ngo_worker)
    refused = post(assist.api(world.user(Role.CASE_WORKER)), f"/api/v1/cases/{case.pk}/referrals",
                   {"to_agency": world.agencies[("AL", "ngo")].pk, "purpose": "case_management",
                    "transfer": True})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == [
        "body", "transfer"]
    referral = post(assist.api(police), f"/api/v1/cases/{case.pk}/referrals", {
        "to_agency": world.agencies[("AL", "ngo")].pk, "purpose": "case_management",
        "transfer": True}).json()
    assert post(ngo, f"/api/v1/referrals/{referral['id']}/accept").status_code == 200
    case.refresh_from_db()
    assert case.owner_agency == world.agencies[("AL", "ngo")]


def test_other_jurisdiction_sees_nothing(assist):
    case, file, referral = _referred(assist)
    for role in (Role.CASE_WORKER, Role.INVESTIGATOR, Role.COORDINATOR):
        api = assist.world.api(role, "RS")
        assert api.get(f"/api/v1/victim-files/{file.pk}").status_code == 404
        assert api.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
        assert api.get("/api/v1/referrals").json()["items"] == []
        assert post(api, f"/api/v1/referrals/{referral.pk}/accept").status_code == 404
        assert post(api, f"/api/v1/persons/{file.person_id}/consents",
                    {"purpose": "research", "granted": True}).status_code == 404
        assert [s["agency_id"] for s in api.get("/api/v1/shelters").json()["items"]] == []


def test_roles_that_see_assistance_records(assist):
    case, file, referral = _referred(assist)
    world = assist.world
    seen = {role: world.api(role).get(f"/api/v1/victim-files/{file.pk}").status_code
            for role in Role}
    assert seen == {Role.CASE_WORKER: 200, Role.INVESTIGATOR: 200, Role.PROSECUTOR: 200,
                    Role.FOCAL_POINT: 404, Role.COORDINATOR: 404, Role.ANALYST: 404,
                    Role.OVERSIGHT: 404, Role.ADMINISTRATOR: 404, Role.HOTLINE_OPERATOR: 404}
    # The care record is the case workers' only.
    assert world.api(Role.CASE_WORKER).get(f"/api/v1/victim-files/{file.pk}").json()[
        "services"] == []
    assert world.api(Role.PROSECUTOR).get(f"/api/v1/victim-files/{file.pk}").json()[
        "services"] is None
    # Referral rows: sender and receiver agencies; coordinators all of the jurisdiction.
    listed = {role: [r["id"] for r in world.api(role).get("/api/v1/referrals").json()["items"]]
              for role in (Role.CASE_WORKER, Role.INVESTIGATOR, Role.COORDINATOR, Role.OVERSIGHT)}
    assert listed == {Role.CASE_WORKER: [], Role.INVESTIGATOR: [referral.pk],
                      Role.COORDINATOR: [referral.pk], Role.OVERSIGHT: []}
    # Suspects never get a file, and a case worker never sees them anyway.
    suspect = world.persons["AL-suspect"]
    response = post(world.api(Role.INVESTIGATOR), f"/api/v1/cases/{case.pk}/victim-files",
                    {"person_id": suspect.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == [
        "body", "person_id"]
    assert not VictimFile.objects.filter(person=suspect).exists()


def test_pages_follow_the_same_rules(assist):
    case, file, referral = _referred(assist)
    ngo = assist.page(assist.ngo_worker)
    assert ngo.get(f"/assistance/files/{file.pk}/").status_code == 404
    assert ngo.get(f"/cases/{case.pk}/assistance/").status_code == 404
    coordinator = assist.page(assist.world.user(Role.COORDINATOR))
    assert coordinator.get(f"/assistance/files/{file.pk}/").status_code == 403
    listing = coordinator.get("/referrals/").content.decode()
    assert case.reference in listing and "Drita" not in listing and "/accept/" not in listing
    assert assist.page(assist.world.user(Role.ANALYST)).get("/referrals/").status_code == 403


def test_agencies_by_kind_for_choosing_a_referral_target(assist):
    api = assist.world.api(Role.INVESTIGATOR)
    shelters = api.get("/api/v1/agencies?kind=shelter").json()["items"]
    assert [a["name"] for a in shelters] == ["shelter AL"]
    assert len(api.get("/api/v1/agencies").json()["items"]) == 7
    assert api.get("/api/v1/agencies?kind=bakery").status_code == 422
