"""Where a demo region lives: one data directory, database and port per instance."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from crossroads.settings.env import data_dir

from .processes import HOST

HUB = "HUB"
# Variables of the caller that must not leak into an instance: each has its own SQLite
# database, keyring and exchange keys inside its data directory, and runs the demo settings.
PRIVATE_VARIABLES = ("DATABASE_URL", "CROSSROADS_KEY_FILE", "CROSSROADS_ENV",
                     "DJANGO_SETTINGS_MODULE", "CROSSROADS_NODE_KEY_FILE",
                     "CROSSROADS_EXCHANGE_SECRET_FILE", "CROSSROADS_MODE", "CROSSROADS_NODE_ID",
                     "CROSSROADS_HUB_URL", "CROSSROADS_HUB_SIGNING_KEY", "CROSSROADS_DATA_DIR")


def region_dir() -> Path:
    """`<data dir>/region`: the region's instances, its state file and logs."""
    return data_dir() / "region"


def state_file() -> Path:
    return region_dir() / "state.json"


@dataclass
class Instance:
    code: str  # HUB or a jurisdiction code
    port: int
    root: Path  # the region directory
    settings: dict = field(default_factory=dict)  # its exchange configuration (environment)

    @property
    def is_hub(self) -> bool:
        return self.code == HUB

    @property
    def data_dir(self) -> Path:
        return self.root / self.code.lower()

    @property
    def database(self) -> Path:
        return self.data_dir / "crossroads.sqlite3"

    @property
    def logins_file(self) -> Path:
        return self.data_dir / "demo-logins.json"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def log(self, name: str) -> Path:
        return self.root / "logs" / f"{self.code.lower()}-{name}.log"

    def env(self, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in PRIVATE_VARIABLES}
        env["CROSSROADS_DATA_DIR"] = str(self.data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        env.update(self.settings)
        env.update(extra or {})
        return env
