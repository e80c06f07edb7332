"""Identity fields are encrypted at rest, searchable through blind indexes, and rotatable."""

import datetime
import io

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from crossroads.access.choices import Role
from crossroads.keys import cipher, keyring, rotation
from crossroads.registry import services
from crossroads.registry.models import Case, Person
from tests.conftest import exploitation_input, person_input, search

IDENTITY_COLUMNS = {
    "registry_person": ["given_names", "family_name", "father_name", "birth_date",
                        "place_of_birth"],
    "registry_identitydocument": ["number"],
    "registry_alias": ["name"],
    "registry_contact": ["value"],
    "registry_case": ["summary"],
}


def raw_rows(table, columns):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
        return cursor.fetchall()


@pytest.fixture
def rich_person(world):
    investigator = world.user(Role.INVESTIGATOR)
    person, case, _ = services.register_victim(
        investigator,
        person_input(given="Luljeta", family="Berisha", father_name="Fatmir",
                     place_of_birth="Kukës", aliases=["Leta"], phones=["+355 69 000 1111"],
                     documents=[services.DocumentInput("passport", "ZZ7654321", "AL")]),
        services.CaseInput(summary="Found at a bus station in Kukës."), exploitation_input())
    return person


def test_no_identity_value_is_stored_in_clear(rich_person):
    stored = " ".join(str(v) for table, cols in IDENTITY_COLUMNS.items()
                      for row in raw_rows(table, cols) for v in row)
    for secret in ("Luljeta", "Berisha", "Fatmir", "Kukës", "Leta", "000 1111", "ZZ7654321",
                   "bus station", "2001-05-04", "Krasniqi", "Петровић"):
        assert secret not in stored
    person_row = raw_rows("registry_person", ["family_name"])[0][0]
    assert person_row.startswith("enc2$")
    assert Person.objects.get(pk=rich_person.pk).family_name == "Berisha"


def test_ciphertext_moved_to_another_column_does_not_decrypt(rich_person):
    token, row_key = raw_rows("registry_person", ["family_name", "row_key"])[0]
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt(token, "registry.person.given_names", row_key)
    assert cipher.decrypt(token, "registry.person.family_name", row_key)


def test_encrypted_fields_refuse_plaintext_lookups(world):
    with pytest.raises(FieldError):
        list(Person.objects.filter(family_name="Krasniqi"))
    with pytest.raises(FieldError):
        list(Case.objects.filter(summary__icontains="border"))


def test_search_by_date_of_birth_and_document_number(world, rich_person):
    api = world.api(Role.INVESTIGATOR)
    found = search(api, "/api/v1/persons/search", {"document_number": "zz 765 4321"}).json()["items"]
    assert [p["id"] for p in found] == [rich_person.pk]
    born = search(api, "/api/v1/persons/search", {"birth_date": "2001-05-04"}).json()["items"]
    assert rich_person.pk in {p["id"] for p in born}
    assert search(api, "/api/v1/persons/search", {"birth_date": "2001-05-05"}).json()["count"] == 0


def test_year_only_birth_is_found_by_a_full_date(world):
    investigator = world.user(Role.INVESTIGATOR)
    person, _case, _ = services.register_victim(
        investigator, person_input(given="Teuta", family="Gjoni",
                                   birth_date=datetime.date(1999, 1, 1), birth_precision="year"),
        services.CaseInput(), exploitation_input())
    found = search(world.api(Role.INVESTIGATOR), "/api/v1/persons/search", {"birth_date": "1999-08-17"})
    assert person.pk in {p["id"] for p in found.json()["items"]}


def test_rotation_reencrypts_everything_and_retires_the_old_key(rich_person):
    old = keyring.load().current
    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "2", stdout=out)
    new = keyring.load().current
    assert new != old and "re-encrypted" in out.getvalue()
    assert rotation.key_usage() == {new: rotation.key_usage()[new]}
    assert Person.objects.get(pk=rich_person.pk).given_names == "Luljeta"
    call_command("keys", "retire", old, stdout=io.StringIO())
    assert old not in keyring.load().keys
    with pytest.raises(CommandError):
        call_command("keys", "retire", new, stdout=io.StringIO())
    shown = io.StringIO()
    call_command("keys", "show", stdout=shown)
    assert f"{new} (current)" in shown.getvalue()


def test_retiring_a_key_still_in_use_is_refused(rich_person):
    old = keyring.load().current
    keyring.add_current_key()
    with pytest.raises(CommandError, match="still encrypted"):
        call_command("keys", "retire", old, stdout=io.StringIO())
    assert Person.objects.get(pk=rich_person.pk).family_name == "Berisha"


def test_init_creates_a_private_keyring_once(settings, tmp_path):
    settings.CROSSROADS_KEY_FILE = str(tmp_path / "ring" / "keyring.json")
    call_command("keys", "init", stdout=io.StringIO())
    path = tmp_path / "ring" / "keyring.json"
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="exists already"):
        call_command("keys", "init", stdout=io.StringIO())


def test_production_never_invents_a_keyring(settings, tmp_path):
    settings.CROSSROADS_KEY_FILE = str(tmp_path / "absent.json")
    settings.CROSSROADS_CREATE_KEYRING = False
    with pytest.raises(keyring.KeyringError, match="does not exist"):
        keyring.load()
