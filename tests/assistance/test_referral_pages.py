"""Issue 21, point 6: a referral has its own page (the case reference a link), the receiving
agency sees who is referred (sex, age band, child, urgency; nothing identifying) before it
accepts, the list is filtered and paged, an agency given access by a referral is not offered
the case's status form, and a refusal for want of consent names the person and leads to the
consent form."""

import datetime

from crossroads.access.choices import Role
from crossroads.assistance.models import VictimFile
from crossroads.assistance.services import consent, identification, referrals
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from tests.assistance.conftest import post


def _sent(assist, purpose="shelter", urgency="urgent"):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    consent.record_consent(police, victim, "referral", True)
    return referrals.create(police, case, to_agency=world.agencies[("AL", "ngo")].pk,
                            purpose=purpose, urgency=urgency, note="Needs a quiet room")


def test_the_receiving_agency_sees_who_is_referred_and_nothing_identifying(assist):
    victim = assist.world.persons["AL-victim"]
    victim.birth_date = datetime.date.today().replace(year=datetime.date.today().year - 16)
    victim.save()
    referral = _sent(assist)
    ngo = assist.page(assist.ngo_worker)
    page = ngo.get(f"/referrals/{referral.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Who is referred" in html and "Urgent (within 24 hours)" in html
    assert "9–17" in html and "Child or presumed child" in html and victim.get_sex_display() in html
    assert victim.given_names not in html and victim.family_name not in html
    assert str(victim.birth_date.year) not in html
    assert f'href="/cases/{referral.case_id}/"' not in html      # not visible before accepting
    assert f"/referrals/{referral.pk}/accept/" in html
    # After accepting, the case reference leads to the case.
    assert ngo.post(f"/referrals/{referral.pk}/accept/").status_code == 302
    assert f'href="/cases/{referral.case_id}/"' in ngo.get(f"/referrals/{referral.pk}/").content.decode()


def test_urgency_through_the_api(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    consent.record_consent(police, world.persons["AL-victim"], "referral", True)
    api = assist.api(police)
    url = f"/api/v1/cases/{world.cases['AL-police'].pk}/referrals"
    body = {"to_agency": world.agencies[("AL", "ngo")].pk, "purpose": "medical"}
    assert post(api, url, {**body, "urgency": "soon"}).status_code == 422
    created = post(api, url, {**body, "urgency": "immediate"})
    assert created.status_code == 201 and created.json()["urgency"] == "immediate"


def test_a_stranger_gets_no_referral_page(assist):
    referral = _sent(assist)
    for user in (assist.world.user(Role.INVESTIGATOR, "RS"), assist.world.user(Role.ANALYST)):
        assert assist.page(user).get(f"/referrals/{referral.pk}/").status_code in (403, 404)


def test_the_list_is_filtered_and_paged_without_buttons(assist):
    _sent(assist, "shelter")
    _sent(assist, "medical")
    ngo = assist.page(assist.ngo_worker)
    listing = ngo.get("/referrals/?direction=received&status=pending").content.decode()
    rows = listing.split('class="filters"', 1)[1].split("</form>", 1)[1]
    assert "2 referrals" in listing and "<button" not in rows
    assert "No referral matches" in ngo.get("/referrals/?status=done").content.decode()
    assert ngo.get("/referrals/?status=nonsense").status_code == 400


def test_an_agency_given_access_by_a_referral_is_not_offered_the_status_form(assist):
    referral = _sent(assist)
    referrals.accept(assist.ngo_worker, referral)
    ngo = assist.page(assist.ngo_worker)
    page = ngo.get(f"/cases/{referral.case_id}/").content.decode()
    assert f"/cases/{referral.case_id}/status/" not in page
    refused = ngo.post(f"/cases/{referral.case_id}/status/", {"status": "investigation"})
    assert refused.status_code == 403
    police = assist.page(assist.world.user(Role.INVESTIGATOR)).get(f"/cases/{referral.case_id}/")
    assert f"/cases/{referral.case_id}/status/" in police.content.decode()


def test_the_consent_refusal_names_the_person_and_leads_to_the_consent_form(assist):
    world = assist.world
    police_user = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    file = identification.open_file(police_user, case, victim)
    police = assist.page(police_user)
    refused = police.post(f"/cases/{case.pk}/referrals/", {
        "to_agency": world.agencies[("AL", "ngo")].pk, "purpose": "medical",
        "reason": "AdditionalServicesRequired", "urgency": "routine"})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert str(victim) in html and f"person(s) {victim.pk}" not in html
    assert f'href="/assistance/files/{file.pk}/#consent"' in html
    assert "Not asked" in html
    assert AuditEntry.objects.filter(actor=police_user, action=Action.READ_IDENTITY,
                                     purpose__contains="consent refusal").exists() or \
        AuditEntry.objects.filter(actor=police_user, action=Action.READ_IDENTITY).exists()
    assert VictimFile.objects.filter(pk=file.pk).exists()
