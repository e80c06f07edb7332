"""What the benchmarks that seed a node of their own share: a fresh working directory and the
environment of a node whose data lives there (SQLite unless the caller adds DATABASE_URL)."""

import os
import shutil
from pathlib import Path


def fresh_node_env(workdir: Path) -> dict:
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CROSSROADS_ENV"}}
    env["CROSSROADS_DATA_DIR"] = str(workdir)
    return env
