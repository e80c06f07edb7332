"""The reminder task: queued (`crossroads tasks remind`, e.g. daily from cron) and run by the
same runner as the other background tasks (`crossroads tasks work`). It records one reminder
per protection timer and state (due soon, overdue); the home page shows the open items, and
the people concerned get an e-mail with counts when the operator turns e-mails on."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from crossroads.audit.models import Action
from crossroads.audit.services import record

from . import reminder_mail
from .choices import DUE_SOON_DAYS
from .models import ProtectionTimer, Reminder, ReminderRun

log = logging.getLogger(__name__)


def queue_reminders() -> ReminderRun:
    """Queue a run; one already queued is reused."""
    with transaction.atomic():
        run = ReminderRun.objects.filter(status="queued").first()
        if run is None:
            run = ReminderRun.objects.create()
            record(None, Action.CREATE, run, details={"task": "reminders"})
    return run


def claim_next() -> ReminderRun | None:
    for run in ReminderRun.objects.filter(status="queued").order_by("id")[:5]:
        if ReminderRun.objects.filter(pk=run.pk, status="queued").update(status="running"):
            run.refresh_from_db()
            return run
    return None


def run_reminders(run: ReminderRun, today=None) -> ReminderRun:
    today = today or timezone.localdate()
    created, emails = [], 0
    try:
        with transaction.atomic():
            open_timers = ProtectionTimer.objects.filter(
                completed_on__isnull=True, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
            for timer in open_timers.iterator():
                state = timer.state_on(today)
                if state in {"due", "overdue"}:
                    reminder, new = Reminder.objects.get_or_create(timer=timer, state=state)
                    if new:
                        created.append(reminder.pk)
        run.status = "done"
        emails = reminder_mail.send_digests(created)
    except Exception:
        log.exception("reminder run %s failed", run.pk)
        run.status = "failed"
    run.reminders, run.finished_at = len(created), timezone.now()
    run.save(update_fields=["status", "reminders", "finished_at"])
    record(None, Action.UPDATE, run, details={"task": "reminders", "status": run.status,
                                              "reminders": len(created), "emails": emails})
    return run
