"""Issue 21, point 14: referral reasons are snake_case like every code; the API still takes
their old HTCDS spelling (AdditionalServicesRequired, …) and stores the new one."""

import re

from crossroads.access.choices import Role
from crossroads.assistance.choices import ReferralReason
from crossroads.assistance.models import Referral
from tests.assistance.conftest import post


def test_referral_reasons_are_snake_case_and_the_old_spelling_is_still_taken(assist):
    assert all(re.fullmatch(r"[a-z_]+", value) for value in ReferralReason.values)
    world = assist.world
    police = assist.api(world.user(Role.INVESTIGATOR))
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    post(police, f"/api/v1/persons/{victim.pk}/consents", {"purpose": "referral", "granted": True})
    response = post(police, f"/api/v1/cases/{case.pk}/referrals", {
        "to_agency": world.agencies[("AL", "ngo")].pk, "purpose": "psychological",
        "reason": "MigrationOrChangeOfLocation"})
    assert response.status_code == 201, response.content
    assert Referral.objects.get(pk=response.json()["id"]).reason == "change_of_location"


def test_a_reason_that_is_no_string_is_a_422(assist):
    world = assist.world
    police = assist.api(world.user(Role.INVESTIGATOR))
    response = post(police, f"/api/v1/cases/{world.cases['AL-police'].pk}/referrals", {
        "to_agency": world.agencies[("AL", "ngo")].pk, "purpose": "psychological", "reason": {}})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "reason"]
