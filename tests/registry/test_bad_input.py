"""Bad input (issue 23, defect 6, the API and form part): names in Greek, Arabic or Chinese get
search keys and are found; NUL and invisible format characters (a bidi override) in names
and free text are a 422 naming the field, in the API and in the forms; an oversized body is a
JSON 413."""

import pytest

from crossroads.access.choices import Role
from crossroads.names import family_name_key, given_name_key
from crossroads.registry.models import Person
from tests.conftest import search

from .test_api import REGISTRATION, post


@pytest.mark.parametrize(("written", "typed"), [
    ("Παπαδόπουλος", "Papadopoulos"), ("Σταύρος", "Stavros"), ("Ευάγγελος", "Evangelos"),
    ("王芳", "Wang Fang"), ("Фёдор", "Fedor"), ("Петровић", "Petrovic"),
])
def test_names_in_other_scripts_fold_to_their_latin_spelling(written, typed):
    assert family_name_key(written) == family_name_key(typed) != ""
    assert given_name_key(written) == given_name_key(typed) != ""


def test_no_letter_of_any_script_folds_to_nothing():
    for name in ("محمد", "فاطمة", "张伟", "Γιώργος", "יוסף", "กมล", "김민준"):
        assert family_name_key(name), name


def _register(client, given, family):
    body = {**REGISTRATION, "person": {**REGISTRATION["person"], "given_names": given,
                                       "family_name": family, "documents": []}}
    return post(client, "/api/v1/registrations", body)


def test_a_person_named_in_greek_arabic_or_chinese_is_found(world):
    api = world.api(Role.INVESTIGATOR)
    for given, family, query in (("Ελένη", "Παπαδοπούλου", "Papadopoulou"),
                                 ("فاطمة", "محمد", "محمد"), ("芳", "王", "Wang")):
        created = _register(api, given, family)
        assert created.status_code == 201, created.content
        found = search(api, "/api/v1/persons/search", {"name": query}).json()["items"]
        assert created.json()["person_id"] in [p["id"] for p in found], query


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\ufeff",
                                  "\x00"])
def test_hidden_characters_in_names_and_free_text_are_refused_naming_the_field(world, char):
    api = world.api(Role.INVESTIGATOR)
    persons = Person.objects.count()
    refused = _register(api, "Arta", f"Ho{char}xha")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "person", "family_name"]
    summary = {**REGISTRATION, "case": {"summary": f"Met{char} at the border"}}
    refused = post(api, "/api/v1/registrations", summary)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "case", "summary"]
    case = world.cases["AL-police"]
    refused = post(api, f"/api/v1/cases/{case.pk}/status",
                   {"status": "investigation", "reason": f"x{char}y"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "reason"]
    assert Person.objects.count() == persons
    case.refresh_from_db()
    assert case.status == "open"


def test_the_registration_form_refuses_a_bidi_override_in_a_name(world):
    page, persons = world.client(Role.INVESTIGATOR), Person.objects.count()
    form = {"given_names": "Arta", "family_name": "Ho\u202exha", "sex": "F",
            "forms_of_exploitation": ["sexual"],
            "role": "victim", "handling_code": "H0", "birth_precision": "exact",
            "recruiter_relation": "unknown"}
    refused = page.post("/register/", form)
    assert refused.status_code == 422
    assert "U+202E" in refused.content.decode()
    assert Person.objects.count() == persons


def test_an_oversized_body_is_a_json_413(world, settings):
    api = world.api(Role.INVESTIGATOR)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**REGISTRATION, "case": {"summary": "x" * 2000}}
    refused = post(api, "/api/v1/registrations", body)
    assert refused.status_code == 413 and refused["Content-Type"].startswith("application/json")
    assert "larger than 1000 bytes" in refused.json()["detail"]
