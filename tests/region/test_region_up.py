"""`crossroads region up --nodes AL,RS` end to end on loopback: one region for the module."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crossroads.demo.region import PER_PAIR, shared_phones
from crossroads.region.processes import Started, is_running

pytestmark = pytest.mark.loopback

LOGIN_KEYS = {"username", "password", "role", "agency", "jurisdiction", "api_token", "totp_secret"}


def crossroads(data_dir: Path, *args, timeout=600):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CROSSROADS_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "crossroads.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def get(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, response.read()


def rows(database, sql):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("region")
    out = data_dir / "region.json"
    started = crossroads(data_dir, "region", "up", "--nodes", "AL,RS", "--persons", "80",
                         "--out", str(out), "--timeout", "300")  # a loaded 2-core machine
    state = json.loads((data_dir / "region" / "state.json").read_text()) \
        if (data_dir / "region" / "state.json").exists() else {"processes": []}
    try:
        assert started.returncode == 0, started.stderr + started.stdout
        yield data_dir, json.loads(out.read_text()), state, started.stdout
    finally:
        crossroads(data_dir, "region", "down")


def test_region_json_names_every_instance_with_its_logins(region):
    _data_dir, description, state, output = region
    assert set(description["nodes"]) == {"AL", "RS"}
    for code, node in description["nodes"].items():
        assert node["url"].startswith("http://127.0.0.1:") and Path(node["database"]).exists()
        assert {x["jurisdiction"] for x in node["logins"]} == {code}
        assert all(set(x) == LOGIN_KEYS for x in node["logins"])
        assert node["url"] in output
    hub = description["hub"]
    assert Path(hub["database"]).exists() and hub["url"] in output
    assert [x["role"] for x in hub["logins"]] == ["analyst"]
    assert len({d["port"] for d in (hub, *description["nodes"].values())}) == 3
    assert {p["name"] for p in state["processes"]} == {
        "HUB serve", "AL serve", "AL worker", "AL tasks", "RS serve", "RS worker", "RS tasks"}


def test_every_url_answers_and_every_token_works(region):
    _data_dir, description, _state, _output = region
    for node in description["nodes"].values():
        assert get(node["url"] + "login/")[0] == 200
        for login in node["logins"]:
            status, body = get(node["url"] + "api/v1/me", login["api_token"])
            assert status == 200 and json.loads(body)["username"] == login["username"]
    hub = description["hub"]
    status, body = get(hub["url"] + "api/v1/me", hub["logins"][0]["api_token"])
    assert json.loads(body)["role"] == "analyst"


def _hits(database):
    """(cross-border key or None, remote reference) of every hit a node was told of."""
    return rows(database, """
        select c.key, h.remote_reference from exchange_hit h
        join exchange_sharedreference s on s.id = h.reference_id
        left join demo_crossborderrecord c on c.person_id = s.person_id""")


def test_the_hub_compared_the_encodings_and_posted_the_cross_border_hits(region):
    _data_dir, description, _state, _output = region
    hub, nodes = description["hub"], description["nodes"]
    encodings = dict(rows(hub["database"],
                          "select node, count(*) from exchange_hubencoding group by node"))
    shared = {code: rows(n["database"], "select count(*) from exchange_sharedreference "
                                        "where withdrawn_at is null")[0][0]
              for code, n in nodes.items()}
    assert encodings == shared and min(shared.values()) > 40  # every shareable person
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(_hits(n["database"]) for n in nodes.values()):
        time.sleep(1)  # the workers fetch hits from their mailboxes every second
    references = {code: dict(rows(n["database"], """
        select s.reference, c.key from exchange_sharedreference s
        left join demo_crossborderrecord c on c.person_id = s.person_id"""))
        for code, n in nodes.items()}
    expected = {f"XB-AL-RS-{i}" for i in range(1, PER_PAIR + 1)}
    for code, other in (("AL", "RS"), ("RS", "AL")):
        hits = _hits(nodes[code]["database"])
        assert {key for key, _remote in hits} == expected  # every seeded pair, nothing else
        for key, remote in hits:
            assert references[other][remote] == key  # the hit names the partner's record


def _selector_hits(database):
    """(kind, remote reference) of every selector hit a node was told of."""
    return rows(database, """
        select s.kind, h.remote_reference from exchange_hit h
        join exchange_sharedselector s on s.id = h.selector_id""")


def test_a_phone_both_nodes_recorded_is_a_selector_hit_and_the_hub_holds_no_clear_value(region):
    _data_dir, description, _state, _output = region
    hub, nodes = description["hub"], description["nodes"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
            _selector_hits(n["database"]) for n in nodes.values()):
        time.sleep(1)
    shared = {code: dict(rows(n["database"], "select reference, kind from exchange_sharedselector "
                                             "where withdrawn_at is null"))
              for code, n in nodes.items()}
    # Each node offered its phones for all five partners; only the AL–RS one has a partner here.
    assert all(len(references) == 5 for references in shared.values()), shared
    for code, other in (("AL", "RS"), ("RS", "AL")):
        hits = _selector_hits(nodes[code]["database"])
        assert len(hits) == 1 and hits[0][0] == "phone", hits
        assert hits[0][1] in shared[other]  # the hit names the partner's shared selector
    stored = dict(rows(hub["database"], "select node, count(*) from exchange_hubselector "
                                        "group by node"))
    assert stored == {"AL": 5, "RS": 5}
    phone = shared_phones("AL")["RS"]
    hub_files = [Path(hub["database"] + suffix) for suffix in ("", "-wal", "-journal")]
    held = b"".join(f.read_bytes() for f in hub_files if f.exists())
    for text in (phone, phone.lstrip("+"), phone[4:], shared_phones("RS")["BA"]):
        assert text.encode() not in held, text   # neither the number nor its national part


def test_the_regional_dashboard_combines_both_nodes(region):
    _data_dir, description, _state, _output = region
    hub = description["hub"]
    token = hub["logins"][0]["api_token"]
    overview = json.loads(get(hub["url"] + "api/v1/regional/tables", token)[1])
    assert {r["jurisdiction"] for r in overview["releases"]} == {"AL", "RS"}
    table = json.loads(get(hub["url"] + "api/v1/regional/tables/victims_by_year_and_sex",
                           token)[1])
    records = {r["jurisdiction"]: r["records"] for r in overview["releases"]}
    assert table["column_totals"] == records and table["total"] == sum(records.values())


def test_a_second_up_is_refused_while_the_region_runs(region):
    data_dir, _description, _state, _output = region
    again = crossroads(data_dir, "region", "up", "--nodes", "ME")
    assert again.returncode == 2 and "already up" in again.stderr


def _recorded(data_dir: Path) -> dict[str, Started]:
    state = json.loads((data_dir / "region" / "state.json").read_text())
    return {p["name"]: Started(**p) for p in state["processes"]}


def test_restart_one_node_brings_its_processes_back_on_the_same_port(region):
    """Issue 23, defect 7: a documented way to restart one instance of a region."""
    data_dir, description, _state, _output = region
    before = _recorded(data_dir)
    restarted = crossroads(data_dir, "region", "restart", "AL")
    assert restarted.returncode == 0, restarted.stderr
    after = _recorded(data_dir)
    for name in ("AL serve", "AL worker", "AL tasks"):
        assert not is_running(before[name]) and is_running(after[name])
        assert after[name].pid != before[name].pid
    for name in ("HUB serve", "RS serve", "RS tasks"):
        assert after[name] == before[name] and is_running(after[name])  # left alone
    assert get(description["nodes"]["AL"]["url"] + "login/")[0] == 200
    unknown = crossroads(data_dir, "region", "restart", "HR")
    assert unknown.returncode == 2 and "HR: not in this region" in unknown.stderr


def test_down_stops_every_process_and_is_idempotent(region):
    """Also one restarted by hand (defect 7): here RS's task runner, killed and started again
    from a shell on the node's data directory."""
    data_dir, _description, state, _output = region
    tasks = _recorded(data_dir)["RS tasks"]
    os.kill(tasks.pid, 15)
    for _ in range(100):
        if not is_running(tasks):
            break
        time.sleep(0.1)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CROSSROADS_DATA_DIR"] = str(data_dir / "region" / "rs")
    by_hand = subprocess.Popen([sys.executable, "-m", "crossroads.cli", "tasks", "work"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    assert by_hand.poll() is None
    stopped = crossroads(data_dir, "region", "down")
    assert stopped.returncode == 0 and stopped.stdout.count(": stopped") == 7, stopped.stdout
    assert "not started by the region" in stopped.stdout
    assert by_hand.wait(30) is not None
    assert state["processes"]
    assert not any(is_running(Started(**process)) for process in state["processes"])
    assert "No region is up" in crossroads(data_dir, "region", "down").stdout


def test_bad_options_are_refused_before_anything_starts(tmp_path):
    unknown = crossroads(tmp_path, "region", "up", "--nodes", "AL,HR")
    assert unknown.returncode == 2 and "--nodes: HR" in unknown.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = crossroads(tmp_path, "region", "up", "--nodes", "AL", "--base-port", str(port))
    assert taken.returncode == 2 and f"port {port}" in taken.stderr
    assert not (tmp_path / "region" / "state.json").exists()
