"""Dashboard queries over a million synthetic exploitation records, on SQLite and PostgreSQL.

For each backend: a fresh database (SQLite: a file in a temporary folder; PostgreSQL: the
database named by --pg-url, whose public schema is dropped and re-created), migrated, then
seeded in bulk with raw INSERTs: 1,000,000 exploitation records of AL (one victim each, 2 %
of them merged into another person) in 100,000 cases with their status history, plus 100,000
records of RS for the regional reference of the indicators. Identity fields hold one
encrypted placeholder (the dashboards never read them). Then every dashboard table and every
dashboard page (tables, suppression, alerts, indicators, map, audit entry) is timed as the AL
coordinator sees it, best of --runs (3), over the default years (all seven), and printed with
PASS/FAIL against the 1 s target, after the machine's load average (the figures are
wall-clock times on a shared machine).

    python bench/statistics/dashboards.py --backends sqlite,postgres \\
        --pg-url postgres://postgres@127.0.0.1:5432/wt_stats_dash
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
YEARS = list(range(2018, 2025))
TARGET_S = 1.0
FORMS = ["form_sexual", "form_forced_begging", "form_forced_labour", "form_forced_criminality",
         "form_forced_marriage", "form_other"]
FORM_WEIGHTS = [49, 27, 16.5, 3, 2.5, 2]
MEANS = ["debt_bondage", "threats", "physical_abuse", "false_promises", "withholds_documents",
         "restricts_movement", "psychological_abuse"]
RELATIONS = ["intimate_partner", "friend", "family", "other", "unknown"]
BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", ""]
CITIZENSHIPS = ["AL"] * 8 + ["XK", "MK", "RS", "ME", "GR", "IT"]
COUNTRIES = ["AL"] * 6 + ["XK", "MK", "GR", "IT", "DE", "ME", "RS", "BA"]
MUNICIPALITIES = ["Tiranë", "Durrës", "Vlorë", "Elbasan", "Shkodër", "Fier", "Korçë", "Berat",
                  "Lushnjë", "Kavajë", "Pogradec", "Kukës", "Lezhë", "Sarandë", "Gjirokastër",
                  "Krujë", "Kamëz", "Vorë", "Peqin", "Librazhd"]
PATHS = [["open"], ["open", "investigation"], ["open", "investigation", "prosecution"],
         ["open", "investigation", "prosecution", "trial"],
         ["open", "investigation", "prosecution", "trial", "closed"], ["open", "closed"]]


def insert(cursor, table: str, columns: list[str], rows: list[tuple], vendor: str) -> None:
    """Batches of executemany on SQLite; COPY on PostgreSQL (executemany there is a round
    trip per row)."""
    if vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({marks})'  # noqa: S608
    for start in range(0, len(rows), 20_000):
        cursor.executemany(sql, rows[start:start + 20_000])


def seed(records: int, rng: random.Random) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from crossroads.access.choices import AgencyKind, Role
    from crossroads.access.models import Agency, User
    from crossroads.keys import cipher

    started = time.perf_counter()
    vendor = connection.vendor
    now = timezone.now()
    coordinator = None
    with transaction.atomic(), connection.cursor() as cursor:
        for code, n in (("AL", records), ("RS", records // 10)):
            police = Agency.objects.create(name=f"police {code}", kind=AgencyKind.POLICE,
                                           jurisdiction_id=code)
            office = Agency.objects.create(name=f"coordinator {code}",
                                           kind=AgencyKind.COORDINATOR, jurisdiction_id=code)
            user = User.objects.create_user(f"{code.lower()}_coordinator", password="x" * 16,
                                            role=Role.COORDINATOR, agency=office)
            coordinator = coordinator or user
            placeholder = cipher.encrypt("Synthetic", "given name(s)")
            n_cases = max(1, n // 10)
            case_base = _next_id(cursor, "registry_case")
            person_base = _next_id(cursor, "registry_person")
            cases, changes = [], []
            for c in range(n_cases):
                year = rng.choice(YEARS)
                path = rng.choice(PATHS)
                handling = "H3" if rng.random() < 0.01 else "H0"
                cases.append((case_base + c, f"{code}-{year}-B{c:07d}", code, police.pk,
                              path[-1], handling, f"{year}-06-01", "", now, now))
                for i, status in enumerate(path):
                    previous = path[i - 1] if i else ""
                    outcome = "" if previous != "trial" else (
                        "conviction" if rng.random() < 0.6 else "acquittal")
                    changes.append((case_base + c, previous, status, user.pk, now, "", outcome))
            insert(cursor, "registry_case", ["id", "reference", "jurisdiction_id",
                                             "owner_agency_id", "status", "handling_code",
                                             "opened_on", "summary", "created_at", "updated_at"],
                   cases, vendor)
            insert(cursor, "registry_casestatuschange", ["case_id", "from_status", "to_status",
                                                         "changed_by_id", "changed_at", "reason",
                                                         "outcome"],
                   changes, vendor)
            persons, exploitation = [], []
            for p in range(n):
                pid = person_base + p
                merged = pid - 1 if p and rng.random() < 0.02 else None
                persons.append((pid, code, placeholder, placeholder, "", rng.choice("FFFMMU"),
                                None, "exact", "", "[]", police.pk, now, now, merged))
                case_id = case_base + p % n_cases
                forms = set(rng.choices(FORMS, FORM_WEIGHTS, k=rng.choice((1, 1, 1, 2))))
                band = rng.choice(BANDS)
                exploitation.append((
                    case_id, pid, cases[p % n_cases][6][:4] and int(cases[p % n_cases][6][:4]),
                    *(f in forms for f in FORMS),
                    json.dumps(rng.sample(MEANS, rng.randint(0, 3))),
                    rng.choice(RELATIONS), rng.choice(CITIZENSHIPS), rng.choice(COUNTRIES),
                    rng.choice(MUNICIPALITIES), band, band in ("0--8", "9--17"), now))
            insert(cursor, "registry_person", [
                "id", "jurisdiction_id", "given_names", "family_name", "father_name", "sex",
                "birth_date", "birth_precision", "place_of_birth", "citizenships",
                "created_by_agency_id", "created_at", "updated_at", "merged_into_id"],
                persons, vendor)
            defaults = ["form_illegal_adoption", "form_organ_removal", "form_surrogacy",
                        "form_forced_military", "form_slavery", "is_abduction"]
            insert(cursor, "registry_exploitationrecord", [
                "case_id", "person_id", "year_of_registration", *FORMS, "means_of_control",
                "recruiter_relation", "citizenship", "country_of_exploitation",
                "municipality_of_exploitation", "age_band", "is_minor", "created_at",
                *defaults, "labour_sectors", "sexual_types", "countries_of_transit",
                "country_of_recruitment"],
                [(*row, *([False] * len(defaults)), "[]", "[]", "[]", "") for row in exploitation],
                vendor)
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"seconds": time.perf_counter() - started, "coordinator": coordinator.pk}


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
    return cursor.fetchone()[0]


def timed(call, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def recount() -> list[tuple[str, float]]:
    """Recount the summary until no year is changed: (jurisdiction, seconds) per recount."""
    from crossroads.statistics import summary

    done = []
    while (code := summary.next_changed()) is not None:
        started = time.perf_counter()
        years = summary.recount(code)
        done.append((f"{code} ({len(years)} years)", time.perf_counter() - started))
    return done


def measure(coordinator_id: int, runs: int, pages: bool = True, live: bool = False):
    """(name, best seconds of `runs`) for every table and every page, as each is measured.
    A fresh `Counter` per call: nothing is cached between runs."""
    from crossroads.access.models import User
    from crossroads.statistics import dashboards
    from crossroads.statistics.aggregates import default_years
    from crossroads.statistics.summary import Counter

    user = User.objects.select_related("agency").get(pk=coordinator_id)
    years = default_years(user)
    for name in dashboards.TABLE_NAMES if not live else ("sex",):
        yield f"table {name}", timed(
            lambda n=name: dashboards._build(n, Counter(user), years), runs)
    for page in dashboards.PAGES if pages and not live else ():
        yield f"page {page}", timed(lambda p=page: dashboards.dashboard(user, p, {}), runs)


def change_one_year() -> int:
    """One new record in the last year, as a case worker would add it: that year is counted
    live until the next recount."""
    from crossroads.registry.models import ExploitationRecord

    record = ExploitationRecord.objects.filter(year_of_registration=YEARS[-1]).first()
    record.pk = None
    record.save()
    return YEARS[-1]


def report(backend: str, rows) -> None:
    for name, seconds in rows:
        verdict = "PASS" if seconds < TARGET_S else "FAIL"
        print(f"[{backend}] {name:<40} {seconds * 1000:8.0f} ms  {verdict}", flush=True)


def run_one(backend: str, records: int, pg_url: str, data_dir: str | None, runs: int,
            pages: bool = True) -> None:
    """In a process of its own: configure Django for the backend, seed (unless --data-dir
    already holds a seeded node), measure, print."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(data_dir or tmp) / backend
        reuse = (folder / "seeded.json").exists()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["CROSSROADS_DATA_DIR"] = str(folder)
        os.environ["DJANGO_SETTINGS_MODULE"] = "crossroads.settings.base"
        if backend == "postgres":
            os.environ["DATABASE_URL"] = pg_url
            if not reuse:
                subprocess.run(["psql", pg_url, "-qc",  # noqa: S603, S607 (fixed arguments)
                                "DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True)
        else:
            os.environ.pop("DATABASE_URL", None)
        import django
        from django.core.management import call_command
        from django.test import override_settings

        django.setup()
        call_command("migrate", verbosity=0)
        if reuse:
            info = json.loads((folder / "seeded.json").read_text())
        else:
            info = seed(records, random.Random(7))
            (folder / "seeded.json").write_text(json.dumps(info))
        from django.db import connection

        from crossroads.registry.models import ExploitationRecord

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        total = ExploitationRecord.objects.count()
        print(f"[{backend}] {total:,} exploitation records"
              + (" (reused)" if reuse else f", seeded in {info['seconds']:.0f} s"), flush=True)
        print(f"[{backend}] load average before measuring: {os.getloadavg()[0]:.1f} "
              f"({os.cpu_count()} cores)", flush=True)
        print(f"[{backend}] the summary's recount (the background task; no target):", flush=True)
        for name, seconds in recount():
            print(f"[{backend}]   recount {name:<30} {seconds:8.1f} s", flush=True)
        print(f"[{backend}] the summary current:", flush=True)
        report(backend, measure(info["coordinator"], runs, pages))
        year = change_one_year()
        print(f"[{backend}] one record added in {year}, shown as of the last recount "
              f"(CROSSROADS_SUMMARY_MAX_AGE, default 300 s):", flush=True)
        report(backend, measure(info["coordinator"], runs, pages))
        print(f"[{backend}] the same with CROSSROADS_SUMMARY_MAX_AGE=0: {year} counted live "
              f"until the next recount:", flush=True)
        with override_settings(CROSSROADS_SUMMARY_MAX_AGE=0):
            report(backend, measure(info["coordinator"], runs, pages))
        print(f"[{backend}] every year counted live (a coordinator on a restricted team, "
              f"or no summary yet):", flush=True)
        with mock.patch("crossroads.statistics.summary.unrestricted_cases_jurisdiction",
                        return_value=None):
            report(backend, measure(info["coordinator"], 1, live=True))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--pg-url", default=os.environ.get(
        "BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/wt_stats_dash"))
    parser.add_argument("--data-dir", help="keep the seeded databases here and reuse them")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    parser.add_argument("--tables-only", action="store_true", help="skip the whole pages")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one, args.records, args.pg_url, args.data_dir, args.runs, not args.tables_only)
        return 0
    for backend in args.backends.split(","):
        extra = ["--data-dir", args.data_dir] if args.data_dir else []
        subprocess.run([sys.executable, __file__, "--one", backend, "--records",  # noqa: S603
                        str(args.records), "--pg-url", args.pg_url, "--runs", str(args.runs),
                        *(["--tables-only"] if args.tables_only else []), *extra], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
