"""Issue 21, point 8: a 100 % duplicate (the same name in another script, the same date of birth)
is offered before saving, "use the existing person?"; only among persons the reader may see,
so the form is no oracle for the others."""

from crossroads.access.choices import Role
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import Case, Involvement, Person
from tests.web.test_pages import FORM

BLERINA = {**FORM, "given_names": "Blerina", "family_name": "Aliu", "birth_date": "2003-07-21"}
CYRILLIC = {**BLERINA, "given_names": "Блерина", "family_name": "Алиу"}


def _new_case(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_the_same_person_in_cyrillic_is_offered_before_saving(world):
    client = world.client(Role.CASE_WORKER)
    first = _new_case(client.post("/register/", BLERINA)).involvements.get().person
    persons = Person.objects.count()
    offered = client.post("/register/", CYRILLIC)
    html = offered.content.decode()
    assert offered.status_code == 200 and Person.objects.count() == persons
    assert f'name="existing_person" value="{first.pk}"' in html and "Blerina Aliu" in html
    read = AuditEntry.objects.filter(action=Action.READ_IDENTITY).latest("id")
    assert (read.object_id, read.details["via"]) == (str(first.pk), "registration duplicate check")
    # Using the existing person: a new case for them, no second record.
    case = _new_case(client.post("/register/", {**CYRILLIC, "existing_person": str(first.pk)}))
    assert Person.objects.count() == persons
    assert list(case.involvements.values_list("person_id", flat=True)) == [first.pk]
    assert Involvement.objects.filter(person=first).count() == 2
    # Or a new record after all, when the worker says it is another person.
    _new_case(client.post("/register/", {**CYRILLIC, "existing_person": "new"}))
    assert Person.objects.count() == persons + 1


def test_a_different_birth_date_or_name_is_no_hundred_percent_match(world):
    client = world.client(Role.CASE_WORKER)
    _new_case(client.post("/register/", BLERINA))
    _new_case(client.post("/register/", {**CYRILLIC, "birth_date": "2003-07-22"}))
    _new_case(client.post("/register/", {**BLERINA, "given_names": "Blerina Mira"}))


def test_persons_outside_the_readers_view_are_never_offered(world):
    # As an attacker probing for who is recorded: an H3 person outside the team, a person of
    # another agency's case, a person of another jurisdiction — straight saved, nothing said.
    for role, hidden in [(Role.INVESTIGATOR, "Mira Shala"), (Role.CASE_WORKER, "Vesa Gashi"),
                         (Role.CASE_WORKER, "Jelena Petrović")]:
        given, family = hidden.split()
        client = world.client(role)
        response = client.post("/register/", {**FORM, "given_names": given, "family_name": family,
                                              "birth_date": "2001-05-04"})
        assert response.status_code == 302, (hidden, response.content.decode()[:2000])


def test_an_existing_person_outside_the_readers_view_cannot_be_chosen(world):
    hidden = world.cases["AL-h3"].involvements.get().person
    response = world.client(Role.INVESTIGATOR).post(
        "/register/", {**FORM, "given_names": "Mira", "family_name": "Shala",
                       "birth_date": "2001-05-04", "existing_person": str(hidden.pk)})
    assert response.status_code == 404
    assert Involvement.objects.filter(person=hidden).count() == 1
