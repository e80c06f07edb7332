"""`crossroads tasks work`: run queued background tasks (whole-node deduplication)."""

import time

from django.core.management.base import BaseCommand

from crossroads.linkage.tasks import claim_next, run_dedupe


class Command(BaseCommand):
    help = "Run queued background tasks: `work` keeps polling, `work --once` empties the queue."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["work"])
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args, once=False, sleep=2.0, **options):
        while True:
            run = claim_next()
            if run is None:
                if once:
                    return
                time.sleep(sleep)
                continue
            self.stdout.write(f"deduplication run {run.pk} ({run.jurisdiction_id}) started")
            run = run_dedupe(run)
            self.stdout.write(f"deduplication run {run.pk}: {run.status}, "
                              f"{run.pairs_found} pair(s)")
