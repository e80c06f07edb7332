"""`crossroads restore FILE`: replace the database with a backup, then verify the audit
chain (web/backup.py). Stop the node's servers and workers first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crossroads.keys.keyring import KeyringError
from crossroads.web import backup


class Command(BaseCommand):
    help = ("Replace the database with an archive from `crossroads backup` (all or nothing), "
            "then walk the audit chain; exit 1 if the chain does not verify.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="an archive written by `crossroads backup --out`")

    def handle(self, *args, file, **options):
        try:
            restored = backup.restore(Path(file))
        except (backup.BackupError, KeyringError) as error:
            raise CommandError(str(error)) from None
        chain = restored.chain
        self.stdout.write(f"restored the backup of {restored.header.get('created')} "
                          f"({restored.header.get('vendor')})")
        if chain.ok:
            self.stdout.write(f"audit chain intact: {chain.checked} entries verified")
            return
        self.stderr.write(f"audit chain BROKEN at entry {chain.broken_id}: {chain.reason}; "
                          "run `crossroads audit verify` for every problem")
        raise SystemExit(1)
