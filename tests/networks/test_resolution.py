"""Entity resolution inside the network: entities sharing a phone or a plate are offered as
candidates with their reasons; a judgement per pair is kept and respected on re-runs."""

import pytest

from crossroads.access.choices import Role

from ..investigations.helpers import post
from .test_entities import add


def test_candidates_carry_reasons_and_judgements_are_kept(world):
    investigator = world.api(Role.INVESTIGATOR)
    first, second = world.cases["AL-police"], world.cases["AL-other"]
    second.team.add(world.user(Role.INVESTIGATOR))
    one = add(investigator, first, "Person", {"name": ["Besnik Leka"], "phone": ["0691234567"],
                                              "idNumber": ["AB123456"]}).json()
    two = add(investigator, second, "Person", {"name": ["B. Leka"], "phone": ["+355691234567"],
                                               "idNumber": ["ab 123456"]}).json()
    car_a = add(investigator, first, "Vehicle", {"registrationNumber": ["TR-123-AB"]}).json()
    car_b = add(investigator, second, "Vehicle", {"registrationNumber": ["tr 123 ab"]}).json()
    add(investigator, first, "Person", {"name": ["Nobody"]})
    listed = investigator.get("/api/v1/network/candidates").json()
    assert listed["count"] == 2
    pairs = {(c["left"]["id"], c["right"]["id"]): c for c in listed["items"]}
    assert pairs[(one["id"], two["id"])]["reasons"] == ["document", "phone"]
    assert pairs[(car_a["id"], car_b["id"])]["reasons"] == ["plate"]
    judged = post(investigator, "/api/v1/network/judgements",
                  {"left": two["id"], "right": one["id"], "verdict": "different"})
    assert judged.status_code == 201, judged.content
    assert post(investigator, "/api/v1/network/judgements",
                {"left": car_a["id"], "right": car_b["id"], "verdict": "same"}).status_code == 201
    again = investigator.get("/api/v1/network/candidates").json()
    assert [(c["left"]["id"], c["judgement"]) for c in again["items"]] == [(car_a["id"], "same")]
    bad = post(investigator, "/api/v1/network/judgements",
               {"left": one["id"], "right": one["id"], "verdict": "maybe"})
    assert {tuple(d["loc"]) for d in bad.json()["detail"]} == {("body", "right"),
                                                                ("body", "verdict")}


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.FOCAL_POINT, Role.COORDINATOR])
def test_who_may_not_judge(world, role):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    one = add(investigator, case, "Person", {"name": ["A"], "phone": ["0691234567"]}).json()
    two = add(investigator, case, "Person", {"name": ["B"], "phone": ["0691234567"]}).json()
    client = world.api(role)
    assert client.get("/api/v1/network/candidates").json()["count"] == 0
    assert post(client, "/api/v1/network/judgements", {"left": one["id"], "right": two["id"],
                                                       "verdict": "same"}).status_code == 404
