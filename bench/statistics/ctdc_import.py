"""A large CTDC import on a serving SQLite node: peak memory of the import, and the staff's
reads answered while it runs (issue 23, defect 5; before: 200 MB took 8.5 min and 8.4 GB, and
every API call answered 500 after 10 s for 5.5 min).

    .venv/bin/python bench/statistics/ctdc_import.py               # 200 MB
    .venv/bin/python bench/statistics/ctdc_import.py --megabytes 20
    .venv/bin/python bench/statistics/ctdc_import.py --database-url postgres://.../DB  # dropped first

Seeds a small node (`crossroads demo --jurisdictions AL`), generates a CTDC global-layout file
of the given size (the shared sample's rows, with years and genders varied), serves the node
(`serve --workers 2`), and while `crossroads ctdc import` runs, an investigator lists cases
through the API at `--read-rate` requests a second. Then imports the same file again (nothing
may change). Prints the import's wall time and peak RSS (targets: < 1 GB) and p50/p95/max of
the reads during it (target p95 < 300 ms, no error).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.api.openloop import percentile  # noqa: E402
from bench.api.run import free_port  # noqa: E402
from bench.node import fresh_node_env  # noqa: E402

SAMPLE = ROOT / "tests" / "statistics" / "fixtures" / "ctdc_global_kanon_head.csv"
YEARS = range(2002, 2023)


def generate(path: Path, megabytes: int, rng: random.Random) -> int:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line.split(";") for line in lines[1:] if line]
    target, written, count = megabytes * 1_000_000, 0, 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        while written < target:
            row = list(rng.choice(rows))
            row[1] = str(rng.choice(YEARS))
            row[3] = rng.choice(["Female", "Male"])
            line = ";".join(row) + "\n"
            out.write(line)
            written += len(line.encode())
            count += 1
    return count


def high_water_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--read-rate", type=float, default=5.0)
    parser.add_argument("--no-repeat", action="store_true",
                        help="skip the second import of the same file")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL database (dropped and created again) instead of SQLite")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "crossroads-ctdc-bench")  # noqa: S108
    args = parser.parse_args(argv)
    env = fresh_node_env(args.workdir)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        base, name = args.database_url.rsplit("/", 1)
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)
    cli = [sys.executable, "-m", "crossroads.cli"]
    logins = args.workdir / "logins.json"
    subprocess.run([*cli, "demo", "--jurisdictions", "AL", "--cases", "400", "--logins",
                    str(logins)], env=env, check=True, stdout=subprocess.DEVNULL)
    token = {x["username"]: x["api_token"] for x in json.loads(logins.read_text())}["al_investigator"]
    source = args.workdir / "ctdc-global.csv"
    began = time.perf_counter()
    rows = generate(source, args.megabytes, random.Random(5))
    print(f"generated {source.stat().st_size / 1e6:.0f} MB, {rows:,} rows, in "
          f"{time.perf_counter() - began:.0f} s "
          f"({'PostgreSQL' if args.database_url else 'SQLite, WAL'} node)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=(args.workdir / "serve.log").open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    latencies, errors, stop = [], {}, threading.Event()

    def reader():
        with httpx.Client(base_url=base, timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) as http:
            while not stop.is_set():
                due = time.perf_counter()
                try:
                    status = http.get("/api/v1/cases?limit=50").status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                if status == 200:
                    latencies.append((time.perf_counter() - due) * 1000)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                stop.wait(max(0.0, 1 / args.read_rate - (time.perf_counter() - due)))

    try:
        for _ in range(240):
            try:
                if httpx.get(base + "/api/v1/cases", timeout=2).status_code in {200, 401}:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        thread = threading.Thread(target=reader)
        thread.start()
        time.sleep(3)
        before = list(latencies)
        latencies.clear()
        outcomes = []
        attempts = ("first import",) if args.no_repeat else ("first import", "same file again")
        for attempt in attempts:
            began = time.perf_counter()
            said = args.workdir / "import.out"
            proc = subprocess.Popen([*cli, "ctdc", "import", "--user", "al_coordinator",
                                     str(source)], env=env, stdout=said.open("w"),
                                    stderr=subprocess.STDOUT)
            peak = 0.0
            while proc.poll() is None:
                peak = max(peak, high_water_mb(proc.pid))
                time.sleep(0.2)
            outcomes.append((attempt, time.perf_counter() - began, proc.returncode, peak,
                             said.read_text().strip().splitlines()[-4:]))
            if attempt == "first import":
                during = list(latencies)
        stop.set()
        thread.join()
    finally:
        server.terminate()
        server.wait(60)
    for attempt, seconds, code, peak, lines in outcomes:
        print(f"{attempt}: {seconds:.0f} s, exit {code}, peak RSS {peak:.0f} MB "
              "(target < 1024 MB)")
        for line in lines:
            print(f"    {line}")
    print(f"staff reads (GET /api/v1/cases?limit=50) before the import: "
          f"p50 {percentile(before, 50):.0f} ms, p95 {percentile(before, 95):.0f} ms")
    p95 = percentile(during, 95)
    print(f"staff reads during the first import: {len(during)} ok, errors {errors or 0}; "
          f"p50 {percentile(during, 50):.0f} ms, p95 {p95:.0f} ms, max "
          f"{max(during, default=float('nan')):.0f} ms (target p95 < 300 ms): "
          f"{'PASS' if p95 < 300 and not errors else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
