"""`crossroads tasks work`: run queued background jobs (whole-node deduplication, releases,
reminders of protection timers, recounts of the dashboards' summary where records changed),
one line when each starts and one when it ends; `work --once` stops when nothing is left,
`--sleep S` is the pause between rounds when idle. The other actions are declared by the
apps' `tasks.py` (`jobs.kinds.action`): `tasks remind` queues a reminder run (e.g. daily, by
cron); `tasks recount` has the whole summary recounted (after a restore that bypassed its
triggers)."""

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from crossroads.jobs import kinds
from crossroads.jobs.worker import JobWorker


class Command(BaseCommand):
    help = "Run queued background jobs: `work` keeps polling, `work --once` empties the queue."

    def add_arguments(self, parser):
        autodiscover_modules("tasks")  # every app's tasks, periodic sources and actions
        actions = kinds.actions()
        parser.add_argument("action", choices=["work", *actions],
                            help="; ".join(["work: run queued jobs",
                                            *(f"{name}: {h}" for name, (h, _f) in actions.items())]))
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args, action="work", once=False, sleep=2.0, **options):
        autodiscover_modules("tasks")
        if action != "work":
            self.stdout.write(kinds.actions()[action][1]())
            return
        worker = JobWorker(self.stdout.write)
        if not once:
            worker.configure_signals()
        worker.work(once=once, sleep=sleep)
