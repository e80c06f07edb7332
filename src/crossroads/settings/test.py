"""Settings for the test suite: fast hashing, in-memory SQLite unless DATABASE_URL is set."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_config, env

# Each test process gets its own keyring, created on first use.
CROSSROADS_KEY_FILE = str(Path(tempfile.mkdtemp(prefix="crossroads-keys-")) / "keyring.json")
CROSSROADS_RELEASE_DIR = tempfile.mkdtemp(prefix="crossroads-releases-")
CROSSROADS_IMPORT_DIR = tempfile.mkdtemp(prefix="crossroads-imports-")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests that read duplicates right after a save; tests/linkage/test_background_detection.py
# runs the background path.
CROSSROADS_DUPLICATES_IN_BACKGROUND = False
DATABASES = {"default": database_config(env("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": None}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The scan's schedule is off in tests (tests/oversight/test_schedule.py turns it on itself).
CROSSROADS_OVERSIGHT_SCAN_MINUTES = 0
