"""A region on loopback for the exchange tests: a hub and nodes as real `crossroads`
processes, each with its own SQLite database, data directory and keys, on free ports.

One migrated database is made per test session and copied for each installation, so that
starting one costs a process start, not a migration.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "loopback-password-1234"
# One process per node for what an operator does in several commands (`keys init --node`,
# `keys show --node --json`, `createadmin`…): process starts are what these tests wait for.
SETUP_NODE = """
import json
from crossroads.access.models import Agency, ApiToken, User
from crossroads.access.choices import AgencyKind, Role
from crossroads.exchange import identity
code = {code!r}
own = identity.create()
police = Agency.objects.create(name="police " + code, kind=AgencyKind.POLICE, jurisdiction_id=code)
ombudsman = Agency.objects.create(name="ombudsman " + code, kind=AgencyKind.OMBUDSMAN,
                                  jurisdiction_id=code)
for role, agency in ((Role.INVESTIGATOR, police), (Role.FOCAL_POINT, police),
                     (Role.OVERSIGHT, ombudsman)):
    user = User.objects.create_user(code.lower() + "_" + role.value, password={password!r},
                                    role=role, agency=agency)
    ApiToken.issue(user, "loopback", raw="cr_loopback_" + code + "_" + role.value, scope="write")
print(json.dumps(own.public()))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_environment(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CROSSROADS_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update({"CROSSROADS_DATA_DIR": str(data_dir), "CROSSROADS_LOG_LEVEL": "ERROR",
                "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")})
    return env


def template_database(directory: Path) -> Path:
    """A migrated SQLite database and collected static files to copy (made once)."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", "from crossroads.cli import main; "
                    "main(['migrate', '--verbosity', '0']); "
                    "main(['collectstatic', '--noinput', '--verbosity', '0'])"],
                   env=base_environment(directory), check=True, timeout=600, capture_output=True)
    database = directory / "crossroads.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    return database


@dataclass
class Installation:
    name: str
    data_dir: Path
    env: dict
    port: int = 0
    server: subprocess.Popen | None = None
    worker: subprocess.Popen | None = None
    logs: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> Path:
        return self.data_dir / "crossroads.sqlite3"

    def cli(self, *args, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "crossroads.cli", *args], env=self.env,
                                capture_output=True, text=True, timeout=120)
        if check and result.returncode:
            raise AssertionError(f"{self.name}: crossroads {' '.join(args)} failed:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def _spawn(self, *args) -> subprocess.Popen:
        log = open(self.data_dir / f"{args[0]}-{len(self.logs)}.log", "w")  # noqa: SIM115
        self.logs.append(log)
        return subprocess.Popen([sys.executable, "-m", "crossroads.cli", *args], env=self.env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start(self, *extra) -> None:
        self.port = self.port or free_port()
        self.server = self._spawn("serve", "--port", str(self.port), "--threads", "4", *extra)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise AssertionError(f"{self.name} did not start: {self.read_logs()}")
            try:
                urllib.request.urlopen(self.url + "/login/", timeout=2).close()  # noqa: S310
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{self.name} did not answer on {self.url}")

    def start_worker(self) -> None:
        self.worker = self._spawn("exchange", "work", "--sleep", "0.3")

    @staticmethod
    def _kill(process: subprocess.Popen | None) -> None:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def kill_server(self) -> None:
        self._kill(self.server)
        self.server = None

    def kill_worker(self) -> None:
        self._kill(self.worker)
        self.worker = None

    def stop(self) -> None:
        self.kill_worker()
        self.kill_server()
        for log in self.logs:
            log.close()

    def read_logs(self) -> str:
        return "\n".join(Path(log.name).read_text()[-3000:] for log in self.logs)

    def api(self, method: str, path: str, role: str, payload=None) -> tuple[int, dict]:
        code = self.env["CROSSROADS_NODE_ID"]
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(  # noqa: S310 - http on loopback
            self.url + "/api/v1" + path, data=data, method=method,
            headers={"Authorization": f"Bearer cr_loopback_{code}_{role}",
                     "Content-Type": "application/json", "X-Purpose": "loopback test"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.database, timeout=30) as connection:
            return connection.execute(sql, params).fetchall()

    def execute(self, sql: str, *params) -> None:
        with sqlite3.connect(self.database, timeout=30) as connection:
            connection.execute(sql, params)


class Region:
    """A hub and nodes on loopback; `node(code)` adds a node registered at the hub."""

    def __init__(self, root: Path, template: Path):
        self.root, self.template = root, template
        self.secret = root / "exchange-secret"
        self.nodes: dict[str, Installation] = {}
        self.hub = self._install("hub", {"CROSSROADS_MODE": "hub"})
        self.hub.cli("keys", "init", "--node")
        self.hub_key = json.loads(self.hub.cli("keys", "show", "--node", "--json").stdout)["signing_key"]
        self.hub.start("--hub")

    def _install(self, name: str, extra: dict) -> Installation:
        data_dir = self.root / name
        data_dir.mkdir(parents=True)
        shutil.copy(self.template, data_dir / "crossroads.sqlite3")
        shutil.copytree(self.template.parent / "static", data_dir / "static")
        env = base_environment(data_dir) | {"CROSSROADS_EXCHANGE_RETRY_CAP": "1"} | extra
        return Installation(name, data_dir, env)

    def node(self, code: str) -> Installation:
        if not self.secret.exists():
            Installation("secret", self.root, base_environment(self.root)).cli(
                "exchange", "init-secret", str(self.secret))
        node = self._install(code, {
            "CROSSROADS_NODE_ID": code, "CROSSROADS_HUB_URL": self.hub.url,
            "CROSSROADS_HUB_SIGNING_KEY": self.hub_key,
            "CROSSROADS_EXCHANGE_SECRET_FILE": str(self.secret)})
        output = node.cli("shell", "-c", SETUP_NODE.format(code=code, password=PASSWORD)).stdout
        public = json.loads(output.strip().splitlines()[-1])
        self.hub.cli("exchange", "register-node", code, "--jurisdictions", code,
                     "--signing-key", public["signing_key"],
                     "--encryption-key", public["encryption_key"], "--key-id", public["key_id"])
        node.start()
        self.nodes[code] = node
        return node

    def stop(self) -> None:
        for installation in [*self.nodes.values(), self.hub]:
            installation.stop()


def wait_for(condition, timeout: float = 45, message: str = "condition", region=None):
    """Poll until `condition()` returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    logs = ""
    if region is not None:
        logs = "\n".join(f"--- {i.name}\n{i.read_logs()}" for i in [region.hub, *region.nodes.values()])
    raise AssertionError(f"timed out waiting for {message}\n{logs}")
