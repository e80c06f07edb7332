"""Issue 21 point 5, the contract: a proceeding with several mistakes is refused with all of
them in one 422 (each `loc` from the body's root), and nothing is written."""

from crossroads.access.choices import Role
from crossroads.investigations.models import Proceeding

from .helpers import post
from .test_proceedings import proceedings_url


def _locs(response) -> set[tuple]:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]) for e in response.json()["detail"]}


def test_every_mistake_of_a_proceeding_comes_in_one_answer(world):
    case, client = world.cases["AL-police"], world.api(Role.INVESTIGATOR)
    body = {"person_id": world.persons["AL-suspect"].pk, "offence": "jaywalking",
            "stage": "indictment", "investigation_opened_on": "2999-01-10",
            "non_punishment_invoked": True, "verdict": "convicted"}
    assert _locs(post(client, proceedings_url(case), body)) == {
        ("body", "offence"), ("body", "investigation_opened_on"), ("body", "indicted_on"),
        ("body", "non_punishment_invoked"), ("body", "verdict")}
    assert not Proceeding.objects.exists()


def test_an_unknown_person_and_a_bad_date_come_together(world):
    case, client = world.cases["AL-police"], world.api(Role.INVESTIGATOR)
    body = {"person_id": 999999, "offence": "thb", "investigation_opened_on": "2999-01-10",
            "non_punishment_invoked": True}
    assert _locs(post(client, proceedings_url(case), body)) == {
        ("body", "person_id"), ("body", "investigation_opened_on")}
