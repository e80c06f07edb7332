"""Load benchmark of the node's JSON API on SQLite and on PostgreSQL.

For each backend: a fresh database seeded by `crossroads demo` (40,000 cases, ~100,000
persons), `crossroads serve` started as a subprocess, then 20 concurrent clients drive four
scenarios over loopback: case list, case detail, person search by name, victim registration.
Prints requests, errors, throughput and latency percentiles per scenario, with PASS/FAIL
against the targets (p95 < 100 ms for reads, < 300 ms for a registration).

    .venv/bin/python bench/api/run.py --backends sqlite,postgres [--reuse]

Only the Python standard library and httpx are used here; the PostgreSQL database is
dropped and created through `psql`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import queue
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CROSSROADS = str(VENV_BIN / "crossroads")
PG_DATABASE = "crossroads_bench"
TARGET_MS = {"case_list": 100.0, "case_detail": 100.0, "person_search": 100.0,
             "registration": 300.0}
STATUSES = ["open", "investigation", "prosecution", "trial", "closed"]
GIVEN = {"F": ["Elira", "Arta", "Blerta", "Dorina", "Fjolla", "Jonida", "Klea", "Megi", "Sara"],
         "M": ["Arben", "Besnik", "Dritan", "Erion", "Gent", "Ilir", "Klodian", "Luan"]}
FAMILY = ["Dervishi", "Hoxha", "Krasniqi", "Shehu", "Gashi", "Berisha", "Leka", "Kola", "Marku"]
FORMS = [(["sexual"], {"sexual_types": ["prostitution"]}),
         (["forced_begging"], {"labour_sectors": ["begging"]}),
         (["forced_labour"], {"labour_sectors": ["agriculture"]})]


# --------------------------------------------------------------------------- backends


@dataclass
class Backend:
    name: str
    workdir: Path
    pg_url: str = ""
    source: Path | None = None  # a `src` directory exported by --rev, else the installed tree
    pg_database: str = PG_DATABASE

    @property
    def data_dir(self) -> Path:
        return self.workdir / self.name

    @property
    def logins(self) -> Path:
        return self.data_dir / "logins.json"

    @property
    def marker(self) -> Path:
        return self.data_dir / "seeded.json"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CROSSROADS_ENV"}}
        env["CROSSROADS_DATA_DIR"] = str(self.data_dir)
        env.setdefault("CROSSROADS_LOG_LEVEL", "WARNING")
        if self.source:
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(self.source), env.get("PYTHONPATH", "")) if p)
        if self.name == "postgres":
            env["DATABASE_URL"] = self.pg_url.rstrip("/") + "/" + self.pg_database
        return env

    def recreate(self) -> None:
        """An empty data directory and, for PostgreSQL, an empty database."""
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        if self.name == "postgres":
            admin = self.pg_url.rstrip("/") + "/postgres"
            for sql in (f"DROP DATABASE IF EXISTS {self.pg_database} WITH (FORCE)",
                        f"CREATE DATABASE {self.pg_database}"):
                subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, text=True,
                          capture_output=True).stdout.strip()


def code_version(rev: str | None, workdir: Path, snapshot: bool = False
                 ) -> tuple[str, Path | None]:
    """The code under test: a clean export of `rev`, a copy of the work tree, or the tree."""
    if snapshot:
        sha = git("rev-parse", "--short", "HEAD")
        stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
        dest = workdir / f"src-{sha}-snapshot-{stamp}"
        shutil.copytree(ROOT / "src", dest / "src",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        diff = subprocess.run(["git", "-C", str(ROOT), "diff", "HEAD", "--", "src"],
                              check=True, capture_output=True).stdout
        (dest / "uncommitted.diff").write_bytes(diff)
        label = f"{sha}+uncommitted changes" if diff else sha
        return f"{label} (snapshot {stamp})", dest / "src"
    if rev:
        sha = git("rev-parse", "--short", rev)
        dest = workdir / f"src-{sha}"
        if not (dest / "src").exists():
            dest.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha],
                                     check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return sha, dest / "src"
    sha = git("rev-parse", "--short", "HEAD")
    dirty = git("status", "--porcelain", "--", "src", "pyproject.toml")
    return (f"{sha}+uncommitted changes" if dirty else sha), None


def crossroads(backend: Backend, *args: str, capture: bool = True) -> str:
    result = subprocess.run([CROSSROADS, *args], env=backend.env(), cwd=ROOT, text=True,
                            capture_output=capture)
    if result.returncode:
        sys.stderr.write((result.stderr or "")[-4000:])
        raise RuntimeError(f"crossroads {args[0]} failed ({result.returncode})")
    return result.stdout if capture else ""


COUNTS_SNIPPET = """
import json
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import Case, Involvement, Person, SearchKey
print(json.dumps({"persons": Person.objects.count(), "cases": Case.objects.count(),
                  "involvements": Involvement.objects.count(),
                  "search_keys": SearchKey.objects.count(),
                  "audit_entries": AuditEntry.objects.count()}))
"""


def counts(backend: Backend) -> dict:
    out = crossroads(backend, "shell", "-c", COUNTS_SNIPPET)
    return json.loads(out.strip().splitlines()[-1])


def prepare(backend: Backend, args) -> dict:
    if args.reuse and backend.marker.exists() and backend.logins.exists():
        info = json.loads(backend.marker.read_text())
        print(f"[{backend.name}] reusing the database seeded on {info['seeded_at']} with "
              f"{info.get('code', '?')} (seeding took {info['seed_seconds']:.0f} s)")
        if info.get("code") != args.code:
            print(f"[{backend.name}] warning: seeded with other code than {args.code}")
    else:
        print(f"[{backend.name}] creating an empty database in {backend.data_dir}")
        backend.recreate()
        print(f"[{backend.name}] seeding: crossroads demo --cases {args.cases} --seed {args.seed}"
              " (this takes minutes)", flush=True)
        started = time.perf_counter()
        out = crossroads(backend, "demo", "--cases", str(args.cases), "--seed", str(args.seed),
                         "--logins", str(backend.logins))
        seconds = time.perf_counter() - started
        print("\n".join(f"    {line}" for line in out.splitlines()
                        if "persons" in line and "cases" in line))
        info = {"seeded_at": datetime.datetime.now().isoformat(timespec="seconds"),
                "seed_seconds": seconds, "cases": args.cases, "seed": args.seed,
                "code": args.code}
        backend.marker.write_text(json.dumps(info, indent=2))
        print(f"[{backend.name}] seeded in {seconds:.0f} s")
    if backend.name == "postgres":
        # Autovacuum would analyse the freshly loaded tables in time, but it may be off, as on
        # the benchmark machine, and until it runs the plans are unrepresentative.
        subprocess.run(["psql", backend.env()["DATABASE_URL"], "-qc", "ANALYZE"], check=True)
    info["counts"] = counts(backend)
    print(f"[{backend.name}] rows: " + ", ".join(f"{k} {v:,}" for k, v in info["counts"].items()))
    return info


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`crossroads serve` as a child process; always stopped on exit."""

    def __init__(self, backend: Backend, threads: int, workers: int = 1):
        self.backend, self.threads, self.workers = backend, threads, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = backend.data_dir / "serve.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        log = self.log.open("w")
        self.proc = subprocess.Popen(
            [CROSSROADS, "serve", "--port", str(self.port), "--threads", str(self.threads),
             "--workers", str(self.workers)],
            env=self.backend.env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}); see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + "/api/v1/cases", timeout=2).status_code in {200, 401}:
                    print(f"[{self.backend.name}] serving on {self.base} "
                          f"({self.workers} process(es) of {self.threads} threads), "
                          f"log {self.log}")
                    return self
            time.sleep(0.5)
        raise RuntimeError(f"the server did not answer within 180 s; see {self.log}")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __exit__(self, *exc):
        self.stop()

    def rss_mb(self) -> float | None:
        """Resident memory of the server (Linux /proc), for the report."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None


# --------------------------------------------------------------------------- load


@dataclass
class Call:
    method: str
    path: str
    token: str
    body: dict | None = None
    expect: int = 200


@dataclass
class Result:
    scenario: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        if not data:
            return float("nan")
        index = min(len(data) - 1, max(0, round(q / 100 * len(data) + 0.5) - 1))
        return data[index]

    def row(self) -> dict:
        target = TARGET_MS[self.scenario]
        p95 = self.pct(95)
        return {"scenario": self.scenario, "requests": self.requests,
                "errors": sum(self.errors.values()), "error_kinds": self.errors,
                "throughput": self.requests / self.wall if self.wall else 0.0,
                "p50": self.pct(50), "p95": p95, "p99": self.pct(99),
                "max": max(self.latencies, default=float("nan")),
                "mean": statistics.fmean(self.latencies) if self.latencies else float("nan"),
                "target": target,
                "verdict": "PASS" if p95 < target and not self.errors else "FAIL"}


def drive(bases: list[str], scenario: str, calls: list[Call], clients: int,
          think_ms: float = 0.0) -> Result:
    """Send `calls` from `clients` threads, each with its own connection (keep-alive); with
    several server processes the clients are spread over them evenly."""
    work: queue.SimpleQueue[Call | None] = queue.SimpleQueue()
    for call in calls:
        work.put(call)
    for _ in range(clients):
        work.put(None)
    result = Result(scenario)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(base):
        latencies, errors = [], {}
        pause = random.Random(base + threading.current_thread().name)
        with httpx.Client(base_url=base, timeout=60) as http:
            start.wait()
            while (call := work.get()) is not None:
                if think_ms:  # a user reading the last answer (exponential, mean think_ms)
                    time.sleep(pause.expovariate(1000.0 / think_ms))
                headers = {"Authorization": f"Bearer {call.token}", "X-Purpose": "benchmark"}
                began = time.perf_counter()
                try:
                    response = http.request(call.method, call.path, json=call.body,
                                            headers=headers)
                    response.read()
                    elapsed = (time.perf_counter() - began) * 1000
                    if response.status_code == call.expect:
                        latencies.append(elapsed)
                    else:
                        key = f"HTTP {response.status_code}"
                        errors[key] = errors.get(key, 0) + 1
                except httpx.HTTPError as error:
                    key = type(error).__name__
                    errors[key] = errors.get(key, 0) + 1
        with lock:
            result.latencies += latencies
            for key, n in errors.items():
                result.errors[key] = result.errors.get(key, 0) + n

    threads = [threading.Thread(target=client, args=(bases[i % len(bases)],), daemon=True)
               for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.wall = time.perf_counter() - began
    return result


def registration_body(rng: random.Random, n: int) -> dict:
    sex = rng.choice("FFFM")
    born = datetime.date(1985, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 22))
    forms, extra = rng.choice(FORMS)
    return {
        "person": {"given_names": rng.choice(GIVEN[sex]), "family_name": rng.choice(FAMILY),
                   "father_name": rng.choice(GIVEN["M"]), "sex": sex,
                   "birth_date": born.isoformat(), "birth_precision": "exact",
                   "place_of_birth": rng.choice(["Durrës", "Tiranë", "Shkodër", "Elbasan"]),
                   "citizenships": ["AL"],
                   "documents": [{"doc_type": "passport", "number": f"BM{1000000 + n:07d}",
                                  "issuing_country": "AL"}]},
        "case": {"handling_code": rng.choice(["H0", "H0", "H1", "H2"]),
                 "summary": "Benchmark registration: recruited through a false job offer."},
        "exploitation": {"forms": forms, **extra,
                         "means_of_control": ["false_promises", "threats"],
                         "country_of_exploitation": rng.choice(["XK", "IT", "DE"]),
                         "period_start": "2023-01-10"},
    }


def discover(base: str, tokens: dict, rng: random.Random) -> dict:
    """What the benchmark users can see: case ids, list sizes and surnames."""
    facts = {}
    with httpx.Client(base_url=base, timeout=120) as http:
        def get(token, path):
            response = http.get(path, headers={"Authorization": f"Bearer {token}"})
            response.raise_for_status()
            return response.json()

        for user in ("investigator", "coordinator"):
            facts[f"{user}_cases"] = get(tokens[user], "/api/v1/cases?limit=1")["count"]
            for status in STATUSES:
                facts[f"{user}_cases_{status}"] = get(
                    tokens[user], f"/api/v1/cases?limit=1&status={status}")["count"]
        total = facts["investigator_cases"]
        case_ids, surnames = set(), set()
        for offset in sorted({rng.randint(0, max(0, total - 200)) for _ in range(10)}):
            page = get(tokens["investigator"], f"/api/v1/cases?limit=200&offset={offset}")
            case_ids.update(item["id"] for item in page["items"])
        persons = get(tokens["investigator"], "/api/v1/persons?limit=1")["count"]
        facts["investigator_persons"] = persons
        for offset in sorted({rng.randint(0, max(0, persons - 200)) for _ in range(5)}):
            page = get(tokens["investigator"], f"/api/v1/persons?limit=200&offset={offset}")
            surnames.update(item["family_name"] for item in page["items"])
    facts["case_ids"] = sorted(case_ids)
    facts["surnames"] = sorted(surnames)
    return facts


def build_calls(scenario: str, n: int, facts: dict, tokens: dict, rng: random.Random):
    calls = []
    for i in range(n):
        if scenario == "case_list":
            user = "investigator" if i % 2 == 0 else "coordinator"
            path = "/api/v1/cases?limit=50"
            if i % 4 >= 2:
                status = rng.choice(STATUSES)
                count = facts[f"{user}_cases_{status}"]
                path += f"&status={status}"
            else:
                count = facts[f"{user}_cases"]
            calls.append(Call("GET", f"{path}&offset={rng.randint(0, max(0, count - 50))}",
                              tokens[user]))
        elif scenario == "case_detail":
            case_id = rng.choice(facts["case_ids"])
            calls.append(Call("GET", f"/api/v1/cases/{case_id}", tokens["investigator"]))
        elif scenario == "person_search":
            name = rng.choice(facts["surnames"])
            query = httpx.QueryParams({"name": name})
            calls.append(Call("GET", f"/api/v1/persons?{query}", tokens["investigator"]))
        elif scenario == "registration":
            calls.append(Call("POST", "/api/v1/registrations", tokens["case_worker"],
                              registration_body(rng, rng.randint(0, 8_999_999)), expect=201))
    return calls


def run_backend(backend: Backend, args) -> dict:
    info = prepare(backend, args)
    logins = {login["username"]: login["api_token"]
              for login in json.loads(backend.logins.read_text())}
    tokens = {role: logins[f"al_{role}"] for role in ("investigator", "coordinator", "case_worker")}
    rng = random.Random(args.seed)
    rows = []
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server(backend, args.threads, args.workers))
                   for _ in range(args.servers)]
        bases = [server.base for server in servers]
        facts = discover(bases[0], tokens, rng)
        print(f"[{backend.name}] visible: investigator {facts['investigator_cases']:,} cases, "
              f"{facts['investigator_persons']:,} persons; coordinator "
              f"{facts['coordinator_cases']:,} cases; {len(facts['case_ids']):,} case ids and "
              f"{len(facts['surnames']):,} surnames drawn")
        plan = [("case_list", args.reads), ("case_detail", args.reads),
                ("person_search", args.reads), ("registration", args.registrations)]
        for scenario, n in plan:
            if args.only and scenario not in args.only:
                continue
            if args.warmup:
                drive(bases, scenario, build_calls(scenario, args.warmup, facts, tokens,
                                                         rng), args.clients)
            result = drive(bases, scenario, build_calls(scenario, n, facts, tokens, rng),
                           args.clients, args.think)
            row = result.row()
            row["loadavg_1min_after"] = os.getloadavg()[0]
            rows.append(row)
            print_row(backend.name, row)
        info["server_rss_mb"] = [server.rss_mb() for server in servers]
    info["counts_after"] = counts(backend)
    return {"backend": backend.name, "info": info, "rows": rows,
            "visible": {k: v for k, v in facts.items() if k not in {"case_ids", "surnames"}}}


# --------------------------------------------------------------------------- report

HEADER = ("| backend | scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms "
          "| target p95 | result |")


def print_row(backend: str, row: dict) -> None:
    errors = f"{row['errors']}" + (f" {row['error_kinds']}" if row["errors"] else "")
    print(f"[{backend}] {row['scenario']:<14} n={row['requests']:<5} errors={errors:<4} "
          f"{row['throughput']:7.1f} req/s  p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
          f"p99 {row['p99']:7.1f}  max {row['max']:7.1f} ms  "
          f"(< {row['target']:.0f} ms) {row['verdict']}", flush=True)


def markdown(results: list[dict]) -> str:
    lines = [HEADER, "|" + "---|" * 11]
    for result in results:
        for row in result["rows"]:
            lines.append(
                f"| {result['backend']} | {row['scenario']} | {row['requests']} | {row['errors']} "
                f"| {row['throughput']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} "
                f"| {row['p99']:.1f} | {row['max']:.1f} | < {row['target']:.0f} ms "
                f"| {row['verdict']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "crossroads-bench-api",
                        help="where the SQLite databases, logins and server logs live")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/",
                        help=f"PostgreSQL server; the database {PG_DATABASE} is recreated")
    parser.add_argument("--database", default=PG_DATABASE, help="the PostgreSQL database")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a database seeded by an earlier run (seeding takes minutes)")
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--threads", type=int, default=20, help="server threads")
    parser.add_argument("--servers", type=int, default=1,
                        help="`crossroads serve` instances, the clients spread over them")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes of each server (`serve --workers`)")
    parser.add_argument("--reads", type=int, default=2000, help="requests per read scenario")
    parser.add_argument("--registrations", type=int, default=400)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause in ms before each request of a client (default 0: "
                             "closed loop, every client always has a request in flight)")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured requests first")
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=None,
                        help="comma-separated subset of case_list,case_detail,person_search,"
                             "registration")
    parser.add_argument("--rev", help="benchmark this git revision (exported with git "
                        "archive) instead of the work tree as it is, e.g. --rev HEAD")
    parser.add_argument("--snapshot", action="store_true",
                        help="benchmark a copy of the work tree's src/ taken at the start, so "
                             "that edits made meanwhile do not change the code under test")
    parser.add_argument("--source", type=Path,
                        help="benchmark the src/ directory of an earlier --snapshot or --rev")
    parser.add_argument("--prepare-only", action="store_true",
                        help="seed (or reuse) the databases and stop")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so that the servers are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if args.source:
        source = args.source.resolve()
        label = (source.parent / "code.txt")
        args.code = label.read_text().strip() if label.exists() else str(source)
    else:
        args.code, source = code_version(args.rev, args.workdir, args.snapshot)
        if source:
            (source.parent / "code.txt").write_text(args.code + "\n")
    print(f"code under test: {args.code}" + (f" (from {source})" if source else ""))
    results = []
    for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if name not in {"sqlite", "postgres"}:
            parser.error(f"unknown backend {name}")
        backend = Backend(name, args.workdir, args.pg_url, source, args.database)
        if args.prepare_only:
            prepare(backend, args)
            continue
        results.append(run_backend(backend, args))
    if args.prepare_only:
        return 0
    print()
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps({"code": args.code, "args": vars(args),
                                         "results": results}, indent=2, default=str))
    return 0 if all(r["verdict"] == "PASS" for res in results for r in res["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
