"""Flood of the public report routes on loopback, bounded in time, while a staff member reads
the triage queue: prints the staff latency before and during the flood, how the flood was
answered, how many reports it left, and whether the reporter's address is anywhere in the
database.

    .venv/bin/python bench/tips/flood.py [--seconds 20] [--flooders 16] [--staff-reads 200]
                                         [--no-gate]

`--no-gate` serves without the early gate of the public routes (crossroads.tips.gate), the
node as it was before the gate, for the comparison in RESULTS.md.

A small demo node (`crossroads demo --cases 20`, SQLite) is seeded in a temporary directory and
served by `crossroads serve` on 127.0.0.1; the server is stopped at the end. Figures: see
RESULTS.md next to this file.
"""

import argparse
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

CROSSROADS = str(Path(sys.executable).with_name("crossroads"))
SETTINGS = ('from crossroads.settings.base import *  # noqa: F403\n'
            'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n')
REPORT = json.dumps({"text": "Flood: workers are locked in at night near the bus station.",
                     "municipality": "AL:Tiranë", "language": "en"}).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def staff_reads(port: int, token: str, count: int, stop: threading.Event | None = None) -> list:
    """Latencies (ms) of GET /api/v1/reports, one connection, one after the other."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(count):
        if stop is not None and stop.is_set():
            break
        start = time.perf_counter()
        connection.request("GET", "/api/v1/reports?limit=20",
                           headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        times.append((time.perf_counter() - start) * 1000)
    connection.close()
    return times


def flooder(port: int, until: float, answers: Counter, lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        try:
            connection.request("POST", "/api/v1/public/reports", body=REPORT,
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = "error"
        with lock:
            answers[status] += 1
    connection.close()


def summary(times: list) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"n={len(times)} p50={statistics.median(times):.1f} ms p95={p95:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--flooders", type=int, default=16)
    parser.add_argument("--staff-reads", type=int, default=200)
    parser.add_argument("--no-gate", action="store_true")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="crossroads-flood-"))
    (data / "flood_settings.py").write_text(SETTINGS)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CROSSROADS_ENV"}}
    env.update(CROSSROADS_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="flood_settings",
               PYTHONPATH=str(data), CROSSROADS_TIPS_GATE="0" if args.no_gate else "1")
    subprocess.run([CROSSROADS, "demo", "--seed", "3", "--cases", "20", "--logins",
                    str(data / "logins.json")], env=env, cwd=data, check=True,
                   stdout=subprocess.DEVNULL)
    token = next(x["api_token"] for x in json.loads((data / "logins.json").read_text())
                 if x["username"] == "al_investigator")
    port = free_port()
    with (data / "serve.log").open("w") as log:
        server = subprocess.Popen([CROSSROADS, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, cwd=data, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(900):  # migrate and collectstatic first: slow on a busy machine
                if server.poll() is not None:
                    raise SystemExit(f"the server ended; see {data / 'serve.log'}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            staff_reads(port, token, 20)  # warm-up
            before = staff_reads(port, token, args.staff_reads)
            db = sqlite3.connect(data / "crossroads.sqlite3")
            reports_before = db.execute("SELECT count(*) FROM tips_report").fetchone()[0]
            answers, lock = Counter(), threading.Lock()
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=flooder, args=(port, until, answers, lock))
                       for _ in range(args.flooders)]
            for thread in threads:
                thread.start()
            time.sleep(1)
            during = staff_reads(port, token, args.staff_reads)
            for thread in threads:
                thread.join()
            stored = db.execute("SELECT count(*) FROM tips_report").fetchone()[0] - reports_before
            traces = [table for (table,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")
                if any("127.0.0.1" in " ".join(map(str, row))
                       for row in db.execute(f'SELECT * FROM "{table}"'))]  # noqa: S608
            db.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    total = sum(answers.values())
    print(f"early gate: {'off' if args.no_gate else 'on'}")
    print(f"flood: {args.flooders} clients from 127.0.0.1 for {args.seconds:.0f} s: {total} "
          f"requests ({total / args.seconds:.0f}/s), answers {dict(answers)}")
    print(f"reports stored by the flood: {stored}")
    print(f"staff GET /api/v1/reports before the flood: {summary(before)}")
    print(f"staff GET /api/v1/reports during the flood: {summary(during)}")
    print(f"tables holding the flooder's address: {traces or 'none'}")


if __name__ == "__main__":
    main()
