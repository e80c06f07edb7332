"""Reminders for urgent reports: the worker asks on every round whether an urgent report has
passed its triage deadline unreminded; a job then marks them reminded (audited) and, when the
operator turned reminder e-mails on, tells each member of the jurisdiction's triage team how
many (a count only: an e-mail leaves the node's protection)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import ngettext
from django_tasks import task

from crossroads.access.models import User
from crossroads.jobs import services as jobs
from crossroads.jobs.kinds import periodic

from . import services
from .choices import TRIAGE_ROLES
from .models import Report
from .rules import takes_reports

log = logging.getLogger(__name__)


@task()
@jobs.tracked
def remind(job) -> str:
    reminded = services.remind_overdue()
    sent = _mail({report.jurisdiction_id for report in reminded}, len(reminded))
    jobs.progress(job.pk, 1, 1)
    return f"{len(reminded)} urgent report(s) overdue, {sent} e-mail(s)"


def _mail(jurisdictions: set[str], count: int) -> int:
    if not settings.CROSSROADS_REMINDER_EMAILS or not count:
        return 0
    team = (User.objects.filter(is_active=True, role__in=TRIAGE_ROLES,
                                agency__jurisdiction_id__in=jurisdictions)
            .exclude(email="").select_related("agency"))
    messages = []
    for user in filter(takes_reports, team):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            body = ngettext("%(n)d urgent report from the public is past its triage deadline.",
                            "%(n)d urgent reports from the public are past their triage "
                            "deadline.", count) % {"n": count}
            messages.append(EmailMessage("Crossroads", body, to=[user.email]))
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:
        log.exception("reminder e-mails of urgent reports could not be sent")
        return 0


@periodic
def urgent_reports_due() -> int:
    if not Report.objects.to_remind().exists() or jobs.active_job("tips_reminder") is not None:
        return 0
    jobs.enqueue("tips_reminder", remind)
    return 1
