"""The exchange-specific steps of bringing a region up (keys, registration, sync)."""

from __future__ import annotations

from .layout import Instance
from .processes import HOST


def setup_hub(hub: Instance, run_step) -> None:
    run_step(hub, "migrate", ["migrate", "--no-input"])
    run_step(hub, "accounts", ["regional", "accounts", "--logins", str(hub.logins_file)])


def link(hub: Instance, nodes: list[Instance], run_step) -> None:
    """Register each node's public keys at the hub, and the hub's at each node."""


def environment(instance: Instance, hub: Instance) -> dict:
    return {}


def processes(instance: Instance, hub: Instance) -> list[tuple[str, list[str]]]:
    serve = ["serve", "--host", HOST, "--port", str(instance.port), "--threads", "4"]
    return [("serve", serve)]


def after_start(hub: Instance, nodes: list[Instance], run_step) -> None:
    """Send each node's encodings and wait until the hub has compared them."""
