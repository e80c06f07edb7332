"""`crossroads tasks work`: run queued background tasks (whole-node deduplication, releases,
reminders of protection timers, recounts of the dashboards' summary where records changed);
`crossroads tasks remind` queues a reminder run (e.g. daily, by cron); `crossroads tasks
recount` has the whole summary recounted (after a restore that bypassed its triggers)."""

import time

from django.core.management.base import BaseCommand

from crossroads.assistance import tasks as assistance_tasks
from crossroads.linkage.tasks import claim_next, run_dedupe
from crossroads.statistics import release_workflow, summary


def _dedupe(command, run):
    command.stdout.write(f"deduplication run {run.pk} ({run.jurisdiction_id}) started")
    run = run_dedupe(run)
    command.stdout.write(f"deduplication run {run.pk}: {run.status}, {run.pairs_found} pair(s)")


def _release(command, release):
    command.stdout.write(f"release {release.pk} ({release.kind}, {release.jurisdiction_id}) started")
    release = release_workflow.run_release(release)
    command.stdout.write(f"release {release.pk}: {release.status} {release.error}".rstrip())


def _reminders(command, run):
    run = assistance_tasks.run_reminders(run)
    command.stdout.write(f"reminder run {run.pk}: {run.status}, {run.reminders} reminder(s)")


def _summary(command, jurisdiction):
    years = summary.recount(jurisdiction)
    command.stdout.write(f"dashboard summary of {jurisdiction}: {len(years)} year(s) recounted")


# Each kind of task: how to claim the oldest queued one, and how to run it.
TASKS = [(claim_next, _dedupe), (release_workflow.claim_next, _release),
         (assistance_tasks.claim_next, _reminders), (summary.next_changed, _summary)]


class Command(BaseCommand):
    help = ("Run queued background tasks: `work` keeps polling, `work --once` empties the queue; "
            "`remind` queues a reminder run; `recount` has the dashboards' summary recounted.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["work", "remind", "recount"])
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args, action="work", once=False, sleep=2.0, **options):
        if action == "remind":
            run = assistance_tasks.queue_reminders()
            self.stdout.write(f"reminder run {run.pk} queued")
            return
        if action == "recount":
            self.stdout.write(f"dashboard summary: {summary.reset()} year(s) to recount by "
                              "`crossroads tasks work`")
            return
        while True:
            ran = False
            for claim, run in TASKS:
                task = claim()
                if task is not None:
                    run(self, task)
                    ran = True
            if not ran:
                if once:
                    return
                time.sleep(sleep)
