"""`crossroads region up|down`: a hub and several demo nodes on this machine, for demos and tests.

`up` recreates each instance from the seed (its own data directory and SQLite database under
`<data dir>/region/<code>/`), links the nodes to the hub, starts every server and worker as a
detached process, waits until each answers, and writes `region.json`; the processes it started
are kept in `<data dir>/region/state.json` with each instance's port and exchange settings.
`restart CODE|hub` stops one instance's processes and starts them again from that state;
`down` stops the processes it names and also any other `crossroads` process running on an
instance's data directory (one restarted by hand). Anything that goes wrong on the way up
stops what was already started.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from crossroads.demo.names import JURISDICTIONS
from crossroads.keys.private_files import write_private

from . import exchange_steps
from .layout import HUB, Instance, region_dir, state_file
from .processes import (
    RegionError,
    Started,
    crossroads_command,
    free_port,
    is_running,
    port_is_free,
    serving,
    start,
    stop,
    wait_until_answering,
)

DEFAULT_NODES = ",".join(JURISDICTIONS)
SETUP_WORKERS = 2  # the machine's cores: seeding is CPU-bound
STEP_TIMEOUT = 600


def parse_nodes(text: str) -> list[str]:
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    unknown = [c for c in codes if c not in JURISDICTIONS]
    if not codes or unknown:
        raise RegionError(f"--nodes: {', '.join(unknown) or 'none given'}; "
                          f"choose among {', '.join(JURISDICTIONS)}")
    if len(set(codes)) != len(codes):
        raise RegionError("--nodes: each jurisdiction once")
    return codes


def run_step(instance: Instance, name: str, args: list[str], env: dict | None = None) -> str:
    """Run one `crossroads` command for an instance to the end; its output goes to the log."""
    log = instance.log(name)
    log.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(  # noqa: S603 (this interpreter, our own arguments)
        crossroads_command(*args), env=instance.env(env), capture_output=True, text=True,
        timeout=STEP_TIMEOUT, check=False)
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise RegionError(f"{instance.code}: `crossroads {' '.join(args)}` failed "
                          f"(exit {result.returncode}); see {log}\n{tail}")
    return result.stdout


def _running_state() -> dict | None:
    path = state_file()
    if not path.exists():
        return None
    state = json.loads(path.read_text())
    if any(is_running(Started(**p)) for p in state["processes"]):
        return state
    path.unlink()  # left by a region whose processes have all gone (a reboot, a kill)
    return None


def _ports(count: int, base_port: int | None) -> list[int]:
    if base_port is None:
        ports: list[int] = []
        while len(ports) < count:
            port = free_port()
            if port not in ports:
                ports.append(port)
        return ports
    ports = list(range(base_port, base_port + count))
    if ports[-1] > 65535 or base_port < 1024:
        raise RegionError(f"--base-port: {count} ports from {base_port} must lie in 1024-65535")
    busy = [str(p) for p in ports if not port_is_free(p)]
    if busy:
        raise RegionError(f"--base-port: port {', '.join(busy)} on 127.0.0.1 already in use")
    return ports


def _parallel(tasks: list[Callable[[], object]]) -> None:
    with ThreadPoolExecutor(SETUP_WORKERS) as pool:
        futures = [pool.submit(task) for task in tasks]
        errors = [f.exception() for f in futures if f.exception() is not None]
    if errors:
        raise errors[0]


def write_json_atomically(path: Path, data: dict) -> None:
    """region.json holds passwords and tokens: owner-only from the moment it exists."""
    write_private(path, json.dumps(data, indent=2, ensure_ascii=False))


def _describe(instance: Instance) -> dict:
    return {"url": instance.url, "port": instance.port, "data_dir": str(instance.data_dir),
            "database": str(instance.database),
            "logins": json.loads(instance.logins_file.read_text(encoding="utf-8"))}


def _start_instance(instance: Instance, workers: int) -> list[Started]:
    return [start(f"{instance.code} {name}", crossroads_command(*args), instance.env(),
                  instance.log(name))
            for name, args in exchange_steps.processes(instance, workers)]


def up(codes: list[str], *, seed: int = 2024, persons: int = 300, out: Path = Path("region.json"),
       base_port: int | None = None, timeout: float = 120, workers: int = 1, echo=print) -> dict:
    if persons < 1:
        raise RegionError("--persons must be at least 1")
    if _running_state():
        raise RegionError("a region is already up (see region.json); "
                          "run `crossroads region down` first")
    root = region_dir()
    ports = _ports(len(codes) + 1, base_port)
    hub = Instance(HUB, ports[0], root)
    nodes = [Instance(code, port, root) for code, port in zip(codes, ports[1:], strict=True)]
    instances = [hub, *nodes]
    for instance in instances:
        shutil.rmtree(instance.data_dir, ignore_errors=True)
        instance.data_dir.mkdir(parents=True)
    started: list[Started] = []

    def remember() -> None:
        write_json_atomically(state_file(), {
            "processes": [vars(s) for s in started], "region_json": str(Path(out).resolve()),
            "workers": workers,
            "instances": {i.code: {"port": i.port, "settings": i.settings} for i in instances}})

    exchange_steps.configure(hub, nodes)
    began = time.monotonic()

    def clock() -> str:
        return f"{time.monotonic() - began:.0f} s"

    try:
        echo(f"Setting up the hub and {len(nodes)} node(s) in {root} ...")
        exchange_steps.shared_secret(nodes, run_step)
        _parallel([lambda: exchange_steps.setup_hub(hub, run_step),
                   *[lambda n=n: exchange_steps.setup_node(n, seed, persons, run_step)
                     for n in nodes]])
        echo(f"  set up in {clock()}; registering the nodes' keys at the hub ...")
        exchange_steps.link(hub, nodes, run_step, _parallel)
        servers = []
        for instance in instances:
            processes = _start_instance(instance, workers)
            started.extend(processes)
            remember()
            servers.append((instance, processes[0]))
        for instance, process in servers:
            wait_until_answering(instance.url, process, timeout)
        echo(f"Every instance answers ({clock()}); sending encodings and released tables "
             "to the hub ...")
        exchange_steps.after_start(hub, nodes, run_step, _parallel, echo)
        echo(f"The hub holds every node's encodings and tables ({clock()}).")
        region = {"seed": seed, "hub": _describe(hub),
                  "nodes": {node.code: {"jurisdiction": node.code, **_describe(node)}
                            for node in nodes}}
        write_json_atomically(out, region)
        remember()
    except BaseException:
        for process in reversed(started):
            stop(process)
        state_file().unlink(missing_ok=True)
        raise
    return region


def _instances(state: dict) -> list[Instance]:
    return [Instance(code, entry["port"], region_dir(), entry["settings"])
            for code, entry in state.get("instances", {}).items()]


def _stop_all(recorded: list[dict], data_dirs: list[Path], echo) -> list[tuple[str, str]]:
    """Stop the recorded processes, then any other one still running on those data
    directories (started or restarted by hand)."""
    outcomes = []
    for entry in reversed(recorded):
        outcome = stop(Started(**entry))
        outcomes.append((entry["name"], outcome))
        echo(f"  {entry['name']:<16} (pid {entry['pid']}): {outcome}")
    for other in serving(data_dirs):
        outcome = stop(other)
        outcomes.append((other.name, outcome))
        echo(f"  {other.name:<16} not started by the region ({' '.join(other.cmdline[2:])}): "
             f"{outcome}")
    return outcomes


def restart(code: str, *, timeout: float = 120, echo=print) -> list[Started]:
    """Stop every process of one instance (a node's code, or HUB) and start it again with
    the same port and settings; wait until it answers. Returns the new processes."""
    path = state_file()
    state = json.loads(path.read_text()) if path.exists() else None
    if not state:
        raise RegionError("no region is up (run `crossroads region up`)")
    by_code = {instance.code: instance for instance in _instances(state)}
    instance = by_code.get(code.upper())
    if instance is None:
        raise RegionError(f"{code}: not in this region; choose among "
                          f"{', '.join(c.lower() if c == HUB else c for c in by_code)}")
    prefix = f"{instance.code} "
    mine = [p for p in state["processes"] if p["name"].startswith(prefix)]
    _stop_all(mine, [instance.data_dir], echo)
    started = _start_instance(instance, state.get("workers", 1))
    state["processes"] = ([p for p in state["processes"] if not p["name"].startswith(prefix)]
                          + [vars(s) for s in started])
    write_json_atomically(path, state)
    wait_until_answering(instance.url, started[0], timeout)
    for process in started:
        echo(f"  {process.name:<16} (pid {process.pid}): started")
    return started


def down(echo=print) -> list[tuple[str, str]]:
    """Stop every process `up` started; idempotent. Returns (process, outcome) pairs."""
    path = state_file()
    if not path.exists():
        echo("No region is up.")
        return []
    state = json.loads(path.read_text())
    outcomes = _stop_all(state["processes"], [i.data_dir for i in _instances(state)], echo)
    path.unlink()
    return outcomes
