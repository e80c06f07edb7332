"""The reminder task: queued (`crossroads tasks remind`, e.g. daily from cron) and run as a
background job by `crossroads tasks work`. It records one reminder per protection timer and
state (due soon, overdue), all in one transaction; the home page shows the open items, and
the people concerned get an e-mail with counts when the operator turns e-mails on."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.jobs import services as jobs
from crossroads.jobs.choices import JobStatus
from crossroads.jobs.kinds import action

from . import reminder_mail
from .models import ProtectionTimer, Reminder, ReminderRun

log = logging.getLogger(__name__)


def queue_reminders() -> ReminderRun:
    """Queue a run; one already queued is reused."""
    with transaction.atomic():
        run = ReminderRun.objects.filter(job__status=JobStatus.QUEUED).first()
        if run is None:
            run = ReminderRun.objects.create()
            run.job = jobs.enqueue("reminders", reminders, run.pk)
            run.save(update_fields=["job"])
            record(None, Action.CREATE, run, details={"task": "reminders"})
    return run


@action("remind", "queues a reminder run (e.g. daily, by cron)")
def remind() -> str:
    run = queue_reminders()
    return f"reminder run {run.pk} queued (job {run.job_id})"


@task()
@jobs.tracked
def reminders(job, run_id: int) -> str:
    run = run_reminders(ReminderRun.objects.get(pk=run_id), job.pk)
    return f"{run.reminders} reminder(s)"


def run_reminders(run: ReminderRun, job_id: int, today=None) -> ReminderRun:
    today = today or timezone.localdate()
    created = []
    open_timers = ProtectionTimer.objects.needing_attention(today)
    total = open_timers.count()
    jobs.progress(job_id, 0, total)
    try:
        with transaction.atomic():
            for timer in open_timers.iterator():
                state = timer.state_on(today)
                if state in {"due", "overdue"}:
                    reminder, new = Reminder.objects.get_or_create(timer=timer, state=state)
                    if new:
                        created.append(reminder.pk)
            run.reminders = len(created)
            run.save(update_fields=["reminders"])
        jobs.progress(job_id, total)
        emails = reminder_mail.send_digests(created)
    except Exception:
        record(None, Action.UPDATE, run, details={"task": "reminders", "status": "failed"})
        raise
    record(None, Action.UPDATE, run, details={"task": "reminders", "status": "done",
                                              "reminders": len(created), "emails": emails})
    return run
