"""Settings shared by every environment; everything configurable comes from the environment."""

import json
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import data_dir, env, env_bool, env_list

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

# False here and in the test settings; True only in `production` (CROSSROADS_ENV=production).
# Without it a server refuses any address but loopback (`serve`), and only then may the demo
# commands create accounts with known passwords (`demo`, `regional demo-accounts`, `region up`).
CROSSROADS_PRODUCTION = False
SECRET_KEY = env("CROSSROADS_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("CROSSROADS_DEBUG", False)
ALLOWED_HOSTS = env_list("CROSSROADS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Keyed hashes for searching identity data without plaintext indexes.
BLIND_INDEX_KEY = env("CROSSROADS_BLIND_INDEX_KEY", "dev-only-blind-index-key")
# The keyring that encrypts identity fields at rest (outside the database). Outside production
# a missing keyring is created on first use.
CROSSROADS_KEY_FILE = env("CROSSROADS_KEY_FILE", str(DATA_DIR / "keys" / "keyring.json"))
CROSSROADS_CREATE_KEYRING = True
# Lowest match probability shown as "possibly the same as" and queued for review.
CROSSROADS_LINK_THRESHOLD = float(env("CROSSROADS_LINK_THRESHOLD", "0.8"))
# Duplicate detection after a registration or an edit: a background task (the worker,
# `crossroads tasks work`, runs it) so that the save answers fast; off, it runs in the request.
CROSSROADS_DUPLICATES_IN_BACKGROUND = env_bool("CROSSROADS_DUPLICATES_IN_BACKGROUND", True)
# Releases: their folder, and the total ε of each dataset's privacy budget (statistics/ledger.py).
CROSSROADS_RELEASE_DIR = env("CROSSROADS_RELEASE_DIR", str(DATA_DIR / "releases"))
# Files of imports waiting for or under way (crossroads.imports), sealed with the keyring.
CROSSROADS_IMPORT_DIR = env("CROSSROADS_IMPORT_DIR", str(DATA_DIR / "imports"))
CROSSROADS_PRIVACY_BUDGET = env("CROSSROADS_PRIVACY_BUDGET", "5")
# Cross-border exchange (docs/exchange.md): `node` (default) or `hub` (`serve --hub` sets it).
CROSSROADS_MODE = env("CROSSROADS_MODE", "node")
CROSSROADS_NODE_ID = env("CROSSROADS_NODE_ID", "")
CROSSROADS_HUB_URL = env("CROSSROADS_HUB_URL", "")
# The hub's public signing key (base64), the trust anchor a node checks the directory against.
CROSSROADS_HUB_SIGNING_KEY = env("CROSSROADS_HUB_SIGNING_KEY", "")
CROSSROADS_NODE_KEY_FILE = env("CROSSROADS_NODE_KEY_FILE", str(DATA_DIR / "keys" / "node.json"))
CROSSROADS_EXCHANGE_SECRET_FILE = env("CROSSROADS_EXCHANGE_SECRET_FILE",
                                      str(DATA_DIR / "keys" / "exchange-secret"))
# Longest wait (seconds) between two delivery attempts of one message.
CROSSROADS_EXCHANGE_RETRY_CAP = float(env("CROSSROADS_EXCHANGE_RETRY_CAP", "900"))
# The hub raises a `silent` witness alert when a node's last audit head is older than this many
# hours (nodes send one every five minutes; docs/exchange.md, "The witness speaks").
CROSSROADS_WITNESS_SILENCE = max(1.0, float(env("CROSSROADS_WITNESS_SILENCE", "26")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "ninja",  # serves the bundled Swagger UI files: the API docs load nothing from a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "crossroads.keys",
    "crossroads.access",
    "crossroads.audit",
    "crossroads.jobs",
    "crossroads.registry",
    "crossroads.linkage",
    "crossroads.investigations",
    "crossroads.imports",
    "crossroads.networks",
    "crossroads.tips",
    "crossroads.monitor",  # before statistics: its `report` command adds `annual`
    "crossroads.statistics",
    "crossroads.campaigns",
    "crossroads.assistance",
    "crossroads.field",
    "crossroads.regional",
    "crossroads.oversight",
    "crossroads.exchange",
    "crossroads.web",
    "crossroads.demo",
]

# Background jobs (crossroads.jobs): django-tasks with its database backend, so that a job and
# its task row are written in one transaction; `crossroads tasks work` is the worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    # First: refuses a flood of public posts before anything else is spent on it.
    "crossroads.tips.gate.PublicGate",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "crossroads.web.middleware.PurposeMiddleware",
    "crossroads.web.middleware.SecondFactorMiddleware",
    "crossroads.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Lock-out after repeated failures of a password, a second-factor code or an API token
# (django-axes counts them per user name and address; see crossroads.api.BearerToken).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "crossroads.access.backends.AccountBackend",  # ModelBackend, refusing inactive agencies
]
AXES_FAILURE_LIMIT = int(env("CROSSROADS_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(env("CROSSROADS_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crossroads.access.views.lockout.locked_out"
AXES_VERBOSE = False
# What axes records of an attempt: no query string, no form fields, no concrete path (they carry
# search terms and document numbers); see crossroads.access.lockout.
AXES_HANDLER = "crossroads.access.lockout.RedactingAxesHandler"
OTP_TOTP_ISSUER = "Crossroads"
# Guessing codes is bounded by the lock-out above (user name and address, like passwords);
# django-otp's own throttle on top refused even the right code for a moment after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

ROOT_URLCONF = "crossroads.urls"
WSGI_APPLICATION = "crossroads.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crossroads.web.context.navigation",
            ],
        },
    },
]


def database_config(url: str | None) -> dict:
    """PostgreSQL when DATABASE_URL says so, else an embedded SQLite file in WAL mode."""
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "crossroads.sqlite3")}
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    return config


DATABASES = {"default": database_config(env("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Activation and password-reset links (access/activation.py) are valid this long.
CROSSROADS_ACTIVATION_HOURS = int(env("CROSSROADS_ACTIVATION_HOURS", "72"))
SESSION_COOKIE_AGE = int(env("CROSSROADS_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms carry the token, the API docs get it in the page.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything from the node itself, no inline script or
# style, no framing. htmx is configured in base.html not to inject its indicator <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Requests stay small (registration forms are a few KB). The uploads are an evidence file of
# a case log (crossroads.investigations) and a register to import (crossroads.imports), one per
# request, kept in memory only (never in a temporary file on disk: each is stored encrypted)
# and refused past the evidence limit (a larger register: `crossroads import cases`).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
DATA_UPLOAD_MAX_NUMBER_FILES = 1
CROSSROADS_EVIDENCE_MAX_BYTES = int(env("CROSSROADS_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = CROSSROADS_EVIDENCE_MAX_BYTES + 64 * 1024  # the multipart framing

# Error reports (e-mails, debug pages) never show request parameters or local variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "crossroads.web.privacy.RedactingExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "crossroads.web.privacy.RedactingExceptionReporter"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sq", _("Albanian")),
    ("sr-latn", _("Serbian (Latin)")),
    ("sr-cyrl", _("Serbian (Cyrillic)")),
    ("mk", _("Macedonian")),
    ("bs", _("Bosnian")),
]
# Each language named in itself in the switcher, so a reader finds their own.
LANGUAGE_ENDONYMS = {"en": "English", "sq": "Shqip", "sr-latn": "Srpski (latinica)",
                     "sr-cyrl": "Српски (ћирилица)", "mk": "Македонски", "bs": "Bosanski"}
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Date and number formats completing Django's own (sq, bs), next to the catalogues.
FORMAT_MODULE_PATH = ["crossroads.locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Belgrade"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Request URLs carry names (person search), so query strings and request objects are
# removed from log records before any handler sees them (crossroads.web.privacy).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "crossroads.web.privacy.RedactRequestData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "loggers": {
        name: {"filters": ["redact"]}
        for name in ("django.request", "django.security", "django.security.csrf", "gunicorn.error")
    } | {"django.server": {"handlers": ["console"], "filters": ["redact"], "level": "INFO",
                           "propagate": False}},
    "root": {"handlers": ["console"], "level": env("CROSSROADS_LOG_LEVEL", "WARNING")},
}

# Page sizes for lists (API and pages).
CROSSROADS_PAGE_SIZE = 50
# Statistics: cells of 1 to this minus one are suppressed in every table that leaves the node.
CROSSROADS_SUPPRESSION_THRESHOLD = max(2, int(env("CROSSROADS_SUPPRESSION_THRESHOLD", "5")))
# Synthetic microdata whose fidelity (1 minus the largest distance between a column's real and
# synthetic distributions, statistics/fidelity.py) is below this are refused, with the reason.
CROSSROADS_SYNTHETIC_FIDELITY_FLOOR = float(env("CROSSROADS_SYNTHETIC_FIDELITY_FLOOR", "0.8"))
# Differentially private releases protect a person (their privacy unit): each person gives at
# most this many rows (their earliest records), and the noise is scaled for it.
CROSSROADS_DP_ROWS_PER_PERSON = max(1, int(env("CROSSROADS_DP_ROWS_PER_PERSON", "1")))
# A year written since the dashboards' summary last counted it is shown from those counts,
# with their time, while they are at most this many seconds old; older, it is counted live.
CROSSROADS_SUMMARY_MAX_AGE = max(0, int(env("CROSSROADS_SUMMARY_MAX_AGE", "300")))
# Reminder e-mails (counts only, no names): off unless the operator has a mail server.
CROSSROADS_REMINDER_EMAILS = env_bool("CROSSROADS_REMINDER_EMAILS", False)
CROSSROADS_BASE_URL = env("CROSSROADS_BASE_URL", "")   # the node's address, for e-mails
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "crossroads@localhost")
CROSSROADS_MAX_PAGE_SIZE = 200
# How long the first answer to a POST with an Idempotency-Key is kept for retries.
CROSSROADS_IDEMPOTENCY_HOURS = max(1, int(env("CROSSROADS_IDEMPOTENCY_HOURS", "24")))
# Field capture (crossroads.field): how long a device may capture offline after its last log-in
# before its drafts are wiped, and how many wrong PINs wipe them at once.
CROSSROADS_FIELD_OFFLINE_HOURS = max(1, int(env("CROSSROADS_FIELD_OFFLINE_HOURS", "12")))
CROSSROADS_FIELD_PIN_ATTEMPTS = max(1, int(env("CROSSROADS_FIELD_PIN_ATTEMPTS", "5")))
# Reports from the public (crossroads.tips): in-memory budgets per minute, (per address, whole
# node), of filing, looking up a receipt and replying; beyond them the answer is a 429.
CROSSROADS_TIPS_LIMITS = {"submit": (5, 120), "lookup": (10, 300), "reply": (10, 300)}

# Oversight (crossroads.oversight): the alert rules' thresholds, any of which this dict
# overrides (the defaults are in oversight/detection.py and shown on /oversight/thresholds/);
# CROSSROADS_OVERSIGHT_THRESHOLDS takes JSON, e.g. '{"volume_factor": 4}'. The worker runs the
# rules every CROSSROADS_OVERSIGHT_SCAN_MINUTES (0: never; `crossroads oversight scan` runs them).
CROSSROADS_OVERSIGHT_THRESHOLDS = json.loads(env("CROSSROADS_OVERSIGHT_THRESHOLDS", "{}"))
CROSSROADS_OVERSIGHT_SCAN_MINUTES = max(0, int(env("CROSSROADS_OVERSIGHT_SCAN_MINUTES", "60")))
# Purpose of access (crossroads.registry.purpose): a purpose stated for a person (or for the
# name search) on a page holds for that object in the session for this many minutes.
CROSSROADS_PURPOSE_MINUTES = max(1, int(env("CROSSROADS_PURPOSE_MINUTES", "30")))
# Public requests one server process works on at once (crossroads.tips.gate): fewer than the
# threads of `serve` (4), so that a flood never holds every thread the staff need.
CROSSROADS_TIPS_CONCURRENCY = max(1, int(env("CROSSROADS_TIPS_CONCURRENCY", "2")))
# The gate itself; off only to measure without it (bench/tips/flood.py --no-gate).
if not env_bool("CROSSROADS_TIPS_GATE", True):
    MIDDLEWARE.remove("crossroads.tips.gate.PublicGate")
