"""The demo's accounts have passwords, tokens and authenticator secrets printed and written to
files: they exist only outside production settings (finding 12 of issue 13)."""

from django.conf import settings
from django.core.management.base import CommandError

PRODUCTION_REFUSAL = (
    "`crossroads {command}` creates accounts with known passwords and is unavailable under "
    "production settings (CROSSROADS_ENV=production). Create real accounts with "
    "`crossroads createadmin` and the accounts page; run the demo on a separate, "
    "non-production installation on 127.0.0.1 (`make demo`, `make region`).")


def refuse_in_production(command: str) -> None:
    """Raise a CommandError naming what to do instead, under production settings."""
    if getattr(settings, "CROSSROADS_PRODUCTION", False):
        raise CommandError(PRODUCTION_REFUSAL.format(command=command))
