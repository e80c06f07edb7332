"""The pages: log-in, registration flow with errors kept next to fields, search, status."""

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import Case, Person
from tests.conftest import state_purpose

FORM = {
    "given_names": "Blerta", "family_name": "Hoxha", "father_name": "Agim", "sex": "F",
    "birth_date": "2004-02-03", "birth_precision": "exact", "place_of_birth": "Vlorë",
    "citizenships": "AL", "doc_type": "", "doc_number": "", "doc_country": "", "phone": "",
    "role": "victim", "handling_code": "H0", "opened_on": "", "summary": "",
    "forms_of_exploitation": ["forced_labour"], "labour_sectors": ["agriculture"],
    "means_of_control": ["debt_bondage"], "recruiter_relation": "friend",
    "country_of_recruitment": "AL", "country_of_exploitation": "AL",
    "municipality_of_exploitation": "", "period_start": "", "period_end": "",
}


def test_login_and_logout_are_audited(world, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.access.test_mfa import current_code

    device = TOTPDevice.objects.create(user=world.user(Role.INVESTIGATOR), name="p", confirmed=True)
    response = client.post("/login/", {"username": "al_investigator", "password": "x" * 16})
    assert response.status_code == 302
    client.post("/mfa/verify/", {"token": current_code(device)})
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302
    actions = list(AuditEntry.objects.filter(actor="al_investigator").values_list("action", flat=True))
    assert "login" in actions and "logout" in actions
    client.post("/login/", {"username": "al_investigator", "password": "wrong"})
    assert AuditEntry.objects.latest("id").action == "login_failed"


def test_register_victim_through_the_page(world):
    client = world.client(Role.CASE_WORKER)
    assert "forms_of_exploitation" in client.get("/register/").content.decode()
    response = client.post("/register/", FORM)
    assert response.status_code == 302
    case = Case.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert case.owner_agency == world.agencies[("AL", "shelter")]
    page = client.get(response.url).content.decode()
    assert "Blerta Hoxha" in page and "Forced labour" in page


def test_form_keeps_input_and_names_the_field_on_error(world):
    client = world.client(Role.CASE_WORKER)
    before = Person.objects.count()
    response = client.post("/register/", {**FORM, "country_of_exploitation": "9X",
                                          "doc_type": "jmbg", "doc_number": "123",
                                          "doc_country": "RS"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="Blerta"' in page
    assert 'class="field invalid"' in page
    assert Person.objects.count() == before
    missing = client.post("/register/", {**FORM, "forms_of_exploitation": []})
    assert missing.status_code == 422 and 'value="Hoxha"' in missing.content.decode()


def test_name_search_page_finds_other_script(world):
    client = state_purpose(world.client(Role.INVESTIGATOR, "RS"), "/persons/")
    page = client.post("/persons/", {"q": "Jelena Petrovic"}).content.decode()
    assert "Јелена Петровић" in page
    partial = client.post("/persons/", {"q": "petroviq"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "Петровић" in partial.content.decode()
    empty = client.post("/persons/", {"q": "Zzzz"}).content.decode()
    assert "Nobody you may see matches" in empty


def test_status_change_on_the_case_page(world):
    client = world.client(Role.INVESTIGATOR)
    case = world.cases["AL-police"]
    read = case.version
    response = client.post(f"/cases/{case.pk}/status/", {"status": "investigation",
                                                         "reason": "Statement taken",
                                                         "version": read})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Statement taken" in page
    refused = client.post(f"/cases/{case.pk}/status/", {"status": "trial", "version": read + 1})
    assert refused.status_code == 422
    case.refresh_from_db()
    assert case.status == "investigation"
    focal = world.client(Role.FOCAL_POINT).post(f"/cases/{case.pk}/status/",
                                                {"status": "closed", "version": case.version})
    assert focal.status_code == 403


def test_a_trial_closes_on_the_case_page_with_its_outcome(world):
    client = world.client(Role.PROSECUTOR)
    case = world.cases["AL-police"]
    url = f"/cases/{case.pk}/status/"
    assert 'name="outcome"' not in client.get(f"/cases/{case.pk}/").content.decode()
    for version, status in enumerate(("investigation", "prosecution", "trial"),
                                     start=case.version):
        assert client.post(url, {"status": status, "version": version}).status_code == 302
    now = case.version + 3
    assert 'name="outcome"' in client.get(f"/cases/{case.pk}/").content.decode()
    missing = client.post(url, {"status": "closed", "confirmed": "1", "version": now})
    assert missing.status_code == 422 and "what the court decided" in missing.content.decode()
    confirm = client.post(url, {"status": "closed", "outcome": "acquittal",
                                "version": now}).content.decode()
    assert 'name="outcome" value="acquittal"' in confirm       # carried through the confirmation
    assert f'name="version" value="{now}"' in confirm
    assert client.post(url, {"status": "closed", "outcome": "acquittal",
                             "confirmed": "1", "version": now}).status_code == 302
    assert "Closed: Acquittal" in client.get(f"/cases/{case.pk}/").content.decode()


def test_case_list_filters_survive_in_the_url(world):
    client = world.client(Role.COORDINATOR)
    page = client.get("/cases/", {"form": "forced_begging"}).content.decode()
    assert world.cases["AL-other"].reference in page
    assert world.cases["AL-police"].reference not in page
    assert 'value="forced_begging" selected' in page


def test_home_lists_my_cases(world):
    page = world.client(Role.INVESTIGATOR).get("/").content.decode()
    assert world.cases["AL-police"].reference in page
    analyst = world.client(Role.ANALYST).get("/").content.decode()
    assert "no case work" in analyst


def test_administrator_creates_an_account(world):
    client = world.client(Role.ADMINISTRATOR)
    agency = world.agencies[("AL", "ngo")]
    # Administrators no longer choose passwords (finding 7): the old form says what to do.
    chosen = client.post("/manage/accounts/new/", {"username": "al_new", "agency": agency.pk,
                                                   "role": "case_worker", "is_active": "on",
                                                   "password": "a-long-Enough-passphrase-42"})
    assert chosen.status_code == 422 and "no longer choose passwords" in chosen.content.decode()
    response = client.post("/manage/accounts/new/", {
        "username": "al_new", "agency": agency.pk, "role": "case_worker", "is_active": "on"})
    assert response.status_code == 302
    foreign = world.agencies[("RS", "ngo")]
    response = client.post("/manage/accounts/new/", {
        "username": "al_new2", "agency": foreign.pk, "role": "case_worker", "is_active": "on"})
    assert response.status_code == 422


def test_administrator_creates_an_agency_and_duplicate_is_refused(world):
    client = world.client(Role.ADMINISTRATOR)
    assert client.post("/manage/agencies/new/", {"name": "New Shelter", "kind": "shelter",
                                                 "active": "on"}).status_code == 302
    again = client.post("/manage/agencies/new/", {"name": "New Shelter", "kind": "shelter"})
    assert again.status_code == 422


def test_language_switch(world):
    client = world.client(Role.INVESTIGATOR)
    response = client.post("/language/", {"language": "sq", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_closing_a_case_asks_for_confirmation(world):
    client = world.client(Role.INVESTIGATOR)
    case = world.cases["AL-police"]
    asked = client.post(f"/cases/{case.pk}/status/", {"status": "closed", "reason": "Done",
                                                      "version": case.version})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    case.refresh_from_db()
    assert case.status == "open"
    done = client.post(f"/cases/{case.pk}/status/", {"status": "closed", "reason": "Done",
                                                     "confirmed": "1",
                                                     "version": case.version})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_token_page_creates_once_and_revokes_after_confirmation(world):
    from crossroads.access.models import ApiToken

    user = world.user(Role.INVESTIGATOR)
    client = world.client(Role.INVESTIGATOR)
    created = client.post("/account/tokens/", {"name": "nightly export", "days": 30,
                                               "scope": "read"})
    raw = created.content.decode().split("<code>")[1].split("</code>")[0]
    token = ApiToken.objects.get(key_hash=ApiToken.digest(raw))
    assert token.user == user and raw not in client.get("/account/tokens/").content.decode()
    confirm = client.get(f"/account/tokens/{token.pk}/revoke/")
    assert "cannot be undone" in confirm.content.decode()
    assert ApiToken.objects.usable().filter(pk=token.pk).exists()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert not ApiToken.objects.usable().filter(pk=token.pk).exists()
    other = world.client(Role.PROSECUTOR).post(f"/account/tokens/{token.pk}/revoke/")
    assert other.status_code == 302


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings

    from crossroads.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_COOKIE_AGE <= 1800 and settings.SESSION_SAVE_EVERY_REQUEST


def test_person_page_queries_do_not_grow_with_the_cases(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crossroads.registry import services

    person = world.persons["AL-suspect"]
    client = state_purpose(world.client(Role.INVESTIGATOR), f"/persons/{person.pk}/")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/persons/{person.pk}/").status_code == 200
        return len(captured)

    before = queries()
    investigator = world.user(Role.INVESTIGATOR)
    for _ in range(3):
        _v, case, _ = services.register_victim(
            investigator, services.PersonInput(given_names="Ema", family_name="Kola"),
            services.CaseInput(), services.ExploitationInput(forms=["sexual"]))
        services.add_involvement(investigator, case, person, "suspect")
    assert queries() == before
