"""Shelter capacity (admission refused when full, occupancy by date) and re-trafficking flags
(same person, a merged duplicate, a possible duplicate of the linkage engine)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from crossroads.access.choices import Role
from crossroads.assistance import retrafficking
from crossroads.assistance.services import care, identification, shelters
from crossroads.linkage.models import MatchCandidate
from crossroads.registry import services
from crossroads.registry.choices import InvolvementRole
from tests.assistance.conftest import post
from tests.conftest import exploitation_input, person_input

TODAY = datetime.date.today()


def test_admission_refused_when_full_and_occupancy_by_date(assist):
    world = assist.world
    worker = world.user(Role.CASE_WORKER)
    files = [identification.open_file(worker, world.cases["AL-police"], world.persons["AL-victim"])]
    # A second victim in a case of the shelter itself.
    person, case, _ = services.register_victim(worker, person_input(given="Lule", family="Berisha"),
                                               services.CaseInput(), exploitation_input())
    files.append(identification.open_file(worker, case, person))
    week_ago = TODAY - datetime.timedelta(days=7)
    stay = shelters.admit(worker, assist.shelter, files[0], week_ago)
    with pytest.raises(ValidationError) as full:
        shelters.admit(worker, assist.shelter, files[1])
    assert "full" in full.value.message_dict["shelter"][0]
    # A back-dated admission is refused too when a later stay takes the place.
    with pytest.raises(ValidationError):
        shelters.admit(worker, assist.shelter, files[1], week_ago - datetime.timedelta(days=3))
    shelters.discharge(worker, stay, TODAY - datetime.timedelta(days=2))
    assert shelters.occupancy(assist.shelter, TODAY - datetime.timedelta(days=3)) == 1
    assert shelters.occupancy(assist.shelter, TODAY) == 0
    api = assist.api(worker)
    response = post(api, f"/api/v1/shelters/{assist.shelter.pk}/admissions",
                    {"file_id": files[1].pk})
    assert response.status_code == 201
    on = (TODAY - datetime.timedelta(days=3)).isoformat()
    assert api.get(f"/api/v1/shelters?on={on}").json()["items"][0]["occupied"] == 1
    assert api.get("/api/v1/shelters?on=0").status_code == 422
    # A child is not admitted where children are not accepted.
    child = identification.open_file(worker, case, person, may_be_child=True)
    shelters.discharge(worker, child.stays.get())
    with pytest.raises(ValidationError) as refused:
        shelters.admit(worker, assist.shelter, child)
    assert "children" in refused.value.message_dict["shelter"][0]


def _assisted(world):
    investigator = world.user(Role.INVESTIGATOR)
    victim = world.persons["AL-victim"]
    file = identification.open_file(investigator, world.cases["AL-police"], victim)
    care.plan_service(world.user(Role.CASE_WORKER), file, "medical")
    return investigator, victim, file


def test_a_person_assisted_before_is_flagged_in_a_new_case(assist):
    world = assist.world
    investigator, victim, file = _assisted(world)
    _p, new_case, _ = services.register_victim(investigator, person_input(given="Other"),
                                               services.CaseInput(), exploitation_input())
    services.add_involvement(investigator, new_case, victim, InvolvementRole.VICTIM)
    flags = world.api(Role.INVESTIGATOR).get(f"/api/v1/cases/{new_case.pk}/retrafficking-flags")
    assert [(f["person_id"], f["via"]) for f in flags.json()["items"]] == [(victim.pk, "same_person")]
    page = world.client(Role.INVESTIGATOR).get(f"/cases/{new_case.pk}/assistance/")
    assert "Possible re-trafficking" in page.content.decode()
    # Not in the earlier case itself; not to those who cannot see the new case.
    assert world.api(Role.INVESTIGATOR).get(
        f"/api/v1/cases/{world.cases['AL-police'].pk}/retrafficking-flags").json()["items"] == []
    assert world.api(Role.INVESTIGATOR, "RS").get(
        f"/api/v1/cases/{new_case.pk}/retrafficking-flags").status_code == 404


def test_a_probable_duplicate_of_an_assisted_person_is_flagged(assist):
    world = assist.world
    investigator, victim, file = _assisted(world)
    twin, new_case, _ = services.register_victim(
        investigator, person_input(given="Drite", family="Krasniqi"), services.CaseInput(),
        exploitation_input())
    # The registration service itself stores the pair (every surface does), and the flag follows.
    a, b = sorted((victim.pk, twin.pk))
    candidate = MatchCandidate.objects.get(person_a_id=a, person_b_id=b)
    flag = retrafficking.flags_for(investigator, new_case).get()
    assert (flag.person_id, flag.via, flag.probability, flag.earlier_file) == (
        twin.pk, "candidate", candidate.probability, file)


def test_a_merged_duplicate_of_an_assisted_person_is_flagged(assist):
    from crossroads.linkage.models import PersonMerge

    world = assist.world
    investigator, victim, file = _assisted(world)
    twin, _case, _ = services.register_victim(
        investigator, person_input(given="Drita", family="Krasniqe"), services.CaseInput(),
        exploitation_input())
    PersonMerge.objects.create(survivor=victim, merged=twin, merged_by=investigator)
    _p, later, _ = services.register_victim(investigator, person_input(given="Third"),
                                            services.CaseInput(), exploitation_input())
    services.add_involvement(investigator, later, twin, InvolvementRole.VICTIM)
    flag = retrafficking.flags_for(investigator, later).get()
    assert (flag.person_id, flag.via, flag.earlier_file) == (twin.pk, "merged", file)
