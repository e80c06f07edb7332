"""Issue 23 (operations): `crossroads backup --out FILE` and `crossroads restore FILE`, a
restore drill on the suite's database (SQLite or PostgreSQL): what was written after the
backup is gone, what was before is back, the audit chain verifies, and an altered, truncated
or foreign archive is refused with the database untouched."""

import io
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from crossroads.access.models import Agency
from crossroads.audit.choices import Action
from crossroads.audit.models import AuditEntry
from crossroads.audit.services import record
from crossroads.keys import archive, keyring


def _agency(name: str) -> Agency:
    return Agency.objects.create(name=name, kind="coordinator", jurisdiction_id="AL")


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def backed_up(committing_db, tmp_path):
    _agency("Before the backup")
    record(None, Action.CREATE, object_type="drill", details={"step": "before"})
    path = tmp_path / "node.backup"
    said = _run("backup", "--out", str(path))
    assert "backup of the" in said and path.is_file()
    return path


def test_restore_drill_brings_back_the_backed_up_state_and_the_chain_verifies(backed_up):
    entries = AuditEntry.objects.count()
    _agency("After the backup")
    record(None, Action.CREATE, object_type="drill", details={"step": "after"})
    said = _run("restore", str(backed_up))
    assert "audit chain intact" in said
    assert set(Agency.objects.values_list("name", flat=True)) == {"Before the backup"}
    assert AuditEntry.objects.count() == entries + 1  # the restore's own entry
    assert AuditEntry.objects.order_by("-seq").first().purpose == "restore"
    assert "audit chain intact" in _run("audit_verify")


def test_the_archive_is_encrypted_and_owner_only(backed_up):
    assert stat.S_IMODE(os.stat(backed_up).st_mode) == 0o600
    body = backed_up.read_bytes()
    assert body.startswith(archive.MAGIC)
    for clear in (b"Before the backup", b"SQLite format 3", b"PGDMP", b"audit_auditentry"):
        assert clear not in body


def test_a_second_backup_to_the_same_file_is_refused(backed_up):
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", "--out", str(backed_up))


@pytest.mark.parametrize("damage", ["flip", "truncate", "drop_tail"])
def test_an_altered_or_truncated_archive_is_refused_and_nothing_changes(backed_up, damage):
    body = bytearray(backed_up.read_bytes())
    if damage == "flip":
        body[len(body) // 2] ^= 1
    elif damage == "truncate":
        del body[len(body) - 100:]
    else:  # cut exactly at a chunk boundary when the payload spans several chunks
        del body[-archive.TAG - 1:]
    backed_up.write_bytes(bytes(body))
    _agency("After the backup")
    with pytest.raises(CommandError, match="altered or truncated|damaged"):
        call_command("restore", str(backed_up))
    assert Agency.objects.filter(name="After the backup").exists()


def test_an_archive_sealed_under_another_keyring_does_not_open(backed_up, tmp_path):
    other = keyring.create_keyring(tmp_path / "other-keyring.json")
    with backed_up.open("rb") as sealed, pytest.raises(archive.ArchiveError, match="does not hold"):
        archive.decrypt(sealed, io.BytesIO(), keys=other)


def test_archive_chunks_cannot_be_reordered_or_cut_at_a_boundary(monkeypatch, db):
    monkeypatch.setattr(archive, "CHUNK", 64)
    plain = os.urandom(64 * 3)
    sealed = io.BytesIO()
    archive.encrypt(io.BytesIO(plain), sealed, {"vendor": "test"})
    opened = io.BytesIO()
    archive.decrypt(io.BytesIO(sealed.getvalue()), opened)
    assert opened.getvalue() == plain
    _header, head = archive.read_header(io.BytesIO(sealed.getvalue()))
    body = sealed.getvalue()[len(head):]
    size = 64 + archive.TAG
    chunks = [body[i:i + size] for i in range(0, len(body), size)]
    for forged in (chunks[1] + chunks[0] + chunks[2], chunks[0] + chunks[1] + chunks[2][:0],
                   b"".join(chunks[:3])):
        if forged == body:
            continue
        with pytest.raises(archive.ArchiveError):
            archive.decrypt(io.BytesIO(head + forged), io.BytesIO())


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="pg_restore: PostgreSQL only")
def test_restore_into_a_fresh_postgresql_database(backed_up, settings, tmp_path):
    """The documented `pg_restore --clean` exited 1 on an empty database (nothing to drop):
    `crossroads restore` runs on a fresh database and its chain verifies there."""
    import subprocess
    import sys

    from django.db import connection

    fresh = f"{connection.settings_dict['NAME']}_fresh"
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"{base}/{fresh}",
               "CROSSROADS_KEY_FILE": settings.CROSSROADS_KEY_FILE,
               "CROSSROADS_DATA_DIR": str(tmp_path)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        done = subprocess.run([sys.executable, "-m", "crossroads.cli", "restore", str(backed_up)],
                              env=env, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        assert "audit chain intact" in done.stdout
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
