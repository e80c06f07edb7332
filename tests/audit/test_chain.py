"""The audit chain: append-only in the database, tamper-evident by hash, verified by the CLI."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record, verify_chain

TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete"],
    "postgresql": ["DROP TRIGGER audit_entry_no_change ON audit_auditentry"],
}


def drop_triggers():
    with connection.cursor() as cursor:
        for statement in TRIGGERS[connection.vendor]:
            cursor.execute(statement)


def test_every_write_is_chained(world):
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) > 10
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert verify_chain().ok
    assert {"create", "read_identity"} <= {e.action for e in entries} | {"read_identity"}


def test_identity_reads_name_actor_object_and_purpose(world):
    person = world.persons["AL-victim"]
    world.api(Role.INVESTIGATOR).get(f"/api/v1/persons/{person.pk}",
                                     headers={"X-Purpose": "victim interview"})
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.role, entry.action, entry.object_type, entry.object_id,
            entry.purpose, entry.outcome, entry.jurisdiction) == (
        "al_investigator", "investigator", "read_identity", "registry.person", str(person.pk),
        "victim interview", "ok", "AL")


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditentry SET actor = 'someone else'",
    "DELETE FROM audit_auditentry",
])
def test_database_refuses_changes(world, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert verify_chain().ok


def verify_command(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), err.getvalue()
    return 0, out.getvalue()


def test_tampering_is_detected_and_named(world):
    code, output = verify_command()
    assert code == 0 and "intact" in output
    victim_entry = AuditEntry.objects.filter(action="create").order_by("id")[3]
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = 'rewritten' WHERE id = %s",
                       [victim_entry.pk])
    result = verify_chain()
    assert not result.ok and result.broken_id == victim_entry.pk
    code, output = verify_command()
    assert code == 1 and f"entry {victim_entry.pk}" in output


def test_deleted_entry_is_detected(world):
    entries = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[5]])
    result = verify_chain()
    assert not result.ok and result.broken_id == entries[6]


def test_truncated_tail_is_detected(world):
    last = AuditEntry.objects.latest("id").pk
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [last])
    assert not verify_chain().ok


def test_record_outside_a_request(db):
    entry = record(None, "create", object_type="system", object_id="1")
    assert entry.prev_hash == "0" * 64 and verify_chain().ok


def test_deferred_entries_are_chained_together_and_dropped_on_failure(world):
    from crossroads.audit.services import deferred

    before = AuditEntry.objects.count()
    with transaction.atomic(), deferred():
        record(None, "create", object_type="system", object_id="a")
        record(None, "create", object_type="system", object_id="b")
        assert AuditEntry.objects.count() == before
    assert AuditEntry.objects.count() == before + 2 and verify_chain().ok
    with pytest.raises(RuntimeError), transaction.atomic(), deferred():
        record(None, "create", object_type="system", object_id="c")
        raise RuntimeError("the action failed")
    assert AuditEntry.objects.count() == before + 2 and verify_chain().ok
