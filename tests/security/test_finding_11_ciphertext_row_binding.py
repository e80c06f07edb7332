"""Finding 11 (issue 13): AES-GCM associated data bound only the column, so someone with write
access to the database could swap ciphertexts between rows (one person's name or date of birth
into another's row) and the node would show them as that person's. The row key is now in the
associated data; the old column-only format still reads until `keys rotate` upgrades it."""

import base64
import datetime
import io
import secrets

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from crossroads.access.choices import Role
from crossroads.keys import cipher, keyring, rotation
from crossroads.registry import services
from crossroads.registry.models import Alias, Involvement, Person
from tests.conftest import exploitation_input, person_input


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def swap(table, column, a, b):
    """What an attacker with write access to the database does: exchange two rows' values."""
    (va,), (vb,) = (raw(f"SELECT {column} FROM {table} WHERE id = %s", [pk])[0]  # noqa: S608
                    for pk in (a, b))
    raw(f"UPDATE {table} SET {column} = %s WHERE id = %s", [vb, a])  # noqa: S608
    raw(f"UPDATE {table} SET {column} = %s WHERE id = %s", [va, b])  # noqa: S608


def legacy_token(plaintext, label):
    """A value in the first format, as stored before row binding (column-only associated data)."""
    keys = keyring.load()
    nonce = secrets.token_bytes(cipher.NONCE_BYTES)
    sealed = AESGCM(keys.keys[keys.current]).encrypt(nonce, plaintext.encode(), label.encode())
    return f"{cipher.LEGACY_PREFIX}${keys.current}${base64.b64encode(nonce + sealed).decode()}"


@pytest.fixture
def two(world):
    investigator = world.user(Role.INVESTIGATOR)
    people = []
    for given, family, born in (("Arta", "Hoxha", datetime.date(2001, 5, 4)),
                                ("Besa", "Krasniqi", datetime.date(1990, 1, 2))):
        person, _case, _ = services.register_victim(
            investigator, person_input(given=given, family=family, birth_date=born),
            services.CaseInput(), exploitation_input())
        people.append(person)
    return people


def test_finding_11_a_name_swapped_into_another_row_does_not_read(two):
    a, b = two
    swap("registry_person", "family_name", a.pk, b.pk)
    with pytest.raises(cipher.DecryptionError, match="registry.person.family_name.*does not authenticate"):
        Person.objects.get(pk=a.pk)
    # Every read path refuses it: values(), joins, the API.
    with pytest.raises(cipher.DecryptionError):
        list(Person.objects.filter(pk=b.pk).values_list("family_name", flat=True))
    with pytest.raises(cipher.DecryptionError):
        list(Involvement.objects.filter(person=a).values_list("person__family_name", flat=True))
    # The untouched columns still read.
    assert Person.objects.filter(pk=a.pk).values_list("given_names", flat=True).get() == "Arta"


def test_finding_11_a_date_of_birth_swapped_into_another_row_does_not_read(two, world):
    a, b = two
    swap("registry_person", "birth_date", a.pk, b.pk)
    with pytest.raises(cipher.DecryptionError):
        Person.objects.get(pk=b.pk)
    api = world.api(Role.INVESTIGATOR)
    api.raise_request_exception = False
    assert api.get(f"/api/v1/persons/{a.pk}").status_code == 500  # an error, never the wrong date


def test_finding_11_the_row_key_moved_with_the_value_is_refused(two):
    """Copying another row's key along with its value collides with that row's unique key."""
    a, b = two
    (key, name), = raw("SELECT row_key, family_name FROM registry_person WHERE id = %s", [b.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        raw("UPDATE registry_person SET row_key = %s, family_name = %s WHERE id = %s",
            [key, name, a.pk])


def test_finding_11_writes_that_cannot_bind_the_row_are_refused(two):
    a, _b = two
    with pytest.raises(ValueError, match="encrypted for its row"), transaction.atomic():
        Person.objects.filter(pk=a.pk).update(family_name="Gashi")
    a.family_name = "Gashi"
    with pytest.raises(ValueError, match="encrypted for its row"), transaction.atomic():
        Person.objects.bulk_update([a], ["family_name"])
    assert Person.objects.get(pk=a.pk).family_name == "Hoxha"
    # save() and bulk_create() see the row: bound and readable.
    Person.objects.get(pk=a.pk).save()
    Alias.objects.bulk_create([Alias(person=a, name="Ari"), Alias(person=a, name="Tati")])
    assert sorted(Alias.objects.filter(person=a).values_list("name", flat=True)) == ["Ari", "Tati"]
    assert all(cipher.is_row_bound(name) for (name,) in raw("SELECT name FROM registry_alias"))


def test_finding_11_old_format_still_reads_and_rotation_upgrades_it(two):
    a, b = two
    keyring.set_row_bound_only(False)  # a keyring made before row binding
    raw("UPDATE registry_person SET family_name = %s WHERE id = %s",
        [legacy_token("Hoxha", "registry.person.family_name"), a.pk])
    assert Person.objects.get(pk=a.pk).family_name == "Hoxha"
    assert rotation.unbound_values() == 1
    shown = io.StringIO()
    call_command("keys", "show", stdout=shown)
    assert "1 values are not bound to their row" in shown.getvalue()

    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "values that are not are refused" in out.getvalue()
    (stored,), = raw("SELECT family_name FROM registry_person WHERE id = %s", [a.pk])
    assert cipher.is_row_bound(stored) and cipher.key_id(stored) == keyring.load().current
    assert rotation.unbound_values() == 0 and keyring.load().row_bound_only
    assert Person.objects.get(pk=a.pk).family_name == "Hoxha"
    assert Person.objects.get(pk=b.pk).family_name == "Krasniqi"

    # From then on an old-format value (a copy kept from before) is refused, not read.
    raw("UPDATE registry_person SET family_name = %s WHERE id = %s",
        [legacy_token("Gashi", "registry.person.family_name"), b.pk])
    with pytest.raises(cipher.DecryptionError, match="not bound to its row"):
        Person.objects.get(pk=b.pk)
