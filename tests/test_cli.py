"""`crossroads` as an operator runs it: from any directory, configured by environment alone."""

import os
import sqlite3
import subprocess
import sys

import pytest


@pytest.fixture
def node(tmp_path):
    env = {**os.environ, "CROSSROADS_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "crossroads.cli", *args], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)

    run.database = tmp_path / "data" / "crossroads.sqlite3"
    run.cwd = tmp_path
    return run


def test_help_lists_the_commands(node):
    result = node("--help")
    assert result.returncode == 0
    for command in ("serve", "demo", "audit verify", "link", "dedupe"):
        assert command in result.stdout


def test_help_names_every_command_of_the_project():
    """Each management command the project ships is in the usage text (`audit_verify` as
    `audit verify`), so an operator finds `oversight scan` without reading the code."""
    from pathlib import Path

    import crossroads
    from crossroads.cli import USAGE

    shipped = {path.stem.replace("_", " ") if path.stem.startswith("audit_") else path.stem
               for path in
               Path(crossroads.__file__).parent.glob("*/management/commands/*.py")
               if path.stem != "__init__"}
    assert shipped and not {c for c in shipped if f"  {c} " not in USAGE}


def test_demo_then_tampering_makes_audit_verify_fail(node):
    seeded = node("demo", "--seed", "3", "--cases", "20")
    assert seeded.returncode == 0, seeded.stderr
    assert (node.cwd / "demo-logins.json").exists()
    assert "al_investigator" in seeded.stdout
    intact = node("audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    with sqlite3.connect(node.database) as db:
        db.execute("DROP TRIGGER audit_entry_no_update")
        target = db.execute("SELECT id FROM audit_auditentry ORDER BY id LIMIT 1").fetchone()[0]
        db.execute("UPDATE audit_auditentry SET actor = 'nobody' WHERE id = ?", (target,))
    broken = node("audit", "verify")
    assert broken.returncode == 1
    assert f"BROKEN at entry {target}" in broken.stderr


def test_database_file_uses_wal(node):
    assert node("migrate", "-v", "0").returncode == 0
    with sqlite3.connect(node.database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_file_holds_no_demo_name_or_number(node):
    assert node("demo", "--seed", "4", "--cases", "30").returncode == 0
    listing = node("shell", "-c", (
        "from crossroads.registry.models import Person, IdentityDocument\n"
        "for p in Person.objects.all()[:60]: print(p.given_names); print(p.family_name)\n"
        "for d in IdentityDocument.objects.all()[:30]: print(d.number)"))
    # Six characters at least: a shorter name turns up by chance inside base64 ciphertexts.
    values = {v for v in listing.stdout.split("\n")[1:] if len(v) >= 6}
    assert len(values) > 25
    stored = b"".join(path.read_bytes() for path in node.database.parent.glob("crossroads.sqlite3*"))
    # Jurisdiction and agency names are public reference data ("Alban" is in "Albania").
    public = node("shell", "-c", (
        "from crossroads.access.models import Agency, Jurisdiction\n"
        "print(*Jurisdiction.objects.values_list('name', flat=True), "
        "*Agency.objects.values_list('name', flat=True))")).stdout
    leaked = [v for v in values if v.encode() in stored and v not in public]
    assert leaked == []


def test_createadmin_makes_the_first_administrators(node, tmp_path):
    assert node("migrate", "-v", "0").returncode == 0
    secret = tmp_path / "password"
    secret.write_text("a-long-Enough-passphrase-42\n")
    made = node("createadmin", "admin_one", "--jurisdiction", "ME", "--agency",
                "Coordinator's Office", "--password-file", str(secret))
    assert made.returncode == 0, made.stderr
    assert "administrator admin_one created" in made.stdout
    again = node("createadmin", "admin_one", "--jurisdiction", "ME", "--agency", "X",
                 "--password-file", str(secret))
    assert again.returncode != 0 and "taken" in again.stderr
    secret.write_text("short")
    weak = node("createadmin", "admin_two", "--jurisdiction", "ME", "--agency", "X",
                "--password-file", str(secret))
    assert weak.returncode != 0
    assert node("audit", "verify").returncode == 0
