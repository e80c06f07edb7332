"""The scan on a schedule: the worker asks `scan_due` on every round; it queues a scan when the
last one started CROSSROADS_OVERSIGHT_SCAN_MINUTES ago or more (0 turns the schedule off;
`crossroads oversight scan` runs the rules at once, whatever the schedule)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from crossroads.jobs import services as jobs
from crossroads.jobs.kinds import periodic

from . import services
from .models import Scan


@task()
@jobs.tracked
def scan(job) -> str:
    run = services.scan()
    jobs.progress(job.pk, 1, 1)
    return f"{run.raised} alert(s) raised, {run.updated} updated"


@periodic
def scan_due() -> int:
    minutes = settings.CROSSROADS_OVERSIGHT_SCAN_MINUTES
    if not minutes or jobs.active_job("oversight_scan") is not None:
        return 0
    last = Scan.objects.order_by("-started_at").first()
    if last is not None and timezone.now() - last.started_at < datetime.timedelta(minutes=minutes):
        return 0
    jobs.enqueue("oversight_scan", scan)
    return 1
