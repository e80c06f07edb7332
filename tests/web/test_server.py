"""Issue 23, defect 8 (one process, one core) and issue 21 point 1 (no task runner in the demo):
`crossroads serve --workers N --tasks M` runs gunicorn with N worker processes and M task
runners beside them; HUP replaces the workers without dropping the service, TERM stops
everything it started."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.loopback


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CROSSROADS_ENV", "DJANGO_SETTINGS_MODULE"}}
    env["CROSSROADS_DATA_DIR"] = str(data_dir)
    return env


def _children(pid: int) -> dict[int, str]:
    """{pid: command line} of the processes whose parent is `pid`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def _wait(condition, timeout=120, step=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def _workers(master: int) -> set[int]:
    return {pid for pid, cmd in _children(master).items() if " tasks work" not in cmd}


def test_serve_runs_worker_processes_and_a_task_runner_restarts_on_hup_and_stops(tmp_path):
    env = _env(tmp_path)
    first = second = set()
    runners = []
    cli = [sys.executable, "-m", "crossroads.cli"]
    subprocess.run([*cli, "migrate", "--no-input"], env=env, check=True, capture_output=True,
                   timeout=300)
    queued = subprocess.run([*cli, "tasks", "remind"], env=env, check=True, capture_output=True,
                            text=True, timeout=120)
    assert "queued" in queued.stdout.lower()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/login/"
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "2", "--threads",
                               "2", "--tasks", "1", "--pid", str(tmp_path / "serve.pid")],
                              env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        _wait(lambda: _answers(url), timeout=180)
        first = _wait(lambda: len(_workers(server.pid)) == 2 and _workers(server.pid))
        runners = [p for p, cmd in _children(server.pid).items() if " tasks work" in cmd]
        assert len(runners) == 1
        assert int((tmp_path / "serve.pid").read_text()) == server.pid

        def reminder_done():
            with sqlite3.connect(tmp_path / "crossroads.sqlite3", timeout=10) as db:
                return db.execute("SELECT status FROM jobs_job WHERE kind = 'reminders'").fetchall() == [
                        ("done",)]
        _wait(reminder_done)  # the queued job was run by the task runner beside the server

        os.kill(server.pid, signal.SIGHUP)
        second = _wait(lambda: (w := _workers(server.pid)) and len(w) == 2 and not w & first and w)
        assert second and _answers(url)
        assert server.poll() is None
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(90)
        log.close()
    assert server.returncode == 0
    gone = [pid for pid in (*first, *second, *runners) if Path(f"/proc/{pid}").exists()]
    assert not gone  # workers and the task runner stopped with the server
    text = (tmp_path / "serve.log").read_text()
    assert "2 worker process(es)" in text and "task runner" in text
