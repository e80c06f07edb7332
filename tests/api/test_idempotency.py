"""Safe retries (issue 23, defect 4): every API POST honours an `Idempotency-Key` header — the
same key and body get the first answer again and write once; the same key with another body
is a 422; the key is the user's own; two requests at once with one key write once."""

import os
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from crossroads.access.choices import Role
from crossroads.access.models import IdempotentRequest
from crossroads.api import api
from crossroads.registry.models import Case, CaseStatusChange, Person
from tests.conftest import build_world
from tests.registry.test_api import REGISTRATION


def keyed(client, url, body, key):
    return client.post(url, body, content_type="application/json",
                       headers={"Idempotency-Key": key})


def test_a_retried_registration_gets_the_first_answer_and_writes_once(world):
    client, key = world.api(Role.CASE_WORKER), str(uuid.uuid4())
    persons = Person.objects.count()
    first = keyed(client, "/api/v1/registrations", REGISTRATION, key)
    assert first.status_code == 201 and not first.has_header("Idempotent-Replayed")
    again = keyed(client, "/api/v1/registrations", REGISTRATION, key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and Person.objects.count() == persons + 1
    # A new key is a new request; the same key with another body is refused, and writes nothing.
    assert keyed(client, "/api/v1/registrations", REGISTRATION, str(uuid.uuid4())).status_code == 201
    other = {**REGISTRATION, "person": {**REGISTRATION["person"], "given_names": "Ema"}}
    refused = keyed(client, "/api/v1/registrations", other, key)
    assert refused.status_code == 422 and "Idempotency-Key" in str(refused.json())
    assert Person.objects.count() == persons + 2


def test_a_key_is_the_users_own_and_never_replays_another_users_answer(world):
    key = str(uuid.uuid4())
    mine = keyed(world.api(Role.CASE_WORKER), "/api/v1/registrations", REGISTRATION, key)
    theirs = keyed(world.api(Role.INVESTIGATOR), "/api/v1/registrations", REGISTRATION, key)
    assert mine.status_code == theirs.status_code == 201
    assert not theirs.has_header("Idempotent-Replayed")
    assert mine.json()["person_id"] != theirs.json()["person_id"]


def test_a_refused_request_keeps_no_key_and_a_retry_runs_afresh(world):
    client, key, case = world.api(Role.INVESTIGATOR), "retry-1", world.cases["AL-police"]
    url = f"/api/v1/cases/{case.pk}/status"
    assert keyed(client, url, {"status": "trial"}, key).status_code == 422
    assert not IdempotentRequest.objects.exists()
    moved = f'"{case.version + 1}"'
    ok = keyed(client, url, {"status": "investigation"}, "retry-2")
    assert ok.status_code == 200 and ok["ETag"] == moved
    replay = keyed(client, url, {"status": "investigation"}, "retry-2")
    assert replay.status_code == 200 and replay["ETag"] == moved and replay.json() == ok.json()
    assert CaseStatusChange.objects.filter(case=case).count() == 2


def test_keys_expire(world, settings):
    client, key = world.api(Role.CASE_WORKER), "expiring"
    assert keyed(client, "/api/v1/registrations", REGISTRATION, key).status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - timezone.timedelta(
        hours=settings.CROSSROADS_IDEMPOTENCY_HOURS + 1))
    again = keyed(client, "/api/v1/registrations", REGISTRATION, key)
    assert again.status_code == 201 and not again.has_header("Idempotent-Replayed")


def test_the_stored_answer_is_encrypted_and_no_audit_data(world):
    from crossroads.audit.models import AuditEntry

    keyed(world.api(Role.CASE_WORKER), "/api/v1/registrations", REGISTRATION, "sealed")
    stored = IdempotentRequest.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM access_idempotentrequest")
        raw = cursor.fetchone()[0]
    assert "case_reference" in stored.body and "case_reference" not in raw
    assert "sealed" not in stored.key_hash  # the key itself is kept as a hash
    assert not AuditEntry.objects.filter(object_type__startswith="access.idempotent").exists()


def _post_operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        if "post" in operations:
            yield path, operations["post"]


def _with_ids(path: str) -> str:
    """/api/v1/cases/{case_id}/status -> /api/v1/cases/1/status"""
    return "/".join("1" if part.startswith("{") else part for part in path.split("/"))


def test_every_post_of_the_schema_takes_a_key_and_refuses_a_malformed_one(world):
    """Walks the OpenAPI schema: each POST declares the header, and a malformed key is a 422
    naming it, before authentication or validation (the mechanism is on every POST route)."""
    operations = list(_post_operations())
    assert len(operations) >= 30
    client = world.api(Role.COORDINATOR)
    for path, operation in operations:
        assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"]), path
        url = _with_ids(path)
        for bad in ("", "x" * 256, "naïve", "a b"):
            refused = client.post(url, {}, content_type="application/json",
                                  headers={"Idempotency-Key": bad})
            assert refused.status_code == 422, (path, bad, refused.status_code)
            assert refused.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"], path


def test_every_post_of_the_schema_answers_a_retry_as_the_first_time(world):
    """Each POST sent twice with one key and body answers the same both times (a refusal again
    as a refusal, a success as its replay), and a success writes no second time."""
    client = world.api(Role.COORDINATOR)
    for path, _operation in _post_operations():
        url = _with_ids(path)
        key = f"walk-{path}"
        first = keyed(client, url, {}, key)
        again = keyed(client, url, {}, key)
        assert (again.status_code, again.content) == (first.status_code, first.content), path
        assert again.has_header("Idempotent-Replayed") == (first.status_code < 400), path


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL (SQLite's test database is one in-memory connection)")
def test_two_requests_at_once_with_one_key_write_once(committing_db, monkeypatch):
    """Both past authentication and validation before either takes the key (a barrier holds
    them): the second's insert waits for the first's transaction, then replays its answer."""
    from crossroads.access import idempotency

    world = build_world()
    token, persons = world.tokens["al_case_worker"], Person.objects.count()
    barrier, reserve = threading.Barrier(2, timeout=10), idempotency.reserve

    def reserve_together(*args):
        barrier.wait()
        return reserve(*args)

    monkeypatch.setattr(idempotency, "reserve", reserve_together)
    answers = []

    def register():
        try:
            client = Client(headers={"Authorization": f"Bearer {token}"})
            answers.append(keyed(client, "/api/v1/registrations", REGISTRATION, "at-once"))
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.has_header("Idempotent-Replayed") for a in answers) == [False, True]
    assert Person.objects.count() == persons + 1 and Case.objects.count() == 7
