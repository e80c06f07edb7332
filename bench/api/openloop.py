"""Open-loop load: requests arrive at a fixed rate whatever the server's pace (as users of a
busy national node do), mixed reads and registrations, against `crossroads serve --workers N`
on PostgreSQL. Latency is counted from each request's scheduled time, so a server that falls
behind is charged for the queue it builds (no coordinated omission).

    .venv/bin/python bench/api/openloop.py --reuse                      # the national node
    .venv/bin/python bench/api/openloop.py --reuse --duration 120       # a shorter run

Targets (issue 23): 50 requests a second, p95 < 100 ms for reads, < 300 ms for writes, no
error, for 10 minutes (`--duration 600`, the default). Needs a database seeded by
`bench/api/national.py` (or `run.py --prepare-only` with the same --workdir/--database).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.api.national import DATABASE  # noqa: E402
from bench.api.run import Backend, Server, build_calls, discover  # noqa: E402

READS = ("case_list", "case_detail", "person_search")
TARGETS = {"read": 100.0, "write": 300.0}


def percentile(data: list[float], q: float) -> float:
    data = sorted(data)
    if not data:
        return float("nan")
    return data[min(len(data) - 1, max(0, round(q / 100 * len(data) + 0.5) - 1))]


def schedule(facts, tokens, rng, total: int, write_share: float):
    """(kind, call) for each arrival: reads spread evenly over the read scenarios."""
    writes = round(total * write_share)
    calls = [("write", c) for c in build_calls("registration", writes, facts, tokens, rng)]
    per_read = (total - writes) // len(READS) + 1
    for scenario in READS:
        calls += [("read", c) for c in build_calls(scenario, per_read, facts, tokens, rng)]
    rng.shuffle(calls)
    return calls[:total]


def run(base: str, plan, rate: float, concurrency: int) -> dict:
    local = threading.local()
    latencies = {"read": [], "write": []}
    errors: dict[str, int] = {}
    lag = []
    lock = threading.Lock()

    def send(kind, call, due):
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=30)
        try:
            response = client.request(call.method, call.path, json=call.body,
                                      headers={"Authorization": f"Bearer {call.token}"})
            ok = response.status_code == call.expect
            label = f"{kind} {response.status_code}"
        except httpx.HTTPError as error:
            ok, label = False, f"{kind} {type(error).__name__}"
        elapsed = (time.perf_counter() - due) * 1000
        with lock:
            if ok:
                latencies[kind].append(elapsed)
            else:
                errors[label] = errors.get(label, 0) + 1

    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for i, (kind, call) in enumerate(plan):
            due = began + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            else:
                lag.append(-pause * 1000)
            pool.submit(send, kind, call, due)
    wall = time.perf_counter() - began
    return {"latencies": latencies, "errors": errors, "wall": wall,
            "dispatch_lag_max_ms": max(lag, default=0.0)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "crossroads-national")  # noqa: S108
    parser.add_argument("--reuse", action="store_true", required=True,
                        help="use the database seeded by national.py (required)")
    parser.add_argument("--rate", type=float, default=50.0, help="requests a second")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds (default 600)")
    parser.add_argument("--write-share", type=float, default=0.1,
                        help="share of registrations among the requests (default 0.1)")
    parser.add_argument("--workers", type=int, default=2, help="`serve --workers`")
    parser.add_argument("--threads", type=int, default=4, help="`serve --threads`")
    parser.add_argument("--concurrency", type=int, default=200,
                        help="client threads (requests in flight at most)")
    args = parser.parse_args(argv)
    backend = Backend("postgres", args.workdir, pg_url=args.pg_url, pg_database=args.database)
    import json

    logins = {x["username"]: x["api_token"] for x in json.loads(backend.logins.read_text())}
    tokens = {role: logins[f"al_{role}"] for role in ("investigator", "coordinator", "case_worker")}
    rng = random.Random(23)
    with Server(backend, args.threads, args.workers) as server:
        facts = discover(server.base, tokens, rng)
        total = int(args.rate * args.duration)
        plan = schedule(facts, tokens, rng, total, args.write_share)
        print(f"open loop: {args.rate:g} req/s for {args.duration:g} s ({total} requests, "
              f"{args.write_share:.0%} registrations), {args.workers} worker process(es) of "
              f"{args.threads} threads, PostgreSQL database {args.database}", flush=True)
        result = run(server.base, plan, args.rate, args.concurrency)
    passed = not result["errors"]
    for kind in ("read", "write"):
        data = result["latencies"][kind]
        p95 = percentile(data, 95)
        verdict = "PASS" if p95 < TARGETS[kind] else "FAIL"
        passed &= verdict == "PASS"
        print(f"  {kind + 's':<6} {len(data):>6} ok  p50 {percentile(data, 50):7.1f} ms  "
              f"p95 {p95:7.1f} ms  p99 {percentile(data, 99):7.1f} ms  "
              f"max {max(data, default=float('nan')):7.1f} ms  target p95 < "
              f"{TARGETS[kind]:g} ms: {verdict}")
    done = sum(map(len, result["latencies"].values())) + sum(result["errors"].values())
    print(f"  errors {sum(result['errors'].values())} {result['errors'] or ''}; "
          f"{done / result['wall']:.1f} req/s achieved; dispatcher lag max "
          f"{result['dispatch_lag_max_ms']:.0f} ms; load average {os.getloadavg()[0]:.1f}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
