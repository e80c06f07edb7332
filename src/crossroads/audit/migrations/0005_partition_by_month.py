"""PostgreSQL: the audit table partitioned by month (crossroads/audit/partitions.py); SQLite
keeps its one table. The rows, their ids, the id sequence, the indexes and the append-only
triggers are carried over in one transaction under an exclusive lock; the chain is not
touched (the same rows, the same values), so `audit verify` answers as before."""

import datetime

from django.db import migrations
from django.utils import timezone

from crossroads.audit import partitions

OLD = "audit_auditentry_unpartitioned"
T = partitions.TABLE
SEQ_UNIQUE = (
    "CREATE FUNCTION audit_seq_unique() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.seq IS NOT NULL THEN "
    "PERFORM pg_advisory_xact_lock(hashtext('audit_auditentry.seq')); "
    f"IF EXISTS (SELECT 1 FROM {T} WHERE seq = NEW.seq) THEN "
    "RAISE EXCEPTION 'duplicate audit sequence number %%', NEW.seq USING ERRCODE = 'unique_violation'; "
    "END IF; END IF; RETURN NEW; END $$")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {T} IN ACCESS EXCLUSIVE MODE")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                       "indexname NOT IN (%s, 'audit_entry_unique_seq')", [T, f"{T}_pkey"])
        indexes = cursor.fetchall()
        cursor.execute(f"SELECT pg_get_serial_sequence('{T}', 'id')")
        old_sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT last_value FROM {old_sequence}")  # noqa: S608
        next_id = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT min(at) FROM {T}")  # noqa: S608
        oldest = cursor.fetchone()[0]
    run(f"ALTER TABLE {T} RENAME TO {OLD}")
    run(f"CREATE TABLE {T} (LIKE {OLD} INCLUDING DEFAULTS) PARTITION BY RANGE (at)")
    run(f"CREATE TABLE {partitions.DEFAULT} PARTITION OF {T} DEFAULT")
    run(partitions.no_truncate(partitions.DEFAULT))
    today = timezone.now().date()
    first = partitions.month_start(oldest.date() if oldest else today)
    last = partitions.month_start(today + datetime.timedelta(days=93))
    with schema_editor.connection.cursor() as cursor:
        while first <= last:
            partitions.create_month(cursor, first)
            first = partitions.next_month(first)
    run(f"CREATE INDEX audit_entry_seq ON {T} (seq)")
    run(SEQ_UNIQUE)
    run(f"CREATE TRIGGER audit_entry_seq_unique BEFORE INSERT ON {T} FOR EACH ROW "
        "EXECUTE FUNCTION audit_seq_unique()")
    run(f"INSERT INTO {T} SELECT * FROM {OLD} ORDER BY id")  # noqa: S608
    run(f"DROP TABLE {OLD}")  # its triggers, indexes and identity sequence with it
    run(f"CREATE SEQUENCE {T}_id_seq OWNED BY {T}.id")
    run(f"SELECT setval('{T}_id_seq', {int(next_id)}, false)")
    run(f"ALTER TABLE {T} ALTER COLUMN id SET DEFAULT nextval('{T}_id_seq')")
    # The key is (id, at), as a partitioned table's must hold the partition column; a unique
    # index rather than a PRIMARY KEY constraint, which `pg_restore --clean` (the node's
    # restore) cannot drop on a partition in PostgreSQL 15 ("cannot drop inherited constraint").
    run(f"CREATE UNIQUE INDEX {T}_id_at ON {T} (id, at)")
    for _name, definition in indexes:
        run(definition)
    run(f"CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON {T} "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only()")
    run(f"CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {T} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_view_statistics_action")]
    operations = [migrations.RunPython(partition)]
