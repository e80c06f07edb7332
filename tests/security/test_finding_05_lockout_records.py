"""Finding 5 (issue 13): search terms were stored in clear. django-axes kept the query string and
the form fields of failed attempts (`name=…`, document numbers, `next=/persons/?q=…`) and the
concrete path in its tables. The raw database must not hold them after failed attempts."""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessLog
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from crossroads.access.choices import Role

PASSWORD = "x" * 16
NAME = "Qendresa Zhubaj"          # what the user was searching for; nobody in the test world
DOCUMENT = "ZX4481927"
SEARCH = f"/persons/?q={quote(NAME)}&document={DOCUMENT}"


def raw_database() -> bytes:
    """Everything the database holds: on SQLite the bytes of the database file (free pages
    included), on PostgreSQL every text column of every table."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.serialize()
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() "
                       "AND data_type IN ('text', 'character varying', 'jsonb', 'json')")
        columns = cursor.fetchall()
        dump = []
        for table, column in columns:
            cursor.execute(f'SELECT "{column}"::text FROM "{table}"')  # noqa: S608 (catalogue names)
            dump.extend(value for (value,) in cursor.fetchall() if value)
    return "\n".join(dump).encode()


def _assert_not_stored():
    raw = raw_database()
    for term in (NAME, NAME.split()[0], quote(NAME), DOCUMENT):
        assert term.encode() not in raw, term


@pytest.fixture
def attempts(world):
    """Failed attempts of every kind, each carrying the search terms: wrong passwords (in the
    next= parameter and in form fields, up to and past the lock-out), wrong second-factor codes,
    and wrong tokens on a search of persons (in the query string and in the path)."""
    user = world.user(Role.INVESTIGATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for _ in range(2):
        Client().post(f"/login/?next={quote(SEARCH)}",
                      {"username": user.username, "password": "wrong", "next": SEARCH,
                       "name": NAME, "document_number": DOCUMENT})
    half_open = Client()
    half_open.post(f"/login/?next={quote(SEARCH)}",
                   {"username": user.username, "password": PASSWORD, "next": SEARCH})
    for _ in range(2):
        half_open.post(f"/mfa/verify/?next={quote(SEARCH)}",
                       {"token": "12345", "next": SEARCH, "name": NAME})
    for _ in range(4):
        Client().post("/login/", {"username": user.username, "password": "wrong", "next": SEARCH,
                                  "name": NAME, "document_number": DOCUMENT})
    for path in (f"/api/v1/persons?name={quote(NAME)}&document={DOCUMENT}",
                 f"/api/v1/statistics/tables/{quote(NAME)}"):
        for _ in range(3):
            Client().get(path, headers={"Authorization": "Bearer cr_wrong"})
    return device


def test_finding_5_failed_attempts_store_no_search_terms(attempts):
    assert AccessAttempt.objects.filter(username="al_investigator").exists()
    assert AccessAttempt.objects.filter(username="api-token").exists()
    _assert_not_stored()


def test_finding_5_lockout_still_counts_without_the_request_content(attempts):
    """The lock-out works from what is kept: the user name and the address."""
    locked = Client().post("/login/", {"username": "al_investigator", "password": PASSWORD})
    assert locked.status_code == 429
    assert Client().get("/api/v1/persons",
                        headers={"Authorization": "Bearer cr_wrong"}).status_code == 429
    attempt = AccessAttempt.objects.get(username="al_investigator")
    separator = "\n---------\n"   # axes joins the attempts' (now empty) data with it
    assert attempt.get_data.replace(separator, "") == attempt.post_data.replace(separator, "") == ""
    assert attempt.path_info == "login/"


def test_finding_5_successful_log_in_stores_no_search_terms(world):
    client = Client()
    response = client.post(f"/login/?next={quote(SEARCH)}",
                           {"username": "al_case_worker", "password": PASSWORD, "next": SEARCH,
                            "name": NAME})
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="al_case_worker").exists()
    _assert_not_stored()
