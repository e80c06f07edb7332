"""The same walk through the pages: screening, decisions, consent, a referral refused then
sent and accepted, the plan, the shelter filling up, exit and follow-up; and an overdue
reflection period on the home page."""

import datetime
import re

from crossroads.access.choices import Role
from crossroads.assistance.models import Referral, ShelterStay, VictimFile
from crossroads.assistance.services import identification
from tests.conftest import login_as


def test_one_victim_through_the_pages(assist):
    world = assist.world
    police, ngo = login_as(world.user(Role.INVESTIGATOR)), login_as(assist.ngo_worker)
    shelter_worker = login_as(world.user(Role.CASE_WORKER))
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]

    page = police.get(f"/cases/{case.pk}/")
    assert f"/cases/{case.pk}/assistance/" in page.content.decode()
    page = police.get(f"/cases/{case.pk}/assistance/")
    assert page.status_code == 200 and "Drita Krasniqi" in page.content.decode()
    opened = police.post(f"/cases/{case.pk}/assistance/persons/{victim.pk}/")
    file = VictimFile.objects.get(case=case, person=victim)
    assert opened.status_code == 302 and opened["Location"] == f"/assistance/files/{file.pk}/"

    form = police.get(f"/assistance/files/{file.pk}/screening/").content.decode()
    assert "Identity or travel documents confiscated" in form and "Children" not in form
    screened = police.post(f"/assistance/files/{file.pk}/screening/", {
        "group_general": ["debt_bondage", "violence"]}, follow=True).content.decode()
    assert "Score 6, threshold 6: the indicators suggest a presumed victim" in screened
    for status in ("presumed", "identified"):
        response = police.post(f"/assistance/files/{file.pk}/decision/",
                               {"status": status, "reason": "Interview with the victim",
                                "from_status": VictimFile.objects.get(pk=file.pk).status})
        assert response.status_code == 302, response.content
    page = police.get(f"/assistance/files/{file.pk}/").content.decode()
    assert "Identified victim" in page and "Recovery and reflection period" in page

    # Referral refused for want of consent (the error shown on the form), then sent.
    ngo_id = world.agencies[("AL", "ngo")].pk
    refused = police.post(f"/cases/{case.pk}/referrals/", {
        "to_agency": ngo_id, "purpose": "psychological", "reason": "additional_services"})
    assert refused.status_code == 422 and "Consent to Sharing with another agency" in \
        refused.content.decode()
    assert police.post(f"/assistance/files/{file.pk}/consent/", {
        "consent-purpose": "referral", "consent-granted": "yes"}).status_code == 302
    sent = police.post(f"/cases/{case.pk}/referrals/", {
        "to_agency": ngo_id, "purpose": "psychological", "reason": "additional_services"})
    assert sent.status_code == 302
    referral = Referral.objects.get(case=case)

    # The NGO: the referral on its home page and list; the case only after accepting.
    assert "1 referral waits for your agency" in ngo.get("/").content.decode()
    assert ngo.get(f"/cases/{case.pk}/assistance/").status_code == 404
    listing = ngo.get("/referrals/").content.decode()
    assert case.reference in listing and f'href="/referrals/{referral.pk}/"' in listing
    assert f"/referrals/{referral.pk}/accept/" in ngo.get(f"/referrals/{referral.pk}/").content.decode()
    assert ngo.post(f"/referrals/{referral.pk}/accept/").status_code == 302
    assert ngo.get(f"/assistance/files/{file.pk}/").status_code == 200

    # Withdrawn consent blocks the next referral.
    police.post(f"/assistance/files/{file.pk}/consent/", {"consent-purpose": "referral",
                                                            "consent-granted": "no"})
    blocked = police.post(f"/cases/{case.pk}/referrals/", {
        "to_agency": world.agencies[("AL", "prosecution")].pk, "purpose": "legal_aid",
        "reason": "additional_services"})
    assert blocked.status_code == 422 and "missing or withdrawn" in blocked.content.decode()

    # The plan: a service planned, then delivered.
    assert ngo.post(f"/assistance/files/{file.pk}/services/", {"service-kind": "medical"}).status_code == 302
    service = file.services.get()
    assert ngo.post(f"/assistance/services/{service.pk}/",
                    {"status": "delivered", "version": service.version}).status_code == 302
    assert "Delivered" in ngo.get(f"/assistance/files/{file.pk}/").content.decode()

    # The shelter admits; its only place is then taken: full on the capacity page.
    page = shelter_worker.get(f"/assistance/files/{file.pk}/").content.decode()
    assert "Hope House (1 of 1 place free)" in page
    assert shelter_worker.post(f"/assistance/files/{file.pk}/admission/", {
        "shelter": assist.shelter.pk}).status_code == 302
    capacity = login_as(world.user(Role.COORDINATOR)).get("/shelters/").content.decode()
    assert "1 shelter is full." in capacity and "Drita" not in capacity
    again = shelter_worker.post(f"/assistance/files/{file.pk}/admission/", {
        "shelter": assist.shelter.pk})
    assert again.status_code == 422 and "already stays in a shelter" in again.content.decode()

    # Exit and follow-up.
    stay = ShelterStay.objects.get(file=file)
    assert shelter_worker.post(f"/assistance/stays/{stay.pk}/discharge/").status_code == 302
    today = datetime.date.today().isoformat()
    for kind in ("exit", "follow_up"):
        assert ngo.post(f"/assistance/files/{file.pk}/milestones/", {
            "milestone-kind": kind, "milestone-reached_on": today}).status_code == 302
    page = ngo.get(f"/assistance/files/{file.pk}/").content.decode()
    assert "Exit from the assistance programme" in page and "Follow-up after exit" in page


def test_an_overdue_reflection_period_shows_on_the_home_page(assist):
    world = assist.world
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    investigator = world.user(Role.INVESTIGATOR)
    file = identification.open_file(investigator, case, victim)
    identification.decide(investigator, file, "presumed", "Indicators",
                          on=datetime.date.today() - datetime.timedelta(days=40))
    home = login_as(world.user(Role.CASE_WORKER)).get("/").content.decode()
    section = home[home.index("Protection timers due or overdue"):]
    assert re.search(rf"{case.reference}</a></td><td>Recovery and reflection period</td>"
                     r"<td>[^<]+</td><td><strong class=\"error\">Overdue", section)
    # Not on the home page of an agency without access to the case.
    assert "Protection timers due or overdue" not in login_as(assist.ngo_worker).get(
        "/").content.decode()
