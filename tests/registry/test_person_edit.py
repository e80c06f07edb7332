"""Issue 23, point 3: a person's identity record is edited in the browser, as the API's PUT
replaces it: the same service from the version the form was filled from (a stale form is
refused, the other change kept, nothing typed lost), the same policy (404 for what the user
may not see, 403 for what they see but may not change), audited reads and writes, duplicate
detection after the save."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from crossroads.access.choices import Role
from crossroads.audit.models import Action, AuditEntry
from crossroads.registry import services
from crossroads.registry.models import Person
from crossroads.registry.signals import person_saved
from tests.conftest import person_input, state_purpose
from tests.investigations.pages import csrf_checked, summary, unverified


class FormValues(HTMLParser):
    """What a browser would send back of the page's edit form, untouched: every input, the
    selected options, the textareas (CSRF token included)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that opens a textarea's content.
            text = self.values[self._textarea]
            text[0] = text[0].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def form_of(response) -> dict:
    parser = FormValues()
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 or name == "citizenships" else values[0]
            for name, values in parser.values.items() if values}


def edit_url(person) -> str:
    return f"/persons/{person.pk}/edit/"


def reload(person) -> Person:
    return Person.objects.get(pk=person.pk)


@pytest.fixture
def known(world):
    """The AL victim with an alias, a phone, an address and two documents (through the API's
    service), so that an edit that touches only the name must keep them all."""
    victim = world.persons["AL-victim"]
    services.update_person(world.user(Role.INVESTIGATOR), victim, person_input(
        given="Drita", family="Krasniqi", aliases=["Dita"], phones=["+355 69 123 4567"],
        addresses=["Rruga e Kavajës 10, Tiranë"], citizenships=["AL"],
        documents=[services.DocumentInput("passport", "BA1234567", "AL"),
                   services.DocumentInput("id_card", "I23456789", "AL")]))
    return reload(victim)


def test_an_officer_corrects_a_name_in_the_page_and_the_person_page_shows_it(world, known):
    worker = state_purpose(world.client(Role.CASE_WORKER), f"/persons/{known.pk}/")
    page = worker.get(f"/persons/{known.pk}/").content.decode()
    assert f'href="{edit_url(known)}"' in page and "Edit identity" in page
    form = worker.get(edit_url(known))
    assert form.status_code == 200
    read = AuditEntry.objects.filter(actor="al_case_worker", action=Action.READ_IDENTITY).latest("id")
    assert (read.details["via"], read.object_type, read.object_id) == (
        "person edit", "registry.person", str(known.pk))
    filled = form_of(form)
    assert filled["given_names"] == "Drita" and filled["aliases"] == "Dita"
    assert filled["documents-0-doc_number"] == "BA1234567" and filled["citizenships"] == ["AL"]
    announced = []
    person_saved.connect(receiver := lambda sender, person, **kw: announced.append(person.pk))
    try:
        saved = worker.post(edit_url(known), {**filled, "given_names": "Dritë",
                                              "birth_date": "04/06/2001"})
    finally:
        person_saved.disconnect(receiver)
    assert saved.status_code == 302 and saved.url == f"/persons/{known.pk}/"
    assert announced == [known.pk]  # duplicate detection runs as after the PUT
    person = reload(known)
    assert (person.given_names, str(person.birth_date)) == ("Dritë", "2001-06-04")
    assert person.version == known.version + 1
    # Everything the form did not change is kept: aliases, contacts, both documents.
    assert [a.name for a in person.aliases.all()] == ["Dita"]
    assert sorted(c.value for c in person.contacts.all()) == sorted(
        ["+355 69 123 4567", "Rruga e Kavajës 10, Tiranë"])
    assert [d.number for d in person.documents.all()] == ["BA1234567", "I23456789"]
    change = AuditEntry.objects.filter(action=Action.UPDATE, object_type="registry.person",
                                       object_id=str(known.pk)).latest("id")
    assert change.actor == "al_case_worker"
    assert change.details["fields"] == ["birth_date", "given_names"]
    shown = worker.get(f"/persons/{known.pk}/").content.decode()
    assert "Dritë Krasniqi" in shown and "Identity record saved." in shown


def test_a_document_is_removed_and_one_added(world, known):
    worker = state_purpose(world.client(Role.CASE_WORKER), f"/persons/{known.pk}/")
    filled = form_of(worker.get(edit_url(known)))
    assert worker.post(edit_url(known), {
        **filled, "documents-1-doc_number": "", "documents-2-doc_type": "passport",
        "documents-2-doc_number": "bb 7654321", "documents-2-doc_country": "XK"}).status_code == 302
    assert [(d.doc_type, d.number, d.issuing_country) for d in reload(known).documents.all()] == [
        ("passport", "BA1234567", "AL"), ("passport", "BB7654321", "XK")]


def test_a_stale_form_is_refused_the_other_change_kept_and_the_input_shown(world, known):
    worker = state_purpose(world.client(Role.CASE_WORKER), f"/persons/{known.pk}/")
    filled = form_of(worker.get(edit_url(known)))
    # Meanwhile the investigator corrects the father's name through the API.
    api = world.api(Role.INVESTIGATOR)
    current = api.get(f"/api/v1/persons/{known.pk}").json()
    body = {k: current[k] for k in ("given_names", "family_name", "sex", "birth_date",
                                    "birth_precision", "citizenships", "aliases")}
    assert api.put(f"/api/v1/persons/{known.pk}", {**body, "father_name": "Agim"},
                   content_type="application/json",
                   headers={"If-Match": f'"{known.version}"'}).status_code == 200
    refused = worker.post(edit_url(known), {**filled, "given_names": "Dritë"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone changed this record after you opened the form" in html
    assert "What you typed (not saved)" in html and "Dritë" in html
    again = form_of(refused)  # the form holds the record as it is now, at its new version
    assert again["father_name"] == "Agim" and again["given_names"] == "Drita"
    person = reload(known)
    assert (person.given_names, person.father_name) == ("Drita", "Agim")
    assert int(again["version"]) == person.version
    # Applied again to the current record, the change goes through and keeps the other one.
    assert worker.post(edit_url(known), {**again, "given_names": "Dritë"}).status_code == 302
    assert (reload(known).given_names, reload(known).father_name) == ("Dritë", "Agim")


def test_bad_input_shows_the_domains_messages_at_the_fields_and_changes_nothing(world, known):
    worker = state_purpose(world.client(Role.CASE_WORKER), f"/persons/{known.pk}/")
    filled = form_of(worker.get(edit_url(known)))
    refused = worker.post(edit_url(known), {
        **filled, "given_names": "Dr1ta", "family_name": "", "birth_date": "not a date",
        "documents-0-doc_number": "??", "aliases": "Dita\nD1ta"})
    assert refused.status_code == 422
    html = refused.content.decode()
    errors = summary(refused)
    assert "A name cannot contain digits." in errors and "This field is required." in errors
    assert "Correct the identity documents below." in errors
    # The number's error at the document's row; the alias's at the aliases.
    row = html[html.find('id="id_documents-0-doc_number"'):]
    assert row.find('class="error"') < row.find('id="id_documents-1-doc_type"')
    aliases = html[html.find('id="id_aliases"'):html.find('id="id_phones"')]
    assert "A name cannot contain digits." in aliases
    assert form_of(refused)["given_names"] == "Dr1ta"  # what was typed stays in the form
    person = reload(known)
    assert (person.given_names, person.version) == ("Drita", known.version)
    assert [a.name for a in person.aliases.all()] == ["Dita"]


@pytest.mark.parametrize(("who", "jurisdiction", "whom", "status"), [
    (Role.FOCAL_POINT, "AL", "AL-victim", 403),      # sees the victim, may not change them
    (Role.CASE_WORKER, "AL", "AL-suspect", 404),     # a suspect: never a case worker's
    (Role.CASE_WORKER, "RS", "AL-victim", 404),      # another jurisdiction
    (Role.COORDINATOR, "AL", "AL-victim", 404),
    (Role.INVESTIGATOR, "AL", "AL-h3", 404),          # an H3 case's victim, outside its team
])
def test_the_page_answers_as_the_api(world, who, jurisdiction, whom, status):
    person = (world.cases["AL-h3"].involvements.get(role="victim").person if whom == "AL-h3"
              else world.persons[whom])
    client = world.client(who, jurisdiction)
    body = {"given_names": "Changed", "family_name": "Name", "sex": person.sex,
            "birth_precision": "exact", "version": person.version,
            "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"}
    api = world.api(who, jurisdiction).put(f"/api/v1/persons/{person.pk}", {
        k: body[k] for k in ("given_names", "family_name", "sex")}, content_type="application/json")
    assert api.status_code == status
    assert client.get(edit_url(person)).status_code == status
    assert client.post(edit_url(person), body).status_code == status
    assert client.post(edit_url(person), {"given_names": ""}).status_code == status
    assert reload(person).given_names != "Changed"
    assert not AuditEntry.objects.filter(  # a refused form shows nothing: no identity read
        actor=world.user(who, jurisdiction).username, action=Action.READ_IDENTITY,
        details__via="person edit").exists()
    if status == 403:
        state_purpose(client, f"/persons/{person.pk}/")
        assert "Edit identity" not in client.get(f"/persons/{person.pk}/").content.decode()


def test_a_password_only_session_is_sent_to_the_second_factor(world):
    victim = world.persons["AL-victim"]
    client = unverified(world.user(Role.CASE_WORKER))
    for response in (client.get(edit_url(victim)), client.post(edit_url(victim), {
            "given_names": "Changed", "family_name": "Name", "sex": "F",
            "birth_precision": "exact", "version": victim.version})):
        assert response.status_code == 302 and "/mfa/" in response.url
    assert Client().get(edit_url(victim)).status_code == 302  # nobody logged in
    assert reload(victim).given_names == "Drita"


def test_the_form_posts_with_its_csrf_token(world, known):
    client = csrf_checked(world.user(Role.CASE_WORKER))
    asked = form_of(client.get(edit_url(known)))  # the purpose form first, with its token
    assert client.post("/purpose/", {"kind": "identification", "next": asked["next"]}).status_code == 403
    assert client.post("/purpose/", {"kind": "identification", "next": asked["next"],
                                     "csrfmiddlewaretoken": asked["csrfmiddlewaretoken"]}).status_code == 302
    filled = form_of(client.get(edit_url(known)))
    assert filled["csrfmiddlewaretoken"]
    without = {k: v for k, v in filled.items() if k != "csrfmiddlewaretoken"}
    assert client.post(edit_url(known), {**without, "given_names": "Dritë"}).status_code == 403
    assert reload(known).given_names == "Drita"
    assert client.post(edit_url(known), {**filled, "given_names": "Dritë"}).status_code == 302
    assert reload(known).given_names == "Dritë"
