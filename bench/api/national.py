"""A national node: about 1,000,000 persons and 400,000 cases on PostgreSQL, seeded in bulk,
then its key reads measured through the API (one client, so service times).

The demo seeder makes realistic rows at about 200 persons a second (names in every script,
duplicates, documents, search keys, encryption): 1M persons that way would take 80 minutes.
So a base jurisdiction is seeded by `crossroads demo --jurisdictions AL --cases BASE`, and
then copied COPIES times through the ORM's `bulk_create` (each copy of a person gets its own
row key, so every identity field is encrypted again, bound to its new row; search keys,
involvements, exploitation records, case teams and assigned agencies are copied with the
new ids; case references get a copy number). The result has the demo's distributions, each
name COPIES times more frequent — what a national register's common names look like.
Status histories are not copied (only the base cases have them).

    .venv/bin/python bench/api/national.py                      # seed (about 10 min) + measure
    .venv/bin/python bench/api/national.py --reuse              # measure only
    .venv/bin/python bench/api/openloop.py --database crossroads_national --reuse   # load

Prints the counts, the seeding time and p50/p95 of the key reads.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.api.run import Backend, Server, build_calls, discover, drive  # noqa: E402

DATABASE = "crossroads_national"
REPLICATE = r'''
import sys, time
from django.db import connection, transaction
from crossroads.registry.models import Case, ExploitationRecord, Involvement, Person, SearchKey

COPIES = int(sys.argv[-1])

def fields(model, skip):
    return [f for f in model._meta.concrete_fields if f.name not in skip]

MAPS = {"person_id": "person_map", "case_id": "case_map"}

def copy_rows(cursor, model):
    """INSERT ... SELECT of the base rows of `model`, its person and case ids mapped."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    chosen = [f"{MAPS[c]}.new" if c in MAPS else f"t.{c}" for c in columns]
    joins = " ".join(f"JOIN {MAPS[c]} ON {MAPS[c]}.old = t.{c}" for c in columns if c in MAPS)
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                   f"SELECT {', '.join(chosen)} FROM {model._meta.db_table} t {joins}")

persons = list(Person.objects.order_by("id"))
cases = list(Case.objects.order_by("id"))
pf, cf = fields(Person, ("id", "row_key", "merged_into")), fields(Case, ("id", "row_key"))
began = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute("CREATE TEMP TABLE person_map (old bigint, new bigint, PRIMARY KEY (old))")
    cursor.execute("CREATE TEMP TABLE case_map (old bigint, new bigint, PRIMARY KEY (old))")
for copy in range(1, COPIES):
    with transaction.atomic(), connection.cursor() as cursor:
        # Persons and cases through the ORM: each copy is encrypted again under its own row key.
        new_persons = Person.objects.bulk_create(
            [Person(**{f.attname: getattr(p, f.attname) for f in pf}) for p in persons],
            batch_size=5000)
        new_cases = Case.objects.bulk_create(
            [Case(**{**{f.attname: getattr(c, f.attname) for f in cf},
                     "reference": f"{c.reference}-{copy:03d}"}) for c in cases], batch_size=5000)
        cursor.execute("TRUNCATE person_map, case_map")
        with cursor.copy("COPY person_map (old, new) FROM STDIN") as rows:
            for old, new in zip(persons, new_persons):
                rows.write_row((old.pk, new.pk))
        with cursor.copy("COPY case_map (old, new) FROM STDIN") as rows:
            for old, new in zip(cases, new_cases):
                rows.write_row((old.pk, new.pk))
        # The rest in SQL (no encrypted column): search keys, involvements, records, M2M.
        for model in (SearchKey, Involvement, ExploitationRecord, Case.team.through,
                      Case.assigned_agencies.through):
            copy_rows(cursor, model)
    if copy % 10 == 0 or copy == COPIES - 1:
        print(f"copy {copy}/{COPIES - 1}: {time.perf_counter() - began:.0f} s", flush=True)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
'''


def measure(backend: Backend, tokens: dict, n: int, workers: int) -> list[dict]:
    import random

    rng = random.Random(7)
    rows = []
    with Server(backend, threads=4, workers=workers) as server:
        facts = discover(server.base, tokens, rng)
        print(f"visible to al_investigator: {facts['investigator_cases']:,} cases, "
              f"{facts['investigator_persons']:,} persons; coordinator "
              f"{facts['coordinator_cases']:,} cases")
        for scenario in ("case_list", "case_detail", "person_search", "registration"):
            count = n if scenario != "registration" else max(20, n // 5)
            drive([server.base], scenario, build_calls(scenario, 10, facts, tokens, rng), 1)
            result = drive([server.base], scenario,
                           build_calls(scenario, count, facts, tokens, rng), 1)
            row = result.row()
            rows.append(row)
            print(f"  {scenario:<14} {row['requests']:>5} requests, {row['errors']} errors, "
                  f"p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms (one client)")
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--base-cases", type=int, default=4000,
                        help="cases of the seeded base (default 4000: about 10,000 persons)")
    parser.add_argument("--cases", type=int, default=400_000)
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "crossroads-national")  # noqa: S108
    parser.add_argument("--reuse", action="store_true", help="measure the seeded database")
    parser.add_argument("--reads", type=int, default=200, help="requests per read scenario")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    backend = Backend("postgres", args.workdir, pg_url=args.pg_url, pg_database=args.database)
    if not args.reuse:
        backend.recreate()
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crossroads.cli", "demo", "--jurisdictions", "AL",
                        "--cases", str(args.base_cases), "--logins", str(backend.logins)],
                       env=backend.env(), check=True, stdout=subprocess.DEVNULL)
        base = time.perf_counter() - began
        print(f"base seeded in {base:.0f} s")
        copies = math.ceil(args.cases / args.base_cases)
        subprocess.run([sys.executable, "-m", "crossroads.cli", "shell", "-c",
                        REPLICATE.replace("int(sys.argv[-1])", str(copies))],
                       env=backend.env(), check=True)
        seconds = time.perf_counter() - began
        print(f"seeded in {seconds:.0f} s ({copies} copies of the base)")
        backend.marker.write_text(json.dumps({"seed_seconds": seconds, "copies": copies}))
    counts = subprocess.run(
        ["psql", backend.env()["DATABASE_URL"], "-Atc",
         "SELECT (SELECT count(*) FROM registry_person), (SELECT count(*) FROM registry_case), "
         "(SELECT count(*) FROM registry_searchkey), (SELECT count(*) FROM registry_involvement),"
         " (SELECT count(*) FROM registry_exploitationrecord), "
         "pg_size_pretty(pg_database_size(current_database()))"],
        capture_output=True, text=True, check=True).stdout.strip().split("|")
    print("persons {}, cases {}, search keys {}, involvements {}, exploitation records {}; "
          "database {}".format(*counts))
    logins = {x["username"]: x["api_token"] for x in json.loads(backend.logins.read_text())}
    tokens = {role: logins[f"al_{role}"] for role in ("investigator", "coordinator", "case_worker")}
    rows = measure(backend, tokens, args.reads, args.workers)
    return 0 if all(not r["errors"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
