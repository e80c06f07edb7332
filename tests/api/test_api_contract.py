"""Regressions found by schemathesis, pinned: out-of-range input is a 422, never a 500, and
every error answer is declared in the OpenAPI schema."""

import pytest

from crossroads.access.choices import Role

HUGE = 10**23


@pytest.mark.parametrize("url, field", [
    ("/api/v1/cases?year=-9589912193", "year"),            # was OverflowError in the year lookup
    (f"/api/v1/cases?agency={HUGE}", "agency"),              # was OverflowError (SQLite INTEGER)
    (f"/api/v1/cases?offset={HUGE}", "offset"),              # was IntegrityError: datatype mismatch
    (f"/api/v1/involvements?person=-{HUGE}", "person"),      # was OverflowError
    ("/api/v1/cases?limit=5000", "limit"),
    ("/api/v1/cases?status=nonsense", "status"),
    ("/api/v1/persons?birth_date=0", "birth_date"),          # was taken as 1970-01-01
    ("/api/v1/persons?role=nonsense", "role"),
])
def test_out_of_range_query_is_a_422_naming_the_field(world, url, field):
    response = world.api(Role.INVESTIGATOR).get(url)
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_a_number_is_no_birth_date(world):
    person = {"given_names": "Ana", "family_name": "Lekaj", "birth_date": 0}
    response = world.api(Role.INVESTIGATOR).put(
        f"/api/v1/persons/{world.persons['AL-victim'].pk}", person, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "birth_date"


def test_body_that_is_not_json_is_a_400(world):
    response = world.client(Role.INVESTIGATOR).post("/api/v1/tokens", "\x00",
                                                    content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


def test_every_operation_declares_its_error_answers(world):
    schema = world.client(Role.INVESTIGATOR).get("/api/v1/openapi.json").json()
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in codes, (method, path)
            if "requestBody" in operation:
                assert "400" in codes, (method, path)
