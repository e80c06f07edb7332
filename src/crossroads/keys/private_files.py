"""Files that hold secrets (keyrings, node keys, the encoding secret, region logins): written
atomically, readable by the owner alone from the moment they exist."""

import os
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`; the file is never seen half-written or with wider rights."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)
