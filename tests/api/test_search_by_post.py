"""Issue 21 point 13: a victim's name never travels in a URL. The API searches by POST; a GET
that carries a name (or a birth date, a document number) is refused with the route to use; no
page's GET form or link carries one either."""

import re
from pathlib import Path

import pytest
from django.test import Client

from crossroads.access.choices import Role
from crossroads.access.models import ApiToken
from crossroads.audit.models import AuditEntry

JSON = "application/json"


@pytest.mark.parametrize(("path", "params", "field", "route"), [
    ("/api/v1/cases", {"q": "Drita Krasniqi"}, "q", "POST /api/v1/cases/search"),
    ("/api/v1/persons", {"name": "Drita"}, "name", "POST /api/v1/persons/search"),
    ("/api/v1/persons", {"document_number": "AB123"}, "document_number",
     "POST /api/v1/persons/search"),
    ("/api/v1/persons", {"birth_date": "2001-05-04"}, "birth_date", "POST /api/v1/persons/search"),
])
def test_a_name_in_the_query_string_is_refused_naming_the_post_route(world, path, params, field,
                                                                     route):
    answer = world.api(Role.INVESTIGATOR).get(path, params)
    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["loc"] == ["query", field] and route in error["msg"]
    assert not AuditEntry.objects.filter(actor="al_investigator", action="read_identity").exists()


def test_the_post_searches_answer_the_list_envelope_and_are_audited(world):
    api = world.api(Role.INVESTIGATOR)
    cases = api.post("/api/v1/cases/search", {"q": "Krasniqi", "limit": 1}, content_type=JSON)
    assert cases.status_code == 200
    body = cases.json()
    assert set(body) == {"count", "limit", "offset", "items"} and body["limit"] == 1
    assert [i["id"] for i in body["items"]] == [world.cases["AL-police"].pk]
    persons = api.post("/api/v1/persons/search", {"name": "Drita Krasniqi"}, content_type=JSON)
    assert [p["id"] for p in persons.json()["items"]] == [world.persons["AL-victim"].pk]
    vias = set(AuditEntry.objects.filter(actor="al_investigator", action="read_identity")
               .values_list("details__via", flat=True))
    assert {"api case search", "api person search"} <= vias


def test_the_search_body_is_validated_like_the_query(world):
    answer = world.api(Role.INVESTIGATOR).post(
        "/api/v1/persons/search", {"birth_date": "0", "role": "nonsense"}, content_type=JSON)
    assert answer.status_code == 422
    assert {tuple(e["loc"]) for e in answer.json()["detail"]} == {
        ("body", "birth_date"), ("body", "role")}


def test_a_read_only_token_may_search_but_not_write(world):
    user = world.user(Role.INVESTIGATOR)
    _token, raw = ApiToken.issue(user, "read", scope="read")
    reader = Client(headers={"Authorization": f"Bearer {raw}"})
    assert reader.post("/api/v1/cases/search", {"q": "Krasniqi"},
                       content_type=JSON).json()["count"] == 1
    case = world.cases["AL-police"]
    refused = reader.post(f"/api/v1/cases/{case.pk}/status", {"status": "closed", "reason": "x"},
                          content_type=JSON)
    assert refused.status_code == 403


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OVERSIGHT, Role.ANALYST])
def test_a_search_by_someone_who_may_not_see_names_finds_nothing(world, role):
    answer = world.api(role).post("/api/v1/persons/search", {"name": "Drita Krasniqi"},
                                  content_type=JSON)
    assert answer.status_code in {200, 403}
    if answer.status_code == 200:
        assert answer.json()["items"] == []


def test_without_a_token_the_search_is_a_401():
    assert Client().post("/api/v1/cases/search", {"q": "Drita"},
                         content_type=JSON).status_code == 401


IDENTITY_FIELDS = {"q", "name", "given_name", "family_name", "document_number", "birth_date"}
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "crossroads"
GET_FORM = re.compile(r"<form\b(?=[^>]*method=\"get\")[^>]*>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
LINK_WITH_TERM = re.compile(r"(?:href|hx-get|action)=\"[^\"]*[?&](" + "|".join(IDENTITY_FIELDS)
                            + r")=")


def test_no_page_puts_a_name_in_a_url():
    """Every template: no GET form asks for a name, a birth date or a document number, and no link
    carries one in its query string (they would reach browser history and proxy logs)."""
    found = []
    for template in TEMPLATES.glob("*/templates/**/*.html"):
        text = template.read_text()
        for form in GET_FORM.findall(text):
            found += [(template.name, name) for name in FIELD.findall(form)
                      if name in IDENTITY_FIELDS]
        found += [(template.name, term) for term in LINK_WITH_TERM.findall(text)]
    assert found == []
    assert len(list(TEMPLATES.glob("*/templates/**/*.html"))) > 20  # the walk found the pages
