"""Analytics over the networks a reader may see: the broker between two groups, the shortest
path across cases through a shared phone, and who may not analyse."""

import pytest

from crossroads.access.choices import Role

from .test_entities import add, link


def star(client, case, centre_name, names, phone=None):
    centre = add(client, case, "Person", {"name": [centre_name],
                                          **({"phone": [phone]} if phone else {})}).json()
    leaves = [add(client, case, "Person", {"name": [n]}).json() for n in names]
    for leaf in leaves:
        assert link(client, case, "Associate", centre["ftm_id"], leaf["ftm_id"]).status_code == 201
    return centre, leaves


def test_the_broker_joins_two_cases(world):
    investigator = world.api(Role.INVESTIGATOR)
    first, second = world.cases["AL-police"], world.cases["AL-other"]
    second.team.add(world.user(Role.INVESTIGATOR))
    one, leaves_one = star(investigator, first, "Besnik Leka", ["A", "B", "C"], "+355691234567")
    two, leaves_two = star(investigator, second, "Dritan Hasa", ["D", "E"], "0691234567")
    body = investigator.get("/api/v1/network/analysis").json()
    assert body["entities"] == 7 and body["components"] == [7]
    assert {b["entity"]["id"] for b in body["brokers"][:2]} == {one["id"], two["id"]}
    assert body["hubs"][0]["entity"]["id"] == one["id"] and body["hubs"][0]["score"] == 4
    route = investigator.get("/api/v1/network/path",
                             {"start": leaves_one[0]["id"], "end": leaves_two[0]["id"]}).json()
    assert [e["id"] for e in route["entities"]] == [leaves_one[0]["id"], one["id"], two["id"],
                                                    leaves_two[0]["id"]]
    # Without the second case, the path does not exist for the reader (its end is a 404).
    prosecutor = world.api(Role.PROSECUTOR)
    assert prosecutor.get("/api/v1/network/path", {"start": leaves_one[0]["id"],
                                                   "end": leaves_two[0]["id"]}).status_code == 404
    assert prosecutor.get("/api/v1/network/analysis").json()["entities"] == 4
    # A period before any link: nothing joins (the shared phone still does).
    sliced = investigator.get("/api/v1/network/analysis", {"schema": "Call"}).json()
    assert sorted(sliced["components"]) == [1, 1, 1, 1, 1, 2]


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.FOCAL_POINT, Role.COORDINATOR,
                                  Role.ANALYST, Role.OVERSIGHT])
def test_who_may_not_analyse(world, role):
    assert world.api(role).get("/api/v1/network/analysis").status_code == 403


@pytest.mark.parametrize("query, field", [
    ({"schema": "Call\x00"}, "schema"), ({"schema": "Friendship"}, "schema"),
    ({"start": "2021\x00"}, "start"), ({"end": "last year"}, "end")])
def test_filters_outside_the_vocabulary_are_refused_naming_the_field(world, query, field):
    """A NUL byte reached PostgreSQL's text comparison (a 500, found by schemathesis)."""
    answer = world.api(Role.INVESTIGATOR).get("/api/v1/network/analysis", query)
    assert answer.status_code == 422
    assert field in answer.json()["detail"][0]["loc"]
    assert world.api(Role.INVESTIGATOR).get("/api/v1/network/analysis",
                                            {"start": "2021-03", "end": "2021-03-04T10:30"}
                                            ).status_code == 200
