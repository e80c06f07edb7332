"""Issue 21, the contract: one 422 lists every error of a request at once. A registration whose
body fails its schema (a code out of the vocabulary, a date typed day first) still has its other
fields checked by the domain rules, and both kinds of mistake come in one answer, each `loc` from
the body's root; nothing is written."""

from crossroads.access.choices import Role
from crossroads.registry.models import Person
from tests.registry.test_api import REGISTRATION, post


def _locs(response) -> set[tuple]:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]) for e in response.json()["detail"]}


def test_schema_and_domain_errors_of_one_registration_come_together(world):
    api, before = world.api(Role.CASE_WORKER), Person.objects.count()
    body = {**REGISTRATION,
            "person": {**REGISTRATION["person"], "sex": "Q", "given_names": "Elira2"},
            "case": {"opened_on": "2099-05-01"},
            "exploitation": {**REGISTRATION["exploitation"], "period_start": "2023-02-01",
                             "period_end": "2023-01-01", "means_of_control": ["nonsense"]}}
    assert _locs(post(api, "/api/v1/registrations", body)) == {
        ("body", "person", "sex"),                    # the schema's
        ("body", "person", "given_names"), ("body", "case", "opened_on"),  # the domain's
        ("body", "exploitation", "period_end"), ("body", "exploitation", "means_of_control")}
    assert Person.objects.count() == before


def test_a_field_that_failed_its_schema_is_named_once(world):
    body = {**REGISTRATION, "person": {**REGISTRATION["person"], "birth_date": "14/03/2006"}}
    response = post(world.api(Role.CASE_WORKER), "/api/v1/registrations", body)
    detail = response.json()["detail"]
    assert [tuple(e["loc"]) for e in detail] == [("body", "person", "birth_date")]
    assert detail[0]["msg"] == "Use a date as YYYY-MM-DD."


def test_who_may_not_register_gets_the_schema_errors_only(world):
    body = {**REGISTRATION, "person": {**REGISTRATION["person"], "sex": "Q"},
            "case": {"opened_on": "2099-05-01"}}
    response = post(world.api(Role.COORDINATOR), "/api/v1/registrations", body)
    assert _locs(response) == {("body", "person", "sex")}
