"""The audit table by month on PostgreSQL (SQLite keeps one table).

Migration 0005 makes `audit_auditentry` a table partitioned by range of `at`, one partition a
month (`audit_auditentry_y2026m12`) and a DEFAULT partition for any entry outside them, with
the key `(id, at)` (a partitioned table's keys must hold the partition column; a unique
index, not a PRIMARY KEY constraint, which `pg_restore --clean` cannot drop on a partition in
PostgreSQL 15, so the node's restore would fail). Two
guarantees of the single table are kept across partitions:

- sequence numbers stay unique across months (a partition's own unique index would only see
  its month): a trigger on every insert takes a transaction lock and refuses a `seq` already
  held by any partition (each has an index on `seq`). The application appends under the chain
  head's row lock anyway; the trigger makes it hold for any other writer too;
- the table stays append-only: the row trigger refusing UPDATE and DELETE is defined on the
  parent and so on every partition; TRUNCATE triggers are per table, so every partition gets
  its own (made here with the partition).

`ensure_months` makes the coming months' partitions ahead of time (`crossroads
audit_partitions`, monthly from cron). A month whose entries already went to the DEFAULT
partition (nobody made its partition in time) cannot get one without moving append-only rows:
it is left in DEFAULT, said so, and still verifies; only the pruning of that month is lost.
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

TABLE = "audit_auditentry"
DEFAULT = f"{TABLE}_default"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.relname = %s AND pg_table_is_visible(c.oid)", [TABLE])
        return cursor.fetchone() is not None


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def partition_name(first: datetime.date) -> str:
    return f"{TABLE}_y{first:%Y}m{first:%m}"


def no_truncate(table: str) -> str:
    return (f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()")


def create_month(cursor, first: datetime.date) -> None:
    """The partition of the month starting on `first` (bounds in UTC), append-only."""
    name = partition_name(first)
    cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM "  # noqa: S608
                   f"('{first.isoformat()} 00:00:00+00') TO ('{next_month(first).isoformat()} 00:00:00+00')")
    cursor.execute(no_truncate(name))


def truncate_guards(cursor) -> list[tuple[str, str]]:
    """(table, trigger) of each partition's TRUNCATE guard (the test suite's flush lifts them)."""
    cursor.execute("SELECT c.relname, t.tgname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_trigger t ON t.tgrelid = c.oid "
                   "WHERE p.relname = %s AND t.tgname LIKE %s", [TABLE, "%_no_truncate"])
    return cursor.fetchall()


def _existing(cursor) -> set[str]:
    cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                   "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s", [TABLE])
    return {row[0] for row in cursor.fetchall()}


def ensure_months(ahead: int = 3, today: datetime.date | None = None) -> tuple[list[str], list[str]]:
    """Partitions for this month and the `ahead` next ones: (made now, left in DEFAULT because
    it already holds entries of that month). Idempotent; nothing to do on SQLite."""
    if not is_partitioned():
        return [], []
    first = month_start(today or timezone.now().date())
    made, skipped = [], []
    for _ in range(ahead + 1):
        with transaction.atomic(), connection.cursor() as cursor:
            if partition_name(first) not in _existing(cursor):
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE at >= %s "  # noqa: S608
                               "AND at < %s)", [f"{first} 00:00:00+00", f"{next_month(first)} 00:00:00+00"])
                if cursor.fetchone()[0]:
                    skipped.append(partition_name(first))
                else:
                    create_month(cursor, first)
                    made.append(partition_name(first))
        first = next_month(first)
    return made, skipped
