"""Issue 21 point 14: agency names are shown in the reader's language. An administrator keeps
the name per language on the agency's page; where one is missing the official name is shown;
the API keeps the official name; the demo agencies come with their names in every language."""

from django.conf import settings
from django.test import Client
from django.utils import translation

from crossroads.access.choices import AgencyKind, Role
from crossroads.access.models import Agency
from crossroads.demo.accounts import create_agencies
from tests.security.test_finding_09_agencies import agency_form

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _in(client: Client, language: str) -> Client:
    client.cookies[COOKIE] = language
    return client


def test_the_administrator_keeps_the_name_per_language_and_pages_show_it(world):
    shelter = world.agencies[("AL", "shelter")]
    admin = world.client(Role.ADMINISTRATOR)
    form = admin.get(f"/manage/agencies/{shelter.pk}/").content.decode()
    assert 'name="name_sq"' in form and 'name="name_sr-cyrl"' in form and 'name="name_en"' not in form
    saved = admin.post(f"/manage/agencies/{shelter.pk}/", agency_form(
        shelter, **{"name_sq": "  Strehëza   e Shpresës ", "name_mk": "Засолниште"}))
    assert saved.status_code == 302, saved.content.decode()
    shelter.refresh_from_db()
    assert shelter.names == {"sq": "Strehëza e Shpresës", "mk": "Засолниште"}

    worker = world.client(Role.CASE_WORKER)
    assert "Strehëza e Shpresës" in _in(worker, "sq").get("/").content.decode()
    english = _in(worker, "en").get("/").content.decode()
    assert "Strehëza" not in english and shelter.name in english
    assert shelter.name in _in(worker, "bs").get("/").content.decode()  # none given: official


def test_a_name_emptied_on_the_page_falls_back_to_the_official_name(world):
    shelter = world.agencies[("AL", "shelter")]
    Agency.objects.filter(pk=shelter.pk).update(names={"sq": "Strehëza"})
    admin = world.client(Role.ADMINISTRATOR)
    assert admin.post(f"/manage/agencies/{shelter.pk}/", agency_form(shelter)).status_code == 302
    shelter.refresh_from_db()
    assert shelter.names == {}
    with translation.override("sq"):
        assert str(shelter) == shelter.name


def test_who_may_not_manage_accounts_cannot_rename_an_agency(world):
    shelter = world.agencies[("AL", "shelter")]
    for role in (Role.CASE_WORKER, Role.COORDINATOR, Role.OVERSIGHT):
        answer = world.client(role).post(f"/manage/agencies/{shelter.pk}/",
                                         agency_form(shelter, name_sq="Tjetër"))
        assert answer.status_code in {302, 403, 404}
    shelter.refresh_from_db()
    assert shelter.names == {}
    other = world.agencies[("RS", "shelter")]
    answer = world.client(Role.ADMINISTRATOR).post(f"/manage/agencies/{other.pk}/",
                                                   agency_form(other, name_sq="Tjetër"))
    assert answer.status_code == 404
    other.refresh_from_db()
    assert other.names == {}


def test_the_api_shows_the_official_name(world):
    case = world.cases["AL-police"]
    Agency.objects.filter(pk=case.owner_agency_id).update(names={"sq": "Policia"})
    api = world.api(Role.INVESTIGATOR)
    api.cookies[COOKIE] = "sq"
    body = api.get(f"/api/v1/cases/{case.pk}", headers={"Accept-Language": "sq"}).json()
    assert "Policia" not in str(body)


def test_the_demo_agencies_have_their_names_in_every_language(db):
    agencies = create_agencies("ME")
    police = agencies[AgencyKind.POLICE]
    codes = {code for code, _label in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    for agency in agencies.values():
        assert set(agency.names) == codes and all(n.endswith("(ME)") for n in agency.names.values())
    with translation.override("sr-cyrl"):
        assert str(police) == "Државна полиција – Јединица за борбу против трговине људима (ME)"
    with translation.override("en"):
        assert str(police) == "State Police – Anti-Trafficking Unit (ME)"
