"""Issue 21, point 5: a registration with several mistakes is refused with all of them at once,
through the API (each `loc` from the body's root) and the page (a summary linked to the fields),
and nothing is written."""

import re

from crossroads.access.choices import Role
from crossroads.registry.models import Case, ExploitationRecord, Person
from tests.registry.test_api import REGISTRATION, post


def _counts():
    return Person.objects.count(), Case.objects.count(), ExploitationRecord.objects.count()


def _locs(response):
    assert response.status_code == 422, response.content
    return sorted(tuple(e["loc"]) for e in response.json()["detail"])


def test_the_api_lists_every_domain_error_with_its_part(world):
    api, before = world.api(Role.CASE_WORKER), _counts()
    body = {**REGISTRATION,
            "person": {**REGISTRATION["person"], "given_names": "Elira2", "birth_date": "2099-01-01",
                       "documents": [{"doc_type": "jmbg", "number": "1403006715001",
                                      "issuing_country": "RS"}]},
            "case": {"handling_code": "H1", "opened_on": "2099-05-01"},
            "exploitation": {**REGISTRATION["exploitation"], "period_start": "2023-02-01",
                             "period_end": "2023-01-01", "means_of_control": ["nonsense"]}}
    assert _locs(post(api, "/api/v1/registrations", body)) == sorted([
        ("body", "person", "given_names"), ("body", "person", "birth_date"),
        ("body", "person", "documents", "0", "number"), ("body", "case", "opened_on"),
        ("body", "exploitation", "period_end"), ("body", "exploitation", "means_of_control")])
    assert _counts() == before


def test_the_api_lists_every_schema_error_from_the_body_root(world):
    api = world.api(Role.CASE_WORKER)
    body = {**REGISTRATION, "person": {**REGISTRATION["person"], "sex": "Q", "birth_date": "14/03/2006"},
            "exploitation": {"forms": []}}
    response = post(api, "/api/v1/registrations", body)
    assert _locs(response) == sorted([("body", "person", "sex"), ("body", "person", "birth_date"),
                                      ("body", "exploitation", "forms")])
    message = next(e["msg"] for e in response.json()["detail"] if e["loc"][-1] == "birth_date")
    assert message == "Use a date as YYYY-MM-DD."


def test_the_page_lists_every_error_in_one_summary_linked_to_its_field(world):
    client, before = world.client(Role.CASE_WORKER), _counts()
    response = client.post("/register/", {
        "given_names": "Vjosa1", "family_name": "", "sex": "F", "birth_date": "2099-01-01",
        "birth_precision": "exact", "citizenships": "AL", "role": "victim", "handling_code": "H0",
        "opened_on": "not a date", "recruiter_relation": "unknown", "period_start": "2023-02-01",
        "period_end": "2023-01-01", "doc_type": "jmbg", "doc_number": "1403006715001",
        "doc_country": "RS"})
    assert response.status_code == 422 and _counts() == before
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*autofocus[^>]*>(.*?)</div>', html, re.S)
    assert summary, "the summary takes the focus"
    linked = re.findall(r'href="#(id_[a-z_0-9]+)"', summary.group(1))
    # Form errors (required, not a date) and the services' errors (digits in a name, a date of
    # birth in the future, a bad check digit, an end before the start), all in one answer.
    assert set(linked) == {"id_given_names", "id_family_name", "id_birth_date", "id_opened_on",
                           "id_forms_of_exploitation_0", "id_doc_number", "id_period_end"}, linked


def test_required_fields_are_marked_including_checkbox_groups(world):
    html = world.client(Role.CASE_WORKER).get("/register/").content.decode()
    legend = re.search(r"<legend>Forms of exploitation(.*?)</legend>", html, re.S)
    assert legend and "(required)" in legend.group(1)
    assert "Fields marked * are required." in html
