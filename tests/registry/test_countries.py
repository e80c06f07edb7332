"""Issue 21, point 4: countries are ISO 3166-1 alpha-2 plus XK, picked from a list named in the
reader's language and shown by name; anything else is a 422 naming the field."""

import pytest
from django.conf import settings

from crossroads import countries
from crossroads.access.choices import Role
from crossroads.registry.models import Case, ExploitationRecord, Person
from crossroads.statistics.choices import value_label
from crossroads.statistics.dimensions import DIMENSIONS
from tests.conftest import state_purpose
from tests.registry.test_api import REGISTRATION, post
from tests.web.test_pages import FORM


def test_the_vocabulary_is_iso_3166_and_kosovo():
    assert len(countries.CODES) == 250 and {"XK", "DE", "AL", "RS"} <= countries.CODES
    assert not {"ZZ", "EU", "UK", "YU", "X1"} & countries.CODES
    for language, kosovo, germany in [("en", "Kosovo", "Germany"), ("sq", "Kosovë", "Gjermani"),
                                      ("sr-latn", "Kosovo", "Nemačka"), ("sr-cyrl", "Косово", "Немачка"),
                                      ("mk", "Косово", "Германија"), ("bs", "Kosovo", "Njemačka")]:
        assert (countries.name("XK", language), countries.name("DE", language)) == (kosovo, germany)
        assert len(countries.choices(language)) == 250


@pytest.mark.parametrize("part, field, value, loc", [
    ("person", "citizenships", ["AL", "ZZ"], ["body", "person", "citizenships", 1]),
    ("exploitation", "country_of_exploitation", "ZZ", ["body", "exploitation", "country_of_exploitation"]),
    ("exploitation", "countries_of_transit", ["EU"], ["body", "exploitation", "countries_of_transit", 0]),
])
def test_the_api_refuses_a_code_outside_the_vocabulary_naming_the_field(world, part, field, value, loc):
    api, before = world.api(Role.CASE_WORKER), Person.objects.count()
    body = {**REGISTRATION, part: {**REGISTRATION[part], field: value}}
    response = post(api, "/api/v1/registrations", body)
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    assert Person.objects.count() == before


def test_the_api_takes_kosovo_and_lower_case_codes(world):
    body = {**REGISTRATION, "exploitation": {**REGISTRATION["exploitation"],
                                             "country_of_exploitation": "de",
                                             "countries_of_transit": ["XK", "me"]}}
    response = post(world.api(Role.CASE_WORKER), "/api/v1/registrations", body)
    assert response.status_code == 201, response.content
    record = ExploitationRecord.objects.get(pk=response.json()["exploitation_record_id"])
    assert record.country_of_exploitation == "DE" and record.countries_of_transit == ["ME", "XK"]


def test_the_page_picks_countries_and_shows_them_by_name_in_the_readers_language(world):
    client = world.client(Role.CASE_WORKER)
    form = client.get("/register/").content.decode()
    assert '<select name="country_of_exploitation"' in form and '<option value="XK">Kosovo</option>' in form
    before = Case.objects.count()
    refused = client.post("/register/", {**FORM, "country_of_exploitation": "ZZ"})
    assert refused.status_code == 422 and Case.objects.count() == before
    response = client.post("/register/", {**FORM, "citizenships": ["AL", "XK"],
                                           "country_of_exploitation": "DE"})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response.url).content.decode()
    assert "Germany" in page and ">DE<" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-cyrl"
    assert "Немачка" in client.get(response.url).content.decode()
    person = Case.objects.get(pk=response.url.rstrip("/").split("/")[-1]).involvements.get().person
    person_page = state_purpose(client, f"/persons/{person.pk}/").get(
        f"/persons/{person.pk}/").content.decode()
    assert "Албанија, Косово" in person_page


def test_statistics_name_countries_in_legends_and_tables():
    assert DIMENSIONS["country_of_exploitation"].label_of("DE") == "Germany"
    assert DIMENSIONS["citizenship"].label_of("XK") == "Kosovo"
    assert value_label("country_of_exploitation", "IT") == "Italy"
