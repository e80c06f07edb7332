"""The audit table partitioned by month on PostgreSQL (migration 0005, audit/partitions.py):
entries land in their month's partition, sequence numbers stay unique across months, every
partition is append-only, the chain verifies, and the coming months' partitions are made ahead.
SQLite keeps its one table."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from crossroads.audit import partitions
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record, verify_chain

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def partition_of(entry: AuditEntry) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditentry WHERE id = %s",
                       [entry.pk])
        return cursor.fetchone()[0]


def test_sqlite_keeps_one_table(db):
    if connection.vendor == "postgresql":
        assert partitions.is_partitioned()
        return
    assert not partitions.is_partitioned()
    out = io.StringIO()
    call_command("audit_partitions", stdout=out)
    assert "not partitioned" in out.getvalue()


def insert_copy(entry: AuditEntry, *, at, keep_seq: bool) -> None:
    """Insert a copy of `entry` by hand (as a writer bypassing the application would) at `at`."""
    columns = [f.column for f in AuditEntry._meta.concrete_fields
               if f.column != "id" and (keep_seq or f.column != "seq")]
    values = [at if c == "at" else getattr(entry, c) for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO audit_auditentry ({', '.join(columns)}) VALUES "  # noqa: S608
                       f"({', '.join(['%s'] * len(columns))})",
                       [json.dumps(v) if isinstance(v, dict) else v for v in values])


@postgres_only
def test_an_entry_lands_in_its_months_partition_and_the_chain_verifies(world):
    entry = record(None, "update", object_type="test.thing", object_id="1")
    month = partitions.month_start(entry.at.astimezone(datetime.UTC).date())
    assert partition_of(entry) == partitions.partition_name(month)
    assert verify_chain().ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_auditentry' "
                       "AND indexname = 'audit_auditentry_id_at'")
        assert "UNIQUE INDEX" in cursor.fetchone()[0]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        copied = ("id, at, actor, role, jurisdiction, action, object_type, object_id, purpose, "
                  "outcome, details, prev_hash, hash")  # not seq: the key itself refuses it
        cursor.execute(f"INSERT INTO audit_auditentry ({copied}) SELECT {copied} "  # noqa: S608
                       "FROM audit_auditentry WHERE id = %s", [entry.pk])


@postgres_only
def test_a_sequence_number_held_in_another_month_is_refused(world):
    entry = record(None, "update", object_type="test.thing", object_id="2")
    other_month = entry.at - datetime.timedelta(days=400)  # lands in the DEFAULT partition
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_copy(entry, at=other_month, keep_seq=True)
    assert verify_chain().ok


@postgres_only
@pytest.mark.parametrize("statement", [
    "UPDATE {table} SET actor = 'someone else'",
    "DELETE FROM {table}",
    "TRUNCATE {table}",
])
def test_every_partition_is_append_only(world, statement):
    entry = record(None, "update", object_type="test.thing", object_id="3")
    insert_copy(entry, at=datetime.datetime(2001, 5, 17, tzinfo=datetime.UTC), keep_seq=False)
    for table in (partition_of(entry), partitions.DEFAULT, "audit_auditentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(table=table))
    # Nothing changed (the hand-made copy stays too, and `audit verify` names it: not chained).
    assert AuditEntry.objects.get(pk=entry.pk).actor == entry.actor
    assert AuditEntry.objects.filter(at__year=2001).count() == 1


@postgres_only
def test_the_coming_months_are_made_ahead_once(world):
    today = datetime.date.today()
    far = partitions.month_start(today + datetime.timedelta(days=31 * 8))
    made, skipped = partitions.ensure_months(ahead=8, today=today)
    assert partitions.partition_name(far) in made and not skipped
    assert partitions.ensure_months(ahead=8, today=today) == ([], [])
    out = io.StringIO()
    call_command("audit_partitions", "--months", "8", stdout=out)
    assert "exist" in out.getvalue()
    # An entry of a made month lands there, append-only like the others.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitions.partition_name(far)}")  # noqa: S608
        assert cursor.fetchone()[0] == 0
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(f"TRUNCATE {partitions.partition_name(far)}")


@postgres_only
def test_a_month_already_in_the_default_partition_is_left_there(world):
    entry = record(None, "update", object_type="test.thing", object_id="4")
    long_ago = datetime.datetime(2001, 5, 17, tzinfo=datetime.UTC)
    insert_copy(entry, at=long_ago, keep_seq=False)
    made, skipped = partitions.ensure_months(ahead=0, today=long_ago.date())
    assert (made, skipped) == ([], [partitions.partition_name(datetime.date(2001, 5, 1))])
