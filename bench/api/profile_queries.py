"""Which SQL each benchmarked endpoint runs, and how long each statement takes.

Runs one request per scenario in-process (Django test client, no server) against a database
seeded by run.py and prints, per request: the wall time, the number of statements, their
summed time, and the slowest statements (optionally with the planner's EXPLAIN).

    .venv/bin/python bench/api/profile_queries.py --backend sqlite [--explain] [--repeat 5]

It writes what the endpoints write (audit entries, one registration per `--repeat`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PG_DATABASE, Backend, code_version, registration_body  # noqa: E402


def configure(backend: Backend) -> None:
    if backend.source:
        sys.path.insert(0, str(backend.source))
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CROSSROADS_ENV"):
        os.environ.pop(key, None)
    os.environ.update(backend.env())
    os.environ["DJANGO_SETTINGS_MODULE"] = "crossroads.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # as `crossroads serve` does


def explain(connection, sql: str, params) -> str:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"      {row[-1]}" for row in rows)
    return "\n".join(f"      {row[0]}" for row in rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "crossroads-bench-api")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--repeat", type=int, default=3, help="requests per scenario")
    parser.add_argument("--top", type=int, default=4, help="slowest statements shown")
    parser.add_argument("--rev", help="profile this git revision (as run.py --rev does)")
    parser.add_argument("--source", type=Path, help="profile this src/ directory (run.py --source)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--width", type=int, default=300, help="characters of SQL shown")
    parser.add_argument("--only", default="case_list,case_detail,person_search,registration")
    args = parser.parse_args(argv)
    _code, source = (None, args.source) if args.source else code_version(args.rev, args.workdir)
    backend = Backend(args.backend, args.workdir, args.pg_url, source)
    configure(backend)

    from django.db import connection
    from django.test import Client

    logins = {x["username"]: x["api_token"] for x in json.loads(backend.logins.read_text())}
    client = Client()
    rng = random.Random(7)
    investigator = {"HTTP_AUTHORIZATION": f"Bearer {logins['al_investigator']}"}
    coordinator = {"HTTP_AUTHORIZATION": f"Bearer {logins['al_coordinator']}"}
    worker = {"HTTP_AUTHORIZATION": f"Bearer {logins['al_case_worker']}"}
    first = client.get("/api/v1/cases?limit=200", **investigator).json()
    case_ids = [item["id"] for item in first["items"]]
    people = client.get("/api/v1/persons?limit=200", **investigator).json()
    surnames = sorted({item["family_name"] for item in people["items"]})
    print(f"{args.backend} ({PG_DATABASE if args.backend == 'postgres' else backend.data_dir}): "
          f"{first['count']} cases and {people['count']} persons visible to al_investigator")

    def request(scenario: str):
        if scenario == "case_list":
            who = rng.choice([investigator, coordinator])
            status = rng.choice(["", "&status=investigation"])
            return client.get(f"/api/v1/cases?limit=50&offset={rng.randint(0, 4000)}{status}",
                              **who)
        if scenario == "case_detail":
            return client.get(f"/api/v1/cases/{rng.choice(case_ids)}", **investigator)
        if scenario == "person_search":
            return client.get("/api/v1/persons", {"name": rng.choice(surnames)}, **investigator)
        return client.post("/api/v1/registrations", registration_body(rng, rng.randint(0, 10**6)),
                           content_type="application/json", **worker)

    queries: list[dict] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append({"sql": sql, "params": params,
                            "ms": (time.perf_counter() - began) * 1000})

    for scenario in args.only.split(","):
        for _ in range(args.repeat):
            queries.clear()
            with connection.execute_wrapper(timed):
                began = time.perf_counter()
                response = request(scenario)
                wall = (time.perf_counter() - began) * 1000
            sql_ms = sum(q["ms"] for q in queries)
            print(f"\n== {scenario}: HTTP {response.status_code}, {wall:.1f} ms wall, "
                  f"{len(queries)} statements, {sql_ms:.1f} ms in SQL")
        for query in sorted(queries, key=lambda q: -q["ms"])[:args.top]:
            print(f"   {query['ms']:8.1f} ms  {' '.join(query['sql'].split())[:args.width]}")
            print(f"               params {str(query['params'])[:200]}")
        if args.explain:
            slowest = max(queries, key=lambda q: q["ms"])
            if slowest["sql"].lstrip().upper().startswith("SELECT"):
                print("   plan of the slowest:")
                print(explain(connection, slowest["sql"], slowest["params"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
