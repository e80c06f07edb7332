"""Single-client service time of the API, against a bare django-ninja route in the same run.

One process, one client, no network: each request goes through Django's whole stack (the
middleware, the URL resolver, ninja) by `django.test.Client`. The peer is a bare django-ninja
route mounted in the same process (`bench/api/bare.py`) that runs the same query and returns
the same 50 rows with the same fields (node and peer requests taken in turn), without the
node's policy, audit, count or encryption checks — what the node's own work adds is the
ratio. Targets (issue 23): each read at most 2x its bare route; a registration at most
60 ms (duplicate detection runs after the commit, in the background worker, and is not part
of it).

    .venv/bin/python -m bench.api.service_time [--database-url postgres://...] [--cases 800]
        [--repeat 300] [--registrations 60] [--workdir DIR] [--reuse]

Seeds a demo node (`crossroads demo`, 800 cases, 2 jurisdictions) in WORKDIR (a fresh SQLite
file, or the PostgreSQL database of --database-url, which is dropped and created again unless
--reuse), then prints per scenario: median and p95 service time in ms, the bare route's, and
the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 2.0
TARGET_REGISTRATION_MS = 60.0


def _setup(args) -> None:
    os.environ["CROSSROADS_DATA_DIR"] = str(args.workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "crossroads.settings.base"
    os.environ["CROSSROADS_LOG_LEVEL"] = "ERROR"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    seeded = args.workdir / "seeded"
    if not (args.reuse and seeded.exists()):
        if args.database_url:
            base, name = args.database_url.rsplit("/", 1)
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)
        else:
            (args.workdir / "crossroads.sqlite3").unlink(missing_ok=True)
        crossroads = str(Path(sys.executable).parent / "crossroads")
        subprocess.run([crossroads, "demo", "--cases", str(args.cases), "--logins",
                        str(args.workdir / "logins.json")], check=True, env=os.environ,
                       stdout=subprocess.DEVNULL)
        seeded.write_text("ok")
    import django

    django.setup()


def _timed(call, repeat: int, warmup: int = 20) -> list[float]:
    for _ in range(warmup):
        call()
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        found.append((time.perf_counter() - start) * 1000)
        assert response.status_code < 300, (response.status_code, response.content[:300])
    return found


def _timed_pair(node, peer, repeat: int, warmup: int = 20) -> tuple[list[float], list[float]]:
    """`_timed` of the node and its peer, request by request in turn: a change of the shared
    machine's load falls on both alike, not on whichever happened to run during it."""
    for _ in range(warmup):
        node(), peer()
    found = ([], [])
    for _ in range(repeat):
        for call, times in ((node, found[0]), (peer, found[1])):
            times.extend(_timed(call, 1, warmup=0))
    return found


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _registration(i: int) -> dict:
    return {"person": {"given_names": "Bench", "family_name": f"Hoxha{chr(97 + i % 26)}",
                       "sex": "F", "birth_date": f"{1980 + i % 25}-0{1 + i % 9}-1{i % 10}"},
            "case": {"handling_code": "H1", "summary": "Benchmark registration."},
            "exploitation": {"forms": ["sexual"], "country_of_exploitation": "XK"}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cases", type=int, default=800)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--registrations", type=int, default=60)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "crossroads-bench-service")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    _setup(args)

    from django.test import Client
    from django.test.utils import override_settings

    from crossroads.access.choices import Role, TokenScope
    from crossroads.access.models import ApiToken, User

    user = User.objects.filter(role=Role.INVESTIGATOR, agency__jurisdiction_id="AL",
                               is_active=True).order_by("id").first()
    raw = ApiToken.issue(user, "bench", scope=TokenScope.WRITE)[1]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    print(f"service time, one client, {os.environ.get('DATABASE_URL', 'sqlite') .split('@')[-1]}, "
          f"{args.cases} demo cases, {args.repeat} requests per read scenario; user {user}")
    print(f"{'scenario':<14}{'p50 ms':>9}{'p95 ms':>9}{'bare p50':>10}{'bare p95':>10}"
          f"{'ratio p50':>11}  target")
    failed = False
    with override_settings(ROOT_URLCONF="bench.api.bare", DEBUG=False):
        for name, url, bare in (("case list", "/api/v1/cases?limit=50", "/bare/cases"),
                                ("person list", "/api/v1/persons?limit=50", "/bare/persons")):
            node, peer = _timed_pair(lambda u=url: client.get(u),
                                     lambda u=bare: client.get(u, {"jurisdiction": "AL"}),
                                     args.repeat)
            ratio = statistics.median(node) / statistics.median(peer)
            ok = ratio <= TARGET_RATIO
            failed |= not ok
            print(f"{name:<14}{statistics.median(node):>9.1f}{_p95(node):>9.1f}"
                  f"{statistics.median(peer):>10.1f}{_p95(peer):>10.1f}{ratio:>10.2f}x  "
                  f"<= {TARGET_RATIO}x {'PASS' if ok else 'FAIL'}")
        counter = iter(range(10**6))
        times = _timed(lambda: client.post("/api/v1/registrations", _registration(next(counter)),
                                           content_type="application/json"),
                       args.registrations, warmup=5)
        ok = statistics.median(times) <= TARGET_REGISTRATION_MS
        failed |= not ok
        print(f"{'registration':<14}{statistics.median(times):>9.1f}{_p95(times):>9.1f}"
              f"{'':>10}{'':>10}{'':>11}  p50 <= {TARGET_REGISTRATION_MS:.0f} ms "
              f"{'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
