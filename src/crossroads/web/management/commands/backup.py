"""`crossroads backup --out FILE`: the database in an encrypted archive (web/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossroads.keys.keyring import KeyringError
from crossroads.web import backup


class Command(BaseCommand):
    help = ("Write an encrypted archive of the whole database (SQLite online backup or "
            "pg_dump), sealed with a key from the node's keyring; restore it with "
            "`crossroads restore FILE`.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the archive to write (a new file)")

    def handle(self, *args, out, **options):
        try:
            made = backup.backup(Path(out))
        except (backup.BackupError, KeyringError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backup of the {made['vendor']} database written to {out} "
                          f"({made['bytes']} bytes before encryption, {made['created']}); "
                          "keep the keyring in escrow apart from it")
