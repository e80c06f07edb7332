"""One victim from screening to reintegration through the API: identification, consent, a
referral (refused while consent is missing or withdrawn), services, shelter, exit, follow-up."""

import datetime

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from tests.assistance.conftest import post


def test_one_victim_from_screening_to_reintegration(assist):
    world = assist.world
    police = assist.api(world.user(Role.INVESTIGATOR))
    ngo = assist.api(assist.ngo_worker)
    shelter_worker = assist.api(world.user(Role.CASE_WORKER))
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]

    # Identification: a file, a screening that suggests "presumed", two decisions.
    file = post(police, f"/api/v1/cases/{case.pk}/victim-files", {"person_id": victim.pk})
    assert file.status_code == 201, file.content
    file = file.json()
    assert file["status"] == "potential" and file["presumed_child"] is False
    screening = post(police, f"/api/v1/victim-files/{file['id']}/screenings",
                     {"indicators": ["deceived_recruitment", "documents_withheld"]}).json()
    assert screening["score"] == 6 and screening["suggests_presumed"] is True
    url = f"/api/v1/victim-files/{file['id']}/decisions"
    assert post(police, url, {"status": "identified", "reason": "x"}).status_code == 422
    assert post(police, url, {"status": "presumed", "reason": "Screening: two strong indicators",
                              "screening_id": screening["id"]}).status_code == 201
    # The shelter's case worker may presume, never identify: a competent authority decides.
    refused = post(shelter_worker, url, {"status": "identified", "reason": "Interview"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "status"]
    assert post(police, url, {"status": "identified", "reason": "Interview"}).status_code == 201
    detail = police.get(f"/api/v1/victim-files/{file['id']}").json()
    assert [d["to_status"] for d in detail["decisions"]] == [
        "potential", "presumed", "identified"]
    assert detail["decisions"][2]["decided_by"] == "al_investigator"
    reflection = next(t for t in detail["timers"] if t["kind"] == "reflection")
    assert reflection["due_on"] == str(datetime.date.today() + datetime.timedelta(days=30))
    assert detail["services"] is None  # the care record is for case workers only

    # A referral to the NGO needs the victim's referral consent.
    ngo_id = world.agencies[("AL", "ngo")].pk
    body = {"to_agency": ngo_id, "purpose": "psychological"}
    refused = post(police, f"/api/v1/cases/{case.pk}/referrals", body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "consent"]
    assert "consent" in refused.json()["detail"][0]["msg"].lower()
    consent = post(police, f"/api/v1/persons/{victim.pk}/consents",
                   {"purpose": "referral", "granted": True})
    assert consent.status_code == 201 and consent.json()["recorded_by"] == "al_investigator"
    referral = post(police, f"/api/v1/cases/{case.pk}/referrals", body)
    assert referral.status_code == 201, referral.content
    referral = referral.json()
    assert referral["status"] == "pending"

    # The NGO sees the referral, not the case, until it accepts.
    assert [r["id"] for r in ngo.get("/api/v1/referrals?direction=received").json()["items"]] == [
        referral["id"]]
    assert ngo.get(f"/api/v1/cases/{case.pk}").status_code == 404
    accepted = post(ngo, f"/api/v1/referrals/{referral['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert ngo.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert AuditEntry.objects.filter(object_type="assistance.referral",
                                     details__access_granted=ngo_id).exists()

    # Consent withdrawn: the next referral is refused, naming consent.
    assert post(police, f"/api/v1/persons/{victim.pk}/consents",
                {"purpose": "referral", "granted": False}).status_code == 201
    again = post(police, f"/api/v1/cases/{case.pk}/referrals",
                 {"to_agency": world.agencies[("AL", "prosecution")].pk, "purpose": "legal_aid"})
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "consent"]

    # Services of the plan, planned then delivered or refused.
    services_url = f"/api/v1/victim-files/{file['id']}/services"
    medical = post(ngo, services_url, {"kind": "medical"}).json()
    legal = post(ngo, services_url, {"kind": "legal_aid"}).json()
    # Addiction recovery is a service of its own (the OSCE typology), not "medical" or "other".
    treatment = post(ngo, services_url, {"kind": "substance_use"})
    assert treatment.status_code == 201 and treatment.json()["kind"] == "substance_use"
    assert post(ngo, services_url, {"kind": "rehab"}).status_code == 422
    assert post(police, services_url, {"kind": "education"}).status_code == 403
    delivered = post(ngo, f"/api/v1/services/{medical['id']}", {"status": "delivered"}).json()
    assert delivered["status"] == "delivered" and delivered["delivered_on"]
    assert post(ngo, f"/api/v1/services/{legal['id']}", {"status": "refused"}).json()[
        "status"] == "refused"

    # The shelter admits the person; with its one place taken it is full.
    stay = post(shelter_worker, f"/api/v1/shelters/{assist.shelter.pk}/admissions",
                {"file_id": file["id"]})
    assert stay.status_code == 201, stay.content
    shelters = shelter_worker.get("/api/v1/shelters").json()["items"]
    assert shelters == [{**shelters[0], "capacity": 1, "occupied": 1, "free": 0, "full": True}]
    assert post(ngo, f"/api/v1/shelters/{assist.shelter.pk}/admissions",
                {"file_id": file["id"]}).status_code == 403  # not the shelter's own worker

    # Reintegration: the exit, then a follow-up (not before the exit).
    milestones = f"/api/v1/victim-files/{file['id']}/milestones"
    today = datetime.date.today().isoformat()
    early = post(ngo, milestones, {"kind": "follow_up", "reached_on": today})
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "reached_on"]
    assert post(shelter_worker, f"/api/v1/stays/{stay.json()['id']}/discharge",
                {}).status_code == 200
    assert post(ngo, milestones, {"kind": "exit", "reached_on": today}).status_code == 201
    assert post(ngo, milestones, {"kind": "follow_up", "reached_on": today}).status_code == 201
    final = ngo.get(f"/api/v1/victim-files/{file['id']}").json()
    assert final["exited_on"] == today
    assert [m["kind"] for m in final["milestones"]] == ["exit", "follow_up"]
    assert [s["status"] for s in final["services"]] == ["delivered", "refused", "planned"]

    # Done: the NGO's access ends with the referral.
    assert post(ngo, f"/api/v1/referrals/{referral['id']}/done",
                {"reason": "Counselling completed"}).json()["status"] == "done"
    assert ngo.get(f"/api/v1/cases/{case.pk}").status_code == 404
