"""The exchange steps of a region (crossroads.exchange's commands): identities, the shared
encoding secret, registration at the hub, the node workers, the first full sync and the first
publication of released tables."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .layout import Instance
from .processes import HOST, RegionError

STALL_TIMEOUT = 300  # seconds without any message reaching the hub before `up` gives up
WORKER_SLEEP = "1"
TASKS_SLEEP = "5"


def configure(hub: Instance, nodes: list[Instance]) -> None:
    hub.settings = {"CROSSROADS_MODE": "hub"}
    for node in nodes:
        node.settings = {"CROSSROADS_NODE_ID": node.code, "CROSSROADS_HUB_URL": hub.url,
                         "CROSSROADS_EXCHANGE_SECRET_FILE": str(node.root / "exchange-secret")}


def shared_secret(nodes: list[Instance], run_step) -> None:
    """One encoding secret for every node (kept outside the hub's directory; never the hub's)."""
    path = nodes[0].settings["CROSSROADS_EXCHANGE_SECRET_FILE"]
    Path(path).unlink(missing_ok=True)  # a region is recreated whole: a new secret too
    run_step(nodes[0], "secret", ["exchange", "init-secret", path])


def setup_hub(hub: Instance, run_step) -> None:
    run_step(hub, "migrate", ["migrate", "--no-input"])
    run_step(hub, "keys", ["keys", "init", "--node"])
    run_step(hub, "accounts", ["regional", "demo-accounts", "--logins", str(hub.logins_file)])


def setup_node(node: Instance, seed: int, persons: int, run_step) -> None:
    run_step(node, "seed", ["demo", "--jurisdiction", node.code, "--persons", str(persons),
                            "--seed", str(seed), "--logins", str(node.logins_file)])
    run_step(node, "keys", ["keys", "init", "--node"])


def _public_keys(instance: Instance, run_step) -> dict:
    return json.loads(run_step(instance, "public-keys", ["keys", "show", "--node", "--json"]))


def link(hub: Instance, nodes: list[Instance], run_step, parallel) -> None:
    """Register each node's public keys at the hub; give each node the hub's signing key."""
    keys: dict[str, dict] = {}

    def read(instance):
        keys[instance.code] = _public_keys(instance, run_step)

    parallel([lambda i=i: read(i) for i in (hub, *nodes)])
    for node in nodes:  # one at a time: the hub's registry is one SQLite file
        public = keys[node.code]
        run_step(hub, f"register-{node.code.lower()}", [
            "exchange", "register-node", node.code, "--jurisdictions", node.code,
            "--signing-key", public["signing_key"], "--encryption-key", public["encryption_key"],
            "--key-id", public["key_id"], "--url", node.url])
        node.settings["CROSSROADS_HUB_SIGNING_KEY"] = keys[hub.code]["signing_key"]


def processes(instance: Instance, workers: int = 1) -> list[tuple[str, list[str]]]:
    serve = ["serve", "--host", HOST, "--port", str(instance.port), "--workers", str(workers),
             "--threads", "4"]
    if instance.is_hub:
        return [("serve", [*serve, "--hub"])]
    # The exchange worker, and the task runner (releases, reminders, the dashboards' summary).
    return [("serve", serve), ("worker", ["exchange", "work", "--sleep", WORKER_SLEEP]),
            ("tasks", ["tasks", "work", "--sleep", TASKS_SLEEP])]


def after_start(hub: Instance, nodes: list[Instance], run_step, parallel, echo) -> None:
    """Encode every node's persons, publish its released tables, and wait until the workers
    have delivered both to the hub (which compares the encodings as they arrive)."""
    def first_exchange(node):
        synced = run_step(node, "sync", ["exchange", "sync", "--full"]).strip()
        # Prepared by the demo's coordinator, approved by its second one (four-eyes).
        run_step(node, "publish", ["regional", "demo-publish", "--jurisdiction", node.code])
        echo(f"  {node.code}: {synced}; released tables queued")

    parallel([lambda n=n: first_exchange(n) for n in nodes])
    by_code = {n.code: n for n in nodes}
    waiting = {n.code: None for n in nodes}  # messages still in each outbox
    stalled_since = time.monotonic()
    while waiting:
        counts = {code: json.loads(run_step(by_code[code], "status", ["exchange", "status"]))
                  ["outbox_waiting"] for code in waiting}
        if any(waiting[c] is None or counts[c] < waiting[c] for c in counts):
            stalled_since = time.monotonic()  # progress: the hub is taking them
        waiting = {code: count for code, count in counts.items() if count}
        if waiting and time.monotonic() - stalled_since > STALL_TIMEOUT:
            raise RegionError(f"{', '.join(waiting)}: no message reached the hub for "
                              f"{STALL_TIMEOUT} s; see the worker logs")
        if waiting:
            time.sleep(2)
