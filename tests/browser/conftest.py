"""A real demo node served by `crossroads serve`, and Debian's Chromium driven by Playwright.

The node is a subprocess on its own SQLite file (the audit table refuses DELETE, so the
transactional flushes of pytest-django's live server cannot be used). The browser is the
system's /usr/bin/chromium: no browser is ever downloaded. Without it the tests are skipped
with a reason, except on CI (CI set), where a missing browser is a failure.

CROSSROADS_SCREENSHOTS=DIR makes the flow tests save PNGs of the main pages into DIR.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.browserkit import log_in

CHROMIUM = os.environ.get("CROSSROADS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 860}
DEMO_SEED, DEMO_CASES = 11, 40
NODE_SETTINGS = """from crossroads.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright keeps an event loop running in the process, after which
    Django refuses synchronous database calls. `make test` runs them in a process of their own;
    this keeps a plain `pytest` over the whole tree working too."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI must run the browser tests (install it with "
                    "scripts/system-packages.sh)", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (scripts/system-packages.sh installs it)")


@dataclass
class Node:
    url: str
    logins: dict  # username -> login record from `crossroads demo --logins`
    data_dir: Path

    def login(self, username: str) -> dict:
        return self.logins[username]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _crossroads() -> list[str]:
    script = Path(sys.executable).with_name("crossroads")
    return [str(script)] if script.exists() else [sys.executable, "-m", "crossroads.cli"]


@pytest.fixture(scope="session")
def node(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("node")
    # The development settings on SQLite in the node's own data directory (database, keyring and
    # static files shared by `demo` and `serve`), with fast password hashing so that seeding and
    # logging in stay quick.
    (data_dir / "browser_node_settings.py").write_text(NODE_SETTINGS)
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CROSSROADS_ENV", "CROSSROADS_KEY_FILE"}}
    env.update(CROSSROADS_DATA_DIR=str(data_dir), CROSSROADS_DEBUG="0",
               DJANGO_SETTINGS_MODULE="browser_node_settings",
               PYTHONPATH=os.pathsep.join([str(data_dir), *filter(None, [env.get("PYTHONPATH")])]))
    logins_file = data_dir / "logins.json"
    subprocess.run([*_crossroads(), "demo", "--seed", str(DEMO_SEED), "--cases", str(DEMO_CASES),
                    "--logins", str(logins_file)], env=env, check=True, cwd=data_dir,
                   stdout=subprocess.DEVNULL)
    port = _free_port()
    log = (data_dir / "serve.log").open("w")
    server = subprocess.Popen([*_crossroads(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, cwd=data_dir, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # migrate and collectstatic first: slow on a busy machine
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("crossroads serve did not start:\n"
                                   + (data_dir / "serve.log").read_text())
            time.sleep(0.2)
        logins = {entry["username"]: entry for entry in json.loads(logins_file.read_text())}
        yield Node(url=url, logins=logins, data_dir=data_dir)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, node):
    """Open pages in fresh browser contexts (no cookies); closed after the test, which fails if a
    page broke its own Content-Security-Policy."""
    contexts, csp_violations = [], []

    def on_console(message):
        if "Content Security Policy" in message.text:
            csp_violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def open_page(*, viewport=None, storage_state=None):
        context = browser.new_context(viewport=viewport or VIEWPORT, base_url=node.url,
                                      storage_state=storage_state, locale="en-GB",
                                      timezone_id="Europe/Belgrade")
        context.set_default_timeout(10_000)
        context.on("console", on_console)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture(scope="session")
def sessions(browser, node):
    """Log each user in once (through the log-in page) and keep the cookies for later contexts."""
    states = {}

    def storage_state(username: str) -> dict:
        if username not in states:
            context = browser.new_context(base_url=node.url)
            page = context.new_page()
            log_in(page, node.login(username))
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return storage_state
