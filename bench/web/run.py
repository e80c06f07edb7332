"""Page-load benchmark of the node's main pages on the demo data.

Seeds a node with `crossroads demo` (800 cases, the quick start's data), serves it, logs in
as a person would (password, then the authenticator code from `totp_secret`) and loads each
main page repeatedly, one request at a time, timing the complete HTML response. Target: every
page in under 300 ms (p95).

    .venv/bin/python -m bench.web.run [--backends sqlite,postgres] [--reuse] [--repeat 40]

There is no peer tool for this; the figures are the node's own against the target. The node
is started with the same helpers as the API benchmark (`bench/api/run.py`).
"""

import argparse
import json
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
from django_otp.oath import TOTP

from bench.api.run import Backend, Server, code_version, prepare

TARGET_MS = 300.0


def log_in(base: str, login: dict) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)

    def csrf_post(path: str, data: dict) -> httpx.Response:
        page = client.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return client.post(path, data={**data, "csrfmiddlewaretoken": token},
                           headers={"Referer": base + path})

    csrf_post("/login/", {"username": login["username"], "password": login["password"]})
    secret = login["totp_secret"]
    import base64

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    answer = csrf_post("/mfa/verify/", {"token": f"{TOTP(key).token():06d}", "next": "/"})
    if answer.status_code != 302 or client.get("/").status_code != 200:
        raise RuntimeError(f"could not log in as {login['username']}")
    return client


def pages(client: httpx.Client) -> dict[str, str | tuple[str, dict]]:
    """The main pages, with ids and a name taken from what this user can see; a (path, form)
    pair is a page that is posted (the name search keeps names out of URLs)."""
    case_id = client.get("/api/v1/cases?limit=1").json()["items"][0]["id"]
    person = client.get("/api/v1/persons?limit=1").json()["items"][0]
    return {
        "home": "/",
        "case list": "/cases/",
        "case list, filtered": "/cases/?status=open&form=sexual",
        "case page": f"/cases/{case_id}/",
        "person search": ("/persons/", {"q": person["family_name"]}),  # posted, as the page does
        "person page": f"/persons/{person['id']}/",
        "registration form": "/register/",
        "API tokens": "/account/tokens/",
        "case team": f"/cases/{case_id}/team/",
        "add a person to a case": f"/cases/{case_id}/persons/new/",
        "handling code and owner": f"/cases/{case_id}/handling/",
        "case log": f"/cases/{case_id}/log/",
        "proceedings": f"/cases/{case_id}/proceedings/",
        "markers": f"/cases/{case_id}/markers/",
    }


def measure(client: httpx.Client, page: str | tuple[str, dict], repeat: int) -> list[float]:
    path, form = page if isinstance(page, tuple) else (page, None)
    answer = client.get(path)  # warm-up, and the CSRF token of a posted page
    if form is not None:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1)
        form = {**form, "csrfmiddlewaretoken": token}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = (client.get(path) if form is None else
                    client.post(path, data=form, headers={"Referer": str(client.base_url) + path}))
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return times


def run_backend(backend: Backend, args) -> list[dict]:
    prepare(backend, args)
    logins = {x["username"]: x for x in json.loads(backend.logins.read_text())}
    rows = []
    with Server(backend, threads=4) as server:
        client = log_in(server.base, logins["al_investigator"])
        for name, path in pages(client).items():
            times = sorted(measure(client, path, args.repeat))
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            rows.append({"backend": backend.name, "page": name, "n": len(times),
                         "p50": statistics.median(times), "p95": p95, "max": times[-1],
                         "result": "PASS" if p95 < TARGET_MS else "FAIL"})
            print(f"{backend.name:<9} {name:<22} n={len(times):<4} p50 {rows[-1]['p50']:6.1f} ms"
                  f"  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  {rows[-1]['result']}", flush=True)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench/web/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "crossroads-bench-web")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--reuse", action="store_true", help="reuse databases seeded before")
    parser.add_argument("--cases", type=int, default=800)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=40, help="loads of each page")
    args = parser.parse_args(argv)
    try:
        args.code, _source = code_version(None, args.workdir)
    except (OSError, subprocess.CalledProcessError):  # an exported tree has no git history
        args.code = "exported tree"
    rows = []
    for name in args.backends.split(","):
        backend = Backend(name, args.workdir, args.pg_url, pg_database="crossroads_bench_web")
        rows += run_backend(backend, SimpleNamespace(**vars(args)))
    failed = [r for r in rows if r["result"] == "FAIL"]
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed (target p95 < {TARGET_MS:.0f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
