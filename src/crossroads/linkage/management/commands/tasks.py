"""`crossroads tasks work`: run queued background tasks (whole-node deduplication, reminders
of protection timers); `crossroads tasks remind` queues a reminder run (e.g. daily, by cron)."""

import time

from django.core.management.base import BaseCommand

from crossroads.assistance import tasks as assistance_tasks
from crossroads.linkage.tasks import claim_next, run_dedupe


class Command(BaseCommand):
    help = ("Run queued background tasks: `work` keeps polling, `work --once` empties the queue; "
            "`remind` queues a reminder run.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["work", "remind"])
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args, action="work", once=False, sleep=2.0, **options):
        if action == "remind":
            run = assistance_tasks.queue_reminders()
            self.stdout.write(f"reminder run {run.pk} queued")
            return
        while True:
            if not (self._dedupe() or self._reminders()):
                if once:
                    return
                time.sleep(sleep)

    def _dedupe(self) -> bool:
        run = claim_next()
        if run is None:
            return False
        self.stdout.write(f"deduplication run {run.pk} ({run.jurisdiction_id}) started")
        run = run_dedupe(run)
        self.stdout.write(f"deduplication run {run.pk}: {run.status}, "
                          f"{run.pairs_found} pair(s)")
        return True

    def _reminders(self) -> bool:
        run = assistance_tasks.claim_next()
        if run is None:
            return False
        run = assistance_tasks.run_reminders(run)
        self.stdout.write(f"reminder run {run.pk}: {run.status}, {run.reminders} reminder(s)")
        return True
