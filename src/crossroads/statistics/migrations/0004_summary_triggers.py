"""Triggers that mark a year of the dashboards' summary as changed, in the database itself, so
that no write is missed: ORM saves, bulk inserts and updates, raw SQL and COPY alike.

Each trigger adds one to `statistics_summaryyear.changes` for the (jurisdiction, year) of every
exploitation record whose counts a write can change:

* an exploitation record inserted, updated or deleted (its old and its new year);
* a case whose handling code or jurisdiction changed (the restricted cases are not counted);
* a person whose sex or merge changed (a merged person counts as its survivor);
* a status change of a case inserted, updated or deleted (the funnel).

SQLite has row triggers only; PostgreSQL gets statement triggers with transition tables, so
that a COPY of a million records costs one upsert per (jurisdiction, year), not one per row.
"""

from django.db import migrations

YEARS = "statistics_summaryyear"
UPSERT = f"ON CONFLICT (jurisdiction_id, year) DO UPDATE SET changes = {YEARS}.changes + 1"
MARK = f"INSERT INTO {YEARS} (jurisdiction_id, year, changes) SELECT DISTINCT"
RECORDS = "registry_exploitationrecord"


def _record_years(side: str) -> str:
    """SQLite: the year of the OLD or NEW record."""
    return (f"{MARK} c.jurisdiction_id, {side}.year_of_registration, 1 FROM registry_case c "
            f"WHERE c.id = {side}.case_id {UPSERT};")


def _case_years(side: str) -> str:
    """SQLite: the years of the records of a case, under its OLD or NEW jurisdiction."""
    return (f"{MARK} {side}.jurisdiction_id, r.year_of_registration, 1 FROM {RECORDS} r "
            f"WHERE r.case_id = {side}.id {UPSERT};")


def _of_records(where: str) -> str:
    return (f"{MARK} c.jurisdiction_id, r.year_of_registration, 1 FROM {RECORDS} r "
            f"JOIN registry_case c ON c.id = r.case_id WHERE {where} {UPSERT};")


CASE_MOVED = ("OLD.handling_code IS NOT NEW.handling_code "
              "OR OLD.jurisdiction_id IS NOT NEW.jurisdiction_id")
PERSON_CHANGED = "OLD.sex IS NOT NEW.sex OR OLD.merged_into_id IS NOT NEW.merged_into_id"

SQLITE = {
    "summary_record_inserted": f"AFTER INSERT ON {RECORDS} BEGIN {_record_years('NEW')} END",
    "summary_record_updated": (f"AFTER UPDATE ON {RECORDS} BEGIN {_record_years('OLD')} "
                               f"{_record_years('NEW')} END"),
    "summary_record_deleted": f"AFTER DELETE ON {RECORDS} BEGIN {_record_years('OLD')} END",
    "summary_case_moved": (f"AFTER UPDATE ON registry_case WHEN {CASE_MOVED} BEGIN "
                           f"{_case_years('OLD')} {_case_years('NEW')} END"),
    "summary_person_changed": (f"AFTER UPDATE ON registry_person WHEN {PERSON_CHANGED} BEGIN "
                               f"{_of_records('r.person_id = NEW.id')} END"),
    "summary_status_inserted": (f"AFTER INSERT ON registry_casestatuschange BEGIN "
                                f"{_of_records('r.case_id = NEW.case_id')} END"),
    "summary_status_updated": (f"AFTER UPDATE ON registry_casestatuschange BEGIN "
                               f"{_of_records('r.case_id = OLD.case_id')} "
                               f"{_of_records('r.case_id = NEW.case_id')} END"),
    "summary_status_deleted": (f"AFTER DELETE ON registry_casestatuschange BEGIN "
                               f"{_of_records('r.case_id = OLD.case_id')} END"),
}


def _pg_function(name: str, inserted: str, deleted: str) -> str:
    """A trigger function marking the years `inserted` finds in new_rows (INSERT, UPDATE) and
    `deleted` finds in old_rows (UPDATE, DELETE); plpgsql plans a statement when it first runs
    it, so the branch of a missing transition table is never planned."""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN {inserted} END IF;
  IF TG_OP <> 'INSERT' THEN {deleted} END IF;
  RETURN NULL;
END $$;"""


def _pg_records(rows: str) -> str:
    return (f"{MARK} c.jurisdiction_id, r.year_of_registration, 1 FROM {rows} r "
            f"JOIN registry_case c ON c.id = r.case_id {UPSERT};")


def _pg_status(rows: str) -> str:
    return (f"{MARK} c.jurisdiction_id, r.year_of_registration, 1 "
            f"FROM (SELECT DISTINCT case_id FROM {rows}) s "
            f"JOIN {RECORDS} r ON r.case_id = s.case_id "
            f"JOIN registry_case c ON c.id = s.case_id {UPSERT};")


_PG_MOVED = ("FROM old_rows o JOIN new_rows n ON n.id = o.id "
             "WHERE o.handling_code IS DISTINCT FROM n.handling_code "
             "OR o.jurisdiction_id IS DISTINCT FROM n.jurisdiction_id")
_PG_CASES = (f"{MARK} moved.jurisdiction_id, r.year_of_registration, 1 FROM ("
             f"SELECT o.id, o.jurisdiction_id {_PG_MOVED} UNION "
             f"SELECT n.id, n.jurisdiction_id {_PG_MOVED}) AS moved "
             f"JOIN {RECORDS} r ON r.case_id = moved.id {UPSERT};")
_PG_PERSONS = (f"{MARK} c.jurisdiction_id, r.year_of_registration, 1 "
               f"FROM old_rows o JOIN new_rows n ON n.id = o.id "
               f"JOIN {RECORDS} r ON r.person_id = n.id JOIN registry_case c ON c.id = r.case_id "
               f"WHERE o.sex IS DISTINCT FROM n.sex "
               f"OR o.merged_into_id IS DISTINCT FROM n.merged_into_id {UPSERT};")

# function name -> (table, events, what it marks for new rows, for old rows)
POSTGRESQL = {
    "summary_mark_records": (RECORDS, ("INSERT", "UPDATE", "DELETE"),
                             _pg_records("new_rows"), _pg_records("old_rows")),
    "summary_mark_cases": ("registry_case", ("UPDATE",), _PG_CASES, "NULL;"),
    "summary_mark_persons": ("registry_person", ("UPDATE",), _PG_PERSONS, "NULL;"),
    "summary_mark_statuses": ("registry_casestatuschange", ("INSERT", "UPDATE", "DELETE"),
                              _pg_status("new_rows"), _pg_status("old_rows")),
}
TRANSITION = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
              "DELETE": "OLD TABLE AS old_rows"}
# Years already holding records when the triggers are installed start as changed.
BACKFILL = (f"INSERT INTO {YEARS} (jurisdiction_id, year, changes) "
            f"SELECT DISTINCT c.jurisdiction_id, r.year_of_registration, 1 FROM {RECORDS} r "
            f"JOIN registry_case c ON c.id = r.case_id")


def _statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "sqlite":
        create = [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE.items()]
        return create, [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE]
    if vendor == "postgresql":
        create, drop = [], []
        for function, (table, events, inserted, deleted) in POSTGRESQL.items():
            create.append(_pg_function(function, inserted, deleted))
            for event in events:
                trigger = f"{function}_{event.lower()}"
                create.append(f"CREATE TRIGGER {trigger} AFTER {event} ON {table} "
                              f"REFERENCING {TRANSITION[event]} FOR EACH STATEMENT "
                              f"EXECUTE FUNCTION {function}()")
            drop.append(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
        return create, drop
    raise RuntimeError(f"Crossroads supports SQLite and PostgreSQL, not {vendor}.")


def install(apps, schema_editor):
    create, _drop = _statements(schema_editor.connection.vendor)
    for statement in [*create, BACKFILL]:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    _create, drop = _statements(schema_editor.connection.vendor)
    for statement in drop:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0003_person_merged_into"),
        ("statistics", "0003_summary"),
    ]

    operations = [migrations.RunPython(install, remove)]
