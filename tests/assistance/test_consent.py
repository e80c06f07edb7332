"""Consent per purpose: latest answer wins, withdrawal blocks, a child's best-interest override
is recorded and audited, and record-level exports keep only victims with research consent."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from crossroads.access.choices import Role
from crossroads.access.models import User
from crossroads.assistance.models import ConsentOverride
from crossroads.assistance.services import consent, identification, referrals
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import ExploitationRecord
from crossroads.statistics.releases import victim_rows
from crossroads.statistics.services import export_records
from tests.assistance.conftest import post


def test_latest_answer_per_purpose(assist):
    world = assist.world
    worker, victim = world.user(Role.CASE_WORKER), world.persons["AL-victim"]
    assert not consent.has_consent(victim, "research")
    consent.record_consent(worker, victim, "research", True)
    consent.record_consent(worker, victim, "referral", True)
    assert consent.has_consent(victim, "research")
    assert list(consent.persons_with_consent("research")) == [victim.pk]
    consent.record_consent(worker, victim, "research", False, "Changed her mind")
    assert not consent.has_consent(victim, "research") and consent.has_consent(victim, "referral")
    assert list(consent.persons_with_consent("research")) == []
    history = assist.api(worker).get(f"/api/v1/persons/{victim.pk}/consents").json()["items"]
    assert [(c["purpose"], c["granted"]) for c in history] == [
        ("research", False), ("referral", True), ("research", True)]
    bad = post(assist.api(worker), f"/api/v1/persons/{victim.pk}/consents",
               {"purpose": "marketing", "granted": True})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "purpose"
    # Prosecutors read, not record; suspects are not the case worker's to know.
    assert post(world.api(Role.PROSECUTOR), f"/api/v1/persons/{victim.pk}/consents",
                {"purpose": "research", "granted": True}).status_code == 403
    assert post(assist.api(worker), f"/api/v1/persons/{world.persons['AL-suspect'].pk}/consents",
                {"purpose": "research", "granted": True}).status_code == 404


def test_child_best_interest_override_is_audited_and_only_for_children(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    ngo = world.agencies[("AL", "ngo")].pk
    identification.open_file(police, case, victim)
    body = {"to_agency": ngo, "purpose": "shelter", "best_interest_override": "Needs a bed now"}
    adult = post(assist.api(police), f"/api/v1/cases/{case.pk}/referrals", body)
    assert adult.status_code == 422 and adult.json()["detail"][0]["loc"] == [
        "body", "override_reason"]
    identification.open_file(police, case, victim, may_be_child=True)  # age now uncertain
    child = post(assist.api(police), f"/api/v1/cases/{case.pk}/referrals", body)
    assert child.status_code == 201, child.content
    override = ConsentOverride.objects.get()
    assert override.person == victim and override.reason == "Needs a bed now"
    entry = AuditEntry.objects.get(object_type="assistance.consentoverride")
    assert entry.actor == police.username and entry.details["best_interest_override"] is True
    # The reason is in the override's encrypted row, not in the audit chain (finding 11).
    assert "reason" not in entry.details and entry.details["reason_chars"] == len("Needs a bed now")
    referral_entry = AuditEntry.objects.get(object_type="assistance.referral")
    assert referral_entry.details["best_interest_overrides"] == [override.pk]
    # The override counts for this referral's acceptance too.
    accepted = post(assist.api(assist.ngo_worker), f"/api/v1/referrals/{child.json()['id']}/accept")
    assert accepted.status_code == 200


def test_withdrawal_after_sending_blocks_acceptance(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    case, victim = world.cases["AL-police"], world.persons["AL-victim"]
    consent.record_consent(police, victim, "referral", True)
    referral = referrals.create(police, case, to_agency=world.agencies[("AL", "ngo")].pk,
                                purpose="medical")
    consent.record_consent(police, victim, "referral", False)
    with pytest.raises(ValidationError) as refused:
        referrals.accept(assist.ngo_worker, referral)
    assert "consent" in refused.value.message_dict
    assert assist.api(assist.ngo_worker).get(f"/api/v1/cases/{case.pk}").status_code == 404


def test_presumed_child_when_age_is_uncertain(assist):
    world = assist.world
    person = world.persons["AL-other-victim"]
    person.birth_date = person.birth_date.replace(year=person.birth_date.year + 6, month=1, day=1)
    person.birth_precision = "age"  # an estimated age of about 19: might be 17
    assert identification.presumed_child(person)
    person.birth_precision = "exact"
    assert not identification.presumed_child(person, today=person.birth_date.replace(
        year=person.birth_date.year + 19))


def test_record_level_exports_keep_only_victims_with_research_consent(db, tmp_path):
    call_command("demo", seed=3, cases=60, jurisdictions="AL", logins=str(tmp_path / "l.json"),
                 stdout=io.StringIO())
    consenting = set(consent.persons_with_consent("research"))
    records = ExploitationRecord.objects.all()
    expected = sum(r.person_id in consenting for r in records)
    assert 0 < expected < records.count()
    coordinator = User.objects.get(username="al_coordinator")  # the export runs as a user
    assert sum(1 for _ in export_records(coordinator)) == expected
    assert len(victim_rows()) == expected
