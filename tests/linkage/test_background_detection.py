"""Duplicate detection after the commit (issue 23, registration speed): a registration answers
without it; the worker finds the duplicate, recorded as found by who registered."""

import io

from django.core.management import call_command

from crossroads.access.choices import Role
from crossroads.linkage.models import MatchCandidate
from tests.registry.test_api import REGISTRATION, post


def test_a_registration_queues_duplicate_detection_for_the_worker(world, settings):
    settings.CROSSROADS_DUPLICATES_IN_BACKGROUND = True
    api = world.api(Role.INVESTIGATOR)
    twin = {**REGISTRATION, "person": {**REGISTRATION["person"], "given_names": "Drita",
                                       "family_name": "Krasniqi", "birth_date": "2001-05-04",
                                       "documents": []}}
    created = post(api, "/api/v1/registrations", twin)
    assert created.status_code == 201
    person_id = created.json()["person_id"]
    pairs = MatchCandidate.objects.filter(person_b_id=person_id) | MatchCandidate.objects.filter(
        person_a_id=person_id)
    assert not pairs.exists()  # not in the request
    call_command("tasks", "work", "--once", stdout=io.StringIO())
    assert pairs.filter(person_a=world.persons["AL-victim"]).exists() or pairs.filter(
        person_b=world.persons["AL-victim"]).exists()
