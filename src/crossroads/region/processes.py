"""Detached `crossroads` processes on loopback ports: start, check, stop (Linux /proc).

A started process is remembered by its PID together with its start time and command line, read
from /proc; `stop` signals a PID only while both still match, so a PID the kernel has since given
to another program is never touched. Each process leads its own session, so stopping it stops
its children too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


class RegionError(Exception):
    """A clear, user-facing reason why the region could not be brought up or down."""


@dataclass
class Started:
    name: str  # e.g. "AL serve"
    pid: int
    start_time: str  # field 22 of /proc/PID/stat
    cmdline: list[str]
    log: str


def crossroads_command(*args: str) -> list[str]:
    """The `crossroads` entry point run by this same interpreter (works from a source tree)."""
    return [sys.executable, "-m", "crossroads.cli", *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def _proc(pid: int) -> tuple[str, list[str]] | None:
    """(start time, command line) of a running process, or None if there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # the name in brackets may hold spaces
    if fields[0] == "Z":
        return None
    return fields[19], [part.decode() for part in cmdline.split(b"\0") if part]


def start(name: str, command: list[str], env: dict, log: Path) -> Started:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        process = subprocess.Popen(  # noqa: S603 (a `crossroads` command built by the caller)
            command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    for _ in range(50):
        info = _proc(process.pid)
        if info and info[1] == command:
            return Started(name, process.pid, info[0], command, str(log))
        if process.poll() is not None:
            break
        time.sleep(0.02)  # between fork and exec the command line is still the parent's
    raise RegionError(f"{name} exited at once (exit code {process.poll()}); see {log}")


def is_running(started: Started) -> bool:
    info = _proc(started.pid)
    return info is not None and info == (started.start_time, started.cmdline)


def _signal(pid: int, signum: int) -> None:
    """Its whole session when it leads one (what `start` makes), else the process alone: a
    process started by hand may share its group with the shell that started it."""
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)


def stop(started: Started, timeout: float = 30.0) -> str:
    """Stop one process of ours and its children: "stopped", "killed" or "not running"."""
    if not is_running(started):
        return "not running"
    _signal(started.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(started.pid)
        if not is_running(started):
            return "stopped"
        time.sleep(0.1)
    _signal(started.pid, signal.SIGKILL)
    _reap(started.pid)
    return "killed"


def _environment(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:  # gone, or another user's process
        return {}
    pairs = (part.split(b"=", 1) for part in raw.split(b"\0") if b"=" in part)
    return {key.decode(errors="replace"): value.decode(errors="replace") for key, value in pairs}


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2:].split()[1])


def serving(data_dirs: list[Path]) -> list[Started]:
    """Every `crossroads` process of this user that runs on one of `data_dirs` (its
    CROSSROADS_DATA_DIR), whoever started it: also one restarted by hand. Only the topmost
    of a tree (a server's workers go with their master)."""
    wanted = {str(Path(d).resolve()) for d in data_dirs}
    found: dict[int, Started] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        where = _environment(pid).get("CROSSROADS_DATA_DIR")
        info = _proc(pid)
        if not where or info is None or str(Path(where).resolve()) not in wanted:
            continue
        if not any("crossroads" in part for part in info[1]):
            continue
        found[pid] = Started(f"pid {pid}", pid, info[0], info[1], "")
    top = []
    for pid, started in found.items():
        with contextlib.suppress(OSError, ValueError):
            if _parent(pid) not in found:
                top.append(started)
    return top


def _reap(pid: int) -> None:
    """Collect the exit status when the process is our own child (else it would linger)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def wait_until_answering(url: str, started: Started, timeout: float) -> None:
    """Wait until `url` answers HTTP below 500; fail early if the process has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(started):
            raise RegionError(f"{started.name} stopped before answering; see {started.log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RegionError(f"{started.name} did not answer {url} within {timeout:.0f} s; "
                      f"see {started.log}")
