"""The production server behind `crossroads serve`: gunicorn with worker processes.

The master process (this one) has migrated and collected the static files; it closes its
database connections before forking, so that no worker inherits a connection. Each worker
process serves with `threads` threads (gunicorn's `gthread` worker). Signals are gunicorn's:
HUP starts new workers and stops the old ones once they have finished their requests (a
graceful restart), TERM stops gracefully (`graceful_timeout`), INT and QUIT at once, TTIN and
TTOU add or remove a worker.

With `tasks` > 0 the master also runs that many `crossroads tasks work` processes beside the
workers (the single-command start of `make demo`): started when the server is ready, replaced
on HUP, stopped (SIGTERM: each finishes the job at hand) when the server stops.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass, field

from gunicorn.app.base import BaseApplication

TASKS_STOP_TIMEOUT = 30  # seconds a task runner may take to finish its job before it is killed


@dataclass
class TaskRunners:
    """The `crossroads tasks work` processes run beside the server."""

    count: int
    sleep: float = 2.0
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self) -> None:
        command = [sys.executable, "-m", "crossroads.cli", "tasks", "work",
                   "--sleep", str(self.sleep)]
        self.processes = [subprocess.Popen(command) for _ in range(self.count)]  # noqa: S603

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(TASKS_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def restart(self) -> None:
        self.stop()
        self.start()


class NodeServer(BaseApplication):
    """gunicorn configured from `serve`'s options, serving `crossroads.wsgi.application`."""

    def __init__(self, options: dict, runners: TaskRunners | None = None):
        self.options = options
        self.runners = runners
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if self.runners is not None and self.runners.count:
            runners = self.runners
            self.cfg.set("when_ready", lambda _arbiter: runners.start())
            self.cfg.set("on_reload", lambda _arbiter: runners.restart())
            self.cfg.set("on_exit", lambda _arbiter: runners.stop())

    def load(self):
        from crossroads.wsgi import application

        return application


def options(*, host: str, port: int, workers: int, threads: int, timeout: int,
            pidfile: str | None = None) -> dict:
    """gunicorn settings for one node. No access log: request lines hold search terms."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {"bind": [bind], "workers": workers, "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": timeout, "graceful_timeout": timeout, "keepalive": 5,
            "proc_name": "crossroads", "accesslog": None, "errorlog": "-",
            "pidfile": pidfile, "preload_app": False,
            "limit_request_line": 8190, "limit_request_fields": 100}


def run(settings: dict, tasks: int = 0, tasks_sleep: float = 2.0) -> None:
    """Serve until stopped (blocks); the database connections of this process are closed."""
    from django.db import connections

    connections.close_all()
    NodeServer(settings, TaskRunners(tasks, tasks_sleep)).run()
