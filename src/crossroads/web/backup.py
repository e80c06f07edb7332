"""`crossroads backup --out FILE` and `crossroads restore FILE`: the whole database in an
encrypted archive (`keys.archive`), and back.

SQLite is copied with its online backup API (consistent while the node serves, WAL mode);
PostgreSQL with `pg_dump --format=custom`, whose output is sealed as it streams, so no
plaintext dump touches the disk. A restore first opens the whole archive into a private
temporary directory (nothing is touched if any chunk fails), then replaces the database —
SQLite through the backup API, PostgreSQL with `pg_restore --clean --if-exists
--single-transaction --exit-on-error` (all or nothing; `--if-exists` lets it run on an empty
database) — and walks the audit chain of what it restored. The key files are not in the
archive: they are kept in escrow apart from it (docs/operations.md, "Backups").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.audit.verification import VerifyResult, verify_chain
from crossroads.keys import archive

VENDORS = ("sqlite", "postgresql")


class BackupError(Exception):
    """A clear reason why a backup or a restore was not made."""


@dataclass
class Restored:
    header: dict
    chain: VerifyResult


def _vendor() -> str:
    if connection.vendor not in VENDORS:
        raise BackupError(f"backups of a {connection.vendor} database are not supported")
    return connection.vendor


@contextmanager
def _private_dir():
    path = Path(tempfile.mkdtemp(prefix="crossroads-"))  # mode 0700
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _pg_env() -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _pg_failed(what: str, result_stderr: bytes) -> BackupError:
    tail = result_stderr.decode(errors="replace").strip().splitlines()[-5:]
    return BackupError(f"{what} failed: " + " / ".join(tail))


def _meta(vendor: str) -> dict:
    return {"vendor": vendor, "created": timezone.now().isoformat(),
            "node": getattr(settings, "CROSSROADS_NODE_ID", "") or "",
            "mode": getattr(settings, "CROSSROADS_MODE", "node")}


def backup(out: Path) -> dict:
    """Write the encrypted archive of the database to `out` (owner-only; refused if it exists).
    The backup is audited first, so that the archive holds its own entry."""
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} exists; choose a new file name")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a directory")
    vendor = _vendor()
    record(None, Action.EXPORT, object_type="database", purpose="backup",
           details={"file": out.name, "vendor": vendor})
    meta = _meta(vendor)
    partial = out.with_name(out.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as sink:
            size = _dump_sqlite(sink, meta) if vendor == "sqlite" else _dump_postgres(sink, meta)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return {**meta, "bytes": size, "file": str(out)}


def _dump_sqlite(sink, meta: dict) -> int:
    with _private_dir() as tmp:
        copy = tmp / "copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)  # the online backup API, page by page
        finally:
            target.close()
        with copy.open("rb") as plain:
            return archive.encrypt(plain, sink, meta)


def _dump_postgres(sink, meta: dict) -> int:
    dump = subprocess.Popen(["pg_dump", "--format=custom", "--no-password"],  # noqa: S607
                            env=_pg_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    size = archive.encrypt(dump.stdout, sink, meta)
    _out, err = dump.communicate()
    if dump.returncode != 0:
        raise _pg_failed("pg_dump", err)
    return size


def restore(path: Path) -> Restored:
    """Replace the database with the archive's content; then verify the audit chain."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    vendor = _vendor()
    with _private_dir() as tmp:
        plain = tmp / "restore"
        try:
            with path.open("rb") as sealed, plain.open("wb") as out:
                header = archive.decrypt(sealed, out)
        except archive.ArchiveError as error:
            raise BackupError(f"{path}: {error}") from None
        if header.get("vendor") != vendor:
            raise BackupError(f"{path} is a {header.get('vendor')} backup; this node runs on "
                              f"{vendor}")
        if vendor == "sqlite":
            _load_sqlite(plain)
        else:
            connections.close_all()  # no session of ours holds a lock pg_restore waits for
            _load_postgres(plain)
    connections.close_all()
    chain = verify_chain()
    record(None, Action.UPDATE, object_type="database", purpose="restore",
           details={"file": path.name, "backup_created": header.get("created", ""),
                    "chain_intact": chain.ok})
    return Restored(header, chain)


def _load_sqlite(plain: Path) -> None:
    source = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the backup's database does not pass SQLite's integrity check")
        connection.ensure_connection()
        source.backup(connection.connection)  # the whole file, under SQLite's own lock
    finally:
        source.close()


def _load_postgres(plain: Path) -> None:
    result = subprocess.run(  # noqa: S603
        ["pg_restore", "--clean", "--if-exists", "--single-transaction",  # noqa: S607
         "--exit-on-error", "--no-owner", "--no-privileges", "--no-password",
         "--dbname", connection.settings_dict["NAME"], str(plain)],
        env=_pg_env(), capture_output=True, check=False)
    if result.returncode != 0:
        raise _pg_failed("pg_restore (nothing was changed)", result.stderr)
