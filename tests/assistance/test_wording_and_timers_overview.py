"""Issue 21, points 10 and 12/14: words that say what they mean (a score against its threshold,
places free of places, a consent never asked, no empty screening), and the coordinators'
"Protection timers" leads to the due and overdue timers, naming no person."""

from django.test import Client

from crossroads.access.choices import Role
from crossroads.assistance.models import Screening, Shelter
from crossroads.assistance.services import identification
from tests.assistance.test_timers_and_reminders import _identified
from tests.conftest import login


def test_screening_score_reads_against_its_threshold_and_an_empty_one_is_refused(assist):
    world = assist.world
    police = world.user(Role.INVESTIGATOR)
    file = identification.open_file(police, world.cases["AL-police"], world.persons["AL-victim"])
    client = assist.page(police)
    empty = client.post(f"/assistance/files/{file.pk}/screening/", {})
    assert empty.status_code == 422 and "a screening with none is not recorded" in \
        empty.content.decode()
    assert not Screening.objects.filter(file=file).exists()
    client.post(f"/assistance/files/{file.pk}/screening/", {"group_general": ["debt_bondage"]})
    page = client.get(f"/assistance/files/{file.pk}/").content.decode()
    assert " of 6." not in page and "(a presumed victim from 6)" in page
    assert "Not asked" in page and "Not given" not in page


def test_the_shelter_choice_says_places_free_of_places(assist):
    world = assist.world
    Shelter.objects.filter(pk=assist.shelter.pk).update(capacity=4)
    file = _identified(world)
    page = assist.page(world.user(Role.CASE_WORKER)).get(f"/assistance/files/{file.pk}/")
    html = page.content.decode()
    assert "Hope House (4 of 4 places free)" in html and "(4/4)" not in html


def test_coordinators_protection_timers_lead_to_the_overdue_timers(assist):
    world = assist.world
    file = _identified(world, days_ago=40)
    coordinator = login(Client(), world.user(Role.COORDINATOR))
    home = coordinator.get("/").content.decode()
    assert 'href="/timers/"' in home and 'href="/manage/protection/"' not in home
    page = coordinator.get("/timers/").content.decode()
    assert file.case.reference in page and "Overdue" in page
    assert world.persons["AL-victim"].family_name not in page
    assert 'href="/manage/protection/"' in page
    for role in (Role.INVESTIGATOR, Role.ANALYST):
        assert login(Client(), world.user(role)).get("/timers/").status_code == 403
    other = login(Client(), world.user(Role.COORDINATOR, "RS")).get("/timers/").content.decode()
    assert file.case.reference not in other
