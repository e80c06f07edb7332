"""Issue 21, point 14: every list route of the API answers `{count, limit, offset, items}` and
honours `limit` and `offset`. The routes are found in the OpenAPI schema, so a new list route
that answers a bare array fails here."""

import pytest

from crossroads.access.choices import Role

ENVELOPE = {"count", "limit", "offset", "items"}


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _answers(schema, operation):
    content = operation["responses"].get("200", {}).get("content", {})
    return _resolve(schema, content.get("application/json", {}).get("schema", {}))


def test_no_list_route_answers_a_bare_array(world):
    schema = world.client(Role.INVESTIGATOR).get("/api/v1/openapi.json").json()
    bare, paged = [], []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answer = _answers(schema, operation)
            if answer.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
            elif set(answer.get("properties", {})) >= ENVELOPE:
                paged.append(path)
                names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
                # A search (POST …/search) takes its paging in the body, with its terms.
                body = operation.get("requestBody", {}).get("content", {}).get(
                    "application/json", {}).get("schema", {})
                names |= set(_resolve(schema, body).get("properties", {}))
                assert {"limit", "offset"} <= names, f"{path} does not take limit and offset"
    # Issue 15's contract writes the team as a bare array: `GET /cases/{id}/team` →
    # `[{"username", "team_role"}]` (a team is a handful of accounts, never paged).
    bare.remove("GET /api/v1/cases/{case_id}/team")
    assert not bare, f"list routes without the page envelope: {bare}"
    assert {"/api/v1/referrals", "/api/v1/timers", "/api/v1/cases", "/api/v1/cases/search",
            "/api/v1/persons/search"} <= set(paged)


def _referrals(world, n):
    from crossroads.assistance.services import consent, referrals

    case = world.cases["AL-police"]
    shelter = world.agencies[("AL", "shelter")]
    consent.record_consent(world.user(Role.INVESTIGATOR), world.persons["AL-victim"], "referral",
                           True)
    for purpose in ["shelter", "medical", "legal_aid", "psychological"][:n]:
        referrals.create(world.user(Role.INVESTIGATOR), case, to_agency=shelter.pk,
                         purpose=purpose)


@pytest.mark.parametrize("route", ["/api/v1/referrals", "/api/v1/timers"])
def test_referrals_and_timers_page(world, route):
    api = world.api(Role.INVESTIGATOR)
    whole = api.get(route).json()
    assert set(whole) >= ENVELOPE, whole
    assert api.get(route, {"limit": 1, "offset": 0}).json()["limit"] == 1
    assert api.get(route, {"limit": 0}).status_code == 422
    assert api.get(route, {"offset": -1}).status_code == 422


def test_referral_pages_cut_the_list(world):
    _referrals(world, 3)
    api = world.api(Role.INVESTIGATOR)
    first = api.get("/api/v1/referrals", {"limit": 2}).json()
    second = api.get("/api/v1/referrals", {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] >= 3
    assert len(first["items"]) == 2 and second["offset"] == 2
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
